"""The rules at work: for each event that tells someone, keep what it teaches, find its audience in the
projections, and record every message in the ledger (delivery/recorder.py) in the consumer's transaction."""

from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.delivery.recorder import Recorder
from services.notifications.inbox.links import COMMITTEE_CODE
from services.notifications.projections import db as proj
from services.notifications.projections.usecases import (
    keep_decision,
    keep_membership,
    keep_round,
    keep_work,
    wait_for_projection,
    work_in_round,
)
from services.notifications.rules.domain import STAFF, Audience, Contact, rules_for
from shared.contracts import evaluation as ev
from shared.contracts import registry as reg
from shared.contracts import submissions as sub
from shared.contracts.base import Event
from shared.principal import BodyKind


async def _tell(conn: AsyncConnection, recorder: Recorder, event: Event, audiences: dict[Audience, list[Contact]],
                context: dict, district: int | None = None) -> None:
    rules = rules_for(event.event_type(), district)
    await recorder.record(conn, event, [(rule, audiences.get(rule.audience, [])) for rule in rules], context)


async def _staff(conn: AsyncConnection, audience: Audience, district: int | None = None) -> list[Contact]:
    """The active members an audience of staff names (of `district` when the audience is district-bound)."""
    staff = STAFF[audience]
    return await proj.members(conn, kinds=staff.kinds, role=staff.role,
                              district=district if staff.in_district else None)


def _work_context(work: dict) -> dict:
    keys = ("title", "tracking_code", "district", "category")
    return {"work": {"id": str(work["work_id"]), "neighbourhood": work.get("neighbourhood", ""),
                     **{k: work[k] for k in keys}}}


async def member_appointed(conn: AsyncConnection, recorder: Recorder, event: reg.MemberAppointed) -> None:
    """Keep the membership and tell the person of their appointment."""
    await keep_membership(conn, appointment_id=event.appointment_id, person_id=event.person_id,
                          body_code=event.body_code, body_kind=event.body_kind, role=event.role,
                          district=event.district, active=True)
    people = await proj.persons(conn, [event.person_id])
    if not people:
        wait_for_projection(f"person {event.person_id}")
    name = await proj.body_name(conn, code=event.body_code) or event.body_code
    await _tell(conn, recorder, event, {Audience.PERSON: people}, {"appointment": {
        "body_code": event.body_code, "body_name": name, "role": event.role, "district": event.district}})


async def _decision(conn: AsyncConnection, event: reg.DecisionRelayed | reg.DecisionOverdue) -> dict:
    found = await proj.decision(conn, decision_id=event.decision_id)
    if found is None:
        wait_for_projection(f"decision {event.decision_id}")
        found = {"title": "مصوبهٔ جدید", "text": ""}
    return {"title": found["title"], "text": found["text"], "district": event.district,
            "note": getattr(event, "note", ""), "ack_deadline": event.ack_deadline,
            "requires_acknowledgement": getattr(event, "requires_acknowledgement", True)}


async def decision_issued(conn: AsyncConnection, recorder: Recorder, event: reg.DecisionIssued) -> None:
    """Keep the decision; the members of the committees it addresses hear of it, and the festival secretary of
    every decision the policy council issues."""
    await keep_decision(conn, decision_id=event.decision_id, title=event.title, text=event.text)
    by_council = event.issuer_kind == BodyKind.POLICY_COUNCIL
    audiences = {Audience.ADDRESSED_COMMITTEES: await _committee_members(conn, event.committees),
                 Audience.FESTIVAL_SECRETARY: await _staff(conn, Audience.FESTIVAL_SECRETARY) if by_council else []}
    names = {code: await proj.body_name(conn, code=code) or code for code in [event.issuing_body, *event.committees]}
    await _tell(conn, recorder, event, audiences, {"decision": {
        "title": event.title, "text": event.text, "kind": event.kind, "issuer": names[event.issuing_body],
        "committees": [names[code] for code in event.committees], "districts": event.districts,
        "all_districts": event.all_districts, "ack_deadline": event.ack_deadline,
        "requires_acknowledgement": event.requires_acknowledgement}})


