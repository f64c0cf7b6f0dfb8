"""Registry: the ledger seals its rows in the database. `ledger_append` takes the append lock, reads the chain's
head, numbers the new rows after it, chains their hashes and inserts them: one round trip, where the lock, the head
read and the insert took three, and the lock is held only while PostgreSQL works. The hash is the one
`ledger.domain.seal` gives and verification checks: the registry sends each row's canonical JSON up to its seq's
value (`ledger.domain.unsealed`), and the function hashes the previous hash, that text, the seq's digits and "}".
The columns are read from that same JSON: what is stored is what was sealed, and the registry sends one array.
A volatile PL/pgSQL function takes a new snapshot for each statement, so the head read sees every append committed
while this one waited for the lock.

Revision ID: 0012
Revises: 0011
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

APPEND = """
CREATE FUNCTION ledger_append(lock_key bigint, genesis text, at timestamptz, unsealed text[]) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    head_seq bigint;
    prev text;
    prevs text[] := '{}';
    hashes text[] := '{}';
    sealed_rows jsonb[] := '{}';
BEGIN
    -- Before the lock, what does not depend on the chain's head: each row's fields, parsed (its seq comes later).
    FOR i IN 1 .. coalesce(array_length(unsealed, 1), 0) LOOP
        sealed_rows[i] := unsealed[i] || '0}';
    END LOOP;
    PERFORM pg_advisory_xact_lock(lock_key);
    SELECT l.seq, l.hash INTO head_seq, prev FROM ledger l ORDER BY l.seq DESC LIMIT 1;
    IF NOT FOUND THEN
        head_seq := 0;
        prev := genesis;
    END IF;
    FOR i IN 1 .. coalesce(array_length(unsealed, 1), 0) LOOP
        prevs[i] := prev;
        prev := encode(sha256(convert_to(prev || unsealed[i] || (head_seq + i) || '}', 'UTF8')), 'hex');
        hashes[i] := prev;
    END LOOP;
    INSERT INTO ledger (seq, event_id, event_type, routing_key, exchange, correlation_id, causation_id, payload,
                        recorded_at, prev_hash, hash)
    SELECT head_seq + n, j ->> 'event_id', j ->> 'event_type', j ->> 'routing_key', j ->> 'exchange',
           j ->> 'correlation_id', j ->> 'causation_id', j -> 'payload', at, prevs[n], hashes[n]
    FROM unnest(sealed_rows) WITH ORDINALITY AS u(j, n);
END $$
"""


def upgrade() -> None:
    op.execute(APPEND)


def downgrade() -> None:
    op.execute("DROP FUNCTION ledger_append")
