"""Request and response models of editions and calls (requests reject unknown fields)."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from services.submissions.fields import Line, Text
from shared.models import StrictModel
from shared.web.jalali import DAY_END, JalaliModel

EDITION = r"^1[34][0-9]{2}$"


class EditionIn(StrictModel):
    """A new festival edition."""

    code: str = Field(pattern=EDITION, description="A Jalali year, e.g. 1405")
    title_fa: Line | None = Field(default=None, max_length=200)


class QuestionIn(StrictModel):
    """A question the call asks every submitter (answers are checked at intake)."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,39}$")
    text_fa: Text = Field(min_length=3, max_length=1000)
    required: bool = False


class OfficeIn(StrictModel):
    """A festival office, named by its district and neighbourhood."""

    district: int = Field(ge=1, le=22)
    neighbourhood: Line = Field(min_length=1, max_length=200)


class CallIn(StrictModel):
    """A call's settings; dates are Jalali (Tehran), the closing day included."""

    categories: dict[Annotated[Line, Field(max_length=40)], Annotated[Line, Field(max_length=200)]] | None = Field(
        default=None, max_length=20, description="code -> Persian name; default: the festival's three")
    opens_on: Line = Field(max_length=20, examples=["1405/02/01"])
    closes_on: Line = Field(max_length=20, examples=["1405/04/31"])
    offices: list[OfficeIn] | None = Field(
        default=None, max_length=400,
        description="the edition's offices, all districts; omitted: each district's offices stay as they are")
    questions: list[QuestionIn] = Field(default_factory=list, max_length=20)


class OfficeOut(BaseModel):
    """A festival office: its neighbourhood's code, district and name."""

    code: str
    district: int
    name_fa: str


class CallOut(JalaliModel):
    """A call as shown to everyone: its state, categories, questions, dates and offices."""

    edition: str
    state: str
    accepting_works: bool
    categories: dict[str, str]
    questions: list[dict]
    opens_at: datetime | None
    closes_at: Annotated[datetime | None, DAY_END]  # the instant the last day ends
    opens_on: str | None = Field(description="Jalali, Persian digits")
    closes_on: str | None = Field(description="the last day, Jalali, Persian digits")
    offices: list[OfficeOut]
    decision_id: uuid.UUID | None


class EditionOut(BaseModel):
    """An edition, with its call once one is set up."""

    code: str
    title_fa: str
    call: CallOut | None = None
