"""Verifying registry's JWTs through its JWKS (cached), and FastAPI dependencies for who may do what."""

import time
from collections.abc import Awaitable, Callable
from typing import Annotated

import httpx
import jwt
from fastapi import Depends, Request

from shared.errors import unavailable
from shared.principal import Principal
from shared.refusals import Kind, Refusal, not_authenticated
from shared.web.session import SAFE_METHODS, bearer_or_cookie, csrf_ok, csrf_refusal

AUDIENCE = "hami"
ALGORITHM = "ES256"
VERIFIED_TOKENS_KEPT = 1_024  # tokens whose signature checked out, remembered (a few hundred staff sign in at once)


class TokenVerifier:
    """Verifies tokens against a key set that is fetched on demand and cached."""

    def __init__(
        self,
        fetch_jwks: Callable[[], Awaitable[dict]],
        *,
        issuer: str,
        versions: Callable[[str], Awaitable[int]] | None = None,
        cache_seconds: float = 300.0,
        min_refetch_seconds: float = 1.0,
    ) -> None:
        self._fetch, self._issuer, self._versions = fetch_jwks, issuer, versions
        self._cache_seconds, self._min_refetch = cache_seconds, min_refetch_seconds
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = float("-inf")
        self._verified: dict[str, tuple[str, dict]] = {}  # token -> (kid, claims), oldest first

    async def verify(self, token: str) -> Principal:
        """The principal in a valid token that was not revoked since it was issued; Refusal 401 otherwise."""
        claims = self._remembered(token) or await self._decoded(token)
        if self._versions is not None and _version(claims) < await self._versions(claims["sub"]):
            raise access_revoked()
        return Principal(subject=claims["sub"], username=claims.get("username", ""),
                         name=claims.get("name", ""), memberships=claims.get("memberships", []),
                         organisation=claims.get("organisation"))

    def _remembered(self, token: str) -> dict | None:
        """The claims of a token verified before, while it has not expired, its key is still in a key set that is
        not due for refetching (the ES256 check was 7% of submissions' time under the intake benchmark). Revocation
        is still asked every time (verify)."""
        if (found := self._verified.get(token)) is None:
            return None
        kid, claims = found
        if claims["exp"] > time.time() and kid in self._keys and \
                time.monotonic() - self._fetched_at <= self._cache_seconds:
            return claims
        del self._verified[token]
        return None

    async def _decoded(self, token: str) -> dict:
        """The claims of a token whose signature, audience, issuer and times check out (remembered); 401 if not."""
        try:
            kid = jwt.get_unverified_header(token).get("kid", "")
            key = await self._key(kid)
            claims = jwt.decode(
                token, key=key.key, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=self._issuer,
                options={"require": ["exp", "iat", "sub"]},
            )
        except (jwt.PyJWTError, KeyError, ValueError, httpx.HTTPError) as error:
            raise not_authenticated() from error
        if len(self._verified) >= VERIFIED_TOKENS_KEPT:
            del self._verified[next(iter(self._verified))]
        self._verified[token] = (kid, claims)
        return claims

    async def _key(self, kid: str) -> jwt.PyJWK:
        age = time.monotonic() - self._fetched_at
        # An unknown kid means the registry rotated its key: refetch, but not on every bad token.
        if age > self._cache_seconds or (kid not in self._keys and age > self._min_refetch):
            try:
                jwks = await self._fetch()
            except httpx.HTTPError as error:
                # The registry is away (restarting, its database down): the keys it published a moment ago still
                # verify; a key never seen cannot be judged, so the request should be tried again, not refused.
                if kid in self._keys:
                    return self._keys[kid]
                raise unavailable("registry") from error
            self._keys = {k["kid"]: jwt.PyJWK(k) for k in jwks.get("keys", [])}
            self._fetched_at = time.monotonic()
        return self._keys[kid]


def _version(claims: dict) -> int:
    """The token's account version (`tv`); tokens issued before versions existed count as version 0."""
    version = claims.get("tv", 0)
    return version if isinstance(version, int) else -1


def access_revoked() -> Refusal:
    """A token issued before its holder's access was cut (deactivated, new password, appointment ended)."""
    return Refusal(Kind.NOT_AUTHENTICATED, "access_revoked",
                   "دسترسی شما پس از ورود تغییر کرده است؛ دوباره وارد شوید.",
                   "Your access changed after you signed in; sign in again.")


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
