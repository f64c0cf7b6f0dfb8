"""Verifying registry's JWTs through its JWKS (cached), and FastAPI dependencies for who may do what."""

import time
from collections.abc import Awaitable, Callable
from typing import Annotated

import httpx
import jwt
from fastapi import Depends, Request

from shared.principal import Principal
from shared.refusals import not_authenticated
from shared.web.session import SAFE_METHODS, bearer_or_cookie, csrf_ok, csrf_refusal

AUDIENCE = "hami"
ALGORITHM = "ES256"


class TokenVerifier:
    """Verifies tokens against a key set that is fetched on demand and cached."""

    def __init__(
        self,
        fetch_jwks: Callable[[], Awaitable[dict]],
        *,
        issuer: str,
        cache_seconds: float = 300.0,
        min_refetch_seconds: float = 1.0,
    ) -> None:
        self._fetch, self._issuer = fetch_jwks, issuer
        self._cache_seconds, self._min_refetch = cache_seconds, min_refetch_seconds
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = float("-inf")

    async def verify(self, token: str) -> Principal:
        """The principal in a valid token; Refusal 401 otherwise."""
        try:
            kid = jwt.get_unverified_header(token).get("kid", "")
            key = await self._key(kid)
            claims = jwt.decode(
                token, key=key.key, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=self._issuer,
                options={"require": ["exp", "iat", "sub"]},
            )
        except (jwt.PyJWTError, KeyError, ValueError, httpx.HTTPError) as error:
            raise not_authenticated() from error
        return Principal(subject=claims["sub"], username=claims.get("username", ""),
                         name=claims.get("name", ""), memberships=claims.get("memberships", []),
                         organisation=claims.get("organisation"))

    async def _key(self, kid: str) -> jwt.PyJWK:
        age = time.monotonic() - self._fetched_at
        # An unknown kid means the registry rotated its key: refetch, but not on every bad token.
        if age > self._cache_seconds or (kid not in self._keys and age > self._min_refetch):
            jwks = await self._fetch()
            self._keys = {k["kid"]: jwt.PyJWK(k) for k in jwks.get("keys", [])}
            self._fetched_at = time.monotonic()
        return self._keys[kid]


def http_jwks(registry_url: str) -> Callable[[], Awaitable[dict]]:
    """Fetch registry's JWKS over HTTP (the one synchronous call between services)."""
    async def fetch() -> dict:
        async with httpx.AsyncClient(timeout=5.0) as client:
            response = await client.get(f"{registry_url.rstrip('/')}/.well-known/jwks.json")
            response.raise_for_status()
            return response.json()
    return fetch


async def signed_in(request: Request) -> Principal:
    """Dependency: a valid bearer token, or the browser's session cookie (with its CSRF token on a change)."""
    token, from_cookie = bearer_or_cookie(request)
    if not token:
        raise not_authenticated()
    if from_cookie and request.method not in SAFE_METHODS and not await csrf_ok(request):
        raise csrf_refusal()
    verifier: TokenVerifier = request.app.state.token_verifier
    return await verifier.verify(token)


# The signed-in principal as a route parameter: `principal: SignedIn`.
SignedIn = Annotated[Principal, Depends(signed_in)]
