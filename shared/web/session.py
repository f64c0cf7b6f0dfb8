"""Browser sessions: the registry's token in an HttpOnly, SameSite cookie, and double-submit CSRF protection.

The same token a JSON client sends as a bearer header lives in `hami_session`; all four services accept it. A
state-changing request that authenticates by cookie must also prove it came from our own page: the
`csrf_token` form field (or `X-CSRF-Token` header) must equal the `hami_csrf` cookie, which another site can
neither read nor set.
"""

import secrets
from hmac import compare_digest

from fastapi import Request, Response

from shared.refusals import Kind, Refusal

SESSION_COOKIE = "hami_session"
CSRF_COOKIE = "hami_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def bearer_or_cookie(request: Request) -> tuple[str | None, bool]:
    """The request's token and whether it came from the session cookie."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        return token, False
    cookie = request.cookies.get(SESSION_COOKIE)
    return (cookie, True) if cookie else (None, False)


def csrf_token_of(request: Request) -> str:
    """The browser's CSRF token (a new one when it has none yet; `remember_csrf` stores it in the response)."""
    existing = request.cookies.get(CSRF_COOKIE, "")
    if len(existing) >= 32:
        return existing
    if not hasattr(request.state, "new_csrf"):
        request.state.new_csrf = secrets.token_urlsafe(32)
    return request.state.new_csrf


async def csrf_ok(request: Request) -> bool:
    """True when a state-changing request carries the CSRF token its cookie holds."""
    expected = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = str((await request.form()).get(CSRF_FIELD, ""))
    return len(expected) >= 32 and compare_digest(expected, sent)


def csrf_refusal() -> Refusal:
    """A change that did not prove it came from our own page."""
    return Refusal(Kind.FORBIDDEN, "csrf_failed", "فرم منقضی شده است؛ صفحه را دوباره باز کنید و بفرستید.",
                   "The form is stale or was not sent from this site; reload the page and try again.")


def remember_csrf(request: Request, response: Response, *, secure: bool) -> None:
    """Set the CSRF cookie when this request created the token."""
    if hasattr(request.state, "new_csrf"):
        response.set_cookie(CSRF_COOKIE, request.state.new_csrf, httponly=True, samesite="lax", secure=secure,
                            path="/")


def start_session(response: Response, token: str, *, max_age: int, secure: bool) -> None:
    """Keep the signed-in token in the session cookie."""
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age, httponly=True, samesite="lax", secure=secure,
                        path="/")


def end_session(response: Response) -> None:
    """Forget the session (sign-out)."""
    response.delete_cookie(SESSION_COOKIE, path="/")
