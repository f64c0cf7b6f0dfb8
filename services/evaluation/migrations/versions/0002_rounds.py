"""Evaluation: people and memberships projections, conflicts, rounds, assignments, sheets, results,
quotas, rubrics, receipts and awards.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NOW = sa.func.now()


def _uuid(name: str, *constraints, **kw) -> sa.Column:
    return sa.Column(name, UUID(as_uuid=True), *constraints, **kw)


def upgrade() -> None:
    for column in ("edition", "submitter_mobile", "organisation"):
        op.add_column("works", sa.Column(column, sa.Text))
    op.create_table("people", _uuid("person_id", primary_key=True), sa.Column("name", sa.Text, nullable=False),
                    sa.Column("mobile", sa.Text))
    op.create_table("memberships", _uuid("appointment_id", primary_key=True), _uuid("person_id", nullable=False),
                    sa.Column("body_code", sa.Text, nullable=False), sa.Column("body_kind", sa.Text, nullable=False),
                    sa.Column("role", sa.Text, nullable=False), sa.Column("district", sa.Integer),
                    sa.Column("active", sa.Boolean, nullable=False))
    op.create_index("memberships_person", "memberships", ["person_id"])
    op.create_table("conflicts", _uuid("person_id", nullable=False), _uuid("work_id", nullable=False),
                    sa.Column("reason", sa.Text, nullable=False),
                    sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
                    sa.PrimaryKeyConstraint("person_id", "work_id"))
    op.create_table(
        "rounds", _uuid("id", primary_key=True), sa.Column("edition", sa.Text, nullable=False),
        sa.Column("tier", sa.Integer, nullable=False), sa.Column("district", sa.Integer),
        sa.Column("category", sa.Text, nullable=False), sa.Column("state", sa.Text, nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True)), sa.Column("k", sa.Integer, nullable=False),
        sa.Column("quota", sa.Integer, nullable=False), sa.Column("rubric", JSONB, nullable=False),
        sa.Column("opened_by", sa.Text, nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
        sa.Column("closed_by", sa.Text), sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("reopenings", JSONB, nullable=False, server_default="[]"))
    op.create_table("assignments", _uuid("round_id", sa.ForeignKey("rounds.id"), nullable=False),
                    _uuid("work_id", nullable=False), _uuid("evaluator_id", nullable=False),
                    sa.PrimaryKeyConstraint("round_id", "work_id", "evaluator_id"))
    op.create_index("assignments_evaluator", "assignments", ["evaluator_id"])
    op.create_table("sheets", _uuid("round_id", sa.ForeignKey("rounds.id"), nullable=False),
                    _uuid("work_id", nullable=False), _uuid("evaluator_id", nullable=False),
                    sa.Column("scores", JSONB, nullable=False),
                    sa.Column("comment", sa.Text, nullable=False, server_default=""),
                    sa.Column("state", sa.Text, nullable=False),
                    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
                    sa.PrimaryKeyConstraint("round_id", "work_id", "evaluator_id"))
    op.create_table("results", _uuid("round_id", sa.ForeignKey("rounds.id"), nullable=False),
                    _uuid("work_id", nullable=False), sa.Column("rank", sa.Integer, nullable=False),
                    sa.Column("score", sa.Float), sa.Column("advanced", sa.Boolean, nullable=False),
                    sa.Column("explanation", JSONB, nullable=False), sa.PrimaryKeyConstraint("round_id", "work_id"))
    op.create_table("quotas", sa.Column("edition", sa.Text, primary_key=True),
                    sa.Column("per_district", sa.Integer, nullable=False),
                    sa.Column("exceptions", JSONB, nullable=False))
    op.create_table("rubrics", sa.Column("edition", sa.Text, nullable=False),
                    sa.Column("category", sa.Text, nullable=False), sa.Column("criteria", JSONB, nullable=False),
                    sa.PrimaryKeyConstraint("edition", "category"))
    op.create_table("receipts", sa.Column("edition", sa.Text, nullable=False),
                    sa.Column("category", sa.Text, nullable=False), sa.Column("confirmed_by", sa.Text, nullable=False),
                    sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
                    sa.PrimaryKeyConstraint("edition", "category"))
    op.create_table("awards", sa.Column("edition", sa.Text, nullable=False),
                    sa.Column("category", sa.Text, nullable=False), sa.Column("awards", JSONB, nullable=False),
                    sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
                    sa.Column("published_at", sa.DateTime(timezone=True)),
                    sa.PrimaryKeyConstraint("edition", "category"))


def downgrade() -> None:
    for table in ("awards", "receipts", "rubrics", "quotas", "results", "sheets", "assignments", "rounds",
                  "conflicts", "memberships", "people"):
        op.drop_table(table)
    for column in ("edition", "submitter_mobile", "organisation"):
        op.drop_column("works", column)