async def _committee_members(conn: AsyncConnection, codes: list[str]) -> list[Contact]:
    """The members of the committees, each once, with the code of their (first) committee: their inbox item links
    to that committee's page of the decision (inbox/links.py)."""
    members: dict[object, Contact] = {}
    for code in codes:
        for contact in await proj.members_of(conn, body_codes=[code]):
            key = contact.person_id or contact.mobile
            members.setdefault(key, replace(contact, extra=(*contact.extra, (COMMITTEE_CODE, code))))
    return list(members.values())


async def decision_relayed(conn: AsyncConnection, recorder: Recorder, event: reg.DecisionRelayed) -> None:
    """Every member of the district's secretariat hears of the decision."""
    members = await _staff(conn, Audience.DISTRICT_SECRETARIAT, event.district)
    await _tell(conn, recorder, event, {Audience.DISTRICT_SECRETARIAT: members},
                {"decision": await _decision(conn, event)})


async def decision_overdue(conn: AsyncConnection, recorder: Recorder, event: reg.DecisionOverdue) -> None:
    """The district's secretary (or its secretariat's members, when it has none), the central secretariat and
    the policy council hear."""
    secretary = await _staff(conn, Audience.DISTRICT_SECRETARY, event.district)
    secretary = secretary or await _staff(conn, Audience.DISTRICT_SECRETARIAT, event.district)
    central = await _staff(conn, Audience.CENTRAL_SECRETARIAT)
    await _tell(conn, recorder, event, {Audience.DISTRICT_SECRETARY: secretary,
                                        Audience.CENTRAL_SECRETARIAT: central,
                                        Audience.COUNCIL: await _staff(conn, Audience.COUNCIL)},
                {"decision": await _decision(conn, event)})


async def committee_overdue(conn: AsyncConnection, recorder: Recorder, event: reg.DecisionCommitteeOverdue) -> None:
    """The overdue committee's members are reminded; the festival secretary sees it in the inbox."""
    found = await proj.decision(conn, decision_id=event.decision_id)
    if found is None:
        wait_for_projection(f"decision {event.decision_id}")
        found = {"title": "مصوبهٔ جدید"}
    name = await proj.body_name(conn, code=event.committee) or event.committee
    await _tell(conn, recorder, event, {
        Audience.ADDRESSED_COMMITTEES: await proj.members_of(conn, body_codes=[event.committee]),
        Audience.FESTIVAL_SECRETARY: await _staff(conn, Audience.FESTIVAL_SECRETARY)},
        {"decision": {"title": found["title"], "committee": name, "ack_deadline": event.ack_deadline}})


async def report_filed(conn: AsyncConnection, recorder: Recorder, event: reg.ReportFiled) -> None:
    """A district's report goes to the central secretariat; the city's report to the committees and the council."""
    audiences = {Audience.CENTRAL_SECRETARIAT: await _staff(conn, Audience.CENTRAL_SECRETARIAT),
                 Audience.COMMITTEES: await _staff(conn, Audience.COMMITTEES),
                 Audience.COUNCIL: await _staff(conn, Audience.COUNCIL)}
    await _tell(conn, recorder, event, audiences, {"report": {
        "district": event.district, "period_start": event.period_start, "period_end": event.period_end}},
        district=event.district)


async def work_received(conn: AsyncConnection, recorder: Recorder, event: sub.WorkReceived) -> None:
    """Keep the work and give the submitter their tracking code."""
    values = {"work_id": event.work_id, "tracking_code": event.tracking_code, "district": event.district,
              "category": event.category, "title": event.title, "submitter_name": event.submitter_name,
              "submitter_mobile": event.submitter_mobile, "edition": event.edition}
    await keep_work(conn, values=values)
    submitter = await proj.citizen(conn, name=event.submitter_name, mobile=event.submitter_mobile)
    await _tell(conn, recorder, event, {Audience.SUBMITTER: [submitter]},
                _work_context({**values, "neighbourhood": event.neighbourhood}))


