"""Between the tiers and after them: the council's settings (quotas, rubrics), the central secretariat's receipt
of the districts' selections, and the council's approval that publishes the results."""

import uuid

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation import db, db_council, db_rounds
from services.evaluation.domain import (
    ADVANCED_TIER_1,
    AWARDED,
    IN_TIER_2,
    NOT_AWARDED,
    WITH_JURY,
    already_received,
    check_receivable,
)
from services.evaluation.permissions import PERMISSIONS, Capability
from services.evaluation.usecases import opening
from shared.contracts.decisions import ApproveResults, CloseTier, OpenTier, SetQuotas, SetRubric, may_issue_actionable
from shared.contracts.evaluation import Award, ResultsPublished, SelectionsReceived
from shared.contracts.registry import DecisionIssued
from shared.messaging.outbox import add_events
from shared.principal import Principal
from shared.refusals import not_found

log = structlog.get_logger("evaluation.council")


async def carry_out_decision(conn: AsyncConnection, *, decision: DecisionIssued) -> bool:
    """Carry out an actionable decision on evaluation (quotas, a rubric, opening a district's round, approving the
    results) when the authority it carries may issue one: the policy council, through its chair or secretary.
    Without that authority nothing changes: the refusal is logged and the message acknowledged, since delivering
    it again would not change who issued it. Returns whether anything was carried out."""
    action = decision.parameters
    if not isinstance(action, SetQuotas | SetRubric | OpenTier | ApproveResults) or isinstance(action, CloseTier):
        return False  # nothing evaluation acts on (the call's opening and closing are submissions')
    if decision.kind != "actionable" or not may_issue_actionable(decision.issuer_kind, decision.issuer_role):
        log.warning("decision.not_carried_out", code="not_authorised", decision_id=str(decision.decision_id),
                    action=action.action, kind=decision.kind, issuing_body=decision.issuing_body,
                    issuer_kind=decision.issuer_kind, issuer_role=decision.issuer_role)
        return False
    if isinstance(action, SetQuotas):
        await set_quotas(conn, action=action)
    elif isinstance(action, SetRubric):
        await set_rubric(conn, action=action)
    elif isinstance(action, OpenTier):
        await opening.open_round_by_decision(conn, action=action, decision_id=decision.decision_id)
    else:
        await publish_results(conn, edition=action.edition, category=action.category)
    return True


async def set_quotas(conn: AsyncConnection, *, action: SetQuotas) -> None:
    """The council set how many works each district advances (rounds opened afterwards use it)."""
    await db_council.set_quotas(conn, edition=action.edition, per_district=action.per_district,
                                exceptions={str(d): q for d, q in action.exceptions.items()})


async def set_rubric(conn: AsyncConnection, *, action: SetRubric) -> None:
    """The council set the rubric of a category, or of every category (rounds opened afterwards use it)."""
    await db_council.set_rubric(conn, edition=action.edition, category=action.category or "*",
                                criteria=[c.model_dump() for c in action.criteria])


async def confirm_receipt(conn: AsyncConnection, principal: Principal, *, edition: str, category: str) -> int:
    """The central secretariat confirms it has every district's selections of a category, each with its
    documents; they go to the jury. Refused, changing nothing, while a tier-1 round is open or a document is
    missing, or when the receipt was already confirmed. Returns how many works went to the jury."""
    PERMISSIONS.require(principal, Capability.CONFIRM_RECEIPT)
    if await db_council.receipt_exists(conn, edition=edition, category=category):
        raise already_received()
    tier1_open = bool(await db_rounds.open_rounds_of(conn, edition=edition, category=category, tier=1))
    selected = [] if tier1_open else await db.works_with_status(conn, edition=edition, category=category,
                                                                status=ADVANCED_TIER_1)
    check_receivable(tier1_open=tier1_open, selected=selected)
    if not await db_council.record_receipt(conn, edition=edition, category=category, confirmed_by=principal.subject):
        raise already_received()
    await db.set_status(conn, work_ids=[w["work_id"] for w in selected], status=WITH_JURY)
    await add_events(conn, db.outbox, [SelectionsReceived(edition=edition, category=category, works=len(selected))])
    return len(selected)


async def publish_results(conn: AsyncConnection, *, edition: str, category: str | None) -> int:
    """The council approved: publish proposed awards (of one category or all) as a public event, move the jury's
    works to awarded or not; returns how many categories were published."""
    rows = await db_council.unpublished_awards(conn, edition=edition, category=category)
    for row in rows:
        await db_council.mark_published(conn, edition=edition, category=row["category"])
        winners = [uuid.UUID(a["work_id"]) for a in row["awards"]]
        in_jury = await db.works_with_status(conn, edition=edition, category=row["category"], status=IN_TIER_2)
        await db.set_status(conn, work_ids=winners, status=AWARDED)
        await db.set_status(conn, work_ids=[w["work_id"] for w in in_jury if w["work_id"] not in winners],
                            status=NOT_AWARDED)
        await add_events(conn, db.outbox, [ResultsPublished(edition=edition, category=row["category"],
                                                            awards=[Award(**a) for a in row["awards"]])])
    return len(rows)


async def proposals(conn: AsyncConnection, principal: Principal, *, edition: str) -> list[dict]:
    """The jury's proposed awards of an edition, per category, each with its score and explanation, for the
    council to read before approving (and city-wide staff); titles and districts only, nothing of the submitter."""
    PERMISSIONS.require(principal, Capability.READ_PROPOSALS)
    ranked = await db_council.jury_results(conn, edition=edition)
    return [{**row, "awards": [{**a, **_scored(ranked.get((row["category"], a["work_id"])))} for a in row["awards"]]}
            for row in await db_council.proposed_awards(conn, edition=edition)]


def _scored(result: dict | None) -> dict:
    """An award's score and explanation from the jury's closed round (empty while that round is reopened)."""
    return {"score": result["score"], "explanation": result["explanation"]} if result else {
        "score": None, "explanation": {}}


async def published_results(conn: AsyncConnection, *, edition: str) -> list[dict]:
    """Published results of an edition, by category (public: nothing personal)."""
    return await db_council.published_awards(conn, edition=edition)


async def published_award(conn: AsyncConnection, *, work_id: uuid.UUID) -> dict:
    """A work's published award (edition, category, place, district, title, when published): public, as the results
    are; a work without one (not awarded, or its results not yet published) is not found."""
    award = await db_council.published_award_of(conn, work_id=str(work_id))
    if award is None:
        raise not_found("جایزهٔ این اثر", "This work's award")
    return award


async def published_editions(conn: AsyncConnection) -> list[str]:
    """Editions whose results (of at least one category) are public, newest first."""
    return await db_council.published_editions(conn)
