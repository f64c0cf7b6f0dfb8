"""Submissions composition root: builds the app from settings (no import-time globals)."""

from fastapi import FastAPI

from services.submissions import db
from services.submissions.api import build_router
from services.submissions.handlers import handlers
from services.submissions.settings import SubmissionsSettings
from shared.messaging.inbox import EventConsumer
from shared.service import ServiceParts, assemble, serve


def create_app(settings: SubmissionsSettings | None = None) -> FastAPI:
    """The submissions app, wired to its database and broker."""
    settings = settings or SubmissionsSettings.load()
    parts = ServiceParts.create("submissions", settings, outbox=db.outbox)
    return assemble(
        parts, title="Hami submissions", routers=[build_router(parts.engine)],
        consumer=EventConsumer("submissions", parts.engine, db.inbox, handlers()),
        description="آثار، فراخوان‌ها و کد رهگیری — editions, calls, works intake and tracking codes.",
    )


def run() -> None:
    """Entry point: `python -m services.submissions`."""
    serve(create_app, SubmissionsSettings.load())
