"""Events the registry publishes: the festival's organisation."""

from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from shared.contracts.base import Event
from shared.contracts.decisions import DecisionAction


class _Body(Event):
    service: ClassVar[str] = "registry"
    entity: ClassVar[str] = "body"

    code: str
    kind: str
    name_fa: str
    parent_code: str | None = None
    district: int | None = None
    active: bool = True


class BodyCreated(_Body):
    """A body (council, committee, secretariat...) was added to the structure."""

    action: ClassVar[str] = "created"


class BodyChanged(_Body):
    """A body's name, kind or place in the tree changed."""

    action: ClassVar[str] = "changed"


class BodyDeactivated(_Body):
    """A body left the structure; it is kept for its history."""

    action: ClassVar[str] = "deactivated"


class _Neighbourhood(Event):
    service: ClassVar[str] = "registry"
    entity: ClassVar[str] = "neighbourhood"

    code: str
    district: int
    name_fa: str
    active: bool = True


class NeighbourhoodCreated(_Neighbourhood):
    """A neighbourhood (محله) was added to a district."""

    action: ClassVar[str] = "created"


class NeighbourhoodDeactivated(_Neighbourhood):
    """A neighbourhood was removed from the structure; kept for its history."""

    action: ClassVar[str] = "deactivated"


class NeighbourhoodReactivated(_Neighbourhood):
    """A neighbourhood that had been removed is back in the structure."""

    action: ClassVar[str] = "reactivated"




class _Decision(Event):
    service: ClassVar[str] = "registry"
    entity: ClassVar[str] = "decision"

    decision_id: UUID


class DecisionIssued(_Decision):
    """A decision (مصوبه) was issued; `action` carries typed parameters other services act on."""

    action: ClassVar[str] = "issued"

    title: str
    text: str
    issuing_body: str
    kind: str
    all_districts: bool
    districts: list[int]
    committees: list[str]
    ack_deadline: datetime
    parameters: DecisionAction | None = None
    # The authority it was issued with (the issuing body's kind, the issuer's role in it): consumers act on an
    # actionable decision only when shared.contracts.decisions.may_issue_actionable says so.
    issuer_kind: str | None = None
    issuer_role: str | None = None
    # Whether the districts must acknowledge it: operational decisions (quotas, opening the call, approving results)
    # inform only, so they leave nothing pending and raise no overdue alarm. Earlier events all required it.
    requires_acknowledgement: bool = True


class DecisionRelayed(_Decision):
    """The central secretariat relayed a decision to one district, with its own note."""

    action: ClassVar[str] = "relayed"

    district: int
    note: str = ""
    ack_deadline: datetime
    requires_acknowledgement: bool = True  # False: the district is informed, not asked to acknowledge


class DecisionAcknowledged(_Decision):
    """A district secretariat acknowledged a relayed decision."""

    action: ClassVar[str] = "acknowledged"

    district: int
    note: str = ""


class DecisionCommitteeAcknowledged(_Decision):
    """A committee the decision addresses acknowledged it, through one of its members."""

    action: ClassVar[str] = "committee_acknowledged"

    committee: str
    note: str = ""


class DecisionCommitteeOverdue(_Decision):
    """A committee the decision addresses has not acknowledged it by its deadline."""

    action: ClassVar[str] = "committee_overdue"

    committee: str
    ack_deadline: datetime


class DecisionImplemented(_Decision):
    """A district secretariat reports a decision carried out."""

    action: ClassVar[str] = "implemented"

    district: int
    note: str = ""


class DecisionOverdue(_Decision):
    """A district has not acknowledged a decision by its deadline."""

    action: ClassVar[str] = "overdue"

    district: int
    ack_deadline: datetime


class PersonRegistered(Event):
    """A person joined the registry; internal only (contact details for notifications)."""

    service: ClassVar[str] = "registry"
    entity: ClassVar[str] = "person"
    action: ClassVar[str] = "registered"

    person_id: UUID
    name: str
    mobile: str | None = None
    email: str | None = None
    # The organisations the person speaks for or belongs to (an organisation account's holder: that organisation's
    # code), all of them as of this event: evaluation never gives them a work those organisations submitted.
    organisations: list[str] = []


class AccessRevoked(Event):
    """A person's earlier tokens no longer count (account deactivated, password changed or reset, an appointment
    ended, their organisation deactivated): every service refuses a token whose version is below this one."""

    service: ClassVar[str] = "registry"
    entity: ClassVar[str] = "person"
    action: ClassVar[str] = "access_revoked"

    person_id: UUID
    token_version: int
    reason: str


class _Membership(Event):
    service: ClassVar[str] = "registry"
    entity: ClassVar[str] = "member"

    appointment_id: UUID
    person_id: UUID
    body_code: str
    body_kind: str
    role: str
    district: int | None = None


class MemberAppointed(_Membership):
    """A person was appointed to a body with a role."""

    action: ClassVar[str] = "appointed"


class MemberRemoved(_Membership):
    """A person's appointment to a body ended (the record stays)."""

    action: ClassVar[str] = "removed"


class _Organisation(Event):
    service: ClassVar[str] = "registry"
    entity: ClassVar[str] = "organisation"

    code: str
    kind: str
    name_fa: str
    legal_entity_id: str | None = None
    district: int | None = None
    neighbourhood_code: str | None = None
    active: bool = True


class OrganisationRegistered(_Organisation):
    """A local institution or partner organisation was registered."""

    action: ClassVar[str] = "registered"


class OrganisationChanged(_Organisation):
    """A local institution or partner organisation changed (or was deactivated: active false)."""

    action: ClassVar[str] = "changed"


class Shortcoming(BaseModel):
    """One shortcoming a district reports up: what is missing, since when (a Gregorian date), what is needed."""

    model_config = ConfigDict(frozen=True)

    what: str
    since: date
    needed: str


class ReportFiled(Event):
    """A district (district scope) or the central secretariat (city scope) filed a report."""

    service: ClassVar[str] = "registry"
    entity: ClassVar[str] = "report"
    action: ClassVar[str] = "filed"

    report_id: UUID
    district: int | None = None
    period_start: date
    period_end: date
    figures: dict
    cites: list[UUID] = []
    shortcomings: list[Shortcoming] = []  # a district report's typed shortcomings (the city report: in figures)


class LedgerCheckpointed(Event):
    """Public: the registry signed the festival ledger's head, so other systems hold a witness of the chain; its
    `signature` is a compact JWS (ES256, header kid and typ hami-ledger-checkpoint) of {"hash", "seq", "signed_at"},
    checked against the registry's keys."""

    service: ClassVar[str] = "registry"
    entity: ClassVar[str] = "ledger"
    action: ClassVar[str] = "checkpointed"
    public: ClassVar[bool] = True

    seq: int
    hash: str
    signed_at: datetime
    kid: str
    signature: str


EVENTS: tuple[type[Event], ...] = (
    BodyCreated, BodyChanged, BodyDeactivated,
    NeighbourhoodCreated, NeighbourhoodDeactivated, NeighbourhoodReactivated,
    DecisionIssued, DecisionRelayed, DecisionAcknowledged, DecisionCommitteeAcknowledged, DecisionImplemented,
    DecisionOverdue, DecisionCommitteeOverdue,
    PersonRegistered, MemberAppointed, MemberRemoved, OrganisationRegistered, OrganisationChanged, ReportFiled,
    LedgerCheckpointed,
)
