"""Submissions: editions and calls, richer works (organisations, team, answers, duplicates, search),
status history and documents.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from services.submissions.works.search import compact_key

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_EMPTY_LIST = sa.text("'[]'::jsonb")


def upgrade() -> None:
    op.create_table(
        "editions",
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("title_fa", sa.Text, nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "calls",
        sa.Column("edition", sa.Text, sa.ForeignKey("editions.code"), primary_key=True),
        sa.Column("categories", JSONB, nullable=False),
        sa.Column("questions", JSONB, nullable=False, server_default=_EMPTY_LIST),
        sa.Column("opens_at", sa.DateTime(timezone=True)),
        sa.Column("closes_at", sa.DateTime(timezone=True)),
        sa.Column("state", sa.Text, nullable=False, server_default="draft"),
        sa.Column("opened_at", sa.DateTime(timezone=True)),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("decision_id", UUID(as_uuid=True)),
        sa.Column("updated_by", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("state IN ('draft', 'open', 'closed')", name="calls_state"),
        sa.CheckConstraint("closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at", name="calls_dates"),
    )
    op.create_table(
        "call_offices",
        sa.Column("edition", sa.Text, sa.ForeignKey("calls.edition"), nullable=False),
        sa.Column("neighbourhood_code", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("edition", "neighbourhood_code"),
    )
    _extend_works()
    op.create_table(
        "status_history",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("work_id", UUID(as_uuid=True), sa.ForeignKey("works.id"), nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("previous_status", sa.Text),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("status_history_work", "status_history", ["work_id", "id"])
    op.execute("INSERT INTO status_history (work_id, status, at, actor) "
               "SELECT id, status, created_at, created_by FROM works")
    op.create_table(
        "documents",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("work_id", UUID(as_uuid=True), sa.ForeignKey("works.id"), nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("media_type", sa.Text, nullable=False),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("uploaded_by", sa.Text, nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("removed_by", sa.Text),
        sa.Column("removed_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_documents_work_id", "documents", ["work_id"])


def _extend_works() -> None:
    add = op.add_column
    add("works", sa.Column("edition", sa.Text, sa.ForeignKey("editions.code")))
    add("works", sa.Column("submitter_kind", sa.Text, nullable=False, server_default="citizen"))
    add("works", sa.Column("organisation_name", sa.Text))
    add("works", sa.Column("organisation_legal_id", sa.Text))
    add("works", sa.Column("office_code", sa.Text))
    add("works", sa.Column("team", JSONB, nullable=False, server_default=_EMPTY_LIST))
    add("works", sa.Column("beneficiaries", sa.Integer, nullable=False, server_default=sa.text("0")))
    add("works", sa.Column("answers", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")))
    add("works", sa.Column("title_key", sa.Text, nullable=False, server_default=""))
    add("works", sa.Column("search_text", sa.Text, nullable=False, server_default=""))
    add("works", sa.Column("possible_duplicate", sa.Boolean, nullable=False, server_default=sa.text("false")))
    add("works", sa.Column("duplicate_of", UUID(as_uuid=True)))
    add("works", sa.Column("status_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()))
    add("works", sa.Column("updated_by", sa.Text))
    add("works", sa.Column("updated_at", sa.DateTime(timezone=True)))
    op.create_check_constraint("works_beneficiaries", "works", "beneficiaries >= 0")
    op.create_index("works_duplicates", "works", ["edition", "title_key"])
    op.create_index("works_listing", "works", ["edition", "district", "category"])
    # Works from before editions: their keys and status time, computed as the application would.
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT id, title, summary, tracking_code, submitter_name, created_at FROM works")).mappings().all()
    for row in rows:
        search = "|".join(compact_key(part) for part in (
            row["title"], row["summary"], row["tracking_code"], row["submitter_name"]))
        bind.execute(sa.text("UPDATE works SET title_key = :title_key, search_text = :search, status_at = :at "
                             "WHERE id = :id"),
                     {"title_key": compact_key(row["title"]), "search": search, "at": row["created_at"],
                      "id": row["id"]})


def downgrade() -> None:
    op.drop_table("documents")
    op.drop_table("status_history")
    op.drop_constraint("works_beneficiaries", "works")
    for index in ("works_duplicates", "works_listing"):
        op.drop_index(index, "works")
    for column in ("updated_at", "updated_by", "status_at", "duplicate_of", "possible_duplicate", "search_text",
                   "title_key", "answers", "beneficiaries", "team", "office_code", "organisation_legal_id",
                   "organisation_name", "submitter_kind", "edition"):
        op.drop_column("works", column)
    op.drop_table("call_offices")
    op.drop_table("calls")
    op.drop_table("editions")
