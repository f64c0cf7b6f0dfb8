"""The festival ledger: append-only, hash-chained, held against its owner (the service runs as a role that owns
nothing), anchored outside the database by signed checkpoints, verifiable, and a public catch-up feed."""

import asyncio
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from ops.cli import main
from services.registry.identity.usecases import add_signing_key
from services.registry.ledger import db as ledger_db
from services.registry.ledger.domain import GENESIS, seal
from services.registry.ledger.usecases import checkpoint, verify_chain
from services.registry.tables import ledger
from shared.contracts.registry import LedgerCheckpointed
from shared.contracts.submissions import PublicWorkReceived
from shared.db import make_engine, owned_by, with_user
from shared.migrate import migrate
from tests.support.bus import publish_event
from tests.support.servers import Servers
from tests.support.system import System, bearer
from tests.support.waiting import wait_for

KEK = "a-key-encryption-key-for-the-ledger-tests"
CHECKPOINTED = LedgerCheckpointed.event_type()


@dataclass
class Ledger:
    """A fresh registry database at the newest migration, and the service's engine on it as the runtime role."""

    engine: AsyncEngine
    name: str
    role: str
    owner_dsn: str  # asyncpg, as the test server's superuser (owner of everything here)
    runtime_url: str


@pytest.fixture
async def fresh(servers: Servers):
    """A registry database migrated as its owner, with a runtime role that owns nothing."""
    name, role = f"hami_ledger_test_{uuid.uuid4().hex[:8]}", f"hami_lt{uuid.uuid4().hex[:8]}_app"
    await migrate("registry", servers.database(name), runtime_role=role)
    runtime_url = with_user(servers.database(name), role)
    engine = make_engine(runtime_url)
    yield Ledger(engine, name, role, servers.database(name, driver="postgresql"), runtime_url)
    await engine.dispose()
    connection = await asyncpg.connect(servers.database("postgres", driver="postgresql"))
    try:
        await connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await connection.execute(f'DROP ROLE "{role}"')
    finally:
        await connection.close()


async def _append(engine: AsyncEngine, count: int, event_type: str = "registry.body.changed") -> None:
    for i in range(count):
        async with engine.begin() as conn:
            await ledger_db.append_all(conn, rows=[{
                "event_id": str(uuid.uuid4()), "event_type": event_type,
                "routing_key": f"{event_type}.d{1 + i % 22:02d}", "exchange": "hami.internal",
                "payload": {"code": f"district-{1 + i % 22:02d}", "district": 1 + i % 22, "n": i}}])


async def _checkpoint(engine: AsyncEngine) -> dict | None:
    async with engine.begin() as conn:
        return await checkpoint(conn, key_encryption_key=KEK)


async def _anchored(engine: AsyncEngine, batches: int) -> list[dict]:
    """A signing key, then `batches` times ten rows and a checkpoint of the head."""
    async with engine.begin() as conn:
        await add_signing_key(conn, key_encryption_key=KEK)
    made = []
    for _ in range(batches):
        await _append(engine, 10)
        made.append(await _checkpoint(engine))
    return made


async def _hami(*args: str) -> int:
    """The operators' tool, as from a shell (it runs its own event loop)."""
    return await asyncio.to_thread(main, list(args))


async def _verdict(engine: AsyncEngine, witnesses=()):
    async with engine.connect() as conn:
        return await verify_chain(conn, witnesses)


