"""Bodies and organisations remember who manages them: the structure file or staff over HTTP,
so that reloading the file never deactivates what staff added.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("bodies", "organisations"):
        op.add_column(table, sa.Column("managed_by", sa.Text, nullable=False, server_default="structure"))


def downgrade() -> None:
    for table in ("bodies", "organisations"):
        op.drop_column(table, "managed_by")
