"""Notifications: retrying ledger, contact projections, templates, webhooks, staff inbox, opt-outs.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NOW = sa.func.now()


def _uuid(name: str, **kwargs) -> sa.Column:
    return sa.Column(name, UUID(as_uuid=True), **kwargs)


def _when(name: str, **kwargs) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), **kwargs)


def upgrade() -> None:
    for column in (
        sa.Column("rule", sa.Text), sa.Column("subject", sa.Text), sa.Column("html", sa.Text),
        _uuid("person_id"), _uuid("webhook_id"),
        sa.Column("essential", sa.Boolean, nullable=False, server_default=sa.text("true")),
        sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
        _when("next_attempt_at", nullable=False, server_default=NOW), _when("lease_until"),
        sa.Column("last_error", sa.Text), _when("updated_at", nullable=False, server_default=NOW),
    ):
        op.add_column("deliveries", column)
    op.create_index("deliveries_due", "deliveries", ["next_attempt_at"],
                    postgresql_where=sa.text("status IN ('pending', 'failed')"))
    op.create_index("deliveries_newest", "deliveries", ["created_at"])
    op.create_index("deliveries_recipient", "deliveries", ["recipient"])

    op.create_table("people", _uuid("person_id", primary_key=True), sa.Column("name", sa.Text, nullable=False),
                    sa.Column("mobile", sa.Text), sa.Column("email", sa.Text))
    op.create_index("people_mobile", "people", ["mobile"])
    op.create_table(
        "memberships", _uuid("appointment_id", primary_key=True), _uuid("person_id", nullable=False),
        sa.Column("body_code", sa.Text, nullable=False), sa.Column("body_kind", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False), sa.Column("district", sa.Integer),
        sa.Column("active", sa.Boolean, nullable=False))
    op.create_index("memberships_kind", "memberships", ["body_kind", "district"])
    op.create_table("bodies", sa.Column("code", sa.Text, primary_key=True), sa.Column("kind", sa.Text, nullable=False),
                    sa.Column("name_fa", sa.Text, nullable=False), sa.Column("district", sa.Integer))
    op.create_table(
        "works", _uuid("work_id", primary_key=True), sa.Column("tracking_code", sa.Text, nullable=False),
        sa.Column("district", sa.Integer, nullable=False), sa.Column("category", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False), sa.Column("submitter_name", sa.Text, nullable=False),
        sa.Column("submitter_mobile", sa.Text, nullable=False), sa.Column("edition", sa.Text),
        sa.Column("withdrawn", sa.Boolean, nullable=False, server_default=sa.text("false")))
    op.create_index("works_edition", "works", ["edition", "category"])
    op.create_table(
        "rounds", _uuid("round_id", primary_key=True), sa.Column("edition", sa.Text, nullable=False),
        sa.Column("tier", sa.Integer, nullable=False), sa.Column("category", sa.Text, nullable=False),
        sa.Column("district", sa.Integer))
    op.create_table("work_rounds", _uuid("work_id", nullable=False), _uuid("round_id", nullable=False),
                    sa.PrimaryKeyConstraint("work_id", "round_id"))
    op.create_index("work_rounds_round", "work_rounds", ["round_id"])
    op.create_table("decisions", _uuid("decision_id", primary_key=True), sa.Column("title", sa.Text, nullable=False),
                    sa.Column("text", sa.Text, nullable=False))

    op.create_table(
        "templates", sa.Column("rule", sa.Text, nullable=False), sa.Column("channel", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False, server_default=""), sa.Column("text", sa.Text, nullable=False),
        sa.Column("html", sa.Text, nullable=False, server_default=""),
        sa.Column("updated_by", sa.Text, nullable=False), _when("updated_at", nullable=False, server_default=NOW),
        sa.PrimaryKeyConstraint("rule", "channel"))
    op.create_table(
        "webhooks", _uuid("id", primary_key=True, server_default=sa.func.gen_random_uuid()),
        sa.Column("name", sa.Text, nullable=False), sa.Column("url", sa.Text, nullable=False),
        sa.Column("secret", sa.Text, nullable=False), sa.Column("patterns", ARRAY(sa.Text), nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default="active"),
        sa.Column("consecutive_failures", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("last_error", sa.Text), _when("failing_since"), sa.Column("created_by", sa.Text, nullable=False),
        _when("created_at", nullable=False, server_default=NOW))
    op.create_table(
        "inbox_items", _uuid("id", primary_key=True, server_default=sa.func.gen_random_uuid()),
        _uuid("delivery_id", nullable=False, unique=True), _uuid("person_id", nullable=False),
        _uuid("event_id", nullable=False), sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False), sa.Column("body", sa.Text, nullable=False),
        _when("created_at", nullable=False, server_default=NOW), _when("read_at"))
    op.create_index("inbox_items_person", "inbox_items", ["person_id", "created_at"])
    op.create_index("inbox_items_unread", "inbox_items", ["person_id"], postgresql_where=sa.text("read_at IS NULL"))
    op.create_table(
        "opt_outs", sa.Column("channel", sa.Text, nullable=False), sa.Column("address", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False), _when("created_at", nullable=False, server_default=NOW),
        sa.PrimaryKeyConstraint("channel", "address"))


def downgrade() -> None:
    for table in ("opt_outs", "inbox_items", "webhooks", "templates", "decisions", "work_rounds", "rounds", "works",
                  "bodies", "memberships", "people"):
        op.drop_table(table)
    for index in ("deliveries_recipient", "deliveries_newest", "deliveries_due"):
        op.drop_index(index, table_name="deliveries")
    for column in ("updated_at", "last_error", "lease_until", "next_attempt_at", "attempts", "essential",
                   "webhook_id", "person_id", "html", "subject", "rule"):
        op.drop_column("deliveries", column)
