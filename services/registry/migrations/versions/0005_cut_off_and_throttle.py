"""Cutting someone off and a throttle that cannot be turned against users: a token version per account (raised
whenever someone loses access), failed sign-ins counted per username and client together, and a per-client count
against password spraying.

The throttle's rows are short-lived state, not history: the old per-username table is replaced, not migrated.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("accounts", sa.Column("token_version", sa.Integer, nullable=False, server_default="0"))
    op.drop_table("sign_in_failures")
    op.create_table(
        "sign_in_failures",
        sa.Column("username", sa.Text, nullable=False),
        sa.Column("client", sa.Text, nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("username", "client"),
    )
    op.create_index("sign_in_failures_last_failed_at", "sign_in_failures", ["last_failed_at"])
    op.create_table(
        "sign_in_clients",
        sa.Column("client", sa.Text, primary_key=True),
        sa.Column("window_started", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
    )
    op.create_index("sign_in_clients_window_started", "sign_in_clients", ["window_started"])


def downgrade() -> None:
    op.drop_table("sign_in_clients")
    op.drop_table("sign_in_failures")
    op.create_table(
        "sign_in_failures",
        sa.Column("username", sa.Text, primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
    )
    op.drop_column("accounts", "token_version")
