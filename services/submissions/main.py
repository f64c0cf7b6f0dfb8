"""Submissions composition root: builds the app from settings (no import-time globals): its routers with their
limits and the tracking lookup's rate limiter, its consumer, and the job that closes calls at their deadline."""

from datetime import UTC, datetime

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncEngine

from services.submissions import db
from services.submissions.calls import api as calls_api
from services.submissions.calls.usecases import close_calls_past_deadline
from services.submissions.documents import api as documents_api
from services.submissions.documents.usecases import DocumentLimits
from services.submissions.handlers import TABLE
from services.submissions.offices import api as offices_api
from services.submissions.pages import page_routers
from services.submissions.settings import SubmissionsSettings
from services.submissions.tracking import api as tracking_api
from services.submissions.tracking.api import RateLimited
from services.submissions.tracking.ratelimit import TokenBucketLimiter
from services.submissions.views import api as views_api
from services.submissions.works import api as works_api
from shared.messaging.inbox import EventConsumer
from shared.service import ServiceParts, assemble, serve
from shared.web.pages import mount_static


def routers(settings: SubmissionsSettings) -> list[APIRouter]:
    """Every route of the service, pages and JSON, sharing the document limits and the tracking lookup's
    limiter. The pages come first: the tracking page answers browsers at the JSON lookup's address. The staff
    views come before the works: /works/export.csv must not be read as /works/{work_id}."""
    limits = DocumentLimits(max_bytes=settings.max_document_bytes, max_per_work=settings.max_documents_per_work)
    limiter = TokenBucketLimiter(per_minute=settings.track_per_minute, burst=settings.track_burst)
    return [*page_routers(settings, limits, limiter), calls_api.router, offices_api.router, views_api.router,
            works_api.router, documents_api.build_router(limits), tracking_api.build_router(limiter)]


def deadline_closer(engine: AsyncEngine):
    """The scheduled job: close every open call whose closing date has passed, in one transaction."""
    async def close_calls_at_deadline() -> list[str]:
        """Close the calls past their deadline; returns their editions."""
        async with engine.begin() as conn:
            return await close_calls_past_deadline(conn, now=datetime.now(UTC))
    return close_calls_at_deadline


def create_app(settings: SubmissionsSettings | None = None) -> FastAPI:
    """The submissions app, wired to its database and broker."""
    settings = settings or SubmissionsSettings.load()
    parts = ServiceParts.create("submissions", settings, outbox=db.outbox)
    app = assemble(
        parts, title="Hami submissions", routers=routers(settings),
        consumer=EventConsumer("submissions", parts.engine, db.inbox, TABLE.bind(),
                               public_handlers=TABLE.bind_public()),
        periodic=[(settings.call_check_seconds, deadline_closer(parts.engine))],
        description="آثار، فراخوان‌ها و کد رهگیری — editions, calls, works intake, documents and tracking codes.",
    )

    mount_static(app)

    @app.exception_handler(RateLimited)
    async def _rate_limited(_request: Request, error: RateLimited) -> JSONResponse:
        return JSONResponse(error.body(), status_code=429, headers={"Retry-After": str(error.retry_after)})

    return app


def run() -> None:
    """Entry point: `python -m services.submissions`."""
    serve(create_app, SubmissionsSettings.load())
