"""Projection use cases: keep this service's copies of other services' facts (people, bodies, memberships,
decisions, works, rounds) current, so messages can be addressed and worded without asking anyone.

Events carry the latest state, so each is an upsert; redelivery changes nothing.
"""

import uuid
from contextvars import ContextVar

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications import db
from services.notifications.projections import db as proj
from shared.db import upsert

log = structlog.get_logger("notifications")
# How often a message is redelivered while something it refers to (a person, a work) may still be on its way.
WAIT_FOR_PROJECTION = 3
# The consumer sets which delivery of the message this is (0 for the first).
delivery_attempt: ContextVar[int] = ContextVar("delivery_attempt", default=0)


class NotYetKnown(Exception):
    """Something the event refers to has not been projected yet; the message is retried a few times."""


def wait_for_projection(what: str) -> None:
    """Raise NotYetKnown on early deliveries of a message; from then on the caller goes on without it."""
    if delivery_attempt.get() < WAIT_FOR_PROJECTION:
        raise NotYetKnown(what)
    log.warning("notification.reference_unknown", missing=what)


async def keep_person(conn: AsyncConnection, *, person_id: uuid.UUID, name: str, mobile: str | None,
                      email: str | None) -> None:
    """A person's contact details (email compared in lower case)."""
    await upsert(conn, db.people, key=("person_id",), values={
        "person_id": person_id, "name": name, "mobile": mobile, "email": email.lower() if email else None})


async def keep_body(conn: AsyncConnection, *, code: str, kind: str, name_fa: str, district: int | None) -> None:
    """A body's kind and Persian name (for messages)."""
    await upsert(conn, db.bodies, key=("code",), values={
        "code": code, "kind": kind, "name_fa": name_fa, "district": district})


async def keep_membership(conn: AsyncConnection, *, appointment_id: uuid.UUID, person_id: uuid.UUID,
                          body_code: str, body_kind: str, role: str, district: int | None, active: bool) -> None:
    """An appointment; an ended one (inactive) no longer hears the body's messages."""
    await upsert(conn, db.memberships, key=("appointment_id",), values={
        "appointment_id": appointment_id, "person_id": person_id, "body_code": body_code, "body_kind": body_kind,
        "role": role, "district": district, "active": active})


async def keep_decision(conn: AsyncConnection, *, decision_id: uuid.UUID, title: str, text: str) -> None:
    """A decision's title and text (relays and overdue notices name it)."""
    await upsert(conn, db.decisions, key=("decision_id",), values={
        "decision_id": decision_id, "title": title, "text": text})


async def keep_work(conn: AsyncConnection, *, values: dict) -> None:
    """A received work as intake describes it (its title, district, category, submitter, edition)."""
    await upsert(conn, db.works, key=("work_id",), values=values)


async def change_work(conn: AsyncConnection, *, work_id: uuid.UUID, title: str, category: str, district: int,
                      submitter_name: str, submitter_mobile: str) -> None:
    """A work as edited (its title, category, submitter's contact)."""
    await proj.update_work(conn, work_id=work_id, values={
        "title": title, "category": category, "district": district, "submitter_name": submitter_name,
        "submitter_mobile": submitter_mobile})


async def withdraw_work(conn: AsyncConnection, *, work_id: uuid.UUID) -> None:
    """A withdrawn work's submitter no longer hears about results."""
    await proj.update_work(conn, work_id=work_id, values={"withdrawn": True})


async def keep_round(conn: AsyncConnection, *, round_id: uuid.UUID, edition: str, tier: int, category: str,
                     district: int | None) -> None:
    """An evaluation round (it fixes the edition of its works)."""
    await upsert(conn, db.rounds, key=("round_id",), values={
        "round_id": round_id, "edition": edition, "tier": tier, "category": category, "district": district})


async def work_in_round(conn: AsyncConnection, *, work_id: uuid.UUID, round_id: uuid.UUID) -> None:
    """Remember that a work takes part in a round (which fixes its edition)."""
    await proj.add_work_round(conn, work_id=work_id, round_id=round_id)
