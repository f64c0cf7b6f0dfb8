"""Pages of submissions for people, next to its JSON routes and on the same use cases: the festival's public page
and the tracking page for citizens; the entry of a work, the works list, a work's page and the desk card for
district office staff. The shared layout and components come from shared/web; this service's templates live in
templates/."""

from pathlib import Path

from fastapi import APIRouter

from services.submissions.calls import pages as calls_pages
from services.submissions.documents import pages as documents_pages
from services.submissions.documents.usecases import DocumentLimits
from services.submissions.domain import STATUSES
from services.submissions.drafts import pages as drafts_pages
from services.submissions.settings import SubmissionsSettings
from services.submissions.tracking import pages as tracking_pages
from services.submissions.tracking.ratelimit import TokenBucketLimiter
from services.submissions.views import pages as views_pages
from services.submissions.works import pages as works_pages
from shared.web.pages import Pages

TEMPLATES = Path(__file__).resolve().parent / "templates"


def page_routers(settings: SubmissionsSettings, limits: DocumentLimits, limiter: TokenBucketLimiter) -> list[APIRouter]:
    """Every page of the service. The entry of a work comes before a work's page: /office/works/new must not be
    read as /office/works/{work_id}."""
    pages = Pages("submissions", TEMPLATES, settings.site_urls, secure_cookies=settings.env == "production")
    pages.env.globals.update(statuses=STATUSES)
    return [calls_pages.build_router(pages), tracking_pages.build_router(pages, limiter),
            views_pages.build_router(pages), drafts_pages.build_router(pages, limits), works_pages.build_router(pages),
            documents_pages.build_router(pages, settings.document_key.get_secret_value())]
