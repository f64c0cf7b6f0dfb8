"""Registry: the ledger's seq has no default any more. An append numbers its rows after the chain's head, read
under the append lock (ledger/db.py); the sequence behind the old default went unused, and a row inserted any
other way would have taken a number the chain already had. Now such an insert is refused at once.

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE ledger ALTER COLUMN seq DROP DEFAULT")
    op.execute("DROP SEQUENCE IF EXISTS ledger_seq_seq")


def downgrade() -> None:
    op.execute("CREATE SEQUENCE ledger_seq_seq OWNED BY ledger.seq")
    op.execute("SELECT setval('ledger_seq_seq', COALESCE(max(seq), 0) + 1, false) FROM ledger")
    op.execute("ALTER TABLE ledger ALTER COLUMN seq SET DEFAULT nextval('ledger_seq_seq')")
