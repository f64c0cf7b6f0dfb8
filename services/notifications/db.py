"""Notifications tables: the delivery ledger, projections of other services' events, templates, webhooks, inbox."""

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from shared.db import inbox_table, outbox_table

metadata = MetaData()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

# The delivery ledger: one row per event, recipient and channel, never two.
deliveries = Table(
    "deliveries", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True, server_default=func.gen_random_uuid()),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("event_type", Text, nullable=False),
    Column("recipient", Text, nullable=False),  # the address: mobile, email, person id or webhook id
    Column("channel", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("sent_at", DateTime(timezone=True)),
    Column("rule", Text),
    Column("subject", Text),
    Column("html", Text),
    Column("person_id", UUID(as_uuid=True)),
    Column("webhook_id", UUID(as_uuid=True)),
    Column("essential", Boolean, nullable=False, server_default=text("true")),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("lease_until", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("event_id", "recipient", "channel"),
    Index("deliveries_due", "next_attempt_at", postgresql_where=text("status IN ('pending', 'failed')")),
    Index("deliveries_newest", "created_at"),
    Index("deliveries_recipient", "recipient"),
)

# Projections of registry and submissions events: who can be reached, and how.
people = Table(
    "people", metadata,
    Column("person_id", UUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False),
    Column("mobile", Text),
    Column("email", Text),
    Index("people_mobile", "mobile"),
)
memberships = Table(
    "memberships", metadata,
    Column("appointment_id", UUID(as_uuid=True), primary_key=True),
    Column("person_id", UUID(as_uuid=True), nullable=False),
    Column("body_code", Text, nullable=False),
    Column("body_kind", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("district", Integer),
    Column("active", Boolean, nullable=False),
    Index("memberships_kind", "body_kind", "district"),
)
bodies = Table(
    "bodies", metadata,
    Column("code", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("name_fa", Text, nullable=False),
    Column("district", Integer),
)
works = Table(
    "works", metadata,
    Column("work_id", UUID(as_uuid=True), primary_key=True),
    Column("tracking_code", Text, nullable=False),
    Column("district", Integer, nullable=False),
    Column("category", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("submitter_name", Text, nullable=False),
    Column("submitter_mobile", Text, nullable=False),
    Column("edition", Text),
    Column("withdrawn", Boolean, nullable=False, server_default=text("false")),
    Index("works_edition", "edition", "category"),
)
rounds = Table(
    "rounds", metadata,
    Column("round_id", UUID(as_uuid=True), primary_key=True),
    Column("edition", Text, nullable=False),
    Column("tier", Integer, nullable=False),
    Column("category", Text, nullable=False),
    Column("district", Integer),
)
work_rounds = Table(
    "work_rounds", metadata,
    Column("work_id", UUID(as_uuid=True), nullable=False),
    Column("round_id", UUID(as_uuid=True), nullable=False),
    PrimaryKeyConstraint("work_id", "round_id"),
    Index("work_rounds_round", "round_id"),
)
decisions = Table(
    "decisions", metadata,
    Column("decision_id", UUID(as_uuid=True), primary_key=True),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
)

# Staff's versions of the default templates.
templates = Table(
    "templates", metadata,
    Column("rule", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("subject", Text, nullable=False, server_default=""),
    Column("text", Text, nullable=False),
    Column("html", Text, nullable=False, server_default=""),
    Column("updated_by", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("rule", "channel"),
)
webhooks = Table(
    "webhooks", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True, server_default=func.gen_random_uuid()),
    Column("name", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("secret", Text, nullable=False),
    Column("patterns", ARRAY(Text), nullable=False),
    Column("status", Text, nullable=False, server_default="active"),  # active, failing, disabled
    Column("consecutive_failures", Integer, nullable=False, server_default=text("0")),
    Column("last_error", Text),
    Column("failing_since", DateTime(timezone=True)),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
inbox_items = Table(
    "inbox_items", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True, server_default=func.gen_random_uuid()),
    Column("delivery_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("person_id", UUID(as_uuid=True), nullable=False),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("event_type", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("read_at", DateTime(timezone=True)),
    Column("link_service", Text),  # the page the item concerns (inbox/links.py), when it has one
    Column("link_path", Text),
    Index("inbox_items_person", "person_id", "created_at"),
    Index("inbox_items_unread", "person_id", postgresql_where=text("read_at IS NULL")),
)
opt_outs = Table(
    "opt_outs", metadata,
    Column("channel", Text, nullable=False),
    Column("address", Text, nullable=False),
    Column("source", Text, nullable=False),  # link (the recipient) or staff (on the recipient's request)
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("channel", "address"),
)

# Secrets the service makes for itself on first start (shared by every replica through the database).
service_secrets = Table(
    "service_secrets", metadata,
    Column("name", Text, primary_key=True),
    Column("value", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
