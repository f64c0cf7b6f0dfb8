"""Appointment letters as PDF: the festival secretary's office certifies that a person was appointed to a body
with a role (and, for an ended appointment, until when). For the person appointed and for those who may read
others' records, as the person's record on the JSON side (people.usecases.person); a QR code and a short code let
anyone holding the letter check it on the public verification page."""

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.registry.names import BODY_KINDS, ROLES
from services.registry.people import usecases
from shared.refusals import not_found
from shared.web.connection import Reading
from shared.web.documents import (
    APPOINTMENT,
    absolute_url,
    appointment_subject,
    document_code,
    font_faces,
    pdf_response,
    qr_svg_uri,
    render_pdf,
)
from shared.web.pages import Pages


def letter_code(document_key: str, appointment_id: uuid.UUID) -> str:
    """The verification code printed on an appointment's letter."""
    return document_code(document_key, APPOINTMENT, appointment_subject(str(appointment_id)))


def routes(pages: Pages) -> APIRouter:
    """The appointment letter route."""
    router = pages.router()

    @router.get("/organisation/appointments/{appointment_id}/letter.pdf")
    async def letter(request: Request, appointment_id: str, conn: Reading) -> Response:
        """An appointment's letter as PDF (signed in: the person appointed, or city-wide staff)."""
        principal = await pages.person(request)
        held = await usecases.appointment_letter(conn, principal, _appointment_id(appointment_id))
        code = letter_code(request.app.state.settings.document_key.get_secret_value(), held["appointment_id"])
        html = pages.env.get_template("pdf_appointment_letter.html").render(
            held=held, role=ROLES.get(held["role"], held["role"]), body_kind=BODY_KINDS.get(held["kind"], ""),
            code=code, qr=qr_svg_uri(absolute_url(request, pages.url("registry", f"/verify/{code}"))),
            verify_url=absolute_url(request, pages.url("registry", "/verify")), font_faces=font_faces())
        return pdf_response(await render_pdf(html), f"حکم-{held['person_name'][:40]}.pdf")

    return router


def _appointment_id(value: str) -> uuid.UUID:
    """An appointment id from the address; anything else is not found."""
    if len(value) <= 36:
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
    raise not_found("حکم", "Appointment")
