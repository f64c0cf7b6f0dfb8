"""Evaluation composition root: builds the app from settings (no import-time globals)."""

from fastapi import FastAPI

from services.evaluation import db
from services.evaluation.api import build_router
from services.evaluation.api_rounds import build_rounds_router
from services.evaluation.handlers import TABLE, Handlers
from services.evaluation.settings import EvaluationSettings
from shared.messaging.inbox import EventConsumer
from shared.service import ServiceParts, assemble, serve


def create_app(settings: EvaluationSettings | None = None) -> FastAPI:
    """The evaluation app, wired to its database and broker."""
    settings = settings or EvaluationSettings.load()
    parts = ServiceParts.create("evaluation", settings, outbox=db.outbox)
    return assemble(
        parts, title="Hami evaluation", routers=[build_router(parts.engine), build_rounds_router(parts.engine)],
        consumer=EventConsumer("evaluation", parts.engine, db.inbox, TABLE.bind(Handlers(settings))),
        description="داوری مرحله‌ای، رتبه‌بندی و جوایز — tiered evaluation, ranking and awards.",
    )


def run() -> None:
    """Entry point: `python -m services.evaluation`."""
    serve(create_app, EvaluationSettings.load())
