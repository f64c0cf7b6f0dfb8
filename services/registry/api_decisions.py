"""Registry HTTP interface: decisions flowing down to the districts."""

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Query
from pydantic import Field, model_validator
from sqlalchemy.ext.asyncio import AsyncEngine

from services.registry import db, db_decisions
from services.registry.decisions import take_step
from services.registry.domain_decisions import addressed_districts, check_kind, may_issue, summarise
from services.registry.people import active_body
from shared.auth import require_district_staff, signed_in
from shared.contracts.decisions import DecisionAction
from shared.contracts.registry import DecisionIssued
from shared.messaging.outbox import add_events
from shared.models import StrictModel
from shared.persian import normalize_text, tehran_day_end_utc
from shared.principal import Principal
from shared.refusals import Kind, Refusal, forbidden, not_found

COMMITTEE_KINDS = ("specialised_committee", "jury_committee")


class DecisionIn(StrictModel):
    title: str = Field(min_length=3, max_length=300)
    text: str = Field(min_length=3, max_length=20_000)
    issuing_body: str
    kind: str
    all_districts: bool = False
    districts: list[int] = Field(default_factory=list, max_length=22)
    committees: list[str] = Field(default_factory=list, max_length=10)
    ack_deadline: str | None = Field(default=None, description="Jalali date, e.g. 1405/09/15 (end of that day)")
    ack_deadline_at: datetime | None = Field(default=None, description="or an exact instant (ISO 8601)")
    parameters: DecisionAction | None = None

    @model_validator(mode="after")
    def _one_deadline(self) -> "DecisionIn":
        if (self.ack_deadline is None) == (self.ack_deadline_at is None):
            raise ValueError("give exactly one of ack_deadline (Jalali date) and ack_deadline_at")
        return self


class StepIn(StrictModel):
    note: str = Field(default="", max_length=5000)


class RelayIn(StrictModel):
    districts: list[int] | None = Field(default=None, description="default: every addressed district")
    notes: dict[int, str] = Field(default_factory=dict, description="district -> its own note")


def deadline_of(body: DecisionIn) -> datetime:
    """The acknowledgement deadline as a UTC instant; refuses the past."""
    if body.ack_deadline_at is not None:
        deadline = body.ack_deadline_at
        if deadline.tzinfo is None:
            raise Refusal(Kind.INVALID, "naive_deadline", "ساعت مهلت باید منطقهٔ زمانی داشته باشد.",
                           "The deadline needs a time zone.")
    else:
        try:
            deadline = tehran_day_end_utc(body.ack_deadline)
        except ValueError as error:
            raise Refusal(Kind.INVALID, "invalid_date", "تاریخ مهلت معتبر نیست.",
                          f"Invalid deadline: {error}") from None
    if deadline <= datetime.now(UTC):
        raise Refusal(Kind.INVALID, "deadline_passed", "مهلت پاسخ باید در آینده باشد.",
                      "The deadline must be in the future.")
    return deadline


def _sees_all(principal: Principal) -> bool:
    return principal.is_city_wide() or any(m.kind in ("policy_council", *COMMITTEE_KINDS)
                                           for m in principal.memberships)


