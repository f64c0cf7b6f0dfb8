"""Evaluation HTTP interface: rounds, score sheets, conflicts, ranking; the receipt and published results."""

import uuid

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.evaluation import db, db_rounds, flow, rounds
from services.evaluation.domain import (
    CLOSED,
    DEFAULT_K,
    IN_TIER_1,
    IN_TIER_2,
    OPEN,
    checked_scores,
    may_manage,
    may_reopen,
)
from services.evaluation.ranking import explanation
from shared.auth import signed_in
from shared.contracts.evaluation import SheetSubmitted
from shared.messaging.outbox import add_events
from shared.models import StrictModel
from shared.persian import tehran_day_end_utc
from shared.principal import Principal
from shared.refusals import Kind, Refusal, forbidden, not_found


class RoundIn(StrictModel):
    edition: str = Field(pattern=r"^1[34][0-9]{2}$")
    tier: int = Field(ge=1, le=2)
    district: int | None = Field(default=None, ge=1, le=22)
    category: str
    deadline: str | None = Field(default=None, description="Jalali date, e.g. 1405/10/15 (end of that day)")
    k: int = Field(default=DEFAULT_K, ge=1, le=15)


class SheetIn(StrictModel):
    scores: dict[str, float]
    comment: str = Field(default="", max_length=5000)
    submit: bool = False


class ConflictIn(StrictModel):
    reason: str = Field(min_length=3, max_length=1000)


class ReopenIn(StrictModel):
    reason: str = Field(min_length=3, max_length=1000)


class ReceiptIn(StrictModel):
    edition: str
    category: str


class RoundOut(BaseModel):
    id: uuid.UUID
    edition: str
    tier: int
    district: int | None
    category: str
    state: str
    k: int
    quota: int
    rubric: list[dict]
    short: dict[str, int] = Field(default_factory=dict, description=(
        "Works the round could not give k conflict-free evaluators when it opened (work id -> how many it "
        "lacked); only a round opened when the call closed opens with any"))


async def _round(conn: AsyncConnection, round_id: uuid.UUID, *, lock: bool = False) -> dict:
    found = await db_rounds.get_round(conn, round_id=round_id, lock=lock)
    if found is None:
        raise not_found("دور داوری", "Round")
    return found


def _manager(principal: Principal, round_: dict) -> None:
    if not may_manage(principal, round_["tier"], round_["district"]):
        raise forbidden()


