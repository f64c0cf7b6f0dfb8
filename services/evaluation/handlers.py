"""Evaluation consumers: each parses its event and calls one use case (works and people projected, withdrawals,
the council's actionable decisions, tier-1 rounds opened when a call closes)."""

from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation.settings import EvaluationSettings
from services.evaluation.usecases import council, opening, works
from shared.contracts import notifications, registry, submissions
from shared.contracts.submissions import CallClosed, WorkChanged, WorkReceived, WorkWithdrawn
from shared.messaging.handlers import HandlerTable, ignoring
from shared.revocation import record_revocation


async def on_work_withdrawn(conn: AsyncConnection, event: WorkWithdrawn) -> None:
    """A work was withdrawn: it leaves evaluation (out of its round, or never entering one)."""
    await works.withdraw_work(conn, work_id=event.work_id, reason=event.reason, withdrawn_at=event.withdrawn_at)


class Handlers:
    """The handlers that need this service's settings."""

    def __init__(self, settings: EvaluationSettings) -> None:
        self.settings = settings

    async def on_call_closed(self, conn: AsyncConnection, event: CallClosed) -> None:
        """The call closed: open each district's missing tier-1 rounds over its works of the edition."""
        await opening.open_tier1_when_call_closed(
            conn, edition=event.edition, closed_at=event.closed_at, k=self.settings.tier1_k,
            days=self.settings.tier1_days, opened_by=f"call-closed:{event.event_id}")


async def on_decision(conn: AsyncConnection, event: registry.DecisionIssued) -> None:
    """A decision was issued: evaluation carries out the council's (quotas, rubric, opening a district's round,
    approving results) when the authority it carries may issue them."""
    await council.carry_out_decision(conn, decision=event)


TABLE = HandlerTable(
    "evaluation",
    handlers={
        WorkReceived: works.receive_work, WorkChanged: works.change_work, WorkWithdrawn: on_work_withdrawn,
        CallClosed: Handlers.on_call_closed, registry.PersonRegistered: works.mirror_person,
        registry.AccessRevoked: record_revocation,
        registry.MemberAppointed: works.mirror_membership, registry.MemberRemoved: works.mirror_membership,
        registry.DecisionIssued: on_decision,
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
        registry.DecisionAcknowledged, registry.DecisionCommitteeAcknowledged, registry.DecisionCommitteeOverdue,
        registry.DecisionImplemented, registry.DecisionOverdue,
        registry.OrganisationRegistered, registry.OrganisationChanged, registry.ReportFiled,
    ) | ignoring("webhook health is the operators' concern",
                 notifications.WebhookFailing, notifications.WebhookResumed,
    ) | ignoring("the ledger's checkpoints are witnesses for other systems", registry.LedgerCheckpointed),
)
