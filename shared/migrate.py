"""Alembic, one chain per service: run from code (on start, `hami migrate`) and from each env.py; and the runtime
role's privileges, granted by the owner after every migration.

Two roles per database: the owner runs the migrations and owns every table, trigger and sequence; the service
runs as a role that owns nothing, so it cannot drop the ledger's append-only trigger, alter a table or switch a
trigger off. It gets SELECT, INSERT, UPDATE and DELETE on the tables, except on append-only ones (those guarded by
an `*append_only*` trigger), which it may only read and append to.
"""

import asyncio
from pathlib import Path

import asyncpg
from alembic import command, context, op
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from shared.db import asyncpg_dsn, ensure_database, inbox_table, outbox_table

SERVICES_DIR = Path(__file__).resolve().parent.parent / "services"


def alembic_config(service: str, database_url: str) -> Config:
    """Alembic configuration for a service's migration chain against a database."""
    config = Config()
    config.set_main_option("script_location", str(SERVICES_DIR / service / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url)
    config.attributes["configure_logging"] = False
    return config


async def migrate(service: str, database_url: str, *, runtime_role: str | None = None) -> None:
    """Create the service's database if needed, upgrade it to the newest revision as the owner `database_url`
    connects as, and give `runtime_role` (created if missing and the owner may) what the service needs at run time."""
    await ensure_database(database_url)
    # Alembic's command API is synchronous and runs its own event loop inside env.py.
    await asyncio.to_thread(command.upgrade, alembic_config(service, database_url), "head")
    if runtime_role:
        await grant_runtime_role(database_url, runtime_role)


GRANT_LOCK = 7_405_010
# Tables the runtime role may only read and append to: those an append-only trigger guards (the ledger, its
# checkpoints), so the rule lives once, in the migration that made them append-only.
APPEND_ONLY_TABLES = """
SELECT DISTINCT c.relname FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_proc p ON p.oid = t.tgfoid
WHERE n.nspname = 'public' AND NOT t.tgisinternal AND p.proname LIKE '%append_only%' ORDER BY 1
"""


async def grant_runtime_role(database_url: str, role: str) -> None:
    """As the owner: the runtime role may connect and use the tables, but append-only ones only read and append."""
    connection = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        await _ensure_role(connection, role)
        quoted = _quote(role)
        database = await connection.fetchval("SELECT current_database()")
        async with connection.transaction():
            await connection.execute("SELECT pg_advisory_xact_lock($1)", GRANT_LOCK)  # replicas starting together
            for statement in (
                f"GRANT CONNECT ON DATABASE {_quote(database)} TO {quoted}",
                "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
                f"GRANT USAGE ON SCHEMA public TO {quoted}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
                # Tables a later migration adds are usable before the next grant (append-only ones are fixed below).
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted}",
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {quoted}",
                f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {quoted}",
            ):
                await connection.execute(statement)
            for table in [row[0] for row in await connection.fetch(APPEND_ONLY_TABLES)]:
                await connection.execute(f"REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON {_quote(table)} "
                                         f"FROM {quoted}")
    finally:
        await connection.close()


async def _ensure_role(connection: asyncpg.Connection, role: str) -> None:
    """Create the runtime role (development: no password, the local server trusts it) unless it exists; refuse
    one that could undo what the owner set up."""
    found = await connection.fetchrow("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1", role)
    owner = await connection.fetchval("SELECT current_user")
    if role == owner or (found and (found["rolsuper"] or found["rolbypassrls"])):
        raise RuntimeError(f"the runtime role {role!r} must be another role than the owner, and no superuser")
    if found:
        return
    try:
        await connection.execute(f"CREATE ROLE {_quote(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT")
    except (asyncpg.DuplicateObjectError, asyncpg.UniqueViolationError):
        pass  # another service or replica created it at the same moment
    except asyncpg.InsufficientPrivilegeError as error:
        raise RuntimeError(f"the runtime role {role!r} does not exist and {owner!r} may not create it "
                           "(deploy/postgres/init-databases.sh creates it in docker compose)") from error


def _quote(identifier: str) -> str:
    """A PostgreSQL identifier, quoted (role and database names come from settings)."""
    return '"' + identifier.replace('"', '""') + '"'


def run_env(target_metadata: MetaData) -> None:
    """Body of every service's migrations/env.py (online mode, async engine)."""
    url = context.config.get_main_option("sqlalchemy.url")

    def run(connection: Connection) -> None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()

    async def main() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(run)
        await engine.dispose()

    asyncio.run(main())


def create_messaging_tables(connection: Connection) -> None:
    """For a service's first migration: the outbox and inbox tables as shared/db.py defines them."""
    metadata = MetaData()
    outbox_table(metadata)
    inbox_table(metadata)
    metadata.create_all(connection)


def outbox_payload_as(kind: str) -> None:
    """For a migration: the outbox's payload column as json or jsonb (rows converted, unsent ones kept)."""
    if kind not in ("json", "jsonb"):
        raise ValueError(f"not a JSON column type: {kind}")
    op.execute(f"ALTER TABLE outbox ALTER COLUMN payload TYPE {kind} USING payload::{kind}")
