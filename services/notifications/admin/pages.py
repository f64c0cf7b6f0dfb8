"""The notifications administration pages for city-wide staff (templates, the delivery ledger, webhooks): each
calls the same use cases, and so the same permissions, as the JSON routes beside it."""

from pathlib import Path

from fastapi import APIRouter

from services.notifications.admin import deliveries_pages, templates_pages, webhooks_pages
from services.notifications.admin.names import template_globals
from services.notifications.settings import NotificationsSettings
from shared.web.pages import Pages

TEMPLATES = Path(__file__).resolve().parent / "templates"


def admin_pages(settings: NotificationsSettings) -> Pages:
    """The administration templates inside the shared layout, with the Persian names of the service's codes."""
    pages = Pages("notifications", TEMPLATES, settings.site_urls, secure_cookies=settings.env == "production")
    pages.env.globals.update(template_globals())
    return pages


def build_router(pages: Pages) -> APIRouter:
    """Every administration page."""
    router = APIRouter()
    for module in (templates_pages, deliveries_pages, webhooks_pages):
        router.include_router(module.routes(pages))
    return router
