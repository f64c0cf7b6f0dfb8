"""Typed parameters of the council's actionable decisions, which other services act on."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Action(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    edition: str = Field(pattern=r"^1[34][0-9]{2}$", description="Festival edition, a Jalali year such as 1405")


class OpenCall(_Action):
    """Open the call of an edition for works: its categories and dates (UTC instants)."""

    action: Literal["open_call"] = "open_call"
    categories: dict[str, str] = Field(description="category code -> Persian name")
    opens_at: datetime
    closes_at: datetime


class CloseCall(_Action):
    """Close the call of an edition: intake stops."""

    action: Literal["close_call"] = "close_call"


class SetQuotas(_Action):
    """How many works advance from each district per category (default, with per-district exceptions)."""

    action: Literal["set_quotas"] = "set_quotas"
    per_district: int = Field(ge=0, le=100)
    exceptions: dict[int, int] = Field(default_factory=dict, description="district -> quota")


class Criterion(BaseModel):
    """One weighted criterion of a rubric."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    code: str
    name_fa: str
    weight: float = Field(gt=0)
    min_score: int = 0
    max_score: int = 10


class SetRubric(_Action):
    """The evaluation rubric for an edition (and a category, or all when None)."""

    action: Literal["set_rubric"] = "set_rubric"
    category: str | None = None
    criteria: list[Criterion] = Field(min_length=1)


class OpenTier(_Action):
    """Open an evaluation tier (1: districts, 2: jury), optionally for one district or category."""

    action: Literal["open_tier"] = "open_tier"
    tier: Literal[1, 2]
    district: int | None = Field(default=None, ge=1, le=22)
    category: str | None = None


class CloseTier(OpenTier):
    """Close an evaluation tier."""

    action: Literal["close_tier"] = "close_tier"  # type: ignore[assignment]


class ApproveResults(_Action):
    """The council approves the proposed awards of an edition: results are published."""

    action: Literal["approve_results"] = "approve_results"
    category: str | None = None


# Who may issue an actionable decision, one that changes the festival: the policy council, through its chair or its
# secretary. Specialised committees and the festival secretary issue directives and notices only. Registry checks
# this when a decision is issued, and every consuming service checks it again on the authority the event carries.
ACTIONABLE_ISSUER_KIND = "policy_council"
ACTIONABLE_ISSUER_ROLES = frozenset({"chair", "secretary"})


def may_issue_actionable(issuer_kind: str | None, issuer_role: str | None) -> bool:
    """True when a body of this kind, through a person in this role, may issue a decision that changes the
    festival (unknown authority: no)."""
    return issuer_kind == ACTIONABLE_ISSUER_KIND and issuer_role in ACTIONABLE_ISSUER_ROLES


DecisionAction = Annotated[
    OpenCall | CloseCall | SetQuotas | SetRubric | OpenTier | CloseTier | ApproveResults,
    Field(discriminator="action"),
]
