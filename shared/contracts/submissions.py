"""Events the submissions service publishes: works and their intake."""

from typing import ClassVar
from uuid import UUID

from shared.contracts.base import Event


class WorkReceived(Event):
    """Internal: a work was accepted at intake; carries what evaluation and notifications need."""

    service: ClassVar[str] = "submissions"
    entity: ClassVar[str] = "work"
    action: ClassVar[str] = "received"

    work_id: UUID
    tracking_code: str
    district: int
    neighbourhood: str
    category: str
    title: str
    submitter_name: str
    submitter_national_id: str
    submitter_mobile: str


class PublicWorkReceived(Event):
    """Public: a work was received in a district; no personal data."""

    service: ClassVar[str] = "submissions"
    entity: ClassVar[str] = "work"
    action: ClassVar[str] = "received"
    public: ClassVar[bool] = True

    work_id: UUID
    district: int
    neighbourhood: str
    category: str


EVENTS: tuple[type[Event], ...] = (WorkReceived, PublicWorkReceived)
