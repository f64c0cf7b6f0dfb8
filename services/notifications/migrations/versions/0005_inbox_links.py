"""Notifications: the page an inbox item concerns (a decision's page, the jury's proposals), kept with the item, since
the item's event is not kept.

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
    op.add_column("inbox_items", sa.Column("link_service", sa.Text))
    op.add_column("inbox_items", sa.Column("link_path", sa.Text))


def downgrade() -> None:
    op.drop_column("inbox_items", "link_path")
    op.drop_column("inbox_items", "link_service")
