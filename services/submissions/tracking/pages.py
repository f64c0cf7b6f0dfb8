"""The public tracking page: a tracking code and the submitter's mobile give the work's status and its history
in plain Persian (the JSON lookup's use case and rate limit; nothing personal is shown)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.routing import Match
from starlette.types import Scope

from services.submissions.tracking import usecases
from services.submissions.tracking.api import RateLimited, check_rate
from services.submissions.tracking.ratelimit import TokenBucketLimiter
from shared.errors import STATUS
from shared.persian import to_persian_digits
from shared.refusals import Refusal
from shared.web.connection import Reading
from shared.web.pages import Pages

# Where each refusal of the lookup is shown.
FIELDS = {"invalid_tracking_code": "code"}
FORMS = (b"application/x-www-form-urlencoded", b"multipart/form-data")


def from_a_browser(scope: Scope) -> bool:
    """What a browser sends, not a JSON client: a page asked for (Accept: text/html, or no code to look up, which
    the JSON lookup would refuse anyway), or a form posted."""
    headers = dict(scope.get("headers", []))
    if scope.get("method") in ("GET", "HEAD"):
        return b"text/html" in headers.get(b"accept", b"") or b"code=" not in scope.get("query_string", b"")
    return headers.get(b"content-type", b"").startswith(FORMS)


def build_router(pages: Pages, limiter: TokenBucketLimiter) -> APIRouter:
    """The tracking page and its form, sharing the JSON lookup's limiter. They live at the JSON lookup's address
    (/track) and answer only browsers; JSON clients reach the JSON routes, which come after them."""

    class ForBrowsers(pages.router().route_class):
        def matches(self, scope: Scope) -> tuple[Match, Scope]:
            match, child = super().matches(scope)
            return (match, child) if match is Match.NONE or from_a_browser(scope) else (Match.NONE, {})

    router = APIRouter(route_class=ForBrowsers, include_in_schema=False)

    @router.get("/track", response_class=HTMLResponse)
    async def tracking_form(request: Request) -> HTMLResponse:
        request.state.principal = await pages.principal(request)
        return pages.render(request, "track.html", found=None)

    @router.post("/track", response_class=HTMLResponse)
    async def track(request: Request, conn: Reading) -> HTMLResponse:
        await pages.require_csrf(request)
        request.state.principal = await pages.principal(request)
        form = await request.form()
        typed = {key: str(form.get(key, "")).strip()[:40] for key in ("code", "mobile")}
        try:
            check_rate(limiter, request)
            found = await usecases.track_with_history(conn, code=typed["code"], mobile=typed["mobile"])
        except Refusal as refusal:
            message = refusal.fa
            if isinstance(refusal, RateLimited):
                message += f" (پس از {to_persian_digits(str(refusal.retry_after))} ثانیه)"
            return pages.render(request, "track.html", status=STATUS[refusal.kind],
                                form=typed, errors={FIELDS.get(refusal.code, "form"): message}, found=None)
        return pages.render(request, "track.html", form=typed, found=found)

    return router
