"""Notifications composition root: builds the app from settings (no import-time globals)."""

import logging

from fastapi import FastAPI

from services.notifications import db
from services.notifications.admin import pages as admin
from services.notifications.consumer import NotificationsConsumer
from services.notifications.delivery.api import router as deliveries
from services.notifications.delivery.dispatcher import Dispatcher
from services.notifications.delivery.recorder import Recorder
from services.notifications.handlers import TABLE, Handlers
from services.notifications.inbox import pages as inbox_pages
from services.notifications.inbox.api import router as inbox
from services.notifications.metrics import NotificationMetrics
from services.notifications.optouts.api import router as opt_outs
from services.notifications.optouts.links import OptOutLinks
from services.notifications.rules.api import router as rules
from services.notifications.settings import NotificationsSettings
from services.notifications.templates.api import router as templates
from services.notifications.templates.budget import DraftRenderer
from services.notifications.webhooks.api import router as webhooks
from services.notifications.webhooks.targets import WebhookTargets
from services.notifications.webhooks.usecases import fan_out
from shared.service import ServiceParts, assemble, serve
from shared.web.pages import Pages, mount_static


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
    pages = Pages("notifications", inbox_pages.TEMPLATES, settings.site_urls,
                  secure_cookies=settings.env == "production")
    consumer = NotificationsConsumer("notifications", parts.engine, db.inbox, TABLE.bind(handlers),
                                     public_handlers=TABLE.bind_public(handlers), fan_out=fan_out)
    app = assemble(
        parts, title="Hami notifications", consumer=consumer,
        routers=[deliveries, rules, templates, webhooks, inbox, opt_outs, inbox_pages.build_router(pages),
                 admin.build_router(admin.admin_pages(settings))],
        periodic=[(settings.dispatch_interval, dispatcher.dispatch)], prepare=lambda: links.load(parts.engine),
        description="پیام‌های فارسی با ایمیل، پیامک، وب‌هوک و صندوق پیام کارکنان، با دفتر ارسال و تلاش دوباره — "
                    "Persian messages by email, SMS, signed webhooks and a staff inbox, with a retrying ledger.",
    )
    mount_static(app)
    app.state.opt_out_links = links  # the opt-out page reads links with it (optouts/api.py)
    app.state.webhook_targets = WebhookTargets.from_settings(settings)  # registration checks URLs with it
    app.state.draft_renderer = DraftRenderer(seconds=settings.template_render_seconds)  # previews and saves
    metrics = NotificationMetrics(app.state.runtime.metrics.registry)
    recorder.metrics = dispatcher.metrics = metrics
    return app


def run() -> None:
    """Entry point: `python -m services.notifications`."""
    serve(create_app, NotificationsSettings.load())
