"""Request and response models of a district's festival offices (requests reject unknown fields)."""

from datetime import datetime

from pydantic import BaseModel, Field

from services.submissions.fields import Line
from shared.models import StrictModel
from shared.web.jalali import JalaliModel


class StaffIn(StrictModel):
    """One of an office's staff: a name or an account's username, and a phone when given."""

    name: Line | None = Field(default=None, max_length=200)
    username: str | None = Field(default=None, pattern=r"^[a-z0-9._-]{3,50}$")
    phone: Line | None = Field(default=None, max_length=30)


class DistrictOfficeIn(StrictModel):
    """Open (or keep open) a neighbourhood's festival office and name its staff; open false closes it."""

    open: bool = True
    staff: list[StaffIn] = Field(default_factory=list, max_length=30)


class StaffOut(BaseModel):
    """One of an office's staff as stored."""

    name: str | None
    username: str | None
    phone: str | None


class DistrictOfficeOut(JalaliModel):
    """A neighbourhood's festival office in an edition, as its district sees it (staff included)."""

    edition: str
    code: str
    district: int
    name_fa: str
    open: bool
    staff: list[StaffOut]
    updated_by: str | None
    updated_at: datetime | None
