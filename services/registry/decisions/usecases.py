"""Decision use cases: issue, relay, acknowledge, implement, the overdue check, and who sees which decisions."""

import uuid
from datetime import UTC, datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.decisions import db
from services.registry.decisions.domain import (
    ack_deadline,
    addressed_districts,
    check_acknowledgement_required,
    check_action,
    check_authority,
    check_committee_acknowledgement,
    check_kind,
    is_overdue,
    next_status,
    next_step,
    requires_acknowledgement,
    summarise,
    unknown_committees,
)
from services.registry.permissions import (
    PERMISSIONS,
    Capability,
    issuing_role,
    may_acknowledge_for,
    not_committee_member,
    not_district_staff,
)
from services.registry.structure.db import active_body_codes, list_bodies, load_body
from services.registry.structure.usecases import active_body
from services.registry.tables import outbox
from shared.contracts.decisions import DecisionAction
from shared.contracts.registry import (
    DecisionAcknowledged,
    DecisionCommitteeAcknowledged,
    DecisionCommitteeOverdue,
    DecisionImplemented,
    DecisionIssued,
    DecisionOverdue,
    DecisionRelayed,
)
from shared.messaging.outbox import add_events
from shared.persian import normalize_text
from shared.principal import FESTIVAL_COMMITTEE_KINDS, Principal
from shared.refusals import Refusal, forbidden, not_found

log = structlog.get_logger("decisions")
STEP_EVENTS = {"relay": DecisionRelayed, "acknowledge": DecisionAcknowledged, "implement": DecisionImplemented}
STEP_CAPABILITIES = {"acknowledge": Capability.ACKNOWLEDGE_DECISIONS, "implement": Capability.REPORT_IMPLEMENTED}


def no_decision() -> Refusal:
    """The refusal for a decision that does not exist or is hidden from this person."""
    return not_found("مصوبه", "Decision")


async def issue(conn: AsyncConnection, principal: Principal, *, title: str, text: str, issuing_body: str, kind: str,
                all_districts: bool, districts: list[int], committees: list[str], ack_deadline_date: str | None,
                ack_deadline_at: datetime | None, parameters: DecisionAction | None,
                acknowledgement: bool | None = None) -> dict:
    """Issue a decision in a body's name (its chair or secretary; an actionable one only the policy council's);
    returns its id, districts, deadline and whether districts must acknowledge it (the issuer's choice, else by
    kind). The event carries the authority it was issued with."""
    check_kind(kind, parameters is not None)
    check_action(parameters)
    districts = addressed_districts(all_districts, districts)
    deadline = ack_deadline(ack_deadline_date, ack_deadline_at, datetime.now(UTC))
    issuer = await active_body(conn, issuing_body)
    if (role := issuing_role(principal, issuer.code)) is None:
        raise forbidden()
    check_authority(kind, issuer.kind, role)
    if unknown := set(committees) - await active_body_codes(conn, codes=committees):
        raise unknown_committees(unknown)
    decision_id = uuid.uuid4()
    values = {"id": decision_id, "title": normalize_text(title), "text": normalize_text(text),
              "issuing_body": issuer.code, "kind": kind, "all_districts": all_districts, "districts": districts,
              "committees": sorted(set(committees)), "ack_deadline": deadline,
              "parameters": parameters.model_dump(mode="json") if parameters else None,
              "issued_by": principal.subject,
              "requires_acknowledgement": requires_acknowledgement(kind, acknowledgement)}
    await db.insert_decision(conn, values=values)
    event = DecisionIssued(decision_id=decision_id, parameters=parameters, issuer_kind=issuer.kind, issuer_role=role,
                           **{k: values[k] for k in ("title", "text", "issuing_body", "kind", "all_districts",
                                                     "districts", "committees", "ack_deadline",
                                                     "requires_acknowledgement")})
    await add_events(conn, outbox, [event], correlation_id=str(decision_id))
    return {"id": decision_id, "districts": districts, "ack_deadline": deadline,
            "requires_acknowledgement": values["requires_acknowledgement"]}


