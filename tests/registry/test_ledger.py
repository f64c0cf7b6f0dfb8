"""The festival ledger: append-only, hash-chained, verifiable, and a public catch-up feed."""

import asyncio
import uuid

import asyncpg
import httpx
import pytest
from sqlalchemy.exc import DBAPIError

from services.registry.ledger import db as ledger_db
from services.registry.ledger.usecases import verify_chain
from services.registry.tables import ledger
from shared.contracts.submissions import PublicWorkReceived
from shared.db import make_engine
from shared.migrate import migrate
from tests.support.bus import publish_event
from tests.support.servers import Servers
from tests.support.system import System, bearer
from tests.support.waiting import wait_for


@pytest.fixture
async def ledger_engine(servers: Servers):
    """A fresh registry database at the newest migration."""
    name = f"hami_ledger_test_{uuid.uuid4().hex[:8]}"
    await migrate("registry", servers.database(name))
    engine = make_engine(servers.database(name))
    yield engine, name
    await engine.dispose()
    connection = await asyncpg.connect(servers.database("postgres", driver="postgresql"))
    await connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    await connection.close()


async def _append(engine, count: int) -> None:
    for i in range(count):
        async with engine.begin() as conn:
            await ledger_db.append(conn, values={
                "event_id": str(uuid.uuid4()), "event_type": "registry.body.changed",
                "routing_key": f"registry.body.changed.d{1 + i % 22:02d}", "exchange": "hami.internal",
                "payload": {"code": f"district-{1 + i % 22:02d}", "district": 1 + i % 22, "n": i}})


async def test_a_row_rewritten_behind_the_applications_back_is_found(servers: Servers, ledger_engine) -> None:
    engine, name = ledger_engine
    await _append(engine, 30)
    async with engine.connect() as conn:
        assert (await verify_chain(conn)).ok

    connection = await asyncpg.connect(servers.database(name, driver="postgresql"))
    try:
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await connection.execute("UPDATE ledger SET payload = '{}' WHERE seq = 12")
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await connection.execute("DELETE FROM ledger WHERE seq = 12")
        # A superuser can switch the trigger off; the chain still tells.
        await connection.execute("ALTER TABLE ledger DISABLE TRIGGER ledger_no_update_or_delete")
        await connection.execute("UPDATE ledger SET payload = jsonb_set(payload, '{n}', '999') WHERE seq = 12")
        await connection.execute("ALTER TABLE ledger ENABLE TRIGGER ledger_no_update_or_delete")
    finally:
        await connection.close()
    async with engine.connect() as conn:
        verdict = await verify_chain(conn)
    assert not verdict.ok and verdict.first_broken_seq == 12 and verdict.checked == 11


async def test_the_application_cannot_change_the_ledger_either(ledger_engine) -> None:
    engine, _ = ledger_engine
    await _append(engine, 1)
    with pytest.raises(DBAPIError, match="append-only"):
        async with engine.begin() as conn:
            await conn.execute(ledger.delete())


def test_the_live_ledger_verifies_and_is_for_city_wide_staff_only(system: System) -> None:
    admin = bearer(system.token())
    verdict = httpx.get(f"{system.url('registry')}/ledger/verify", headers=admin).json()
    assert verdict["ok"] is True and verdict["checked"] > 22 * 4 + 349
    staff = bearer(system.district_staff_token(7))
    assert httpx.get(f"{system.url('registry')}/ledger", headers=staff).status_code == 403
    assert httpx.get(f"{system.url('registry')}/ledger/verify", headers=staff).status_code == 403


def test_an_external_system_pages_through_public_events_from_a_position(system: System) -> None:
    start = httpx.get(f"{system.url('registry')}/public-events", params={"after_seq": 0, "limit": 1000}).json()
    position = start["next_after_seq"]
    events = [PublicWorkReceived(work_id=uuid.uuid4(), district=4, neighbourhood="جوادیه", category="welfare")
              for _ in range(5)]
    for event in events:
        asyncio.run(publish_event(system.amqp_url, event))

    wanted = {str(e.event_id) for e in events}

    def catch_up() -> list[dict] | None:
        """Page from the position, two at a time, until the feed runs dry."""
        seen, after = [], position
        while body := httpx.get(f"{system.url('registry')}/public-events",
                                params={"after_seq": after, "limit": 2}).json():
            if not body["events"]:
                break
            seen, after = seen + body["events"], body["next_after_seq"]
        return seen if wanted <= {e["event_id"] for e in seen} else None

    seen = wait_for(catch_up)
    assert all(e["seq"] > position for e in seen)
    assert [e["seq"] for e in seen] == sorted(e["seq"] for e in seen)
    assert all(set(e) == {"seq", "event_id", "event_type", "routing_key", "payload", "recorded_at"} for e in seen)
