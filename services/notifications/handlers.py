"""Notifications consumers: keep the projections, and turn events into ledger rows through the rules."""

from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications import db
from services.notifications import db_projections as proj
from services.notifications.consumer import wait_for_projection
from services.notifications.domain import Audience, Contact, rules_for
from services.notifications.ledger import Recorder
from shared.contracts import evaluation as ev
from shared.contracts import registry as reg
from shared.contracts import submissions as sub
from shared.messaging.handlers import HandlerTable, ignoring


def _work_context(work: dict) -> dict:
    keys = ("title", "tracking_code", "district", "category")
    return {"work": {"id": str(work["work_id"]), "neighbourhood": work.get("neighbourhood", ""),
                     **{k: work[k] for k in keys}}}


class Handlers:
    """Event handlers bound to a recorder (rules, templates, quiet hours)."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    async def _notify(self, conn: AsyncConnection, event, audiences: dict[Audience, list[Contact]],
                      context: dict, district: int | None = None) -> None:
        rules = rules_for(event.event_type(), district)
        pairs = [(rule, audiences.get(rule.audience, [])) for rule in rules]
        await self.recorder.record(conn, event, pairs, context)

    # --- registry ---------------------------------------------------------------------------

    async def person_registered(self, conn: AsyncConnection, event: reg.PersonRegistered) -> None:
        """Project a person's contact details."""
        await proj.upsert(conn, db.people, key=("person_id",), values={
            "person_id": event.person_id, "name": event.name, "mobile": event.mobile,
            "email": event.email.lower() if event.email else None})

    async def body_changed(self, conn: AsyncConnection, event: reg.BodyCreated) -> None:
        """Project a body's name (for messages)."""
        await proj.upsert(conn, db.bodies, key=("code",), values={
            "code": event.code, "kind": event.kind, "name_fa": event.name_fa, "district": event.district})

    async def member_appointed(self, conn: AsyncConnection, event: reg.MemberAppointed) -> None:
        """Project the membership and tell the person."""
        await self._membership(conn, event, active=True)
        people = await proj.persons(conn, [event.person_id])
        if not people:
            wait_for_projection(f"person {event.person_id}")
        name = await proj.body_name(conn, code=event.body_code) or event.body_code
        await self._notify(conn, event, {Audience.PERSON: people}, {"appointment": {
            "body_code": event.body_code, "body_name": name, "role": event.role, "district": event.district}})

    async def member_removed(self, conn: AsyncConnection, event: reg.MemberRemoved) -> None:
        """The membership ends: the person no longer hears the body's messages."""
        await self._membership(conn, event, active=False)

    async def _membership(self, conn: AsyncConnection, event, *, active: bool) -> None:
        await proj.upsert(conn, db.memberships, key=("appointment_id",), values={
            "appointment_id": event.appointment_id, "person_id": event.person_id, "body_code": event.body_code,
            "body_kind": event.body_kind, "role": event.role, "district": event.district, "active": active})

    async def decision_issued(self, conn: AsyncConnection, event: reg.DecisionIssued) -> None:
        """Project the decision's title and text (relays and overdue notices name it)."""
        await proj.upsert(conn, db.decisions, key=("decision_id",), values={
            "decision_id": event.decision_id, "title": event.title, "text": event.text})

    async def _decision(self, conn: AsyncConnection, event) -> dict:
        found = await proj.decision(conn, decision_id=event.decision_id)
        if found is None:
            wait_for_projection(f"decision {event.decision_id}")
            found = {"title": "مصوبهٔ جدید", "text": ""}
        return {"title": found["title"], "text": found["text"], "district": event.district,
                "note": getattr(event, "note", ""), "ack_deadline": event.ack_deadline}

    async def decision_relayed(self, conn: AsyncConnection, event: reg.DecisionRelayed) -> None:
        """Every member of the district's secretariat hears of the decision."""
        members = await proj.members(conn, kinds=["district_secretariat"], district=event.district)
        await self._notify(conn, event, {Audience.DISTRICT_SECRETARIAT: members},
                           {"decision": await self._decision(conn, event)})

    async def decision_overdue(self, conn: AsyncConnection, event: reg.DecisionOverdue) -> None:
        """The district's secretary (or its members, when it has none) and the central secretariat hear."""
        secretary = await proj.members(conn, kinds=["district_secretariat"], district=event.district,
                                       role="secretary")
        secretary = secretary or await proj.members(conn, kinds=["district_secretariat"], district=event.district)
        central = await proj.members(conn, kinds=["central_secretariat"])
        await self._notify(conn, event, {Audience.DISTRICT_SECRETARY: secretary,
                                         Audience.CENTRAL_SECRETARIAT: central},
                           {"decision": await self._decision(conn, event)})

    async def report_filed(self, conn: AsyncConnection, event: reg.ReportFiled) -> None:
        """A district's report goes to the central secretariat; the city's report to the committees."""
        audiences = {Audience.CENTRAL_SECRETARIAT: await proj.members(conn, kinds=["central_secretariat"]),
                     Audience.COMMITTEES: await proj.members(conn, kinds=proj.COMMITTEE_KINDS)}
        await self._notify(conn, event, audiences, {"report": {
            "district": event.district, "period_start": event.period_start, "period_end": event.period_end}},
            district=event.district)

    # --- submissions ------------------------------------------------------------------------

    async def work_received(self, conn: AsyncConnection, event: sub.WorkReceived) -> None:
        """Project the work and give the submitter their tracking code."""
        values = {"work_id": event.work_id, "tracking_code": event.tracking_code, "district": event.district,
                  "category": event.category, "title": event.title, "submitter_name": event.submitter_name,
                  "submitter_mobile": event.submitter_mobile, "edition": event.edition}
        await proj.upsert(conn, db.works, key=("work_id",), values=values)
        submitter = await proj.citizen(conn, name=event.submitter_name, mobile=event.submitter_mobile)
        await self._notify(conn, event, {Audience.SUBMITTER: [submitter]},
                           _work_context({**values, "neighbourhood": event.neighbourhood}))

    async def work_changed(self, conn: AsyncConnection, event: sub.WorkChanged) -> None:
        """Keep the projected work as edited (its title, category, submitter's contact)."""
        await proj.update_work(conn, work_id=event.work_id, values={
            "title": event.title, "category": event.category, "district": event.district,
            "submitter_name": event.submitter_name, "submitter_mobile": event.submitter_mobile})

    async def work_withdrawn(self, conn: AsyncConnection, event: sub.WorkWithdrawn) -> None:
        """A withdrawn work's submitter no longer hears about results."""
        await proj.update_work(conn, work_id=event.work_id, values={"withdrawn": True})

    # --- evaluation -------------------------------------------------------------------------

    async def round_changed(self, conn: AsyncConnection, event: ev.RoundOpened) -> None:
        """Project the round (it fixes the edition of its works); an opening tells its evaluators."""
        await proj.upsert(conn, db.rounds, key=("round_id",), values={
            "round_id": event.round_id, "edition": event.edition, "tier": event.tier, "category": event.category,
            "district": event.district})
        if isinstance(event, ev.RoundOpened):
            evaluators = await proj.persons(conn, event.evaluator_ids)
            await self._notify(conn, event, {Audience.EVALUATORS: evaluators}, {"round": {
                "edition": event.edition, "tier": event.tier, "category": event.category,
                "district": event.district, "deadline": event.deadline}})

    async def work_assigned(self, conn: AsyncConnection, event: ev.WorkAssigned) -> None:
        """Evaluators find the work in their inbox (its title only, nothing about the submitter)."""
        await proj.add_work_round(conn, work_id=event.work_id, round_id=event.round_id)
        work, round_ = await proj.work(conn, work_id=event.work_id), await proj.round_(conn, round_id=event.round_id)
        if work is None or round_ is None:
            wait_for_projection(f"work {event.work_id} / round {event.round_id}")
            return
        await self._notify(conn, event, {Audience.EVALUATORS: await proj.persons(conn, event.evaluator_ids)}, {
            "work": {"title": work["title"], "district": work["district"], "category": work["category"]},
            "round": {k: round_[k] for k in ("edition", "tier", "category", "district")}})

    async def work_outcome(self, conn: AsyncConnection, event: ev.WorkAdvanced) -> None:
        """The submitter hears whether their work advanced."""
        await proj.add_work_round(conn, work_id=event.work_id, round_id=event.round_id)
        work = await proj.work(conn, work_id=event.work_id)
        if work is None:
            wait_for_projection(f"work {event.work_id}")
            return
        submitter = await proj.citizen(conn, name=work["submitter_name"], mobile=work["submitter_mobile"])
        await self._notify(conn, event, {Audience.SUBMITTER: [submitter]},
                           {**_work_context(work), "outcome": {"tier": event.tier, "rank": event.rank}})

    async def work_evaluated(self, conn: AsyncConnection, event: ev.WorkEvaluated) -> None:
        """Remember the work's round (its edition)."""
        await proj.add_work_round(conn, work_id=event.work_id, round_id=event.round_id)

    async def results_published(self, conn: AsyncConnection, event: ev.ResultsPublished) -> None:
        """Winners hear their award personally; everyone else of the edition and category hears results are out."""
        places = {award.work_id: award.place for award in event.awards}
        winners = await proj.submitters(conn, places)
        others = [w for w in await proj.edition_works(conn, edition=event.edition, category=event.category)
                  if w["work_id"] not in places]
        emails = await proj.emails_for_mobiles(
            conn, [w["submitter_mobile"] for w in [*winners.values(), *others]])
        audiences = {Audience.WINNERS: [], Audience.EDITION_SUBMITTERS: []}
        for audience, works in ((Audience.WINNERS, winners.values()), (Audience.EDITION_SUBMITTERS, others)):
            for work in works:
                values = _work_context(work)
                if audience == Audience.WINNERS:
                    values["award"] = {"place": places[work["work_id"]]}
                audiences[audience].append(Contact(
                    name=work["submitter_name"], mobile=work["submitter_mobile"], citizen=True,
                    email=emails.get(work["submitter_mobile"]), extra=tuple(values.items())))
        await self._notify(conn, event, audiences, {"results": {"edition": event.edition,
                                                                "category": event.category}})


