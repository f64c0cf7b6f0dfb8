"""Notifications composition root: builds the app from settings (no import-time globals)."""

import logging

from fastapi import FastAPI

from services.notifications import db
from services.notifications.api import build_router
from services.notifications.api_inbox import build_inbox_router
from services.notifications.api_templates import build_templates_router
from services.notifications.api_webhooks import build_webhooks_router
from services.notifications.consumer import NotificationsConsumer
from services.notifications.dispatcher import Dispatcher
from services.notifications.handlers import TABLE, Handlers
from services.notifications.ledger import Recorder
from services.notifications.links import OptOutLinks
from services.notifications.metrics import NotificationMetrics
from services.notifications.settings import NotificationsSettings
from shared.service import ServiceParts, assemble, serve


def create_app(settings: NotificationsSettings | None = None) -> FastAPI:
    """The notifications app, wired to its database, broker, channels and dispatcher."""
    settings = settings or NotificationsSettings.load()
    parts = ServiceParts.create("notifications", settings, outbox=db.outbox)
    # httpx logs every request URL at INFO; some SMS providers put the API key in the URL.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    links = OptOutLinks(settings)
    recorder = Recorder(settings, links)
    handlers = Handlers(recorder)
    dispatcher = Dispatcher(parts.engine, settings, links)
    consumer = NotificationsConsumer("notifications", parts.engine, db.inbox, TABLE.bind(handlers),
                                     public_handlers=TABLE.bind_public(handlers), fan_out=recorder.fan_out)
    app = assemble(
        parts, title="Hami notifications", consumer=consumer,
        routers=[build_router(parts.engine), build_templates_router(parts.engine),
                 build_webhooks_router(parts.engine), build_inbox_router(parts.engine, links=links)],
        periodic=[(settings.dispatch_interval, dispatcher.dispatch)], prepare=lambda: links.load(parts.engine),
        description="پیام‌های فارسی با ایمیل، پیامک، وب‌هوک و صندوق پیام کارکنان، با دفتر ارسال و تلاش دوباره — "
                    "Persian messages by email, SMS, signed webhooks and a staff inbox, with a retrying ledger.",
    )
    metrics = NotificationMetrics(app.state.runtime.metrics.registry)
    recorder.metrics = dispatcher.metrics = metrics
    return app


def run() -> None:
    """Entry point: `python -m services.notifications`."""
    serve(create_app, NotificationsSettings.load())
