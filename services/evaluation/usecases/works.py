"""The works evaluation knows (projected from submissions' events): received, changed, withdrawn, listed; and the
people who may evaluate them (projected from registry's)."""

import uuid
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation import db, db_rounds
from services.evaluation.domain import (
    AWAITING_TIER_1,
    OPEN,
    TIER_1_KINDS,
    TIER_1_ROLES,
    WITHDRAWN,
    Withdrawal,
    withdrawal_effect,
)
from services.evaluation.permissions import PERMISSIONS, Capability, visible_districts
from services.evaluation.usecases.opening import staff_short_rounds
from services.evaluation.usecases.reassigning import hand_on
from shared.contracts import registry
from shared.contracts.submissions import WorkChanged, WorkReceived
from shared.principal import Principal
from shared.refusals import not_found

log = structlog.get_logger("evaluation.works")


async def list_works(conn: AsyncConnection, principal: Principal, *, limit: int, offset: int) -> list[dict]:
    """Works known to evaluation, limited to the districts the principal may see, newest first."""
    return await db.list_works(conn, districts=visible_districts(principal), limit=limit, offset=offset)


async def get_work(conn: AsyncConnection, principal: Principal, *, work_id: uuid.UUID) -> dict:
    """One work; not found when it is not the principal's to see (nothing leaks)."""
    work = await db.get_work(conn, work_id=work_id)
    if work is None or not PERMISSIONS.may(principal, Capability.SEE_WORKS, district=work["district"]):
        raise not_found("اثر", "Work")
    return work


async def receive_work(conn: AsyncConnection, event: WorkReceived) -> None:
    """A work was received: it waits for its district's tier-1 round (or is stored withdrawn, when its
    withdrawal overtook it)."""
    await db.lock_work_id(conn, work_id=event.work_id)
    withdrawn = await db.withdrawal_of(conn, work_id=event.work_id) is not None
    await db.add_work(conn, values={
        "work_id": event.work_id, "district": event.district, "neighbourhood": event.neighbourhood,
        "category": event.category, "title": event.title, "status": WITHDRAWN if withdrawn else AWAITING_TIER_1,
        "received_at": event.occurred_at, "submitter_mobile": event.submitter_mobile,
        "edition": event.edition, "organisation": event.organisation_code,
    })


async def change_work(conn: AsyncConnection, event: WorkChanged) -> None:
    """A work was edited or its documents changed: keep its category, title, neighbourhood and submitter's mobile
    (the round, the ranking and conflict checks use them) and its document count (the receipt needs it)."""
    edited = {"category": event.category, "title": event.title, "neighbourhood": event.neighbourhood,
              "submitter_mobile": event.submitter_mobile}
    if not await db.apply_change(conn, work_id=event.work_id, edited=edited, documents=event.documents,
                                 at=event.occurred_at):
        # Only reordering lets a change overtake its WorkReceived: fail so the message is retried after it.
        raise LookupError(f"work {event.work_id} is not projected yet")


async def withdraw_work(conn: AsyncConnection, *, work_id: uuid.UUID, reason: str,
                        withdrawn_at: datetime) -> Withdrawal:
    """A work was withdrawn at submissions: it leaves evaluation at once (domain.withdrawal_effect decides how,
    by where it stands). Never refused and never retried: every case ends recorded."""
    await db.lock_work_id(conn, work_id=work_id)
    # Rounds are locked before the work, in the order a close takes them, so the two never deadlock.
    holding = await db_rounds.rounds_holding(conn, work_id=work_id, lock=True)
    work = await db.get_work(conn, work_id=work_id, lock=True)
    if work is not None and not holding:  # a round that opened while we waited for the work's lock
        holding = await db_rounds.rounds_holding(conn, work_id=work_id, lock=True)
    open_rounds = [r for r in holding if r["state"] == OPEN]
    effect = withdrawal_effect(work["status"] if work else None, open_round=bool(open_rounds))
    if effect in (Withdrawal.LEFT_ROUND, Withdrawal.BEFORE_ROUND, Withdrawal.AFTER_CLOSE):
        await db.withdraw(conn, work_id=work_id)
    if effect in (Withdrawal.LEFT_ROUND, Withdrawal.AFTER_CLOSE):
        # Out of every round's plan: an open round no longer waits for or ranks it; a closed one keeps its stored
        # result, and is ranked again without the work if the festival secretary reopens it.
        for round_ in holding:
            await db_rounds.remove_work(conn, round_id=round_["id"], work_id=work_id)
    if effect is not Withdrawal.ALREADY:
        concerned = open_rounds or holding  # the round it left, else the newest whose closed result stands
        round_id = max(concerned, key=lambda r: r["opened_at"])["id"] if concerned else None
        await db.record_withdrawal(conn, values={"work_id": work_id, "reason": reason, "withdrawn_at": withdrawn_at,
                                                 "effect": effect.value, "round_id": round_id})
    log.info("work.withdrawn", work_id=str(work_id), effect=effect.value)
    return effect


async def mirror_person(conn: AsyncConnection, event: registry.PersonRegistered) -> None:
    """Mirror a person: their mobile is checked against submitters, and the organisations they speak for or belong
    to against submitting organisations, so neither ever judges their own work."""
    await db.upsert_person(conn, person_id=event.person_id, name=event.name, mobile=event.mobile,
                           organisations=sorted(set(event.organisations)))


async def mirror_membership(conn: AsyncConnection, event: registry.MemberAppointed) -> None:
    """Mirror an appointment or its removal: who sits on the committees and the jury, in which role. A new committee
    member can take the works a round opened at the call's close could not staff (a secretary is never drawn); one
    whose appointment ended hands on the works they have not scored in rounds they no longer judge in."""
    await db.upsert_membership(conn, values={
        "appointment_id": event.appointment_id, "person_id": event.person_id, "body_code": event.body_code,
        "body_kind": event.body_kind, "role": event.role, "district": event.district,
        "active": event.action == "appointed"})
    if event.action == "appointed" and event.district and event.body_kind in TIER_1_KINDS \
            and event.role in TIER_1_ROLES:
        await staff_short_rounds(conn, district=event.district)
    if event.action == "removed":
        await hand_on(conn, person_id=event.person_id, by=f"appointment-ended:{event.appointment_id}")
