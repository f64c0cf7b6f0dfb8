"""Evaluation consumers: projections of works (with their document counts), people and appointments; the
council's actionable decisions; tier-1 rounds opened when a call closes."""

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation import db, db_rounds, flow, rounds
from services.evaluation.domain import AWAITING_TIER_1, DEFAULT_K, TIER_1_KINDS
from services.evaluation.settings import EvaluationSettings
from shared.contracts import notifications, registry, submissions
from shared.contracts.decisions import ApproveResults, CloseTier, OpenTier, SetQuotas, SetRubric
from shared.contracts.submissions import CallClosed, WorkChanged, WorkReceived
from shared.messaging.handlers import HandlerTable, ignoring
from shared.refusals import Refusal

log = structlog.get_logger("evaluation")


async def on_work_received(conn: AsyncConnection, event: WorkReceived) -> None:
    """A work was received: it now waits for its district's tier-1 round."""
    await db.add_work(conn, values={
        "work_id": event.work_id, "district": event.district, "neighbourhood": event.neighbourhood,
        "category": event.category, "title": event.title, "status": AWAITING_TIER_1,
        "received_at": event.occurred_at, "submitter_mobile": event.submitter_mobile,
        "edition": event.edition, "organisation": event.organisation_code,
    })


async def on_work_changed(conn: AsyncConnection, event: WorkChanged) -> None:
    """A work was edited or its documents changed: keep its category, title, neighbourhood and submitter's mobile
    (the round, the ranking and conflict checks use them) and its document count (the receipt needs it)."""
    edited = {"category": event.category, "title": event.title, "neighbourhood": event.neighbourhood,
              "submitter_mobile": event.submitter_mobile}
    if not await db.apply_change(conn, work_id=event.work_id, edited=edited, documents=event.documents,
                                 at=event.occurred_at):
        # Only reordering lets a change overtake its WorkReceived: fail so the message is retried after it.
        raise LookupError(f"work {event.work_id} is not projected yet")


class Handlers:
    """The handlers that need this service's settings."""

    def __init__(self, settings: EvaluationSettings) -> None:
        self.settings = settings

    async def on_call_closed(self, conn: AsyncConnection, event: CallClosed) -> None:
        """The call closed: open each district's missing tier-1 rounds over its works of the edition."""
        opened = await rounds.open_tier1_when_call_closed(
            conn, edition=event.edition, closed_at=event.closed_at, k=self.settings.tier1_k,
            days=self.settings.tier1_days, opened_by=f"call-closed:{event.event_id}")
        log.info("rounds.opened_at_call_close", edition=event.edition, rounds=len(opened))


async def on_person(conn: AsyncConnection, event: registry.PersonRegistered) -> None:
    """Mirror a person (their mobile is checked against submitters for conflicts)."""
    await db.upsert_person(conn, person_id=event.person_id, name=event.name, mobile=event.mobile)


async def on_membership(conn: AsyncConnection, event: registry.MemberAppointed) -> None:
    """Mirror an appointment or its removal: who sits on the committees and the jury."""
    await db.upsert_membership(conn, values={
        "appointment_id": event.appointment_id, "person_id": event.person_id, "body_code": event.body_code,
        "body_kind": event.body_kind, "role": event.role, "district": event.district,
        "active": event.action == "appointed"})
    if event.action == "appointed" and event.district and event.body_kind in TIER_1_KINDS:
        # A new committee member can take the works a round opened at the call's close could not staff.
        await rounds.staff_short_rounds(conn, district=event.district)


async def on_decision(conn: AsyncConnection, event: registry.DecisionIssued) -> None:
    """Act on the council's evaluation decisions: quotas, rubric, tiers, approval of results."""
    action = event.parameters
    if isinstance(action, SetQuotas):
        await db_rounds.upsert_setting(conn, db_rounds.quotas, keys=["edition"], values={
            "edition": action.edition, "per_district": action.per_district,
            "exceptions": {str(d): q for d, q in action.exceptions.items()}})
    elif isinstance(action, SetRubric):
        await db_rounds.upsert_setting(conn, db_rounds.rubrics, keys=["edition", "category"], values={
            "edition": action.edition, "category": action.category or "*",
            "criteria": [c.model_dump() for c in action.criteria]})
    elif isinstance(action, OpenTier) and not isinstance(action, CloseTier) and action.tier == 1 and action.district:
        await _open_by_decision(conn, action, str(event.decision_id))
    elif isinstance(action, ApproveResults):
        await flow.publish_results(conn, edition=action.edition, category=action.category)


async def _open_by_decision(conn: AsyncConnection, action: OpenTier, decision: str) -> None:
    try:
        async with conn.begin_nested():  # a refusal must not undo the inbox record of this message
            await rounds.open_round(conn, edition=action.edition, tier=1, district=action.district,
                                    category=action.category, deadline=None, k=DEFAULT_K,
                                    opened_by=f"decision:{decision}")
    except Refusal as refusal:
        log.warning("round.not_opened_by_decision", code=refusal.code, reason=refusal.en)


TABLE = HandlerTable(
    "evaluation",
    handlers={
        WorkReceived: on_work_received, WorkChanged: on_work_changed, CallClosed: Handlers.on_call_closed,
        registry.PersonRegistered: on_person, registry.MemberAppointed: on_membership,
        registry.MemberRemoved: on_membership, registry.DecisionIssued: on_decision,
    },
    ignored=ignoring(
        "evaluation learns a work from submissions' internal events; its status is evaluation's own to move",
        submissions.WorkStatusChanged, submissions.PublicWorkReceived, submissions.PublicWorkStatusChanged,
        submissions.CallOpened, submissions.CallChanged, submissions.PublicCallOpened, submissions.PublicCallChanged,
        submissions.PublicCallClosed,
    ) | ignoring(
        "the organisation chart, neighbourhoods and decisions' relay do not change who judges what",
        registry.BodyCreated, registry.BodyChanged, registry.BodyDeactivated, registry.NeighbourhoodCreated,
        registry.NeighbourhoodDeactivated, registry.NeighbourhoodReactivated, registry.DecisionRelayed,
        registry.DecisionAcknowledged, registry.DecisionImplemented, registry.DecisionOverdue,
        registry.OrganisationRegistered, registry.OrganisationChanged, registry.ReportFiled,
    ) | ignoring("webhook health is the operators' concern", notifications.WebhookFailing, notifications.WebhookResumed)
    | ignoring("withdrawal is not handled yet (see issue #10)", submissions.WorkWithdrawn),
)