async def _as_superuser(dsn: str, *statements: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


async def _rewrite_and_recompute(dsn: str, seq: int) -> None:
    """What the database's owner (here a superuser) can do offline: switch the trigger off, change a row, and seal
    every row again so the chain itself looks intact."""
    connection = await asyncpg.connect(dsn)
    await connection.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
    try:
        await connection.execute("ALTER TABLE ledger DISABLE TRIGGER ledger_no_update_or_delete")
        await connection.execute("UPDATE ledger SET payload = jsonb_set(payload, '{n}', '999') WHERE seq = $1", seq)
        prev = GENESIS
        for row in await connection.fetch("SELECT * FROM ledger ORDER BY seq"):
            digest = seal(prev, dict(row))
            await connection.execute("UPDATE ledger SET prev_hash = $1, hash = $2 WHERE seq = $3",
                                     prev, digest, row["seq"])
            prev = digest
        await connection.execute("ALTER TABLE ledger ENABLE TRIGGER ledger_no_update_or_delete")
    finally:
        await connection.close()


async def test_a_row_rewritten_behind_the_applications_back_is_found(fresh: Ledger) -> None:
    await _append(fresh.engine, 30)
    assert (await _verdict(fresh.engine)).ok

    connection = await asyncpg.connect(fresh.owner_dsn)
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
    verdict = await _verdict(fresh.engine)
    assert not verdict.ok and verdict.first_broken_seq == 12 and verdict.checked == 11


async def test_the_runtime_role_cannot_change_the_ledger_nor_switch_its_guard_off(fresh: Ledger) -> None:
    await _anchored(fresh.engine, 1)
    with pytest.raises(DBAPIError, match="permission denied"):
        async with fresh.engine.begin() as conn:
            await conn.execute(ledger.delete())
    runtime = await asyncpg.connect(with_user(fresh.owner_dsn, fresh.role))
    try:
        for table in ("ledger", "ledger_checkpoints"):
            for statement in (
                f"DROP TRIGGER {table}_no_update_or_delete ON {table}",
                f"ALTER TABLE {table} DISABLE TRIGGER ALL",
                f"ALTER TABLE {table} ADD COLUMN note text",
                f"UPDATE {table} SET hash = 'x'",
                f"DELETE FROM {table}",
                f"TRUNCATE {table}",
                f"DROP TABLE {table}",
            ):
                with pytest.raises(asyncpg.InsufficientPrivilegeError):
                    await runtime.execute(statement)
        # (The ledger has no sequence to reset: each append numbers its rows after the chain's head.)
        for statement in ("DROP FUNCTION ledger_is_append_only() CASCADE", "CREATE TABLE mine (id int)",
                          "UPDATE alembic_version SET version_num = '0001'"):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await runtime.execute(statement)
    finally:
        await runtime.close()
    assert await owned_by(fresh.runtime_url) == []
    assert await owned_by(with_user(fresh.runtime_url, "postgres")) == ["superuser"]  # the owner, here
    await _append(fresh.engine, 3)  # and yet the service appends and reads as before
    assert (await _verdict(fresh.engine)).checked == 13


async def test_a_rewrite_with_every_hash_recomputed_is_found_by_the_checkpoints(
        fresh: Ledger, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    made = await _anchored(fresh.engine, 3)
    assert [c["seq"] for c in made] == [10, 20, 30]
    verdict = await _verdict(fresh.engine)
    assert verdict.ok and verdict.checked == 30 and verdict.checkpoints == 3

    await _rewrite_and_recompute(fresh.owner_dsn, 12)

    verdict = await _verdict(fresh.engine)
    assert not verdict.ok and verdict.first_broken_seq == 11 and verdict.checked == 30
    assert "from seq 11 to 20 was rewritten" in verdict.reason
    monkeypatch.setenv("HAMI_REGISTRY_DATABASE_URL", fresh.runtime_url)
    assert await _hami("ledger", "verify") == 1
    assert "broken from seq 11: a row from seq 11 to 20 was rewritten" in capsys.readouterr().out


async def test_witnesses_find_checkpoints_removed_from_the_database(
        fresh: Ledger, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    await _anchored(fresh.engine, 3)
    monkeypatch.setenv("HAMI_REGISTRY_DATABASE_URL", fresh.runtime_url)
    assert await _hami("ledger", "checkpoints") == 0
    witness = tmp_path / "witness.json"
    witness.write_text(capsys.readouterr().out)
    assert await _hami("ledger", "verify", "--witness", str(witness)) == 0
    assert "checked 30 rows and 3 checkpoints: the chain is intact" in capsys.readouterr().out

    # The owner removes the checkpoints and then rewrites a row, recomputing every hash.
    await _as_superuser(fresh.owner_dsn, "ALTER TABLE ledger_checkpoints DISABLE TRIGGER USER",
                        "DELETE FROM ledger_checkpoints", "ALTER TABLE ledger_checkpoints ENABLE TRIGGER USER")
    await _rewrite_and_recompute(fresh.owner_dsn, 25)

    assert await _hami("ledger", "verify") == 0  # the database alone can no longer tell...
    capsys.readouterr()
    assert await _hami("ledger", "verify", "--witness", str(witness)) == 1  # ...the witnesses can
    out = capsys.readouterr().out
    assert "broken from seq 10: the checkpoint at seq 10 signed at" in out and "missing from the database" in out
    assert "a row from seq 21 to 30 was rewritten" in out


async def test_a_checkpoint_changed_to_fit_a_rewrite_is_not_signed(fresh: Ledger) -> None:
    await _anchored(fresh.engine, 2)
    await _rewrite_and_recompute(fresh.owner_dsn, 15)
    await _as_superuser(
        fresh.owner_dsn, "ALTER TABLE ledger_checkpoints DISABLE TRIGGER USER",
        "UPDATE ledger_checkpoints SET hash = (SELECT hash FROM ledger WHERE seq = 20) WHERE seq = 20",
        "ALTER TABLE ledger_checkpoints ENABLE TRIGGER USER")
    verdict = await _verdict(fresh.engine)
    assert not verdict.ok and verdict.first_broken_seq == 20 and "not signed by a registry key" in verdict.reason


async def test_rows_removed_from_the_end_are_found(fresh: Ledger) -> None:
    await _anchored(fresh.engine, 2)
    await _as_superuser(fresh.owner_dsn, "ALTER TABLE ledger DISABLE TRIGGER USER", "DELETE FROM ledger WHERE seq > 14",
                        "ALTER TABLE ledger ENABLE TRIGGER USER")
    verdict = await _verdict(fresh.engine)
    assert not verdict.ok and verdict.first_broken_seq == 15 and "rows were removed" in verdict.reason


async def test_a_checkpoint_is_made_only_when_something_besides_checkpoints_was_recorded(fresh: Ledger) -> None:
    assert await _checkpoint(fresh.engine) is None  # an empty ledger, and no key yet
    first = (await _anchored(fresh.engine, 1))[0]
    assert await _checkpoint(fresh.engine) is None
    await _append(fresh.engine, 1, CHECKPOINTED)  # its own event, recorded from the bus
    assert await _checkpoint(fresh.engine) is None
    await _append(fresh.engine, 1)
    assert (await _checkpoint(fresh.engine))["seq"] == first["seq"] + 2
    connection = await asyncpg.connect(fresh.owner_dsn)
    try:  # each checkpoint is published on the public exchange, through the outbox
        published = await connection.fetch("SELECT payload FROM outbox WHERE event_type = $1", CHECKPOINTED)
    finally:
        await connection.close()
    assert [json.loads(row["payload"])["seq"] for row in published] == [10, 12]


def test_a_witness_file_that_holds_no_checkpoints_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    for text in ('[{"seq": "twelve"}]', '{"events": 3}', "not json"):
        (tmp_path / "witness.json").write_text(text)
        assert main(["ledger", "verify", "--witness", str(tmp_path / "witness.json")]) == 2
        assert "cannot read a witness file" in capsys.readouterr().out


def test_the_running_services_connect_as_roles_that_own_nothing(system: System) -> None:
    async def check() -> None:
        for service in ("registry", "submissions", "evaluation", "notifications"):
            users = await system.fetchval(
                "registry", "SELECT array_agg(DISTINCT usename) FROM pg_stat_activity "
                "WHERE datname = $1 AND pid <> pg_backend_pid()", f"{system.prefix}{service}")
            assert users == [f"hami_{service}_app"], (service, users)
        runtime = with_user(system.database("registry"), "hami_registry_app")
        assert await owned_by(runtime) == []
        connection = await asyncpg.connect(with_user(system.database("registry", driver="postgresql"),
                                                     "hami_registry_app"))
        try:
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await connection.execute("DROP TRIGGER ledger_no_update_or_delete ON ledger")
        finally:
            await connection.close()

    asyncio.run(check())


def test_the_live_ledger_verifies_and_is_for_city_wide_staff_only(system: System) -> None:
    admin = bearer(system.token())

    def caught_up() -> dict | None:
        verdict = httpx.get(f"{system.url('registry')}/ledger/verify", headers=admin).json()
        return verdict if verdict["checked"] > 22 * 4 + 349 else None

    assert wait_for(caught_up, timeout=60)["ok"] is True
    staff = bearer(system.district_staff_token(7))
    assert httpx.get(f"{system.url('registry')}/ledger", headers=staff).status_code == 403
    assert httpx.get(f"{system.url('registry')}/ledger/verify", headers=staff).status_code == 403


def _public_events(system: System, after: int = 0) -> list[dict]:
    seen = []
    while (page := httpx.get(f"{system.url('registry')}/public-events",
                             params={"after_seq": after, "limit": 1000}).json())["events"]:
        seen, after = seen + page["events"], page["next_after_seq"]
    return seen


def test_the_live_ledger_is_signed_on_demand_and_its_checkpoints_reach_other_systems(
        system: System, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    monkeypatch.setenv("HAMI_REGISTRY_DATABASE_URL", system.database("registry"))
    assert main(["ledger", "checkpoint"]) == 0
    out = capsys.readouterr().out
    seq = int(out.split("at seq ")[1].split()[0]) if "at seq" in out else None
    signed = asyncio.run(system.fetchval("registry", "SELECT max(seq) FROM ledger_checkpoints"))
    assert signed is not None and (seq is None or seq == signed)

    # An external system keeps what the public feed carries: the checkpoints are its witnesses.
    def witnessed() -> list[dict] | None:
        events = [e for e in _public_events(system) if e["event_type"] == CHECKPOINTED]
        return events if any(e["payload"]["seq"] == signed for e in events) else None

    witness = tmp_path / "public-events.json"
    witness.write_text(json.dumps({"events": wait_for(witnessed)}))
    assert main(["ledger", "verify", "--witness", str(witness)]) == 0
    assert "the chain is intact" in capsys.readouterr().out


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
    assert all(set(e) == {"seq", "event_id", "event_type", "routing_key", "payload", "recorded_at",
                          "recorded_at_jalali"} for e in seen)
