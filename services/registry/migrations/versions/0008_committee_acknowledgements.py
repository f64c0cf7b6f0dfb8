"""Decisions addressed to committees: each addressed committee acknowledges for itself (one of its members, for
the committee), as each district does for a relayed decision.

Decisions issued before this revision named their committees but asked nothing of them: they get rows already
acknowledged, so no old decision turns up as pending for a committee that was never asked.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision_committees",
        sa.Column("decision_id", UUID(as_uuid=True), sa.ForeignKey("decisions.id"), nullable=False),
        sa.Column("committee", sa.Text, nullable=False),
        sa.Column("acknowledged_by", sa.Text),
        sa.Column("ack_note", sa.Text),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("decision_id", "committee"),
    )
    op.execute("INSERT INTO decision_committees (decision_id, committee, ack_note, acknowledged_at) "
               "SELECT id, unnest(committees), 'issued before committees acknowledged', issued_at FROM decisions")


def downgrade() -> None:
    op.drop_table("decision_committees")
