"""What evaluation's JSON routes take and give: request bodies (unknown fields refused) and response models."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from services.evaluation.domain import CATEGORY_CODE, DEFAULT_K, EDITION_CODE
from shared.fields import Text
from shared.models import StrictModel
from shared.persian import tehran_day_end_utc
from shared.web.jalali import DAY_END, JalaliModel


def _jalali_date(value: str) -> str:
    """Refuse what is no Jalali date, or one whose day's end lies past the calendar."""
    try:
        tehran_day_end_utc(value)
    except (ValueError, OverflowError):
        raise ValueError("not a Jalali date such as 1405/10/15") from None
    return value


Edition = Annotated[str, Field(pattern=EDITION_CODE, description="Festival edition, a Jalali year such as 1405")]
Category = Annotated[str, Field(pattern=CATEGORY_CODE, description="A category code of the call, e.g. welfare")]


class WorkOut(JalaliModel):
    """A work as evaluation knows it."""

    work_id: uuid.UUID
    district: int
    neighbourhood: str
    category: str
    title: str
    status: str
    received_at: datetime


class RoundIn(StrictModel):
    """A round to open."""

    edition: Edition
    tier: int = Field(ge=1, le=2)
    district: int | None = Field(default=None, ge=1, le=22)
    category: Category
    deadline: Annotated[str, AfterValidator(_jalali_date)] | None = Field(
        default=None, description="Jalali date, e.g. 1405/10/15 (end of that day)")
    k: int = Field(default=DEFAULT_K, ge=1, le=15)


class RoundOut(JalaliModel):
    """A round, its scope and state."""

    id: uuid.UUID
    edition: str
    tier: int
    district: int | None
    category: str
    state: str
    k: int
    quota: int
    rubric: list[dict]
    deadline: Annotated[datetime | None, DAY_END] = Field(
        default=None, description="End of the deadline's Tehran day (ISO 8601)")
    short: dict[str, int] = Field(default_factory=dict, description=(
        "Works the round could not give k conflict-free evaluators when it opened (work id -> how many it "
        "lacked); only a round opened when the call closed opens with any"))


class SheetIn(StrictModel):
    """An evaluator's scores for one work: a draft, or submitted (final)."""

    scores: dict[str, float] = Field(max_length=50)
    comment: Text = Field(default="", max_length=5000)
    submit: bool = False


class SheetOut(JalaliModel):
    """An evaluator's sheet as stored."""

    round_id: uuid.UUID
    work_id: uuid.UUID
    evaluator_id: uuid.UUID
    scores: dict[str, int | float]
    comment: str
    state: str
    updated_at: datetime


class MyWorkOut(BaseModel):
    """A work assigned to the caller, with the caller's own sheet (None until saved)."""

    work_id: uuid.UUID
    district: int
    neighbourhood: str
    category: str
    title: str
    sheet: SheetOut | None


class SheetSaved(BaseModel):
    """The sheet's state after saving: draft or submitted."""

    state: str


class ConflictIn(StrictModel):
    """Why the evaluator may not judge the work."""

    reason: Text = Field(min_length=3, max_length=1000)


class ReassignIn(StrictModel):
    """Whose work goes to whom, and why (kept with the old evaluator's draft, for the record)."""

    from_person: uuid.UUID
    to_person: uuid.UUID
    reason: Text = Field(min_length=3, max_length=1000)


class ReassignedOut(BaseModel):
    """A reassignment as recorded."""

    round_id: uuid.UUID
    work_id: uuid.UUID
    from_person: uuid.UUID
    to_person: uuid.UUID
    reason: str


class ConflictOut(BaseModel):
    """Who took the work over (None when nobody was free)."""

    replaced_by: uuid.UUID | None


class PlacingOut(BaseModel):
    """A work's place in a ranking and why (see ranking.py for the method)."""

    work_id: uuid.UUID
    rank: int
    advanced: bool
    reason: str
    sheets: int
    raw_total: float | None
    normalised_total: float | None
    raw_by_criterion: dict[str, float]
    normalised_by_criterion: dict[str, float]
    disagreement: float | None
    flagged_for_discussion: bool
    closed_with_quorum: int | None = Field(default=None, description=(
        "Set when the round closed at its deadline with a quorum: the submitted sheets each work needed"))
    absent_evaluators: list[uuid.UUID] = Field(default_factory=list, description=(
        "Closed with a quorum: the evaluators assigned this work who never submitted its sheet"))


class CloseIn(StrictModel):
    """How to close a round: with every sheet (default), or at its deadline with a quorum of sheets per work."""

    quorum: bool = Field(default=False, description=(
        "Close at or after the deadline once each work has HAMI_ROUND_QUORUM submitted sheets (default 2)"))


class ClosedOut(BaseModel):
    """A closed round and the works that advanced."""

    state: str
    advanced: list[uuid.UUID]


class ReopenIn(StrictModel):
    """Why the round reopens (recorded)."""

    reason: Text = Field(min_length=3, max_length=1000)


class ReopenedOut(BaseModel):
    """A reopened round and how many times it was reopened."""

    state: str
    reopenings: int


class ReceiptIn(StrictModel):
    """The category whose district selections the central secretariat received."""

    edition: Edition
    category: Category


class ReceiptOut(BaseModel):
    """How many works went to the jury."""

    works: int


class AwardOut(BaseModel):
    """One published award."""

    work_id: uuid.UUID
    place: str
    district: int
    title: str


class PublishedOut(JalaliModel):
    """A category's published awards."""

    category: str
    awards: list[AwardOut]
    published_at: datetime


class ProposedAwardOut(AwardOut):
    """One proposed award with the jury's score and the explanation of its placing."""

    score: float | None
    explanation: dict


class ProposalOut(JalaliModel):
    """A category's awards as the jury proposed them; published_at is empty until the council approves."""

    category: str
    awards: list[ProposedAwardOut]
    proposed_at: datetime
    published_at: datetime | None
