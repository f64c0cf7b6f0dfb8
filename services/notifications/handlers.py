"""Notifications consumers: one table of typed handlers, each of which only unpacks its event and calls a use
case (projections/usecases.py keeps the copies, rules/usecases.py tells people). The queue's bindings are
derived from TABLE; every public event also goes to the webhooks (the consumer's fan-out)."""

from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.delivery.recorder import Recorder
from services.notifications.projections import usecases as projections
from services.notifications.rules import usecases as rules
from shared.contracts import evaluation as ev
from shared.contracts import registry as reg
from shared.contracts import submissions as sub
from shared.messaging.handlers import HandlerTable, ignoring
from shared.revocation import record_revocation


class Handlers:
    """Event handlers bound to the recorder the rules write their messages with."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    # --- registry ---------------------------------------------------------------------------

    async def person_registered(self, conn: AsyncConnection, event: reg.PersonRegistered) -> None:
        """Keep the person's contact details."""
        await projections.keep_person(conn, person_id=event.person_id, name=event.name, mobile=event.mobile,
                                      email=event.email)

    async def body_changed(self, conn: AsyncConnection, event: reg.BodyCreated | reg.BodyChanged) -> None:
        """Keep the body's kind and name."""
        await projections.keep_body(conn, code=event.code, kind=event.kind, name_fa=event.name_fa,
                                    district=event.district)

    async def member_appointed(self, conn: AsyncConnection, event: reg.MemberAppointed) -> None:
        """Keep the membership and tell the person."""
        await rules.member_appointed(conn, self.recorder, event)

    async def member_removed(self, conn: AsyncConnection, event: reg.MemberRemoved) -> None:
        """The membership ends: the person no longer hears the body's messages."""
        await projections.keep_membership(
            conn, appointment_id=event.appointment_id, person_id=event.person_id, body_code=event.body_code,
            body_kind=event.body_kind, role=event.role, district=event.district, active=False)

    async def decision_issued(self, conn: AsyncConnection, event: reg.DecisionIssued) -> None:
        """Keep the decision; tell the committees it addresses, and the festival secretary of the council's."""
        await rules.decision_issued(conn, self.recorder, event)

    async def decision_relayed(self, conn: AsyncConnection, event: reg.DecisionRelayed) -> None:
        """Tell the district's secretariat."""
        await rules.decision_relayed(conn, self.recorder, event)

    async def decision_overdue(self, conn: AsyncConnection, event: reg.DecisionOverdue) -> None:
        """Remind the district's secretary; tell the central secretariat and the council."""
        await rules.decision_overdue(conn, self.recorder, event)

    async def committee_overdue(self, conn: AsyncConnection, event: reg.DecisionCommitteeOverdue) -> None:
        """Remind the committee's members; tell the festival secretary."""
        await rules.committee_overdue(conn, self.recorder, event)

    async def report_filed(self, conn: AsyncConnection, event: reg.ReportFiled) -> None:
        """Send the report one level up."""
        await rules.report_filed(conn, self.recorder, event)

    # --- submissions ------------------------------------------------------------------------

    async def work_received(self, conn: AsyncConnection, event: sub.WorkReceived) -> None:
        """Keep the work; give the submitter their tracking code."""
        await rules.work_received(conn, self.recorder, event)

    async def work_changed(self, conn: AsyncConnection, event: sub.WorkChanged) -> None:
        """Keep the work as edited."""
        await projections.change_work(conn, work_id=event.work_id, title=event.title, category=event.category,
                                      district=event.district, submitter_name=event.submitter_name,
                                      submitter_mobile=event.submitter_mobile)

    async def work_withdrawn(self, conn: AsyncConnection, event: sub.WorkWithdrawn) -> None:
        """The work is out of the festival: its submitter hears no more results."""
        await projections.withdraw_work(conn, work_id=event.work_id)

    # --- evaluation -------------------------------------------------------------------------

    async def round_opened(self, conn: AsyncConnection, event: ev.RoundOpened) -> None:
        """Keep the round; tell its evaluators."""
        await rules.round_opened(conn, self.recorder, event)

    async def round_closed(self, conn: AsyncConnection, event: ev.RoundClosed) -> None:
        """Keep the round (a closing tells nobody)."""
        await projections.keep_round(conn, round_id=event.round_id, edition=event.edition, tier=event.tier,
                                     category=event.category, district=event.district)

    async def work_assigned(self, conn: AsyncConnection, event: ev.WorkAssigned) -> None:
        """Evaluators find the work in their inbox."""
        await rules.work_assigned(conn, self.recorder, event)

    async def work_outcome(self, conn: AsyncConnection, event: ev.WorkAdvanced | ev.WorkNotAdvanced) -> None:
        """The submitter hears whether their work advanced."""
        await rules.work_outcome(conn, self.recorder, event)

    async def work_evaluated(self, conn: AsyncConnection, event: ev.WorkEvaluated) -> None:
        """Remember the work's round (its edition)."""
        await projections.work_in_round(conn, work_id=event.work_id, round_id=event.round_id)

    async def awards_proposed(self, conn: AsyncConnection, event: ev.AwardsProposed) -> None:
        """Tell the council the jury proposed a category's awards."""
        await rules.awards_proposed(conn, self.recorder, event)

    async def results_published(self, conn: AsyncConnection, event: ev.ResultsPublished) -> None:
        """Tell winners personally and everyone else of the edition and category."""
        await rules.results_published(conn, self.recorder, event)


TABLE = HandlerTable(
    "notifications",
    handlers={
        reg.AccessRevoked: record_revocation,
        reg.PersonRegistered: Handlers.person_registered, reg.MemberAppointed: Handlers.member_appointed,
        reg.MemberRemoved: Handlers.member_removed, reg.BodyCreated: Handlers.body_changed,
        reg.BodyChanged: Handlers.body_changed, reg.DecisionIssued: Handlers.decision_issued,
        reg.DecisionRelayed: Handlers.decision_relayed, reg.DecisionOverdue: Handlers.decision_overdue,
        reg.DecisionCommitteeOverdue: Handlers.committee_overdue,
        reg.ReportFiled: Handlers.report_filed, sub.WorkReceived: Handlers.work_received,
        sub.WorkChanged: Handlers.work_changed, sub.WorkWithdrawn: Handlers.work_withdrawn,
        ev.RoundOpened: Handlers.round_opened, ev.RoundClosed: Handlers.round_closed,
        ev.WorkAssigned: Handlers.work_assigned, ev.WorkAdvanced: Handlers.work_outcome,
        ev.WorkNotAdvanced: Handlers.work_outcome, ev.WorkEvaluated: Handlers.work_evaluated,
        ev.AwardsProposed: Handlers.awards_proposed,
    },
    # Results reach the submitters; every public event also goes to the webhooks (the consumer's fan-out).
    public_handlers={ev.ResultsPublished: Handlers.results_published},
    every_public=True,
    ignored=ignoring(
        "no message is sent for these: nobody is waiting to hear of them",
        reg.BodyDeactivated, reg.DecisionAcknowledged, reg.DecisionCommitteeAcknowledged,
        reg.DecisionImplemented, reg.NeighbourhoodCreated,
        reg.NeighbourhoodDeactivated, reg.NeighbourhoodReactivated, reg.OrganisationRegistered,
        reg.OrganisationChanged, sub.WorkStatusChanged, sub.CallOpened, sub.CallChanged, sub.CallClosed,
        ev.SheetSubmitted, ev.SelectionsReceived,
    ),
)