async def round_opened(conn: AsyncConnection, recorder: Recorder, event: ev.RoundOpened) -> None:
    """Keep the round and tell its evaluators it opened, with its deadline."""
    await keep_round(conn, round_id=event.round_id, edition=event.edition, tier=event.tier, category=event.category,
                     district=event.district)
    evaluators = await proj.persons(conn, event.evaluator_ids)
    await _tell(conn, recorder, event, {Audience.EVALUATORS: evaluators}, {"round": {
        "edition": event.edition, "tier": event.tier, "category": event.category, "district": event.district,
        "deadline": event.deadline}})


async def work_assigned(conn: AsyncConnection, recorder: Recorder, event: ev.WorkAssigned) -> None:
    """Evaluators find the work in their inbox (its title only, nothing about the submitter)."""
    await work_in_round(conn, work_id=event.work_id, round_id=event.round_id)
    work, round_ = await proj.work(conn, work_id=event.work_id), await proj.round_(conn, round_id=event.round_id)
    if work is None or round_ is None:
        wait_for_projection(f"work {event.work_id} / round {event.round_id}")
        return
    await _tell(conn, recorder, event, {Audience.EVALUATORS: await proj.persons(conn, event.evaluator_ids)}, {
        "work": {"title": work["title"], "district": work["district"], "category": work["category"]},
        "round": {k: round_[k] for k in ("edition", "tier", "category", "district")}})


async def work_outcome(conn: AsyncConnection, recorder: Recorder, event: ev.WorkAdvanced | ev.WorkNotAdvanced) -> None:
    """The submitter hears whether their work advanced."""
    await work_in_round(conn, work_id=event.work_id, round_id=event.round_id)
    work = await proj.work(conn, work_id=event.work_id)
    if work is None:
        wait_for_projection(f"work {event.work_id}")
        return
    submitter = await proj.citizen(conn, name=work["submitter_name"], mobile=work["submitter_mobile"])
    await _tell(conn, recorder, event, {Audience.SUBMITTER: [submitter]},
                {**_work_context(work), "outcome": {"tier": event.tier, "rank": event.rank}})


async def awards_proposed(conn: AsyncConnection, recorder: Recorder, event: ev.AwardsProposed) -> None:
    """The policy council hears the jury's proposed awards of a category (titles and districts, nothing of the
    submitters), to read them with their explanations before approving."""
    awards = [{"place": a.place, "title": a.title, "district": a.district} for a in event.awards]
    await _tell(conn, recorder, event, {Audience.COUNCIL: await _staff(conn, Audience.COUNCIL)}, {"proposal": {
        "edition": event.edition, "category": event.category, "awards": awards}})


async def results_published(conn: AsyncConnection, recorder: Recorder, event: ev.ResultsPublished) -> None:
    """Winners hear their award personally; everyone else of the edition and category hears results are out."""
    places = {award.work_id: award.place for award in event.awards}
    winners = await proj.submitters(conn, places)
    others = [w for w in await proj.edition_works(conn, edition=event.edition, category=event.category)
              if w["work_id"] not in places]
    emails = await proj.emails_for_mobiles(conn, [w["submitter_mobile"] for w in [*winners.values(), *others]])
    audiences: dict[Audience, list[Contact]] = {Audience.WINNERS: [], Audience.EDITION_SUBMITTERS: []}
    for audience, works in ((Audience.WINNERS, winners.values()), (Audience.EDITION_SUBMITTERS, others)):
        for work in works:
            values = _work_context(work)
            if audience == Audience.WINNERS:
                values["award"] = {"place": places[work["work_id"]]}
            audiences[audience].append(Contact(
                name=work["submitter_name"], mobile=work["submitter_mobile"], citizen=True,
                email=emails.get(work["submitter_mobile"]), extra=tuple(values.items())))
    await _tell(conn, recorder, event, audiences, {"results": {"edition": event.edition, "category": event.category}})
