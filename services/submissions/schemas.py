"""Request and response models of the submissions HTTP interface (requests reject unknown fields)."""

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Discriminator, Field, Tag

from shared.models import StrictModel

EDITION = r"^1[34][0-9]{2}$"


# --- editions and calls -------------------------------------------------------------------------


class EditionIn(StrictModel):
    code: str = Field(pattern=EDITION, description="A Jalali year, e.g. 1405")
    title_fa: str | None = Field(default=None, max_length=200)


class QuestionIn(StrictModel):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,39}$")
    text_fa: str = Field(min_length=3, max_length=1000)
    required: bool = False


class OfficeIn(StrictModel):
    district: int = Field(ge=1, le=22)
    neighbourhood: str = Field(min_length=1, max_length=200)


class CallIn(StrictModel):
    """A call's settings; dates are Jalali (Tehran), the closing day included."""

    categories: dict[str, str] | None = Field(default=None, max_length=20,
                                              description="code -> Persian name; default: the festival's three")
    opens_on: str = Field(max_length=20, examples=["1405/02/01"])
    closes_on: str = Field(max_length=20, examples=["1405/04/31"])
    offices: list[OfficeIn] = Field(default_factory=list, max_length=400)
    questions: list[QuestionIn] = Field(default_factory=list, max_length=20)


class OfficeOut(BaseModel):
    code: str
    district: int
    name_fa: str


class CallOut(BaseModel):
    edition: str
    state: str
    accepting_works: bool
    categories: dict[str, str]
    questions: list[dict]
    opens_at: datetime | None
    closes_at: datetime | None
    opens_on: str | None = Field(description="Jalali, Persian digits")
    closes_on: str | None = Field(description="the last day, Jalali, Persian digits")
    offices: list[OfficeOut]
    decision_id: uuid.UUID | None


class EditionOut(BaseModel):
    code: str
    title_fa: str
    call: CallOut | None = None


# --- works --------------------------------------------------------------------------------------


class CitizenIn(StrictModel):
    kind: Literal["citizen"] = "citizen"
    name: str = Field(max_length=200)
    national_id: str = Field(max_length=20)
    mobile: str = Field(max_length=20)


class RepresentativeIn(StrictModel):
    name: str = Field(max_length=200)
    national_id: str = Field(max_length=20)
    mobile: str = Field(max_length=20)


class OrganisationIn(StrictModel):
    """A registered organisation (by its registry code, its legal-entity ID, or both) and who represents it;
    its name comes from the registry."""

    kind: Literal["organisation"]
    code: str | None = Field(default=None, max_length=100)
    legal_entity_id: str | None = Field(default=None, max_length=20)
    representative: RepresentativeIn


def _submitter_kind(value: Any) -> str:
    kind = value.get("kind", "citizen") if isinstance(value, dict) else getattr(value, "kind", "citizen")
    return kind if kind in ("citizen", "organisation") else "citizen"


SubmitterIn = Annotated[
    Annotated[CitizenIn, Tag("citizen")] | Annotated[OrganisationIn, Tag("organisation")],
    Discriminator(_submitter_kind),
]


class TeamMemberIn(StrictModel):
    name: str = Field(min_length=2, max_length=200)
    role: str = Field(default="", max_length=200)


class WorkIn(StrictModel):
    edition: str | None = Field(default=None, pattern=EDITION, description="default: the call open now")
    district: int = Field(ge=1, le=22)
    neighbourhood: str = Field(min_length=1, max_length=200)
    office: str | None = Field(default=None, max_length=200, description="the festival office that took it")
    category: str = Field(max_length=40)
    title: str = Field(min_length=3, max_length=300)
    summary: str = Field(min_length=10, max_length=5000)
    submitter: SubmitterIn
    team: list[TeamMemberIn] = Field(default_factory=list, max_length=50)
    beneficiaries: int = Field(default=0, ge=0, le=20_000_000)
    answers: dict[str, Annotated[str, Field(max_length=5000)]] = Field(default_factory=dict, max_length=30)


class WorkPatch(StrictModel):
    """Fields to change; those left out stay as they are (the district and edition never change)."""

    neighbourhood: str | None = Field(default=None, min_length=1, max_length=200)
    office: str | None = Field(default=None, max_length=200)
    category: str | None = Field(default=None, max_length=40)
    title: str | None = Field(default=None, min_length=3, max_length=300)
    summary: str | None = Field(default=None, min_length=10, max_length=5000)
    submitter: SubmitterIn | None = None
    team: list[TeamMemberIn] | None = Field(default=None, max_length=50)
    beneficiaries: int | None = Field(default=None, ge=0, le=20_000_000)
    answers: dict[str, Annotated[str, Field(max_length=5000)]] | None = Field(default=None, max_length=30)


class WithdrawIn(StrictModel):
    reason: str = Field(min_length=3, max_length=1000)


class SubmitterOut(BaseModel):
    kind: str
    name: str
    national_id: str
    mobile: str
    organisation_code: str | None = None
    organisation_name: str | None = None
    organisation_legal_id: str | None = None


class WorkOut(BaseModel):
    id: uuid.UUID
    tracking_code: str
    edition: str | None
    district: int
    neighbourhood: str
    office: str | None
    category: str
    title: str
    summary: str
    submitter: SubmitterOut
    team: list[dict]
    beneficiaries: int
    answers: dict[str, str]
    status: str
    status_fa: str
    status_at: datetime
    possible_duplicate: bool
    duplicate_of: uuid.UUID | None
    created_at: datetime
    updated_at: datetime | None


class WorkPage(BaseModel):
    items: list[WorkOut]
    total: int
    page: int
    page_size: int


class HistoryOut(BaseModel):
    status: str
    status_fa: str
    previous_status: str | None
    at: datetime
    at_jalali: str
    actor: str
    note: str


class DocumentOut(BaseModel):
    id: uuid.UUID
    filename: str
    kind: str
    media_type: str
    size_bytes: int
    sha256: str
    uploaded_at: datetime


# --- public tracking ----------------------------------------------------------------------------


class TrackIn(StrictModel):
    code: str = Field(max_length=40)
    mobile: str = Field(max_length=30)


class TrackOut(BaseModel):
    """Only the status and its Jalali date: nothing personal."""

    status: str
    status_fa: str
    date: str = Field(description="Jalali date of the status, Persian digits")
