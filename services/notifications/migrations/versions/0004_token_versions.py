"""Notifications: the newest token version of each person whose access registry cut (shared/revocation.py); a token
carrying an older version is refused.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

from shared.revocation import token_versions

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The table as every service defines it (as the first migrations take the outbox and inbox from shared/db.py).
    token_versions.create(op.get_bind())


def downgrade() -> None:
    token_versions.drop(op.get_bind())
