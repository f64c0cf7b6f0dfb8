"""The public status lookup: tracking code plus the submitter's mobile number, rate limited per client IP.

It answers only the status and its Jalali date. A wrong code and a wrong mobile get the same 404, so the
lookup tells nobody whether a code exists. Behind a reverse proxy the client IP comes from
X-Forwarded-For as uvicorn's proxy-headers support resolves it (trusted proxies: FORWARDED_ALLOW_IPS)."""

import hmac

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncEngine

from services.submissions import db_works
from services.submissions.domain import STATUSES, canonical_tracking_code
from services.submissions.ratelimit import TokenBucketLimiter
from services.submissions.schemas import TrackIn, TrackOut
from shared.persian import canonical_mobile, format_jalali_date
from shared.refusals import Kind, Refusal


def no_match() -> Refusal:
    """The one 404 for a wrong code and a wrong mobile alike."""
    return Refusal(Kind.NOT_FOUND, "not_found", "اثری با این کد رهگیری و شماره همراه پیدا نشد.",
                    "No work matches this tracking code and mobile number.")


def build_track_router(engine: AsyncEngine, limiter: TokenBucketLimiter) -> APIRouter:
    """Routes of the public lookup, sharing one limiter."""
    router = APIRouter(tags=["public tracking"])

    async def rate_limited(request: Request) -> None:
        client = request.client.host if request.client else "unknown"
        if wait := limiter.retry_after(client):
            raise RateLimited(wait)

    async def lookup(code: str, mobile: str) -> TrackOut:
        tracking_code = canonical_tracking_code(code)
        try:
            mobile = canonical_mobile(mobile)
        except ValueError:
            raise no_match() from None
        async with engine.connect() as conn:
            work = await db_works.find_by_tracking_code(conn, tracking_code=tracking_code)
        if work is None or not hmac.compare_digest(work["submitter_mobile"], mobile):
            raise no_match()
        return TrackOut(status=work["status"], status_fa=STATUSES[work["status"]],
                        date=format_jalali_date(work["status_at"]))

    @router.post("/track", response_model=TrackOut, dependencies=[Depends(rate_limited)])
    async def track(body: TrackIn) -> TrackOut:
        """A work's status and its Jalali date, by tracking code and the submitter's mobile (public)."""
        return await lookup(body.code, body.mobile)

    @router.get("/track", response_model=TrackOut, dependencies=[Depends(rate_limited)])
    async def track_get(code: str = Query(max_length=40), mobile: str = Query(max_length=30)) -> TrackOut:
        """The same lookup with query parameters (POST keeps the mobile number out of access logs)."""
        return await lookup(code, mobile)

    return router


class RateLimited(Refusal):
    """429 with the seconds to wait."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(429, "too_many_requests", "درخواست‌های شما زیاد است؛ کمی بعد دوباره تلاش کنید.",
                         "Too many requests; try again later.", {"retry_after_seconds": retry_after})
        self.retry_after = retry_after