async def relay(conn: AsyncConnection, principal: Principal, decision_id: uuid.UUID, *, districts: list[int] | None,
                notes: dict[int, str]) -> list[int]:
    """The central secretariat relays the decision to its districts (all addressed by default), each with its own
    note; returns the districts relayed to."""
    PERMISSIONS.require(principal, Capability.RELAY_DECISIONS)
    found = await db.get_header(conn, decision_id=decision_id)
    if found is None:
        raise no_decision()
    targets = districts or found["districts"]
    await _take_steps(conn, decision_id=decision_id, step="relay", header=found,
                      notes=[(district, normalize_text(notes.get(district, ""))) for district in targets])
    return sorted(targets)


async def answer(conn: AsyncConnection, principal: Principal, decision_id: uuid.UUID, *, district: int, step: str,
                 note: str) -> None:
    """A district's own step on a relayed decision: 'acknowledge', then 'implement'."""
    PERMISSIONS.require(principal, STEP_CAPABILITIES[step], district=district, refusal=not_district_staff())
    found = await db.get_header(conn, decision_id=decision_id)
    if found is None:
        raise no_decision()
    check_acknowledgement_required(found["requires_acknowledgement"])
    await _take_steps(conn, decision_id=decision_id, step=step, header=found,
                      notes=[(district, normalize_text(note))])


async def acknowledge_for_committee(conn: AsyncConnection, principal: Principal, decision_id: uuid.UUID, *,
                                    committee: str, note: str) -> None:
    """A member of a committee the decision addresses acknowledges it for the committee (once)."""
    if not may_acknowledge_for(principal, committee):
        raise not_committee_member()
    found = await db.get_header(conn, decision_id=decision_id)
    if found is None:
        raise no_decision()
    check_acknowledgement_required(found["requires_acknowledgement"])
    check_committee_acknowledgement(await db.committee_row(conn, decision_id=decision_id, committee=committee))
    note = normalize_text(note)
    await db.record_committee_acknowledgement(conn, decision_id=decision_id, committee=committee,
                                              person=principal.subject, note=note)
    await add_events(conn, outbox, [DecisionCommitteeAcknowledged(decision_id=decision_id, committee=committee,
                                                                  note=note)], correlation_id=str(decision_id))


async def _take_steps(conn: AsyncConnection, *, decision_id: uuid.UUID, step: str, header: dict,
                      notes: list[tuple[int, str]]) -> None:
    """Move districts' copies of a decision one step on, each with its note, and queue the step's events: the rows
    read, written and the events queued in one statement each (a relay reaches 22 districts). Any district that
    may not take the step refuses them all."""
    rows = await db.district_rows(conn, decision_id=decision_id, districts=[district for district, _ in notes])
    changes = []
    for district, note in notes:
        row = rows.get(district)
        if row is None:
            raise not_found("مصوبه برای این منطقه", "Decision for this district")
        row["status"] = next_status(row["status"], step)  # named twice, a district is refused the second step
        changes.append((district, row["status"], note))
    await db.record_steps(conn, decision_id=decision_id, step=step, changes=changes)
    extra = {"ack_deadline": header["ack_deadline"],
             "requires_acknowledgement": header["requires_acknowledgement"]} if step == "relay" else {}
    await add_events(conn, outbox, [STEP_EVENTS[step](decision_id=decision_id, district=district, note=note, **extra)
                                    for district, _, note in changes], correlation_id=str(decision_id))


async def flag_overdue(conn: AsyncConnection) -> int:
    """Mark and announce acknowledgements past their deadline (districts' and committees', of decisions that ask for
    one); returns how many were found. Each event keeps its decision's correlation id, so a decision's whole thread
    is one ledger query."""
    now = datetime.now(UTC)
    rows = await db.claim_overdue(conn, now=now)
    for r in rows:
        await add_events(conn, outbox, [DecisionOverdue(decision_id=r["decision_id"], district=r["district"],
                                                        ack_deadline=r["ack_deadline"])],
                         correlation_id=str(r["decision_id"]))
    committees = await db.claim_committees_overdue(conn, now=now)
    for r in committees:
        await add_events(conn, outbox, [DecisionCommitteeOverdue(
            decision_id=r["decision_id"], committee=r["committee"], ack_deadline=r["ack_deadline"])],
            correlation_id=str(r["decision_id"]))
    if rows or committees:
        log.info("decisions.overdue", districts=len(rows), committees=len(committees))
    return len(rows) + len(committees)


