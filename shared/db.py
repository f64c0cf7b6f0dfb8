"""Database plumbing shared by the services: engines, the outbox and inbox tables, database creation."""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from functools import cache
from typing import TypeVar

import asyncpg
import structlog
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    bindparam,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSON, UUID
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.sql.elements import TextClause

T = TypeVar("T")
log = structlog.get_logger("db")


def make_engine(database_url: str, *, pool_size: int = 5, max_overflow: int = 5) -> AsyncEngine:
    """An async engine whose pool survives a database restart without pinging before every use.

    A pre-ping costs three round trips per checkout (BEGIN, a query, ROLLBACK): under intake that was a tenth of each
    service's CPU, mostly in socket writes. Without it, the first statement on a connection the restart closed fails
    as a disconnect: SQLAlchemy then drops every pooled connection older than that moment, the request answers 503
    (shared.errors) and a message is retried. Small pools on purpose: four services (and their replicas) share one
    PostgreSQL's connection limit.
    """
    return create_async_engine(database_url, pool_size=pool_size, max_overflow=max_overflow)


class Listener:
    """A LISTEN on a connection of its own that sets an event on each notification. `ensure` reopens it when it
    was lost; until then the caller's own polling carries on (it never relies on notifications alone)."""

    def __init__(self, engine: AsyncEngine, channel: str, wake: asyncio.Event) -> None:
        self._engine, self._channel, self._wake = engine, channel, wake
        self._connection: asyncpg.Connection | None = None

    async def ensure(self) -> None:
        """Listen, unless already listening; a failure is logged and tried again next time."""
        if self._connection is not None and not self._connection.is_closed():
            return
        try:
            self._connection = await asyncpg.connect(asyncpg_dsn(self._engine.url.render_as_string(
                hide_password=False)))
            await self._connection.add_listener(self._channel, lambda *_: self._wake.set())
        except Exception as error:  # best effort by design: whatever the failure, the caller polls on
            self._connection = None
            log.warning("db.listen_unavailable", channel=self._channel, error=repr(error))

    async def close(self) -> None:
        """Stop listening."""
        if self._connection is not None:
            await self._connection.close()
            self._connection = None


def runtime_role_name(service: str, prefix: str = "hami_") -> str:
    """The role a service runs as when its migrations run as the database's owner: hami_<service>_app."""
    return f"{prefix}{service}_app"


def with_user(database_url: str, user: str) -> str:
    """The same URL for another role, without the first role's password (the new role brings its own)."""
    url = make_url(database_url)
    return url._replace(username=user, password=None).render_as_string(hide_password=False)


def user_of(database_url: str) -> str | None:
    """The role a URL connects as."""
    return make_url(database_url).username


def has_password(database_url: str) -> bool:
    """True when the URL carries a non-empty password."""
    return bool(make_url(database_url).password)


