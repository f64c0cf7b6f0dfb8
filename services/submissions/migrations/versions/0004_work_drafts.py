"""Submissions: the pages' server-side drafts of works being entered (kept a day at most).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "work_drafts",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", JSONB, nullable=False),
        sa.Column("possible_duplicate", sa.Boolean, nullable=False),
    )
    op.create_index("work_drafts_created_at", "work_drafts", ["created_at"])
    op.create_table(
        "draft_documents",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("draft_id", UUID(as_uuid=True), sa.ForeignKey("work_drafts.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_draft_documents_draft_id", "draft_documents", ["draft_id"])


def downgrade() -> None:
    op.drop_table("draft_documents")
    op.drop_table("work_drafts")
