"""Every registry table in one metadata (what the migrations describe); the sub-domains' db.py query them."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from shared.db import inbox_table, outbox_table

metadata = MetaData()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

# structure
bodies = Table(
    "bodies", metadata,
    Column("code", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("name_fa", Text, nullable=False),
    Column("parent_code", Text),
    Column("district", Integer),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("managed_by", Text, nullable=False, server_default="structure"),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

neighbourhoods = Table(
    "neighbourhoods", metadata,
    Column("code", Text, primary_key=True),
    Column("district", Integer, nullable=False),
    Column("name_fa", Text, nullable=False),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# organisations
organisations = Table(
    "organisations", metadata,
    Column("code", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("name_fa", Text, nullable=False),
    Column("legal_entity_id", Text, unique=True),
    Column("district", Integer),
    Column("neighbourhood_code", Text, ForeignKey("neighbourhoods.code")),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("managed_by", Text, nullable=False, server_default="structure"),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# people
people = Table(
    "people", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False),
    Column("mobile", Text),
    Column("email", Text),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

appointments = Table(
    "appointments", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("person_id", UUID(as_uuid=True), ForeignKey("people.id"), nullable=False),
    Column("body_code", Text, ForeignKey("bodies.code"), nullable=False),
    Column("role", Text, nullable=False),
    Column("appointed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("appointed_by", Text, nullable=False),
    Column("removed_at", DateTime(timezone=True)),
    Column("removed_by", Text),
)

# identity
accounts = Table(
    "accounts", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("username", Text, nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("person_id", UUID(as_uuid=True), ForeignKey("people.id"), nullable=False, unique=True),
    Column("organisation_code", Text, ForeignKey("organisations.code")),  # the organisation it speaks for
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # Raised whenever the person loses access (deactivated, password changed or reset, appointment ended): tokens
    # carry it (tv), and a token older than the account's version is no longer honoured.
    Column("token_version", Integer, nullable=False, server_default="0"),
)

# Failed sign-ins of a username from one client (an address, or an IPv6 /64): the lock holds only for that pair.
sign_in_failures = Table(
    "sign_in_failures", metadata,
    Column("username", Text, nullable=False),
    Column("client", Text, nullable=False),
    Column("failures", Integer, nullable=False),
    Column("last_failed_at", DateTime(timezone=True), nullable=False),
    Column("locked_until", DateTime(timezone=True)),
    PrimaryKeyConstraint("username", "client"),
)

# Failed sign-ins from one client whatever the username, in a window: password spraying locks the client.
sign_in_clients = Table(
    "sign_in_clients", metadata,
    Column("client", Text, primary_key=True),
    Column("window_started", DateTime(timezone=True), nullable=False),
    Column("failures", Integer, nullable=False),
    Column("locked_until", DateTime(timezone=True)),
)

signing_keys = Table(
    "signing_keys", metadata,
    Column("kid", Text, primary_key=True),
    Column("private_pem", Text, nullable=False),
    Column("public_jwk", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("retired_at", DateTime(timezone=True)),
)

# decisions
decisions = Table(
    "decisions", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("issuing_body", Text, ForeignKey("bodies.code"), nullable=False),
    Column("kind", Text, nullable=False),
    Column("all_districts", Boolean, nullable=False),
    Column("districts", ARRAY(Integer), nullable=False),
    Column("committees", ARRAY(Text), nullable=False),
    Column("ack_deadline", DateTime(timezone=True), nullable=False),
    Column("parameters", JSONB),
    # Operational decisions inform: their districts' rows are never pending, never overdue.
    Column("requires_acknowledgement", Boolean, nullable=False, server_default="true"),
    Column("issued_by", Text, nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

decision_districts = Table(
    "decision_districts", metadata,
    Column("decision_id", UUID(as_uuid=True), ForeignKey("decisions.id"), nullable=False),
    Column("district", Integer, nullable=False),
    Column("status", Text, nullable=False),
    Column("relay_note", Text),
    Column("relayed_at", DateTime(timezone=True)),
    Column("ack_note", Text),
    Column("acknowledged_at", DateTime(timezone=True)),
    Column("implemented_note", Text),
    Column("implemented_at", DateTime(timezone=True)),
    Column("overdue_at", DateTime(timezone=True)),
    PrimaryKeyConstraint("decision_id", "district"),
)
# Each committee a decision addresses acknowledges it for itself (acknowledged_at NULL: not yet).
decision_committees = Table(
    "decision_committees", metadata,
    Column("decision_id", UUID(as_uuid=True), ForeignKey("decisions.id"), nullable=False),
    Column("committee", Text, nullable=False),
    Column("acknowledged_by", Text),
    Column("ack_note", Text),
    Column("acknowledged_at", DateTime(timezone=True)),
    Column("overdue_at", DateTime(timezone=True)),
    PrimaryKeyConstraint("decision_id", "committee"),
)

# reports
reports = Table(
    "reports", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("district", Integer),  # NULL: the city report
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("figures", JSONB, nullable=False),
    Column("achievements", Text, nullable=False),
    Column("shortcomings", Text, nullable=False),
    Column("shortcoming_items", JSONB, nullable=False, server_default="[]"),  # [{what, since, needed}]
    Column("cites", ARRAY(UUID(as_uuid=True)), nullable=False, server_default="{}"),
    Column("filed_by", Text, nullable=False),
    Column("filed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# ledger: append-only (a trigger refuses changes) and hash-chained
ledger = Table(
    "ledger", metadata,
    # Numbered by each append after the chain's head, under its lock (ledger/db.py): no default to take a number from.
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("event_id", Text, nullable=False, unique=True),
    Column("event_type", Text, nullable=False),
    Column("routing_key", Text, nullable=False),
    Column("exchange", Text, nullable=False),
    Column("correlation_id", Text),
    Column("causation_id", Text),
    Column("payload", JSONB, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("prev_hash", Text, nullable=False),
    Column("hash", Text, nullable=False),
)

# the ledger's checkpoints: its head hash at a seq, signed with the registry's key (append-only, like the ledger)
ledger_checkpoints = Table(
    "ledger_checkpoints", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("hash", Text, nullable=False),
    Column("signed_at", DateTime(timezone=True), nullable=False),
    Column("kid", Text, nullable=False),
    Column("signature", Text, nullable=False),
)