async def decisions(conn: AsyncConnection, principal: Principal, *, district: int | None, limit: int,
                    offset: int, committee: str | None = None) -> list[dict]:
    """Decisions newest first; district staff see those addressed to their district (their own by default), a
    committee's members those addressed to their committee."""
    if committee is not None:
        if not (PERMISSIONS.may(principal, Capability.READ_ALL_DECISIONS) or may_acknowledge_for(principal, committee)):
            raise not_committee_member()
        return await db.list_decisions(conn, district=district, committee=committee, limit=limit, offset=offset)
    if not PERMISSIONS.may(principal, Capability.READ_ALL_DECISIONS):
        own = principal.districts()
        if district is None and len(own) == 1:
            district = next(iter(own))
        PERMISSIONS.require(principal, Capability.READ_DISTRICT_DECISIONS, district=district)
    return await db.list_decisions(conn, district=district, limit=limit, offset=offset)


async def decision(conn: AsyncConnection, principal: Principal, decision_id: uuid.UUID) -> dict:
    """A decision with each district's status and a summary; district staff see only their own rows."""
    found = await db.get_decision(conn, decision_id=decision_id)
    if found is None:
        raise no_decision()
    if not PERMISSIONS.may(principal, Capability.READ_ALL_DECISIONS):
        found["per_district"] = [r for r in found["per_district"] if PERMISSIONS.may(
            principal, Capability.READ_DISTRICT_DECISIONS, district=r["district"])]
        addressed_to_them = any(may_acknowledge_for(principal, row["committee"]) for row in found["per_committee"])
        if not found["per_district"] and not addressed_to_them:
            raise no_decision()
    summary = summarise(found["per_district"])
    return {**found, "summary": {"counts": summary.counts, "overdue": summary.overdue}}


async def district_decisions(conn: AsyncConnection, principal: Principal, district: int, *,
                             limit: int = 200) -> list[dict]:
    """The decisions addressed to a district with its own status of each, newest first (those who may read the
    district's decisions), each marked with the step the district takes next and whether it is overdue."""
    PERMISSIONS.require(principal, Capability.READ_DISTRICT_DECISIONS, district=district)
    rows = await db.district_listing(conn, district=district, limit=limit)
    return [{**row, "district": district, "next_step": next_step(row["status"], row["requires_acknowledgement"]),
             "overdue": is_overdue(row)}
            for row in rows]


async def district_decision(conn: AsyncConnection, principal: Principal, decision_id: uuid.UUID,
                            district: int) -> dict:
    """A decision as one district sees it: its text and the district's own row, with the next step, whether this
    person may take it, and whether it is overdue; hidden (not found) from whoever may not read that district's
    copy."""
    found = await decision(conn, principal, decision_id)
    row = next((r for r in found["per_district"] if r["district"] == district), None)
    if row is None:
        raise no_decision()
    issuer = await load_body(conn, code=found["issuing_body"])
    step = next_step(row["status"], found["requires_acknowledgement"])
    may_take_step = step is not None and PERMISSIONS.may(principal, STEP_CAPABILITIES[step], district=district)
    return {**found, "row": row, "next_step": step, "overdue": is_overdue(row), "may_take_step": may_take_step,
            "issuer_name": issuer.name_fa if issuer else found["issuing_body"]}


async def issuing_bodies(conn: AsyncConnection, principal: Principal) -> list[dict]:
    """The bodies the person may issue decisions for (code, Persian name), in the order of their memberships;
    refused when there are none."""
    codes = list(dict.fromkeys(m.body for m in principal.memberships if issuing_role(principal, m.body)))
    if not codes:
        raise forbidden()
    bodies = [await load_body(conn, code=code) for code in codes]
    return [{"code": body.code, "name": body.name_fa, "kind": body.kind} for body in bodies if body and body.active]


async def addressable_committees(conn: AsyncConnection) -> list[dict]:
    """The festival's committees a decision may be addressed to (code, Persian name)."""
    return [{"code": body["code"], "name": body["name_fa"]} for body in await list_bodies(conn, district=None)
            if body["kind"] in FESTIVAL_COMMITTEE_KINDS]
