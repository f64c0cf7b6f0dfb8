"""Evaluation's pages for people: the public results (citizens), the evaluators' rounds and score sheets, the round
managers' progress, ranking, reassigning and closing, the central secretariat's receipts and jury rounds, the
council's reading of the jury's proposals, and the desk card. Each module calls the same use cases as the JSON
routes; the shared layout and components come from shared/web, this service's templates live in templates/."""

from fastapi import APIRouter

from services.evaluation.pages import council, evaluator, managing, results, secretariat
from services.evaluation.pages.kit import TEMPLATES, install
from shared.web.pages import Pages

__all__ = ["TEMPLATES", "build_router"]


def build_router(pages: Pages, document_key: str) -> APIRouter:
    """Every page of the service, rendered with this service's Pages (built in main.py from the settings); the
    document key signs evaluators' links to a work's documents."""
    install(pages)
    router = APIRouter()
    for module in (results, managing, secretariat, council):
        router.include_router(module.build_router(pages))
    router.include_router(evaluator.build_router(pages, document_key))
    return router
