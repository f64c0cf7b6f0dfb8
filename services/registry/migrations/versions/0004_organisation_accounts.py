"""An account may speak for an organisation (its representative), so organisations submit works themselves.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("accounts", sa.Column("organisation_code", sa.Text, sa.ForeignKey("organisations.code")))


def downgrade() -> None:
    op.drop_column("accounts", "organisation_code")
