"""Submissions tables, in one metadata (the migrations' target); each sub-domain's db.py holds its queries."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from shared.db import inbox_table, outbox_table

metadata = MetaData()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

# Projection of registry's neighbourhood events.
neighbourhoods = Table(
    "neighbourhoods", metadata,
    Column("code", Text, primary_key=True),
    Column("district", Integer, nullable=False),
    Column("name_fa", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    UniqueConstraint("district", "name_fa"),
)

# Projection of registry's organisation events: who may submit as a registered organisation.
organisations = Table(
    "organisations", metadata,
    Column("code", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("name_fa", Text, nullable=False),
    Column("legal_entity_id", Text, index=True),
    Column("district", Integer),
    Column("active", Boolean, nullable=False),
)

editions = Table(
    "editions", metadata,
    Column("code", Text, primary_key=True),  # a Jalali year, e.g. 1405
    Column("title_fa", Text, nullable=False),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# One call per edition: its categories, questions and dates (UTC), and its state.
calls = Table(
    "calls", metadata,
    Column("edition", Text, ForeignKey("editions.code"), primary_key=True),
    Column("categories", JSONB, nullable=False),
    Column("questions", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("opens_at", DateTime(timezone=True)),
    Column("closes_at", DateTime(timezone=True)),
    Column("state", Text, nullable=False, server_default="draft"),
    Column("opened_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
    Column("decision_id", UUID(as_uuid=True)),
    Column("updated_by", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# Neighbourhoods where the edition has a festival office, open or closed (a closed one keeps its record), with
# the staff its district named and who changed it last.
call_offices = Table(
    "call_offices", metadata,
    Column("edition", Text, ForeignKey("calls.edition"), nullable=False),
    Column("neighbourhood_code", Text, nullable=False),
    Column("open", Boolean, nullable=False, server_default=text("true")),
    Column("staff", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("updated_by", Text),
    Column("updated_at", DateTime(timezone=True)),
    PrimaryKeyConstraint("edition", "neighbourhood_code"),
)

works = Table(
    "works", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("tracking_code", Text, nullable=False, unique=True),
    Column("district", Integer, nullable=False, index=True),
    Column("neighbourhood_code", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("submitter_name", Text, nullable=False),
    Column("submitter_national_id", Text, nullable=False),
    Column("submitter_mobile", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("edition", Text, ForeignKey("editions.code")),
    Column("submitter_kind", Text, nullable=False, server_default="citizen"),
    Column("organisation_name", Text),
    Column("organisation_legal_id", Text),
    Column("organisation_code", Text),
    Column("office_code", Text),
    Column("team", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("beneficiaries", Integer, nullable=False, server_default=text("0")),
    Column("answers", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("title_key", Text, nullable=False, server_default=""),
    Column("search_text", Text, nullable=False, server_default=""),
    Column("possible_duplicate", Boolean, nullable=False, server_default=text("false")),
    Column("duplicate_of", UUID(as_uuid=True)),
    Column("status_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_by", Text),
    Column("updated_at", DateTime(timezone=True)),
    Index("works_duplicates", "edition", "title_key"),
    Index("works_listing", "edition", "district", "category"),
)

status_history = Table(
    "status_history", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("work_id", UUID(as_uuid=True), ForeignKey("works.id"), nullable=False),
    Column("status", Text, nullable=False),
    Column("previous_status", Text),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", Text, nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("status_history_work", "work_id", "id"),
)

# Attachments, stored with the work; removal hides a document but keeps it (the festival keeps every record).
documents = Table(
    "documents", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("work_id", UUID(as_uuid=True), ForeignKey("works.id"), nullable=False, index=True),
    Column("filename", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("media_type", Text, nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("uploaded_by", Text, nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("removed_by", Text),
    Column("removed_at", DateTime(timezone=True)),
)

# Works a clerk is entering, between the form and "check your answers" (the pages' server-side draft): the body
# as typed and the documents chosen, kept only by their author and only until submitted or a day old.
work_drafts = Table(
    "work_drafts", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("body", JSONB, nullable=False),
    Column("possible_duplicate", Boolean, nullable=False),
    Index("work_drafts_created_at", "created_at"),
)

draft_documents = Table(
    "draft_documents", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("draft_id", UUID(as_uuid=True), ForeignKey("work_drafts.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("position", Integer, nullable=False),
    Column("filename", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
)
