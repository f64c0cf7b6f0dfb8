"""Events the evaluation service publishes: rounds, assignments, outcomes and awards."""

from datetime import datetime
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from shared.contracts.base import Event


class _Round(Event):
    service: ClassVar[str] = "evaluation"
    entity: ClassVar[str] = "round"

    round_id: UUID
    edition: str
    tier: Literal[1, 2]
    category: str
    district: int | None = None  # tier 1: the district; tier 2: None (city)
    deadline: datetime | None = None


class RoundOpened(_Round):
    """A round opened; its evaluators are the people assigned works in it."""

    action: ClassVar[str] = "opened"

    evaluator_ids: list[UUID] = []


class RoundClosed(_Round):
    """A round closed: its ranking is final (unless an authorised role reopens it)."""

    action: ClassVar[str] = "closed"


class WorkAssigned(Event):
    """Internal: a work was assigned to evaluators in a round."""

    service: ClassVar[str] = "evaluation"
    entity: ClassVar[str] = "assignment"
    action: ClassVar[str] = "made"

    round_id: UUID
    work_id: UUID
    district: int
    evaluator_ids: list[UUID]


class SheetSubmitted(Event):
    """Internal: an evaluator submitted a score sheet (scores stay inside evaluation)."""

    service: ClassVar[str] = "evaluation"
    entity: ClassVar[str] = "sheet"
    action: ClassVar[str] = "submitted"

    round_id: UUID
    work_id: UUID
    evaluator_id: UUID
    district: int


class SelectionsReceived(Event):
    """The central secretariat confirmed it has the districts' selected works of a category, complete."""

    service: ClassVar[str] = "evaluation"
    entity: ClassVar[str] = "selection"
    action: ClassVar[str] = "received"

    edition: str
    category: str
    works: int


class _Outcome(Event):
    service: ClassVar[str] = "evaluation"
    entity: ClassVar[str] = "work"

    work_id: UUID
    round_id: UUID
    tier: Literal[1, 2]
    district: int
    category: str


class WorkEvaluated(_Outcome):
    """A work's scoring in a round is complete (its round closed with it ranked)."""

    action: ClassVar[str] = "evaluated"

    rank: int
    score: float


class WorkAdvanced(_Outcome):
    """A work advanced: at tier 1 to the jury, at tier 2 to the awards."""

    action: ClassVar[str] = "advanced"

    rank: int


class WorkNotAdvanced(_Outcome):
    """A work did not advance from its round."""

    action: ClassVar[str] = "not_advanced"

    rank: int


class Award(BaseModel):
    """One award of a category: first, second, third or an honourable mention."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    work_id: UUID
    place: Literal["first", "second", "third", "honourable_mention"]
    district: int
    title: str


class AwardsProposed(Event):
    """Internal: tier 2's ranking proposes the awards of a category, for the council to approve."""

    service: ClassVar[str] = "evaluation"
    entity: ClassVar[str] = "awards"
    action: ClassVar[str] = "proposed"

    edition: str
    category: str
    awards: list[Award]


class ResultsPublished(Event):
    """Public: the council approved the results of a category; titles and districts only, nothing personal."""

    service: ClassVar[str] = "evaluation"
    entity: ClassVar[str] = "results"
    action: ClassVar[str] = "published"
    public: ClassVar[bool] = True

    edition: str
    category: str
    awards: list[Award]


EVENTS: tuple[type[Event], ...] = (
    RoundOpened, RoundClosed, WorkAssigned, SheetSubmitted, SelectionsReceived, WorkEvaluated, WorkAdvanced,
    WorkNotAdvanced, AwardsProposed, ResultsPublished,
)
