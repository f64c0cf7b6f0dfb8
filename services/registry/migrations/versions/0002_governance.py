"""Registry governance: people and appointments, organisations, decisions, reports, sign-in throttle,
and the ledger's hash chain with an append-only trigger.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from services.registry.ledger.domain import GENESIS, seal

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NOW = sa.func.now()


def _people() -> None:
    op.create_table(
        "people",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("mobile", sa.Text),
        sa.Column("email", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    )
    op.create_table(
        "appointments",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("person_id", UUID(as_uuid=True), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("body_code", sa.Text, sa.ForeignKey("bodies.code"), nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("appointed_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
        sa.Column("appointed_by", sa.Text, nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True)),
        sa.Column("removed_by", sa.Text),
    )
    op.create_index("appointments_active", "appointments", ["person_id", "body_code", "role"], unique=True,
                    postgresql_where=sa.text("removed_at IS NULL"))
    op.add_column("accounts", sa.Column("person_id", UUID(as_uuid=True), sa.ForeignKey("people.id")))
    # Every existing account becomes a person (same id) and its memberships become appointments.
    op.execute("INSERT INTO people (id, name) SELECT id, name FROM accounts")
    op.execute("UPDATE accounts SET person_id = id")
    op.execute("INSERT INTO appointments (id, person_id, body_code, role, appointed_by) "
               "SELECT gen_random_uuid(), account_id, body_code, role, 'migration' FROM memberships")
    op.alter_column("accounts", "person_id", nullable=False)
    op.create_unique_constraint("accounts_person", "accounts", ["person_id"])
    op.drop_column("accounts", "name")
    op.drop_table("memberships")


def _organisations() -> None:
    op.create_table(
        "organisations",
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("name_fa", sa.Text, nullable=False),
        sa.Column("legal_entity_id", sa.Text, unique=True),
        sa.Column("district", sa.Integer),
        sa.Column("neighbourhood_code", sa.Text, sa.ForeignKey("neighbourhoods.code")),
        sa.Column("active", sa.Boolean, nullable=False, server_default="true"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    )


def _decisions() -> None:
    op.create_table(
        "decisions",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("issuing_body", sa.Text, sa.ForeignKey("bodies.code"), nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("all_districts", sa.Boolean, nullable=False),
        sa.Column("districts", ARRAY(sa.Integer), nullable=False),
        sa.Column("committees", ARRAY(sa.Text), nullable=False),
        sa.Column("ack_deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("parameters", JSONB),
        sa.Column("issued_by", sa.Text, nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    )
    op.create_table(
        "decision_districts",
        sa.Column("decision_id", UUID(as_uuid=True), sa.ForeignKey("decisions.id"), nullable=False),
        sa.Column("district", sa.Integer, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("relay_note", sa.Text),
        sa.Column("relayed_at", sa.DateTime(timezone=True)),
        sa.Column("ack_note", sa.Text),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True)),
        sa.Column("implemented_note", sa.Text),
        sa.Column("implemented_at", sa.DateTime(timezone=True)),
        sa.Column("overdue_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("decision_id", "district"),
    )


def _reports() -> None:
    op.create_table(
        "reports",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("district", sa.Integer),  # NULL: the city report
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("figures", JSONB, nullable=False),
        sa.Column("achievements", sa.Text, nullable=False),
        sa.Column("shortcomings", sa.Text, nullable=False),
        sa.Column("cites", ARRAY(UUID(as_uuid=True)), nullable=False, server_default="{}"),
        sa.Column("filed_by", sa.Text, nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    )
    op.create_table(
        "sign_in_failures",
        sa.Column("username", sa.Text, primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
    )


def _ledger_chain() -> None:
    op.add_column("ledger", sa.Column("exchange", sa.Text, nullable=False, server_default="hami.internal"))
    op.add_column("ledger", sa.Column("prev_hash", sa.Text))
    op.add_column("ledger", sa.Column("hash", sa.Text))
    bind = op.get_bind()
    prev = GENESIS
    rows = bind.execute(sa.text("SELECT seq, event_id, event_type, routing_key, exchange, correlation_id, "
                                "causation_id, payload, recorded_at FROM ledger ORDER BY seq")).mappings()
    for row in list(rows):
        digest = seal(prev, dict(row))
        bind.execute(sa.text("UPDATE ledger SET prev_hash = :p, hash = :h WHERE seq = :s"),
                     {"p": prev, "h": digest, "s": row["seq"]})
        prev = digest
    op.alter_column("ledger", "prev_hash", nullable=False)
    op.alter_column("ledger", "hash", nullable=False)
    op.alter_column("ledger", "recorded_at", server_default=None)
    for statement in (
        "CREATE FUNCTION ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'the festival ledger is append-only'; END $$",
        "CREATE TRIGGER ledger_no_update_or_delete BEFORE UPDATE OR DELETE ON ledger "
        "FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only()",
        "CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger "
        "FOR EACH STATEMENT EXECUTE FUNCTION ledger_is_append_only()",
        "REVOKE UPDATE, DELETE, TRUNCATE ON ledger FROM PUBLIC",
    ):
        op.execute(statement)


def upgrade() -> None:
    _people()
    _organisations()
    _decisions()
    _reports()
    _ledger_chain()


def downgrade() -> None:
    raise NotImplementedError("0002 moves accounts onto people; restore from a backup instead")
