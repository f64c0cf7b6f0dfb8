"""Cutting someone off everywhere: each token carries its account's version (`tv`); when registry raises a
person's version it publishes AccessRevoked, every other service keeps the newest version per person in its own
`token_versions` table, and the token verifier refuses a token whose version is older.

No web imports: the table and the handler are the service's own; shared/auth.py asks `KeptVersions`.
"""

import asyncio
import time
import uuid

import structlog
from sqlalchemy import Column, Integer, MetaData, Table, func, select, text
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.contracts.registry import AccessRevoked
from shared.db import Listener

log = structlog.get_logger("revocation")
NOTIFY_CHANNEL = "hami_token_versions"
RELOAD_SECONDS = 1.0  # the copy is reloaded at least this often, notified or not
TRUSTED_SECONDS = 3.0  # a copy older than this (reloads failing) is set aside: each request asks the database

_metadata = MetaData()
token_versions = Table(
    "token_versions", _metadata,
    Column("person_id", UUID(as_uuid=True), primary_key=True),
    Column("version", Integer, nullable=False),
)


async def record_revocation(conn: AsyncConnection, event: AccessRevoked) -> None:
    """Keep the person's newest token version (events may arrive out of order or twice)."""
    statement = insert(token_versions).values(person_id=event.person_id, version=event.token_version)
    await conn.execute(statement.on_conflict_do_update(
        index_elements=[token_versions.c.person_id],
        set_={"version": func.greatest(token_versions.c.version, statement.excluded.version)}))
    # Delivered on commit to every replica's copy (KeptVersions), whichever replica consumed the event.
    await conn.execute(text("SELECT pg_notify(:channel, '')"), {"channel": NOTIFY_CHANNEL})


def person_of(subject: str) -> uuid.UUID | None:
    """The person a token's subject names (None for a subject that is no person id: nothing to revoke)."""
    try:
        return uuid.UUID(subject)
    except ValueError:
        return None


async def current_version(conn: AsyncConnection, person_id: str) -> int:
    """The lowest token version still accepted for the person (0 when nothing was ever revoked)."""
    if (subject := person_of(person_id)) is None:
        return 0
    version = await conn.scalar(select(token_versions.c.version).where(token_versions.c.person_id == subject))
    return version or 0


class KeptVersions:
    """Every revoked person's lowest accepted version, kept in memory so a signed-in request asks the database
    nothing. The copy is reloaded whole as soon as any replica records a revocation (NOTIFY on commit) and every
    second besides, so a lost notification costs at most a second. While reloads fail for longer than
    TRUSTED_SECONDS the copy is set aside and each request asks the database, as without a copy."""

    def __init__(self, engine: AsyncEngine, *, reload_seconds: float = RELOAD_SECONDS,
                 trusted_seconds: float = TRUSTED_SECONDS) -> None:
        # Autocommit: one statement is one round trip, not three (BEGIN, the SELECT, ROLLBACK).
        self._reader = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._reload_seconds, self._trusted_seconds = reload_seconds, trusted_seconds
        self._versions: dict[uuid.UUID, int] = {}
        self._loaded_at = float("-inf")
        self._wake = asyncio.Event()
        self._listener = Listener(engine, NOTIFY_CHANNEL, self._wake)

    @property
    def fresh(self) -> bool:
        """True while the copy is trusted (reloaded within TRUSTED_SECONDS)."""
        return time.monotonic() - self._loaded_at < self._trusted_seconds

    async def lowest_accepted(self, person_id: str) -> int:
        """The lowest token version still accepted for the person: from the copy while it is fresh, else from the
        database."""
        if self.fresh:
            return self._versions.get(person_of(person_id), 0)
        async with self._reader.connect() as conn:
            return await current_version(conn, person_id)

    async def run(self) -> None:
        """Keep the copy current until cancelled."""
        try:
            while True:
                await self._listener.ensure()
                # Cleared before the reload: a revocation committed while it runs wakes the wait below at once.
                self._wake.clear()
                await self._reload()
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=self._reload_seconds)
                except TimeoutError:
                    pass
        finally:
            await self._listener.close()

    async def _reload(self) -> None:
        started = time.monotonic()  # the copy is as fresh as the moment its query was sent, not when it arrived
        try:
            async with self._reader.connect() as conn:
                rows = await conn.execute(select(token_versions.c.person_id, token_versions.c.version))
                self._versions = dict(rows.tuples().all())
        except Exception as error:  # database unreachable: the copy ages and is set aside; try again shortly
            log.warning("revocation.reload_failed", error=repr(error))
            return
        self._loaded_at = started
