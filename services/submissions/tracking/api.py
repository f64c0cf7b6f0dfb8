"""The public status lookup over HTTP, rate limited per client IP. Behind a reverse proxy the client IP comes
from X-Forwarded-For as uvicorn's proxy-headers support resolves it (trusted proxies: FORWARDED_ALLOW_IPS)."""

from fastapi import APIRouter, Depends, Query, Request

from services.submissions.tracking import usecases
from services.submissions.tracking.ratelimit import TokenBucketLimiter
from services.submissions.tracking.schemas import TrackIn, TrackOut
from shared.refusals import Kind, Refusal
from shared.web.connection import Reading


class RateLimited(Refusal):
    """Too many lookups from one client: how many seconds to wait (main.py sends it as Retry-After)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(Kind.TOO_MANY, "too_many_requests", "درخواست‌های شما زیاد است؛ کمی بعد دوباره تلاش کنید.",
                         "Too many requests; try again later.", {"retry_after_seconds": retry_after})
        self.retry_after = retry_after


def check_rate(limiter: TokenBucketLimiter, request: Request) -> None:
    """Spend one of the client's lookups (the JSON route and the page share the limiter); refused with the
    seconds to wait once its burst is spent."""
    client = request.client.host if request.client else "unknown"
    if wait := limiter.retry_after(client):
        raise RateLimited(wait)


def build_router(limiter: TokenBucketLimiter) -> APIRouter:
    """Routes of the public lookup, sharing one limiter."""
    router = APIRouter(tags=["public tracking"])

    async def rate_limited(request: Request) -> None:
        """Dependency: refuse a client that spent its burst, with the seconds to wait."""
        check_rate(limiter, request)

    @router.post("/track", response_model=TrackOut, dependencies=[Depends(rate_limited)])
    async def track(body: TrackIn, conn: Reading) -> TrackOut:
        """A work's status and its Jalali date, by tracking code and the submitter's mobile (public)."""
        return TrackOut(**await usecases.track(conn, code=body.code, mobile=body.mobile))

    @router.get("/track", response_model=TrackOut, dependencies=[Depends(rate_limited)])
    async def track_get(conn: Reading, code: str = Query(max_length=40),
                        mobile: str = Query(max_length=30)) -> TrackOut:
        """The same lookup with query parameters (POST keeps the mobile number out of access logs)."""
        return TrackOut(**await usecases.track(conn, code=code, mobile=mobile))

    return router
