"""Notifications composition root: builds the app from settings (no import-time globals)."""

from fastapi import FastAPI

from services.notifications import db
from services.notifications.api import build_router
from services.notifications.handlers import handlers
from services.notifications.settings import NotificationsSettings
from shared.messaging.inbox import EventConsumer
from shared.service import ServiceParts, assemble, serve


def create_app(settings: NotificationsSettings | None = None) -> FastAPI:
    """The notifications app, wired to its database and broker."""
    settings = settings or NotificationsSettings.load()
    parts = ServiceParts.create("notifications", settings, outbox=db.outbox)
    return assemble(
        parts, title="Hami notifications", routers=[build_router(parts.engine)],
        consumer=EventConsumer("notifications", parts.engine, db.inbox, handlers()),
        description="داوری مرحله‌ای، رتبه‌بندی و جوایز — tiered notifications, ranking and awards.",
    )


def run() -> None:
    """Entry point: `python -m services.notifications`."""
    serve(create_app, NotificationsSettings.load())
