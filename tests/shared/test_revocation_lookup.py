"""The token versions every signed-in request checks (shared/revocation.py KeptVersions): kept in memory, reloaded
when any replica records a revocation and every second besides; asked of the database, in autocommit, while the copy
is missing or stale, leaving the pooled connection transactional. Real PostgreSQL."""

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.contracts.registry import AccessRevoked
from shared.revocation import KeptVersions, record_revocation
from tests.support.scratch_db import scratch_database
from tests.support.servers import Servers
from tests.support.waiting import wait_for_async

SOON = 10.0  # seconds a change may take to reach the copy (a notification takes milliseconds)


@pytest.fixture
async def engine(servers: Servers) -> AsyncIterator[AsyncEngine]:
    """A fresh submissions database (it keeps token_versions, as every service but registry does)."""
    async with scratch_database(servers, "submissions") as engine:
        yield engine


async def set_directly(engine: AsyncEngine, person: uuid.UUID, version: int) -> None:
    """Change a version behind the copy's back (no notification)."""
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO token_versions VALUES (:p, :v) ON CONFLICT (person_id) DO UPDATE SET "
                                "version = :v"), {"p": person, "v": version})


async def revoke(engine: AsyncEngine, person: uuid.UUID, version: int) -> None:
    """Record a revocation as a replica's consumer does (it notifies on commit)."""
    async with engine.begin() as conn:
        await record_revocation(conn, AccessRevoked(person_id=person, token_version=version, reason="password_reset"))


async def listeners(engine: AsyncEngine) -> list[int]:
    """The backends listening in the test's database."""
    async with engine.connect() as conn:
        return list((await conn.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'"))).scalars())


async def test_without_a_copy_the_database_is_asked_and_the_connection_stays_transactional(engine) -> None:
    person = uuid.uuid4()
    await set_directly(engine, person, 3)
    versions = KeptVersions(engine)  # never run: no copy
    assert await versions.lowest_accepted(str(person)) == 3
    assert await versions.lowest_accepted(str(uuid.uuid4())) == 0
    assert await versions.lowest_accepted("not-a-person") == 0
    with pytest.raises(LookupError):
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO token_versions VALUES (:p, 9)"), {"p": uuid.uuid4()})
            raise LookupError("the change failed: its insert must go with it")
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM token_versions"))).scalar_one() == 1


async def test_the_copy_answers_alone_and_a_recorded_revocation_reaches_it_at_once(engine) -> None:
    person = uuid.uuid4()
    await set_directly(engine, person, 3)
    versions = KeptVersions(engine, reload_seconds=3600)  # only a notification can bring a change
    keeper = asyncio.create_task(versions.run())
    try:
        await wait_for_async(lambda: versions.fresh, timeout=SOON)
        await set_directly(engine, person, 5)
        assert await versions.lowest_accepted(str(person)) == 3  # the copy answered, not the database
        assert await versions.lowest_accepted("not-a-person") == 0

        await revoke(engine, person, 7)

        await wait_for_async(lambda: _is(versions, person, 7), timeout=SOON)
    finally:
        keeper.cancel()
        await asyncio.gather(keeper, return_exceptions=True)
    assert await listeners(engine) == []  # stopping closed the listener


async def test_a_lost_listener_is_replaced_and_reloads_go_on_meanwhile(engine) -> None:
    person = uuid.uuid4()
    versions = KeptVersions(engine, reload_seconds=0.2)
    keeper = asyncio.create_task(versions.run())
    try:
        await wait_for_async(lambda: _listening(engine), timeout=SOON)
        [lost] = await listeners(engine)
        async with engine.connect() as conn:
            await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": lost})

        await set_directly(engine, person, 4)  # no notification: the periodic reload brings it
        await wait_for_async(lambda: _is(versions, person, 4), timeout=SOON)
        await wait_for_async(lambda: _listening(engine, besides=lost), timeout=SOON)
    finally:
        keeper.cancel()
        await asyncio.gather(keeper, return_exceptions=True)


async def test_a_stale_copy_is_set_aside_and_the_database_asked(engine) -> None:
    person = uuid.uuid4()
    versions = KeptVersions(engine, reload_seconds=3600, trusted_seconds=1.0)
    keeper = asyncio.create_task(versions.run())
    await wait_for_async(lambda: versions.fresh, timeout=SOON)
    keeper.cancel()  # no more reloads, as when the database stays unreachable
    await asyncio.gather(keeper, return_exceptions=True)
    await set_directly(engine, person, 6)
    assert await versions.lowest_accepted(str(person)) == 0  # the copy, still trusted
    await asyncio.sleep(1.0)

    assert not versions.fresh
    assert await versions.lowest_accepted(str(person)) == 6


async def _is(versions: KeptVersions, person: uuid.UUID, version: int) -> bool:
    return await versions.lowest_accepted(str(person)) == version


async def _listening(engine: AsyncEngine, besides: int | None = None) -> bool:
    return any(pid != besides for pid in await listeners(engine))
