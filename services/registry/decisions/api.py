"""Decision routes: issuing, relaying and answering decisions, and reading them."""

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, model_validator

from services.registry.decisions import usecases
from services.registry.fields import (
    Code,
    CodeInPath,
    CodeInQuery,
    District,
    DistrictInPath,
    DistrictInQuery,
    Line,
    Text,
    has_unstorable,
)
from services.registry.web import SignedIn
from shared.contracts.decisions import DecisionAction
from shared.models import StrictModel
from shared.web.connection import Reading, Transaction
from shared.web.jalali import DAY_END, JalaliModel, jalali_text

router = APIRouter(tags=["decisions"])


class DecisionIn(StrictModel):
    title: Line = Field(min_length=3, max_length=300)
    text: Text = Field(min_length=3, max_length=20_000)
    issuing_body: Code
    kind: Line = Field(max_length=50)
    all_districts: bool = False
    districts: list[int] = Field(default_factory=list, max_length=22)
    committees: list[Code] = Field(default_factory=list, max_length=10)
    ack_deadline: Line | None = Field(default=None, max_length=40,
                                      description="Jalali date, e.g. 1405/09/15 (end of that day)")
    ack_deadline_at: datetime | None = Field(default=None, description="or an exact instant (ISO 8601)")
    parameters: DecisionAction | None = None
    requires_acknowledgement: bool | None = Field(
        default=None, description="whether districts must acknowledge; default: directives and notices yes, "
                                  "actionable (operational) decisions no")

    @model_validator(mode="after")
    def _one_deadline(self) -> "DecisionIn":
        if (self.ack_deadline is None) == (self.ack_deadline_at is None):
            raise ValueError("give exactly one of ack_deadline (Jalali date) and ack_deadline_at")
        return self

    @model_validator(mode="after")
    def _storable_parameters(self) -> "DecisionIn":
        # The parameters are stored as JSONB, which refuses a NUL: their texts (category names, criteria) are lines.
        if self.parameters is not None and any(has_unstorable(text, line_breaks=False)
                                               for text in _texts(self.parameters.model_dump(mode="json"))):
            raise ValueError("control characters are not allowed in the parameters")
        return self


