"""People and their appointments in the browser, for the festival secretary: the directory (filtered by body, role,
district and name), a person's page with every appointment, appointing and ending an appointment through the same
use cases as the JSON routes."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.fields import Code, has_unstorable
from services.registry.names import ROLES
from services.registry.page_kit import about_the_form, form_fields, in_transaction
from services.registry.people import usecases
from services.registry.structure import usecases as structure
from services.registry.web import Engine
from shared.errors import STATUS
from shared.models import StrictModel
from shared.persian import to_ascii_digits
from shared.principal import Principal, Role
from shared.refusals import Refusal, not_found
from shared.web.connection import Reading
from shared.web.pages import Pages, field_errors, persian_number, refusal_errors

SEARCH_LIMIT = 100  # the longest search text taken; longer is refused at the field
SHOWN = 100  # people listed at once; the count says how many more match
# An appointment's refusals at the field they concern (the page itself already checked who may read the person,
# so a «not allowed» here is about the body chosen).
APPOINT_FIELDS = {"forbidden": "body", "not_found": "body", "office_held": "body", "already_appointed": "role"}
ROLE_CHOICES = tuple(role.value for role in Role)
ROLE_OPTIONS = [(role, ROLES[role]) for role in ROLE_CHOICES]
DISTRICT_OPTIONS = [(n, f"منطقهٔ {persian_number(n)}") for n in range(1, 23)]


class AppointForm(StrictModel):
    """The appointment form: which body, which role."""

    body: Code
    role: Role


def body_groups(bodies: list[dict]) -> list[tuple[int, list[dict]]]:
    """Bodies for a choice list: the festival's own (district 0) first, then each district's."""
    groups: dict[int, list[dict]] = {}
    for body in bodies:
        groups.setdefault(body["district"] or 0, []).append(body)
    return sorted(groups.items())


def parsed_id(value: str, what_fa: str, what_en: str) -> uuid.UUID:
    """An id from the address, or «not found» (a malformed id names nothing)."""
    try:
        return uuid.UUID(value) if len(value) <= 64 else uuid.UUID("")
    except ValueError:
        raise not_found(what_fa, what_en) from None


def search_text(value: str) -> tuple[str | None, str | None]:
    """A typed search text, or the Persian reason it cannot be searched for (too long, or characters no name has)."""
    value = value.strip()
    if has_unstorable(value, line_breaks=False):
        return None, "این متن نویسه‌های نامعتبر دارد."
    if len(value) > SEARCH_LIMIT:
        return None, f"متن جست‌وجو بیش از {persian_number(SEARCH_LIMIT)} نویسه است."
    return value or None, None


def district_of(value: str) -> int | None:
    """A district number from a filter (ASCII or Persian digits), None when none or not one of the 22."""
    value = to_ascii_digits(value.strip())
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 2 and 1 <= int(value) <= 22 else None


def routes(pages: Pages) -> APIRouter:
    """The people pages."""
    router = pages.router()
    person = Annotated[Principal, Depends(pages.person)]

    async def person_page(request: Request, conn: AsyncConnection, principal: Principal, person_id: uuid.UUID,
                          status: int = 200, **context: object) -> HTMLResponse:
        """A person's details, appointments and the appointment form."""
        found = await usecases.record(conn, principal, person_id)
        bodies = await structure.bodies(conn, district=None)
        return pages.render(request, "people_person.html", status=status, person=found, bodies=body_groups(bodies),
                            role_options=ROLE_OPTIONS, **context)

    @router.get("/organisation/people")
    async def people(request: Request, principal: person, conn: Reading, name: str = "", body: str = "",
                     role: str = "", district: str = "") -> HTMLResponse:
        """People, filtered by name, body or role."""
        text, problem = search_text(name)
        body_code = body if body and not has_unstorable(body, line_breaks=False) and len(body) <= 63 else None
        chosen_role = role if role in ROLE_CHOICES else None
        chosen_district = district_of(district)
        found = await usecases.directory(conn, principal, name=text, body_code=body_code, role=chosen_role,
                                         district=chosen_district, limit=SHOWN)
        bodies = await structure.bodies(conn, district=None)
        form = {"name": name[:SEARCH_LIMIT * 2], "body": body_code or "", "role": chosen_role or "",
                "district": str(chosen_district or "")}
        return pages.render(request, "people_list.html", status=400 if problem else 200, found=found,
                            bodies=body_groups(bodies), role_options=ROLE_OPTIONS, district_options=DISTRICT_OPTIONS,
                            form=form,
                            errors={"name": problem} if problem else {},
                            filtered=any((text, body_code, chosen_role, chosen_district)))

    @router.get("/organisation/people/{person_id}")
    async def one_person(request: Request, person_id: str, principal: person, conn: Reading,
                         done: str = "") -> HTMLResponse:
        """One person's page."""
        return await person_page(request, conn, principal, parsed_id(person_id, "شخص", "Person"),
                                 done=done if done in ("appointed", "ended") else "")

    @router.post("/organisation/people/{person_id}/appointments")
    async def appoint(request: Request, person_id: str, principal: person, conn: Reading,
                      engine: Engine) -> Response:
        """Appoint the person to a body in a role; refusals at their fields."""
        await pages.require_csrf(request)
        who = parsed_id(person_id, "شخص", "Person")
        await usecases.record(conn, principal, who)  # someone who may not read the person gets the refusal page
        form = await form_fields(request, "body", "role")
        try:
            chosen = AppointForm(**form)
            await in_transaction(engine, lambda tx: usecases.appoint(
                tx, principal, person_id=who, body_code=chosen.body, role=chosen.role.value))
        except ValidationError as error:
            return await person_page(request, conn, principal, who, status=400, form=form,
                                     errors=field_errors(error), done="")
        except Refusal as refusal:
            return await person_page(request, conn, principal, who, status=STATUS[refusal.kind], form=form,
                                     errors=refusal_errors(refusal, APPOINT_FIELDS), done="")
        return RedirectResponse(pages.url("registry", f"/organisation/people/{who}?done=appointed"), status_code=303)

    @router.post("/organisation/people/{person_id}/appointments/{appointment_id}/end")
    async def end(request: Request, person_id: str, appointment_id: str, principal: person, conn: Reading,
                  engine: Engine) -> Response:
        """End one of the person's appointments (their unscored works go to colleagues)."""
        await pages.require_csrf(request)
        who = parsed_id(person_id, "شخص", "Person")
        appointment = parsed_id(appointment_id, "انتصاب", "Appointment")
        found = await usecases.record(conn, principal, who)
        held = next((a for a in found["appointments"] if a["appointment_id"] == appointment), None)
        if held is None:
            raise not_found("انتصاب", "Appointment")
        try:
            await in_transaction(engine, lambda tx: usecases.remove(
                tx, principal, body_code=held["body"], appointment_id=appointment))
        except Refusal as refusal:
            return await person_page(request, conn, principal, who, status=STATUS[refusal.kind], done="",
                                     errors=refusal_errors(about_the_form(refusal), {}))
        return RedirectResponse(pages.url("registry", f"/organisation/people/{who}?done=ended"), status_code=303)

    return router
