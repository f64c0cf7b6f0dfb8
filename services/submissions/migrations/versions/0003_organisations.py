"""Submissions: the projection of registry's organisations, and the registry code of a submitting one.

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
    op.create_table(
        "organisations",
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("name_fa", sa.Text, nullable=False),
        sa.Column("legal_entity_id", sa.Text),
        sa.Column("district", sa.Integer),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_index("ix_organisations_legal_entity_id", "organisations", ["legal_entity_id"])
    op.add_column("works", sa.Column("organisation_code", sa.Text))


def downgrade() -> None:
    op.drop_column("works", "organisation_code")
    op.drop_table("organisations")
