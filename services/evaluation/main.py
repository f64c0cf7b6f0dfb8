"""Evaluation composition root: builds the app from settings (no import-time globals)."""

from fastapi import FastAPI

from services.evaluation import certificates, db, exports, pages
from services.evaluation.api import ROUTERS
from services.evaluation.handlers import TABLE, Handlers
from services.evaluation.settings import EvaluationSettings
from shared.messaging.inbox import EventConsumer
from shared.service import ServiceParts, assemble, serve
from shared.web.pages import Pages, mount_static


def create_app(settings: EvaluationSettings | None = None) -> FastAPI:
    """The evaluation app, wired to its database and broker."""
    settings = settings or EvaluationSettings.load()
    parts = ServiceParts.create("evaluation", settings, outbox=db.outbox)
    document_key = settings.document_key.get_secret_value()
    site = Pages("evaluation", pages.TEMPLATES, settings.site_urls, secure_cookies=settings.env == "production")
    app = assemble(
        parts, title="Hami evaluation", routers=[*ROUTERS, pages.build_router(site, document_key),
                              certificates.build_router(site, document_key),
                              exports.build_router(site)],
        consumer=EventConsumer("evaluation", parts.engine, db.inbox, TABLE.bind(Handlers(settings))),
        description="داوری مرحله‌ای، رتبه‌بندی و جوایز — tiered evaluation, ranking and awards.",
    )
    app.state.settings = settings  # the routes that need a setting (the round quorum) read it here
    mount_static(app)
    return app


def run() -> None:
    """Entry point: `python -m services.evaluation`."""
    serve(create_app, EvaluationSettings.load())