def build_decisions_router(engine: AsyncEngine) -> APIRouter:
    """Routes bound to this service's engine."""
    router = APIRouter(tags=["decisions"])

    @router.post("/decisions", status_code=201)
    async def issue(body: DecisionIn, principal: Principal = Depends(signed_in)) -> dict:
        """Issue a decision (chair or secretary of the council, the festival secretary or a committee)."""
        check_kind(body.kind, body.parameters is not None)
        districts = addressed_districts(body.all_districts, body.districts)
        deadline = deadline_of(body)
        async with engine.begin() as conn:
            issuer = await active_body(conn, body.issuing_body)
            if not may_issue(principal, issuer.code, issuer.kind):
                raise forbidden()
            known = await db.active_body_codes(conn, codes=body.committees)
            if set(body.committees) - known:
                raise Refusal(Kind.INVALID, "unknown_body", "کمیتهٔ مخاطب وجود ندارد.", "Unknown addressed committee.",
                               sorted(set(body.committees) - known))
            decision_id = uuid.uuid4()
            values = {"id": decision_id, "title": normalize_text(body.title), "text": normalize_text(body.text),
                      "issuing_body": issuer.code, "kind": body.kind, "all_districts": body.all_districts,
                      "districts": districts, "committees": sorted(set(body.committees)), "ack_deadline": deadline,
                      "parameters": body.parameters.model_dump(mode="json") if body.parameters else None,
                      "issued_by": principal.subject}
            await db_decisions.insert_decision(conn, values=values)
            event = DecisionIssued(decision_id=decision_id, parameters=body.parameters, **{
                k: values[k] for k in ("title", "text", "issuing_body", "kind", "all_districts", "districts",
                                       "committees", "ack_deadline")})
            await add_events(conn, db.outbox, [event], correlation_id=str(decision_id))
        return {"id": str(decision_id), "districts": districts, "ack_deadline": deadline.isoformat()}

    @router.get("/decisions")
    async def list_decisions(principal: Principal = Depends(signed_in), district: int | None = None,
                             limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0)) -> list[dict]:
        """Decisions newest first; district staff see those addressed to their district."""
        if not _sees_all(principal):
            own = principal.districts()
            if district is None and len(own) == 1:
                district = next(iter(own))
            if district not in own:
                raise forbidden()
        async with engine.connect() as conn:
            return await db_decisions.list_decisions(conn, district=district, limit=limit, offset=offset)

    @router.get("/decisions/{decision_id}")
    async def status(decision_id: uuid.UUID, principal: Principal = Depends(signed_in)) -> dict:
        """A decision with each district's status at a glance (district staff see their own row)."""
        async with engine.connect() as conn:
            found = await db_decisions.get_decision(conn, decision_id=decision_id)
        if found is None:
            raise not_found("مصوبه", "Decision")
        if not _sees_all(principal):
            found["per_district"] = [r for r in found["per_district"] if principal.is_staff_of_district(r["district"])]
            if not found["per_district"]:
                raise not_found("مصوبه", "Decision")
        summary = summarise(found["per_district"])
        return {**found, "summary": {"counts": summary.counts, "overdue": summary.overdue}}

    @router.post("/decisions/{decision_id}/relay")
    async def relay(decision_id: uuid.UUID, body: RelayIn, principal: Principal = Depends(signed_in)) -> dict:
        """The central secretariat relays the decision to its districts, each with its own note."""
        if not principal.is_member("central-secretariat"):
            raise forbidden()
        async with engine.begin() as conn:
            found = await db_decisions.get_decision(conn, decision_id=decision_id)
            if found is None:
                raise not_found("مصوبه", "Decision")
            targets = body.districts or found["districts"]
            for district in targets:
                await take_step(conn, decision_id=decision_id, district=district, step="relay",
                                note=normalize_text(body.notes.get(district, "")), ack_deadline=found["ack_deadline"])
        return {"relayed": sorted(targets)}

    async def district_step(decision_id: uuid.UUID, district: int, step: str, note: str,
                            principal: Principal) -> dict:
        require_district_staff(principal, district)
        async with engine.begin() as conn:
            found = await db_decisions.get_decision(conn, decision_id=decision_id)
            if found is None:
                raise not_found("مصوبه", "Decision")
            await take_step(conn, decision_id=decision_id, district=district, step=step, note=normalize_text(note),
                            ack_deadline=found["ack_deadline"])
        return {"decision_id": str(decision_id), "district": district, "step": step}

    @router.post("/decisions/{decision_id}/districts/{district}/acknowledge")
    async def acknowledge(decision_id: uuid.UUID, district: int, body: StepIn,
                          principal: Principal = Depends(signed_in)) -> dict:
        """The district secretariat acknowledges the relayed decision."""
        return await district_step(decision_id, district, "acknowledge", body.note, principal)

    @router.post("/decisions/{decision_id}/districts/{district}/implemented")
    async def implemented(decision_id: uuid.UUID, district: int, body: StepIn,
                          principal: Principal = Depends(signed_in)) -> dict:
        """The district secretariat reports the decision carried out."""
        return await district_step(decision_id, district, "implement", body.note, principal)

    return router
