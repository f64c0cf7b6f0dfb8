"""Submissions HTTP interface: the routers of calls, works, staff views, documents and public tracking."""

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncEngine

from services.submissions.api_calls import build_calls_router
from services.submissions.api_documents import build_documents_router
from services.submissions.api_track import build_track_router
from services.submissions.api_views import build_views_router
from services.submissions.api_works import build_works_router
from services.submissions.ratelimit import TokenBucketLimiter
from services.submissions.settings import SubmissionsSettings


def build_router(engine: AsyncEngine, settings: SubmissionsSettings | None = None) -> APIRouter:
    """Every route of the service, bound to its engine and settings."""
    settings = settings or SubmissionsSettings(database_url=str(engine.url))
    router = APIRouter()
    router.include_router(build_calls_router(engine))
    # The list and export come first: /works/export.csv must not be read as /works/{work_id}.
    router.include_router(build_views_router(engine))
    router.include_router(build_works_router(engine))
    router.include_router(build_documents_router(engine, max_bytes=settings.max_document_bytes,
                                                 max_per_work=settings.max_documents_per_work))
    limiter = TokenBucketLimiter(per_minute=settings.track_per_minute, burst=settings.track_burst)
    router.include_router(build_track_router(engine, limiter))
    return router
