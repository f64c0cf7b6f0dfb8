"""Request and response models of works (requests reject unknown fields; server-owned fields such as the
status, the tracking code or the district of an edit are never taken from a request)."""

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Discriminator, Field, Tag

from services.submissions.calls.schemas import EDITION
from services.submissions.fields import Line, QuestionCode, Text
from shared.models import StrictModel
from shared.web.jalali import JalaliModel


class CitizenIn(StrictModel):
    """A citizen who submits a work."""

    kind: Literal["citizen"] = "citizen"
    name: Line = Field(max_length=200)
    national_id: Line = Field(max_length=20)
    mobile: Line = Field(max_length=20)


class RepresentativeIn(StrictModel):
    """The person who represents a submitting organisation."""

    name: Line = Field(max_length=200)
    national_id: Line = Field(max_length=20)
    mobile: Line = Field(max_length=20)


class OrganisationIn(StrictModel):
    """A registered organisation (by its registry code, its legal-entity ID, or both) and who represents it;
    its name comes from the registry."""

    kind: Literal["organisation"]
    code: Line | None = Field(default=None, max_length=100)
    legal_entity_id: Line | None = Field(default=None, max_length=20)
    representative: RepresentativeIn


def _submitter_kind(value: Any) -> str:
    kind = value.get("kind", "citizen") if isinstance(value, dict) else getattr(value, "kind", "citizen")
    return kind if kind in ("citizen", "organisation") else "citizen"


SubmitterIn = Annotated[
    Annotated[CitizenIn, Tag("citizen")] | Annotated[OrganisationIn, Tag("organisation")],
    Discriminator(_submitter_kind),
]


class TeamMemberIn(StrictModel):
    """A member of the team behind a work."""

    name: Line = Field(min_length=2, max_length=200)
    role: Line = Field(default="", max_length=200)


class WorkIn(StrictModel):
    """A work as a clerk (or an organisation's account) enters it."""

    edition: str | None = Field(default=None, pattern=EDITION, description="default: the call open now")
    district: int = Field(ge=1, le=22)
    neighbourhood: Line = Field(min_length=1, max_length=200)
    office: Line | None = Field(default=None, max_length=200, description="the festival office that took it")
    category: Line = Field(max_length=40)
    title: Line = Field(min_length=3, max_length=300)
    summary: Text = Field(min_length=10, max_length=5000)
    submitter: SubmitterIn
    team: list[TeamMemberIn] = Field(default_factory=list, max_length=50)
    beneficiaries: int = Field(default=0, ge=0, le=20_000_000)
    answers: dict[QuestionCode, Annotated[Text, Field(max_length=5000)]] = Field(default_factory=dict, max_length=30)


class WorkPatch(StrictModel):
    """Fields to change; those left out stay as they are (the district and edition never change)."""

    neighbourhood: Line | None = Field(default=None, min_length=1, max_length=200)
    office: Line | None = Field(default=None, max_length=200)
    category: Line | None = Field(default=None, max_length=40)
    title: Line | None = Field(default=None, min_length=3, max_length=300)
    summary: Text | None = Field(default=None, min_length=10, max_length=5000)
    submitter: SubmitterIn | None = None
    team: list[TeamMemberIn] | None = Field(default=None, max_length=50)
    beneficiaries: int | None = Field(default=None, ge=0, le=20_000_000)
    answers: dict[QuestionCode, Annotated[Text, Field(max_length=5000)]] | None = Field(default=None, max_length=30)


class WithdrawIn(StrictModel):
    """Why a work is withdrawn."""

    reason: Text = Field(min_length=3, max_length=1000)


class SubmitterOut(BaseModel):
    """Who submitted a work (and the organisation, when one did)."""

    kind: str
    name: str
    national_id: str
    mobile: str
    organisation_code: str | None = None
    organisation_name: str | None = None
    organisation_legal_id: str | None = None


class WorkOut(JalaliModel):
    """A work as staff see it."""

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
    """One page of a staff list of works."""

    items: list[WorkOut]
    total: int
    page: int
    page_size: int


class FiguresOut(BaseModel):
    """Works in figures (withdrawn left out): one edition per district and category, every edition per category."""

    edition: str | None
    editions: list[str]
    categories: dict[str, str]
    per_district: dict[int, dict[str, int]]
    per_edition: dict[str, dict[str, int]]


class HistoryOut(JalaliModel):
    """One status of a work, with its time and who moved it."""

    status: str
    status_fa: str
    previous_status: str | None
    at: datetime
    actor: str
    note: str
