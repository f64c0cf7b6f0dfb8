"""Submissions consumers: registry's neighbourhoods and organisations (mirrored), the council's decisions that
open and close calls, and the evaluation's events that move works' statuses. Each handler only reads its event
and calls a use case; TABLE is the one list the queue's bindings are derived from."""

from datetime import UTC, datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.calls import usecases as calls
from services.submissions.calls.domain import NOT_AUTHORISED
from services.submissions.projections import usecases as projections
from services.submissions.works import status
from services.submissions.works.status import Cause
from shared.contracts import evaluation, notifications, registry
from shared.contracts.base import Event
from shared.contracts.decisions import CloseCall, OpenCall
from shared.messaging.handlers import HandlerTable, ignoring
from shared.refusals import Refusal
from shared.revocation import record_revocation

log = structlog.get_logger("submissions.decisions")


async def on_neighbourhood(conn: AsyncConnection, event: registry.NeighbourhoodCreated) -> None:
    """A neighbourhood was added, removed or restored."""
    await projections.record_neighbourhood(conn, code=event.code, district=event.district, name_fa=event.name_fa,
                                           active=event.active)


async def on_organisation(conn: AsyncConnection, event: registry.OrganisationRegistered) -> None:
    """An organisation was registered, changed or deactivated."""
    await projections.record_organisation(conn, code=event.code, kind=event.kind, name_fa=event.name_fa,
                                          legal_entity_id=event.legal_entity_id, district=event.district,
                                          active=event.active)


async def on_decision(conn: AsyncConnection, event: registry.DecisionIssued) -> None:
    """An actionable decision that opens or closes a call is carried out; other decisions are not ours.

    A decision issued without the council's authority (the use case checks the issuer the event carries), or one
    that cannot be carried out (dates the wrong way round, a call already in that state), is logged, acknowledged
    and changes nothing: redelivering it would not make it valid."""
    action = event.parameters
    if not isinstance(action, OpenCall | CloseCall):
        return
    try:
        async with conn.begin_nested():  # a refusal rolls back only this decision's partial changes
            await calls.carry_out_decision(conn, decision_id=event.decision_id, action=action,
                                           issuer_kind=event.issuer_kind, issuer_role=event.issuer_role,
                                           now=datetime.now(UTC))
    except Refusal as refusal:
        name = "decision.refused_authority" if refusal.code == NOT_AUTHORISED else "decision.not_applied"
        log.warning(name, decision_id=str(event.decision_id), action=action.action, edition=action.edition,
                    issuer_kind=event.issuer_kind, issuer_role=event.issuer_role, code=refusal.code,
                    reason=refusal.en)
        return
    log.info("decision.applied", decision_id=str(event.decision_id), action=action.action, edition=action.edition)


def _cause(event: Event) -> Cause:
    return Cause(event_id=event.event_id, event_type=event.event_type(), at=event.occurred_at)


async def on_round_opened(conn: AsyncConnection, event: evaluation.RoundOpened) -> None:
    """A round opened: its works are under evaluation."""
    await status.round_opened(conn, edition=event.edition, tier=event.tier, category=event.category,
                              district=event.district, cause=_cause(event))


async def on_work_assigned(conn: AsyncConnection, event: evaluation.WorkAssigned) -> None:
    """A work was assigned to evaluators."""
    await status.work_assigned(conn, work_id=event.work_id, cause=_cause(event))


async def on_work_advanced(conn: AsyncConnection, event: evaluation.WorkAdvanced) -> None:
    """A work advanced from its round."""
    await status.work_advanced(conn, work_id=event.work_id, tier=event.tier, cause=_cause(event))


async def on_work_not_advanced(conn: AsyncConnection, event: evaluation.WorkNotAdvanced) -> None:
    """A work did not advance from its round."""
    await status.work_not_advanced(conn, work_id=event.work_id, tier=event.tier, cause=_cause(event))


async def on_results_published(conn: AsyncConnection, event: evaluation.ResultsPublished) -> None:
    """The council approved a category's results."""
    await status.results_published(conn, edition=event.edition, category=event.category,
                                   awarded={award.work_id for award in event.awards}, cause=_cause(event))


IGNORED = ignoring(
    "submissions keeps works and calls; who sits where, decisions' relay and reports are registry's",
    registry.BodyCreated, registry.BodyChanged, registry.BodyDeactivated, registry.DecisionRelayed,
    registry.DecisionAcknowledged, registry.DecisionCommitteeAcknowledged, registry.DecisionCommitteeOverdue,
    registry.DecisionImplemented, registry.DecisionOverdue,
    registry.PersonRegistered, registry.MemberAppointed, registry.MemberRemoved, registry.ReportFiled,
) | ignoring(
    "a work's status moves on assignment, advancement and results only; sheets and rounds' ends change nothing "
    "a submitter sees",
    evaluation.RoundClosed, evaluation.SheetSubmitted, evaluation.SelectionsReceived, evaluation.WorkEvaluated,
    evaluation.AwardsProposed,
) | ignoring("webhook health is the operators' concern", notifications.WebhookFailing, notifications.WebhookResumed,
) | ignoring("the ledger's checkpoints are witnesses for other systems", registry.LedgerCheckpointed)

TABLE = HandlerTable(
    "submissions",
    handlers={
        registry.AccessRevoked: record_revocation,
        registry.NeighbourhoodCreated: on_neighbourhood, registry.NeighbourhoodDeactivated: on_neighbourhood,
        registry.NeighbourhoodReactivated: on_neighbourhood, registry.OrganisationRegistered: on_organisation,
        registry.OrganisationChanged: on_organisation, registry.DecisionIssued: on_decision,
        evaluation.RoundOpened: on_round_opened, evaluation.WorkAssigned: on_work_assigned,
        evaluation.WorkAdvanced: on_work_advanced, evaluation.WorkNotAdvanced: on_work_not_advanced,
    },
    public_handlers={evaluation.ResultsPublished: on_results_published},
    ignored=IGNORED,
)