def asyncpg_dsn(database_url: str) -> str:
    """The same URL in the form asyncpg understands."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


async def ensure_database(database_url: str) -> bool:
    """Create the database named in the URL if it does not exist; True when it was created."""
    url = make_url(database_url)
    server = asyncpg_dsn(url.set(database="postgres").render_as_string(hide_password=False))
    connection = await asyncpg.connect(server)
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", url.database)
        if exists:
            return False
        await connection.execute(f'CREATE DATABASE "{url.database}"')
        return True
    finally:
        await connection.close()


def outbox_table(metadata: MetaData) -> Table:
    """Events waiting to be published, written in the same transaction as the change that caused them."""
    return Table(
        "outbox", metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
        Column("event_type", Text, nullable=False),
        Column("exchange", Text, nullable=False),
        Column("routing_key", Text, nullable=False),
        # json, not jsonb: the text is kept as written and published as it is. PostgreSQL checks that it is JSON
        # without taking it apart or putting it back together for the relay (a COPY of a round's 20,000 events,
        # timed alone: 174 ms with jsonb, 97 with json).
        Column("payload", JSON, nullable=False),
        Column("correlation_id", Text),
        Column("causation_id", Text),
        Column("occurred_at", DateTime(timezone=True), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("sent_at", DateTime(timezone=True)),
        Column("attempts", Integer, nullable=False, server_default=text("0")),
        Column("last_error", Text),
        Index("outbox_unsent", "id", postgresql_where=text("sent_at IS NULL")),
    )


def inbox_table(metadata: MetaData) -> Table:
    """Messages a consumer has applied, recorded in the same transaction as the effect."""
    return Table(
        "inbox", metadata,
        Column("consumer", Text, nullable=False),
        Column("message_id", Text, nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("consumer", "message_id"),
    )


async def owned_by(database_url: str) -> list[str]:
    """What the role the URL connects as owns or may bypass in its database: nothing, for a runtime role."""
    connection = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        if await connection.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
            return ["superuser"]
        # Owning the database or the schema is as good as owning the tables (their owner may drop what is in them).
        return [row[0] for row in await connection.fetch(
            "SELECT 'database ' || datname FROM pg_database WHERE datname = current_database() "
            "AND pg_has_role(current_user, datdba, 'USAGE') "
            "UNION ALL SELECT 'schema public' FROM pg_namespace WHERE nspname = 'public' "
            "AND pg_has_role(current_user, nspowner, 'USAGE') "
            "UNION ALL SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND pg_has_role(current_user, c.relowner, 'USAGE')")]
    finally:
        await connection.close()


async def once_per_transaction(conn: AsyncConnection, key: str, load: Callable[[], Awaitable[T]]) -> T:
    """What `load` reads, read once per transaction of `conn` (the answer must not be changed by the caller).

    A consumer applies a batch of messages in one transaction (shared/messaging/inbox.py): a table that no handler
    writes, such as staff's templates or the webhooks, needs reading once for the whole batch, not per message."""
    transaction = conn.sync_connection.get_transaction()
    cached = conn.info.get(key)
    if transaction is not None and cached is not None and cached[0] is transaction:
        return cached[1]
    value = await load()
    if transaction is not None:
        conn.info[key] = (transaction, value)
    return value


async def copy_rows(conn: AsyncConnection, table: str, columns: list[str], records: Iterable[tuple]) -> None:
    """Many rows into `table` with COPY, in the caller's transaction: a round's close writes 30,000, and COPY takes
    them in a third less time than one INSERT over unnested arrays. Records from a generator are sent in chunks as
    they are made, so PostgreSQL stores the first while Python makes the rest (two cores at work, not one)."""
    driver = (await conn.get_raw_connection()).driver_connection
    # COPY goes to asyncpg straight, and SQLAlchemy begins its transaction only with its first statement: one is
    # sent first if need be, or the COPY would commit on its own.
    if not driver.is_in_transaction():
        await conn.execute(text("SELECT 1"))
    if not driver.is_in_transaction():  # an AUTOCOMMIT connection
        raise RuntimeError("copy_rows needs a transaction")
    await driver.copy_records_to_table(table, records=records, columns=columns)


async def upsert(conn: AsyncConnection, table: Table, *, key: tuple[str, ...], values: dict,
                 overwrite: bool = True) -> None:
    """Insert a row, or on a clash of `key` overwrite its other columns (`overwrite`) or leave it as it is."""
    await conn.execute(_upsert_statement(table, key, tuple(values), overwrite), values)


@cache
def _upsert_statement(table: Table, key: tuple[str, ...], columns: tuple[str, ...], overwrite: bool) -> TextClause:
    # Built once per shape. SQLAlchemy's PostgreSQL insert() is never cached (inherit_cache = False): with ON
    # CONFLICT it was compiled anew for every event a projection kept, a tenth of a consumer's time.
    quoted = {name: f'"{name}"' for name in columns}  # a column may be named as a keyword ("text")
    others = [quoted[name] for name in columns if name not in key]
    action = f"UPDATE SET {', '.join(f'{name} = excluded.{name}' for name in others)}" if overwrite and others \
        else "NOTHING"
    return text(f'INSERT INTO "{table.name}" ({", ".join(quoted.values())}) '
                f"VALUES ({', '.join(f':{name}' for name in columns)}) "
                f"ON CONFLICT ({', '.join(quoted[name] for name in key)}) DO {action}").bindparams(
        *(bindparam(name, type_=table.c[name].type) for name in columns))
