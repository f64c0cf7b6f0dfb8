"""Events the submissions service publishes: calls (city scope) and works (district scope)."""

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from shared.contracts.base import Event


class _Call(Event):
    service: ClassVar[str] = "submissions"
    entity: ClassVar[str] = "call"

    edition: str
    categories: dict[str, str]
    opens_at: datetime
    closes_at: datetime
    decision_id: UUID | None = None


class CallOpened(_Call):
    """The call of an edition opened: works are taken between opens_at and closes_at (UTC)."""

    action: ClassVar[str] = "opened"


class CallChanged(_Call):
    """An open call's categories or dates changed (a deadline extended, say)."""

    action: ClassVar[str] = "changed"


class CallClosed(Event):
    """The call of an edition closed: intake stopped."""

    service: ClassVar[str] = "submissions"
    entity: ClassVar[str] = "call"
    action: ClassVar[str] = "closed"

    edition: str
    closed_at: datetime
    decision_id: UUID | None = None


class PublicCallOpened(CallOpened):
    """Public: a call opened, with its categories and dates."""

    public: ClassVar[bool] = True


class PublicCallChanged(CallChanged):
    """Public: an open call's categories or dates changed."""

    public: ClassVar[bool] = True


class PublicCallClosed(CallClosed):
    """Public: a call closed."""

    public: ClassVar[bool] = True


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
    # Added with editions and calls (defaults keep older payloads valid).
    edition: str | None = None
    submitter_kind: str = "citizen"
    organisation_name: str | None = None
    organisation_legal_id: str | None = None
    organisation_code: str | None = None  # the registry's code of a submitting organisation
    possible_duplicate: bool = False


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
    edition: str | None = None


class WorkChanged(Event):
    """Internal: a work was edited before its call closed; `changed` names the fields that changed."""

    service: ClassVar[str] = "submissions"
    entity: ClassVar[str] = "work"
    action: ClassVar[str] = "changed"

    work_id: UUID
    edition: str | None = None
    district: int
    neighbourhood: str
    category: str
    title: str
    changed: list[str]
    submitter_name: str
    submitter_mobile: str
    # Added for the central secretariat's receipt: how many documents the work has after this change, set
    # when documents were attached or removed; None (older payloads, other edits) says nothing about them.
    documents: int | None = None


class WorkWithdrawn(Event):
    """Internal: a work was withdrawn before its evaluation started."""

    service: ClassVar[str] = "submissions"
    entity: ClassVar[str] = "work"
    action: ClassVar[str] = "withdrawn"

    work_id: UUID
    edition: str | None = None
    district: int
    category: str
    tracking_code: str
    reason: str
    withdrawn_at: datetime
    submitter_mobile: str


class WorkStatusChanged(Event):
    """Internal: a work's status moved (received, in district evaluation, ..., withdrawn), with its time."""

    service: ClassVar[str] = "submissions"
    entity: ClassVar[str] = "work"
    action: ClassVar[str] = "status_changed"

    work_id: UUID
    edition: str | None = None
    district: int
    category: str
    status: str
    previous_status: str
    at: datetime
    tracking_code: str
    submitter_mobile: str


class PublicWorkStatusChanged(Event):
    """Public: a work's status moved; no personal data."""

    service: ClassVar[str] = "submissions"
    entity: ClassVar[str] = "work"
    action: ClassVar[str] = "status_changed"
    public: ClassVar[bool] = True

    work_id: UUID
    edition: str | None = None
    district: int
    category: str
    status: str
    previous_status: str
    at: datetime


EVENTS: tuple[type[Event], ...] = (
    CallOpened, CallChanged, CallClosed, PublicCallOpened, PublicCallChanged, PublicCallClosed,
    WorkReceived, PublicWorkReceived, WorkChanged, WorkWithdrawn, WorkStatusChanged, PublicWorkStatusChanged,
)
