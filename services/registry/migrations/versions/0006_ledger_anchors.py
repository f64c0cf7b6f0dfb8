"""The ledger anchored outside the database: its signed checkpoints (append-only, like the ledger), and private
signing keys that may no longer be stored in the clear.

The services run as a role that owns nothing (shared/migrate.py grants it its privileges after each migration):
it may only read and append to the tables an append-only trigger guards, here the checkpoints too. Keys stored in
the clear before this revision are encrypted by the registry on its next start (it holds the key-encryption key;
a migration does not), so the check is NOT VALID: it holds for every key written from now on.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_checkpoints",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("hash", sa.Text, nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kid", sa.Text, nullable=False),
        sa.Column("signature", sa.Text, nullable=False),
    )
    for statement in (
        "CREATE FUNCTION ledger_checkpoints_are_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'the ledger''s checkpoints are append-only'; END $$",
        "CREATE TRIGGER ledger_checkpoints_no_update_or_delete BEFORE UPDATE OR DELETE ON ledger_checkpoints "
        "FOR EACH ROW EXECUTE FUNCTION ledger_checkpoints_are_append_only()",
        "CREATE TRIGGER ledger_checkpoints_no_truncate BEFORE TRUNCATE ON ledger_checkpoints "
        "FOR EACH STATEMENT EXECUTE FUNCTION ledger_checkpoints_are_append_only()",
        "REVOKE UPDATE, DELETE, TRUNCATE ON ledger_checkpoints FROM PUBLIC",
        "ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_private_pem_encrypted "
        "CHECK (private_pem LIKE '-----BEGIN ENCRYPTED PRIVATE KEY-----%') NOT VALID",
    ):
        op.execute(statement)


def downgrade() -> None:
    op.execute("ALTER TABLE signing_keys DROP CONSTRAINT signing_keys_private_pem_encrypted")
    op.drop_table("ledger_checkpoints")
    op.execute("DROP FUNCTION ledger_checkpoints_are_append_only()")
