"""The public tracking page: a tracking code and the submitter's mobile give the work's status and its history
in plain Persian (the JSON lookup's use case and rate limit; nothing personal is shown)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.submissions.tracking import usecases
from services.submissions.tracking.api import check_rate
from services.submissions.tracking.ratelimit import TokenBucketLimiter
from shared.errors import STATUS
from shared.refusals import Refusal
from shared.web.connection import Reading
from shared.web.pages import Pages

# Where each refusal of the lookup is shown.
FIELDS = {"invalid_tracking_code": "code"}


def build_router(pages: Pages, limiter: TokenBucketLimiter) -> APIRouter:
    """The tracking page and its form, sharing the JSON lookup's limiter."""
    router = pages.router()

    @router.get("/track", response_class=HTMLResponse)
    async def tracking_form(request: Request) -> HTMLResponse:
        request.state.principal = await pages.principal(request)
        return pages.render(request, "track.html")

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
            return pages.render(request, "track.html", status=STATUS[refusal.kind],
                                form=typed, errors={FIELDS.get(refusal.code, "form"): refusal.fa})
        return pages.render(request, "track.html", form=typed, found=found)

    return router
