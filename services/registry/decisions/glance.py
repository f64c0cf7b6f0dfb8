"""Decisions at a glance: each district's and committee's state of the newest decisions, as the council's, the
secretariat's and the committees' pages show them."""

import uuid

from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.decisions import db
from services.registry.decisions.domain import committee_state, count_states, district_state
from services.registry.decisions.usecases import decision, no_decision
from services.registry.permissions import PERMISSIONS, Capability, may_acknowledge_for, not_committee_member
from services.registry.structure.db import load_body
from shared.principal import Principal


def _with_states(found: dict, districts: list[dict], committees: list[dict]) -> dict:
    """A decision with each district's and committee's state, their counts, and the districts still to relay to."""
    required = found["requires_acknowledgement"]
    districts = [{**row, "state": district_state(row, required)} for row in districts]
    committees = [{**row, "state": committee_state(row, required)} for row in committees]
    return {**found, "per_district": districts, "per_committee": committees,
            "states": count_states([r["state"] for r in districts]),
            "committee_states": count_states([r["state"] for r in committees]),
            "to_relay": [r["district"] for r in districts if r["status"] == "issued"]}


async def decisions_at_a_glance(conn: AsyncConnection, principal: Principal, *, limit: int = 50) -> list[dict]:
    """The newest decisions, each with its districts' and committees' states counted (those who read every
    decision: the council, the committees, city-wide staff)."""
    PERMISSIONS.require(principal, Capability.READ_ALL_DECISIONS)
    found = await db.list_decisions(conn, district=None, limit=limit, offset=0)
    ids = [row["id"] for row in found]
    districts = await db.district_rows_of(conn, decision_ids=ids)
    committees = await db.committee_rows_of(conn, decision_ids=ids)
    return [_with_states(row, districts[row["id"]], committees[row["id"]]) for row in found]


async def decision_at_a_glance(conn: AsyncConnection, principal: Principal, decision_id: uuid.UUID) -> dict:
    """A decision as `decision` gives it, with each district's and committee's state and the issuer's name."""
    found = await decision(conn, principal, decision_id)
    issuer = await load_body(conn, code=found["issuing_body"])
    return {**_with_states(found, found["per_district"], found["per_committee"]),
            "issuer_name": issuer.name_fa if issuer else found["issuing_body"]}


async def committee_decisions(conn: AsyncConnection, principal: Principal, committee: str, *,
                              limit: int = 200) -> list[dict]:
    """The decisions addressed to a committee, newest first, each with the committee's own row and state and
    whether this person may acknowledge it for the committee (its members; readers of every decision see them)."""
    if not (PERMISSIONS.may(principal, Capability.READ_ALL_DECISIONS) or may_acknowledge_for(principal, committee)):
        raise not_committee_member()
    found = await db.list_decisions(conn, district=None, committee=committee, limit=limit, offset=0)
    rows = await db.committee_rows_of(conn, decision_ids=[row["id"] for row in found])
    return [_for_committee(row, next(r for r in rows[row["id"]] if r["committee"] == committee), principal)
            for row in found]


def _for_committee(found: dict, row: dict, principal: Principal) -> dict:
    state = committee_state(row, found["requires_acknowledgement"])
    return {**found, "row": row, "state": state,
            "may_acknowledge": state in ("pending", "overdue") and may_acknowledge_for(principal, row["committee"])}


async def committee_decision(conn: AsyncConnection, principal: Principal, decision_id: uuid.UUID,
                             committee: str) -> dict:
    """A decision as an addressed committee sees it: its text, the committee's row and state, and whether this
    person may acknowledge it for the committee; hidden (not found) when not addressed to that committee."""
    found = await decision_at_a_glance(conn, principal, decision_id)
    row = next((r for r in found["per_committee"] if r["committee"] == committee), None)
    if row is None:
        raise no_decision()
    return _for_committee(found, row, principal)
