"""Submissions composition root: builds the app from settings (no import-time globals)."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from services.submissions import db
from services.submissions.api import build_router
from services.submissions.api_track import RateLimited
from services.submissions.calls import deadline_closer
from services.submissions.handlers import TABLE
from services.submissions.settings import SubmissionsSettings
from shared.messaging.inbox import EventConsumer
from shared.service import ServiceParts, assemble, serve


def create_app(settings: SubmissionsSettings | None = None) -> FastAPI:
    """The submissions app, wired to its database and broker."""
    settings = settings or SubmissionsSettings.load()
    parts = ServiceParts.create("submissions", settings, outbox=db.outbox)
    app = assemble(
        parts, title="Hami submissions", routers=[build_router(parts.engine, settings)],
        consumer=EventConsumer("submissions", parts.engine, db.inbox, TABLE.bind(),
                               public_handlers=TABLE.bind_public()),
        periodic=[(settings.call_check_seconds, deadline_closer(parts.engine))],
        description="آثار، فراخوان‌ها و کد رهگیری — editions, calls, works intake, documents and tracking codes.",
    )

    @app.exception_handler(RateLimited)
    async def _rate_limited(_request: Request, error: RateLimited) -> JSONResponse:
        return JSONResponse(error.body(), status_code=429, headers={"Retry-After": str(error.retry_after)})

    return app


def run() -> None:
    """Entry point: `python -m services.submissions`."""
    serve(create_app, SubmissionsSettings.load())
