"""An evaluator's reading of a work: what it is and its documents, opened in the browser, through the link
evaluation's score-sheet page gives them (a reading grant, shared/reading_grants.py). Submissions keeps no
assignments: the grant is the permission, and only for the person it names."""

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from services.submissions.documents import usecases
from services.submissions.documents.api import attachment
from shared.principal import Principal
from shared.web.connection import Reading
from shared.web.pages import Pages

# What a browser shows itself (and the documents the intake accepts of those kinds); the rest are downloaded.
SHOWN_IN_THE_BROWSER = frozenset({"pdf", "jpeg", "png"})


def shown_inline(document: dict) -> Response:
    """A PDF or photo opened in the browser, sandboxed (no script of its own runs); other kinds downloaded."""
    response = attachment(document)
    if document["kind"] in SHOWN_IN_THE_BROWSER:
        response.headers["Content-Disposition"] = response.headers["Content-Disposition"].replace(
            "attachment;", "inline;", 1)
        response.headers["Content-Security-Policy"] = "sandbox"
    return response


def build_router(pages: Pages, document_key: str) -> APIRouter:
    """The evaluator's reading page of a work and its documents."""
    router = pages.router()

    @router.get("/evaluator/works/{work_id}", response_class=HTMLResponse)
    async def reading(request: Request, work_id: uuid.UUID, conn: Reading, grant: str = "",
                      person: Principal = Depends(pages.person)) -> HTMLResponse:
        """The work's summary and documents, for the evaluator the grant names."""
        work = await usecases.work_for_evaluator(conn, person, work_id, grant=grant, key=document_key,
                                                 now=datetime.now(UTC))
        return pages.render(request, "evaluator_reading.html", w=work, grant=grant,
                            shown_in_the_browser=SHOWN_IN_THE_BROWSER)

    @router.get("/evaluator/works/{work_id}/documents/{document_id}")
    async def document(work_id: uuid.UUID, document_id: uuid.UUID, conn: Reading, grant: str = "",
                       person: Principal = Depends(pages.person)) -> Response:
        """One document: a PDF or photo opened in the browser, anything else downloaded."""
        found = await usecases.read_document_for_evaluator(conn, person, work_id, document_id, grant=grant,
                                                           key=document_key, now=datetime.now(UTC))
        return shown_inline(found)

    return router