def _texts(value: object) -> list[str]:
    """Every string inside a JSON value, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in (*_texts(k), *_texts(v))]
    if isinstance(value, list):
        return [t for item in value for t in _texts(item)]
    return []


class StepIn(StrictModel):
    note: Text = Field(default="", max_length=5000)


class RelayIn(StrictModel):
    districts: list[District] | None = Field(default=None, max_length=22,
                                             description="default: every addressed district")
    notes: dict[District, Text] = Field(default_factory=dict, description="district -> its own note")


class Issued(BaseModel):
    id: uuid.UUID
    districts: list[int]
    ack_deadline: str  # isoformat ("+00:00"), as this answer always gave it
    ack_deadline_jalali: str | None = Field(description="the deadline's last Jalali day (Tehran), e.g. 1405-09-15")
    requires_acknowledgement: bool


class Relayed(BaseModel):
    relayed: list[int]


class StepTaken(BaseModel):
    decision_id: uuid.UUID
    district: int
    step: str


class CommitteeAcknowledged(BaseModel):
    decision_id: uuid.UUID
    committee: str


class DecisionOut(JalaliModel):
    id: uuid.UUID
    title: str
    text: str
    issuing_body: str
    kind: str
    all_districts: bool
    districts: list[int]
    committees: list[str]
    ack_deadline: Annotated[datetime, DAY_END]
    parameters: dict | None
    requires_acknowledgement: bool
    issued_by: str
    issued_at: datetime


class DistrictStatus(JalaliModel):
    decision_id: uuid.UUID
    district: int
    status: str
    relay_note: str | None
    relayed_at: datetime | None
    ack_note: str | None
    acknowledged_at: datetime | None
    implemented_note: str | None
    implemented_at: datetime | None
    overdue_at: datetime | None


class CommitteeStatus(JalaliModel):
    committee: str
    acknowledged_by: str | None
    ack_note: str | None
    acknowledged_at: datetime | None
    overdue_at: datetime | None


class Summary(BaseModel):
    counts: dict[str, int]
    overdue: list[int]


class DecisionStatus(DecisionOut):
    per_district: list[DistrictStatus]
    per_committee: list[CommitteeStatus]
    summary: Summary


@router.post("/decisions", status_code=201)
async def issue(body: DecisionIn, principal: SignedIn, conn: Transaction) -> Issued:
    """Issue a decision (chair or secretary of the council, the festival secretary or a committee)."""
    issued = await usecases.issue(
        conn, principal, title=body.title, text=body.text, issuing_body=body.issuing_body, kind=body.kind,
        all_districts=body.all_districts, districts=body.districts, committees=body.committees,
        ack_deadline_date=body.ack_deadline, ack_deadline_at=body.ack_deadline_at, parameters=body.parameters,
        acknowledgement=body.requires_acknowledgement)
    return Issued(id=issued["id"], districts=issued["districts"], ack_deadline=issued["ack_deadline"].isoformat(),
                  ack_deadline_jalali=jalali_text(issued["ack_deadline"], day_end=True),
                  requires_acknowledgement=issued["requires_acknowledgement"])


@router.get("/decisions")
async def list_decisions(principal: SignedIn, conn: Reading, district: DistrictInQuery = None,
                         committee: CodeInQuery = None, limit: int = Query(50, ge=1, le=200),
                         offset: int = Query(0, ge=0, le=1_000_000)) -> list[DecisionOut]:
    """Decisions newest first; district staff see those addressed to their district, a committee's members (with
    `committee`) those addressed to their committee."""
    found = await usecases.decisions(conn, principal, district=district, committee=committee, limit=limit,
                                     offset=offset)
    return [DecisionOut(**row) for row in found]


@router.get("/decisions/{decision_id}")
async def status(decision_id: uuid.UUID, principal: SignedIn, conn: Reading) -> DecisionStatus:
    """A decision with each district's status at a glance (district staff see their own row)."""
    return DecisionStatus(**await usecases.decision(conn, principal, decision_id))


@router.post("/decisions/{decision_id}/relay")
async def relay(decision_id: uuid.UUID, body: RelayIn, principal: SignedIn, conn: Transaction) -> Relayed:
    """The central secretariat relays the decision to its districts, each with its own note."""
    return Relayed(relayed=await usecases.relay(conn, principal, decision_id, districts=body.districts,
                                                notes=body.notes))


@router.post("/decisions/{decision_id}/districts/{district}/acknowledge")
async def acknowledge(decision_id: uuid.UUID, district: DistrictInPath, body: StepIn, principal: SignedIn,
                      conn: Transaction) -> StepTaken:
    """The district secretariat acknowledges the relayed decision."""
    await usecases.answer(conn, principal, decision_id, district=district, step="acknowledge", note=body.note)
    return StepTaken(decision_id=decision_id, district=district, step="acknowledge")


@router.post("/decisions/{decision_id}/districts/{district}/implemented")
async def implemented(decision_id: uuid.UUID, district: DistrictInPath, body: StepIn, principal: SignedIn,
                      conn: Transaction) -> StepTaken:
    """The district secretariat reports the decision carried out."""
    await usecases.answer(conn, principal, decision_id, district=district, step="implement", note=body.note)
    return StepTaken(decision_id=decision_id, district=district, step="implement")


@router.post("/decisions/{decision_id}/committees/{committee}/acknowledge")
async def acknowledge_for_committee(decision_id: uuid.UUID, committee: CodeInPath, body: StepIn,
                                    principal: SignedIn, conn: Transaction) -> CommitteeAcknowledged:
    """A member of an addressed committee acknowledges the decision for the committee."""
    await usecases.acknowledge_for_committee(conn, principal, decision_id, committee=committee, note=body.note)
    return CommitteeAcknowledged(decision_id=decision_id, committee=committee)
