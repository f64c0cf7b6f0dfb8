"""Submissions consumers: its projections of registry's neighbourhoods and organisations, the council's
decisions that open and close calls, and (handlers_evaluation.py) the evaluation's status moves."""

from datetime import UTC, datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions import calls, db
from services.submissions.domain import check_categories
from services.submissions.handlers_evaluation import EVALUATION_HANDLERS, PUBLIC_EVALUATION_HANDLERS
from shared.contracts import evaluation, notifications, registry
from shared.contracts.decisions import CloseCall, OpenCall
from shared.messaging.handlers import HandlerTable, ignoring
from shared.refusals import Refusal

log = structlog.get_logger("submissions.decisions")
DECISION_ACTOR = "decision"


async def on_neighbourhood(conn: AsyncConnection, event: registry.NeighbourhoodCreated) -> None:
    """A neighbourhood was added, removed or restored: mirror its state."""
    await db.upsert_neighbourhood(conn, code=event.code, district=event.district, name_fa=event.name_fa,
                                  active=event.active)


async def on_organisation(conn: AsyncConnection, event: registry.OrganisationRegistered) -> None:
    """An organisation was registered, changed or deactivated: mirror it (works name it by its code)."""
    await db.upsert_organisation(conn, values={
        "code": event.code, "kind": event.kind, "name_fa": event.name_fa, "legal_entity_id": event.legal_entity_id,
        "district": event.district, "active": event.active})


async def on_decision(conn: AsyncConnection, event: registry.DecisionIssued) -> None:
    """An actionable decision that opens or closes a call is carried out; other decisions are not ours.

    A decision that cannot be carried out (dates the wrong way round, a call already in that state) is
    logged and changes nothing: redelivering it would not make it valid."""
    action = event.parameters
    if not isinstance(action, OpenCall | CloseCall):
        return
    now = datetime.now(UTC)
    actor = f"{DECISION_ACTOR}:{event.decision_id}"
    try:
        async with conn.begin_nested():  # a refusal rolls back only this decision's partial changes
            if isinstance(action, OpenCall):
                await _open(conn, action, event, actor, now)
            else:
                await calls.close_call(conn, edition=action.edition, actor=actor, now=now,
                                       decision_id=event.decision_id)
    except Refusal as refusal:
        log.warning("decision.not_applied", decision_id=str(event.decision_id), action=action.action,
                    edition=action.edition, code=refusal.code, reason=refusal.en)
        return
    log.info("decision.applied", decision_id=str(event.decision_id), action=action.action, edition=action.edition)


async def _open(conn: AsyncConnection, action: OpenCall, event: registry.DecisionIssued, actor: str,
                now: datetime) -> None:
    await calls.ensure_edition(conn, edition=action.edition, actor=actor)
    before = await db.get_call(conn, edition=action.edition)
    categories = check_categories(action.categories) if action.categories else None
    await calls.save_call(conn, edition=action.edition, categories=categories, opens_at=action.opens_at,
                          closes_at=action.closes_at, actor=actor, decision_id=event.decision_id)
    if before is None or before["state"] != "open":
        await calls.open_call(conn, edition=action.edition, actor=actor, now=now, decision_id=event.decision_id)


IGNORED = ignoring(
    "submissions keeps works and calls; who sits where, decisions' relay and reports are registry's",
    registry.BodyCreated, registry.BodyChanged, registry.BodyDeactivated, registry.DecisionRelayed,
    registry.DecisionAcknowledged, registry.DecisionImplemented, registry.DecisionOverdue,
    registry.PersonRegistered, registry.MemberAppointed, registry.MemberRemoved, registry.ReportFiled,
) | ignoring(
    "a work's status moves on assignment, advancement and results only; sheets and rounds' ends change nothing "
    "a submitter sees",
    evaluation.RoundClosed, evaluation.SheetSubmitted, evaluation.SelectionsReceived, evaluation.WorkEvaluated,
    evaluation.AwardsProposed,
) | ignoring("webhook health is the operators' concern", notifications.WebhookFailing, notifications.WebhookResumed)

TABLE = HandlerTable(
    "submissions",
    handlers={
        registry.NeighbourhoodCreated: on_neighbourhood, registry.NeighbourhoodDeactivated: on_neighbourhood,
        registry.NeighbourhoodReactivated: on_neighbourhood, registry.OrganisationRegistered: on_organisation,
        registry.OrganisationChanged: on_organisation, registry.DecisionIssued: on_decision,
        **EVALUATION_HANDLERS,
    },
    public_handlers=PUBLIC_EVALUATION_HANDLERS,
    ignored=IGNORED,
)
