"""Evaluation's pages for citizens (no sign-in): the published results of an edition, per category. They show what
the public JSON `/results/{edition}` shows (places, titles, districts) and nothing personal."""

import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.evaluation.domain import EDITION_CODE
from services.evaluation.pages.kit import CATEGORIES, PLACES
from services.evaluation.usecases import council
from shared.persian import to_ascii_digits
from shared.refusals import not_found
from shared.web.connection import Reading
from shared.web.pages import Pages


def by_category(published: list[dict]) -> list[dict]:
    """Every category of the festival with its published awards in place order (none yet: an empty list)."""
    found = {row["category"]: row for row in published}
    order = list(PLACES)
    return [{"code": code, "name": name, "published_at": found[code]["published_at"] if code in found else None,
             "awards": sorted(found[code]["awards"], key=lambda a: order.index(a["place"])) if code in found else []}
            for code, name in CATEGORIES.items()] + [
            {"code": code, "name": code, "published_at": row["published_at"], "awards": row["awards"]}
            for code, row in found.items() if code not in CATEGORIES]


def build_router(pages: Pages) -> APIRouter:
    """The public results pages, rendered with this service's Pages (built in main.py from the settings)."""
    router = pages.router()

    async def show(request: Request, conn: Reading, edition: str | None) -> Response:
        editions = await council.published_editions(conn)
        if edition is None and editions:
            edition = editions[0]
        published = await council.published_results(conn, edition=edition) if edition else []
        latest = max((row["published_at"] for row in published), default=None)
        return pages.render(request, "results.html", edition=edition, editions=editions, latest=latest,
                            categories=by_category(published) if published else [], places=PLACES)

    @router.get("/festival/results")
    async def newest(request: Request, conn: Reading) -> Response:
        """The results of the newest edition that has published any."""
        return await show(request, conn, None)

    @router.get("/festival/results/{edition}")
    async def of_edition(request: Request, edition: str, conn: Reading) -> Response:
        """The published results of an edition (Persian or ASCII digits in the address); an address that names
        no possible edition (a NUL byte, a long string) is not found."""
        edition = to_ascii_digits(edition).strip()
        if not re.fullmatch(EDITION_CODE, edition):
            raise not_found("نتایج این دوره", "Results of this edition")
        return await show(request, conn, edition)

    return router
