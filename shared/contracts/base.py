"""The base event every service publishes: identity, time, version and its routing."""

from datetime import UTC, datetime
from typing import ClassVar
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field

CITY = "city"
DISTRICTS = range(1, 23)


def district_scope(district: int) -> str:
    """Scope part of a routing key for a district: 7 -> 'd07'."""
    if district not in DISTRICTS:
        raise ValueError(f"district must be 1..22, not {district}")
    return f"d{district:02d}"


class Event(BaseModel):
    """Base of every contract; consumers ignore unknown fields so adding one is not breaking."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    # Filled in by each concrete contract.
    service: ClassVar[str]
    entity: ClassVar[str]
    action: ClassVar[str]
    public: ClassVar[bool] = False

    event_id: UUID = Field(default_factory=uuid4)
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    schema_version: int = 1

    @classmethod
    def event_type(cls) -> str:
        """Stable type name, e.g. 'submissions.work.received'; also the AMQP `type`."""
        return f"{cls.service}.{cls.entity}.{cls.action}"

    def scope(self) -> str:
        """Routing scope: 'city' unless the contract is about one district."""
        district = getattr(self, "district", None)
        return district_scope(district) if district else CITY

    def routing_key(self) -> str:
        """`<service>.<entity>.<event>.<scope>` as the bus expects."""
        return f"{self.event_type()}.{self.scope()}"