def build_rounds_router(engine: AsyncEngine) -> APIRouter:
    """Routes bound to this service's engine."""
    router = APIRouter(tags=["rounds"])

    @router.post("/rounds", status_code=201, response_model=RoundOut)
    async def open_round(body: RoundIn, principal: Principal = Depends(signed_in)) -> RoundOut:
        """Open a round: tier 1 by the district's secretary, tier 2 by the central secretariat (after receipt)."""
        if (body.tier == 1) != (body.district is not None):
            raise Refusal(Kind.INVALID, "district_mismatch", "دور مرحلهٔ اول برای یک منطقه است و مرحلهٔ دوم برای کل شهر.",
                           "Tier 1 rounds belong to a district; tier 2 rounds to the city.")
        if not may_manage(principal, body.tier, body.district):
            raise forbidden()
        deadline = tehran_day_end_utc(body.deadline) if body.deadline else None
        async with engine.begin() as conn:
            opened = await rounds.open_round(conn, edition=body.edition, tier=body.tier, district=body.district,
                                             category=body.category, deadline=deadline, k=body.k,
                                             opened_by=principal.subject)
            return RoundOut(**await _round(conn, opened.round_id))

    @router.get("/rounds", response_model=list[RoundOut])
    async def list_rounds(principal: Principal = Depends(signed_in)) -> list[RoundOut]:
        """Rounds the caller manages or evaluates in."""
        async with engine.connect() as conn:
            managed = [r for r in await db_rounds.list_rounds(conn) if may_manage(principal, r["tier"], r["district"])]
            mine = await db_rounds.list_rounds(conn, evaluator=uuid.UUID(principal.subject))
        seen = {r["id"]: r for r in managed + mine}
        return [RoundOut(**r) for r in seen.values()]

    @router.get("/rounds/{round_id}/my-works")
    async def my_works(round_id: uuid.UUID, principal: Principal = Depends(signed_in)) -> list[dict]:
        """The works assigned to the caller in a round, with the caller's own sheet."""
        me = uuid.UUID(principal.subject)
        async with engine.connect() as conn:
            plan = await db_rounds.round_assignments(conn, round_id=round_id)
            mine = [w for w, people in plan.items() if me in people]
            sheets = {s["work_id"]: s for s in await db_rounds.round_sheets(conn, round_id=round_id, evaluator=me)}
            works = await db.works_by_ids(conn, work_ids=mine)
        return [{**{k: w[k] for k in ("work_id", "district", "neighbourhood", "category", "title")},
                 "sheet": sheets.get(w["work_id"])} for w in works]

    @router.put("/rounds/{round_id}/works/{work_id}/sheet")
    async def save_sheet(round_id: uuid.UUID, work_id: uuid.UUID, body: SheetIn,
                         principal: Principal = Depends(signed_in)) -> dict:
        """Save the caller's sheet for an assigned work as a draft, or submit it; frozen once the round closes."""
        me = uuid.UUID(principal.subject)
        async with engine.begin() as conn:
            round_ = await _round(conn, round_id)
            if not await db_rounds.is_assigned(conn, round_id=round_id, work_id=work_id, evaluator_id=me):
                raise not_found("اثر واگذارشده", "Assigned work")
            if round_["state"] != OPEN:
                raise Refusal(Kind.CONFLICT, "round_closed", "دور داوری بسته است و برگه‌ها قفل شده‌اند.",
                               "The round is closed; its sheets are frozen.")
            existing = await db_rounds.round_sheets(conn, round_id=round_id, evaluator=me, work_id=work_id)
            if existing and existing[0]["state"] == "submitted":
                raise Refusal(Kind.CONFLICT, "sheet_submitted", "این برگه پیش‌تر ثبت نهایی شده است.",
                               "This sheet was already submitted.")
            scores = checked_scores(body.scores, round_["rubric"], complete=body.submit)
            state = "submitted" if body.submit else "draft"
            await db_rounds.save_sheet(conn, values={"round_id": round_id, "work_id": work_id, "evaluator_id": me,
                                                     "scores": scores, "comment": body.comment, "state": state})
            if body.submit:
                work = await db.get_work(conn, work_id=work_id)
                await add_events(conn, db.outbox, [SheetSubmitted(round_id=round_id, work_id=work_id,
                                                                  evaluator_id=me, district=work["district"])])
        return {"state": state}

    @router.post("/rounds/{round_id}/works/{work_id}/conflict")
    async def declare_conflict(round_id: uuid.UUID, work_id: uuid.UUID, body: ConflictIn,
                               principal: Principal = Depends(signed_in)) -> dict:
        """An evaluator declares a conflict of interest; the work goes to another free evaluator if there is one."""
        me = uuid.UUID(principal.subject)
        async with engine.begin() as conn:
            round_ = await _round(conn, round_id, lock=True)
            if not await db_rounds.is_assigned(conn, round_id=round_id, work_id=work_id, evaluator_id=me):
                raise not_found("اثر واگذارشده", "Assigned work")
            replacement = await rounds.reassign_after_conflict(conn, round_=round_, work_id=work_id,
                                                               evaluator_id=me, reason=body.reason)
        return {"replaced_by": str(replacement) if replacement else None}

    @router.get("/rounds/{round_id}/ranking")
    async def ranking(round_id: uuid.UUID, principal: Principal = Depends(signed_in)) -> list[dict]:
        """The ranking with an explanation per work: a live preview for managers, the stored result once closed."""
        async with engine.connect() as conn:
            round_ = await _round(conn, round_id)
            _manager(principal, round_)
            if round_["state"] == CLOSED:
                return [{"work_id": str(r["work_id"]), **r["explanation"]}
                        for r in await db_rounds.round_results(conn, round_id=round_id)]
            placings, *_ = await rounds.ranking(conn, round_)
        return [{"work_id": str(p.work_id), **explanation(p)} for p in placings]

    @router.post("/rounds/{round_id}/close")
    async def close(round_id: uuid.UUID, principal: Principal = Depends(signed_in)) -> dict:
        """Close the round: final ranking, who advanced, events; refused while sheets are missing."""
        async with engine.begin() as conn:
            round_ = await _round(conn, round_id, lock=True)
            _manager(principal, round_)
            if round_["state"] == CLOSED:
                raise Refusal(Kind.CONFLICT, "round_closed", "دور داوری پیش‌تر بسته شده است.",
                              "The round is already closed.")
            rows = await rounds.close_round(conn, round_=round_, closed_by=principal.subject)
        return {"state": CLOSED, "advanced": [str(r["work_id"]) for r in rows if r["advanced"]]}

    @router.post("/rounds/{round_id}/reopen")
    async def reopen(round_id: uuid.UUID, body: ReopenIn, principal: Principal = Depends(signed_in)) -> dict:
        """Reopen a closed round (festival secretary only); the reopening is recorded with its reason."""
        if not may_reopen(principal):
            raise forbidden()
        async with engine.begin() as conn:
            round_ = await _round(conn, round_id, lock=True)
            if round_["state"] != CLOSED:
                raise Refusal(Kind.CONFLICT, "round_open", "دور داوری باز است.", "The round is open.")
            if round_["tier"] == 1 and await db_rounds.receipt_exists(conn, edition=round_["edition"],
                                                                      category=round_["category"]):
                raise Refusal(Kind.CONFLICT, "receipt_confirmed", "برگزیده‌های این موضوع به داوری نهایی رفته‌اند.",
                               "The central secretariat already took this category's selections to the jury.")
            record = [*round_["reopenings"], {"by": principal.subject, "reason": body.reason}]
            await db_rounds.set_state(conn, round_id=round_id, values={"state": OPEN, "reopenings": record})
            plan = await db_rounds.round_assignments(conn, round_id=round_id)
            await db.set_status(conn, work_ids=list(plan), status=IN_TIER_1 if round_["tier"] == 1 else IN_TIER_2)
        return {"state": OPEN, "reopenings": len(record)}

    @router.post("/receipts", status_code=201)
    async def confirm_receipt(body: ReceiptIn, principal: Principal = Depends(signed_in)) -> dict:
        """The central secretariat confirms it received the districts' selections of a category, complete."""
        if not principal.is_member("central-secretariat"):
            raise forbidden()
        async with engine.begin() as conn:
            count = await flow.confirm_receipt(conn, edition=body.edition, category=body.category,
                                               confirmed_by=principal.subject)
        return {"works": count}

    @router.get("/results/{edition}", tags=["results"])
    async def results(edition: str) -> list[dict]:
        """Published results of an edition; public, nothing personal."""
        async with engine.connect() as conn:
            return await flow.published(conn, edition=edition)

    return router