TABLE = HandlerTable(
    "notifications",
    handlers={
        reg.PersonRegistered: Handlers.person_registered, reg.MemberAppointed: Handlers.member_appointed,
        reg.MemberRemoved: Handlers.member_removed, reg.BodyCreated: Handlers.body_changed,
        reg.BodyChanged: Handlers.body_changed, reg.DecisionIssued: Handlers.decision_issued,
        reg.DecisionRelayed: Handlers.decision_relayed, reg.DecisionOverdue: Handlers.decision_overdue,
        reg.ReportFiled: Handlers.report_filed, sub.WorkReceived: Handlers.work_received,
        sub.WorkChanged: Handlers.work_changed, sub.WorkWithdrawn: Handlers.work_withdrawn,
        ev.RoundOpened: Handlers.round_changed, ev.RoundClosed: Handlers.round_changed,
        ev.WorkAssigned: Handlers.work_assigned, ev.WorkAdvanced: Handlers.work_outcome,
        ev.WorkNotAdvanced: Handlers.work_outcome, ev.WorkEvaluated: Handlers.work_evaluated,
    },
    # Results reach the submitters; every public event also goes to the webhooks (the consumer's fan-out).
    public_handlers={ev.ResultsPublished: Handlers.results_published},
    every_public=True,
    ignored=ignoring(
        "no message is sent for these: nobody is waiting to hear of them",
        reg.BodyDeactivated, reg.DecisionAcknowledged, reg.DecisionImplemented, reg.NeighbourhoodCreated,
        reg.NeighbourhoodDeactivated, reg.NeighbourhoodReactivated, reg.OrganisationRegistered,
        reg.OrganisationChanged, sub.WorkStatusChanged, sub.CallOpened, sub.CallChanged, sub.CallClosed,
        ev.SheetSubmitted, ev.SelectionsReceived, ev.AwardsProposed,
    ),
)
