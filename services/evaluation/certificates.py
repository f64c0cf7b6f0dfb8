"""Award certificates as PDF: one per award the council published, for anyone (no sign-in).

Why public: a certificate says only what the published results already say to everyone (`/results/{edition}`:
the work's title, district, category and place), nothing about its submitter; the winners print it and share its
address. A work without a published award (not awarded, still with the jury, unknown) has no certificate: 404.
"""

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.evaluation.pages.kit import PLACES, category_fa
from services.evaluation.usecases import council
from shared.refusals import not_found
from shared.web.connection import Reading
from shared.web.documents import (
    AWARD,
    absolute_url,
    award_subject,
    document_code,
    font_faces,
    pdf_response,
    qr_svg_uri,
    render_pdf,
)
from shared.web.pages import Pages


def certificate_code(document_key: str, award: dict) -> str:
    """The verification code printed on an award's certificate."""
    return document_code(document_key, AWARD, award_subject(award["edition"], award["category"],
                                                            award["work_id"], award["place"]))


def build_router(pages: Pages, document_key: str) -> APIRouter:
    """The certificate route, rendered with evaluation's templates; codes made with the festival's document key."""
    router = pages.router()

    @router.get("/certificates/{name}")
    async def certificate(request: Request, name: str, conn: Reading) -> Response:
        """The award certificate of a work (`/certificates/{work_id}.pdf`) once its results are published."""
        work_id = _work_id(name)
        award = await council.published_award(conn, work_id=work_id)
        code = certificate_code(document_key, award)
        verify_url = absolute_url(request, pages.url("registry", f"/verify/{code}"))
        html = pages.env.get_template("pdf_certificate.html").render(
            award=award, place=PLACES.get(award["place"], award["place"]), category=category_fa(award["category"]),
            code=code, qr=qr_svg_uri(verify_url), verify_url=absolute_url(request, pages.url("registry", "/verify")),
            font_faces=font_faces())
        pdf = await render_pdf(html)
        return pdf_response(pdf, f"لوح-{award['edition']}-{award['title'][:40]}.pdf")

    return router


def _work_id(name: str) -> uuid.UUID:
    """The work id of `{work_id}.pdf`; any other name is not found."""
    stem, dot, extension = name.rpartition(".")
    try:
        if dot and extension == "pdf" and len(stem) <= 36:
            return uuid.UUID(stem)
    except ValueError:
        pass
    raise not_found("این لوح", "This certificate")
