"""Private signing keys are stored encrypted with the key from a secret file; keys stored in the clear before are
encrypted on the next start, and a wrong key-encryption key stops the registry before it signs anything."""

import asyncio
import json
import uuid

import asyncpg
import httpx
import jwt
import pytest
from alembic import command

from services.registry.bootstrap import ensure_signing_key
from services.registry.identity.crypto import (
    CLEAR_PEM,
    SEALED_PEM,
    KeyNotReadable,
    issue_token,
    new_signing_key,
    open_private_key,
)
from shared.auth import ALGORITHM, AUDIENCE
from shared.db import ensure_database, make_engine
from shared.migrate import alembic_config, migrate
from tests.support.servers import Servers
from tests.support.system import System, bearer

KEK = "the-key-encryption-key-of-these-tests"
ACCOUNT = {"id": str(uuid.uuid4()), "username": "someone", "name": "کسی", "memberships": []}


def _stored_keys(system: System) -> list[str]:
    return asyncio.run(system.fetchval("registry", "SELECT array_agg(private_pem) FROM signing_keys"))


def test_the_signing_keys_table_holds_no_private_key_in_the_clear(system: System) -> None:
    admin = system.token()
    rotated = httpx.post(f"{system.url('registry')}/auth/keys/rotate", headers=bearer(admin))
    assert rotated.status_code == 200
    stored = _stored_keys(system)
    assert len(stored) >= 2 and all(pem.startswith(SEALED_PEM) for pem in stored)
    assert not any("BEGIN PRIVATE KEY" in pem or "BEGIN EC PRIVATE KEY" in pem for pem in stored)
    # ...and the registry still signs with it: its own routes and the other services accept the new token.
    token = system.token()
    assert jwt.get_unverified_header(token)["kid"] == rotated.json()["kid"]
    assert httpx.get(f"{system.url('registry')}/ledger/verify", headers=bearer(token)).status_code == 200
    assert httpx.get(f"{system.url('evaluation')}/works", headers=bearer(token)).status_code != 401


@pytest.fixture
async def registry_at_0005(servers: Servers):
    """A registry database at revision 0005: before keys had to be encrypted."""
    name = f"hami_keys_test_{uuid.uuid4().hex[:8]}"
    url = servers.database(name)
    await ensure_database(url)
    await asyncio.to_thread(command.upgrade, alembic_config("registry", url), "0005")
    yield url, servers.database(name, driver="postgresql")
    connection = await asyncpg.connect(servers.database("postgres", driver="postgresql"))
    try:
        await connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def _keys(dsn: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(dsn)
    try:
        return await connection.fetch("SELECT kid, private_pem, public_jwk::text AS jwk FROM signing_keys")
    finally:
        await connection.close()


async def test_a_key_stored_in_the_clear_is_encrypted_on_start_and_still_signs(registry_at_0005) -> None:
    url, dsn = registry_at_0005
    kid, pem, jwk = new_signing_key()
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("INSERT INTO signing_keys (kid, private_pem, public_jwk) VALUES ($1, $2, $3)",
                                 kid, pem, json.dumps(jwk))
    finally:
        await connection.close()
    await migrate("registry", url)
    engine = make_engine(url)
    try:
        await ensure_signing_key(engine, key_encryption_key=KEK)
        await ensure_signing_key(engine, key_encryption_key=KEK)  # a second start changes nothing
        with pytest.raises(KeyNotReadable):
            await ensure_signing_key(engine, key_encryption_key="not-the-key-encryption-key")
    finally:
        await engine.dispose()

    [row] = await _keys(dsn)
    assert row["kid"] == kid and row["private_pem"].startswith(SEALED_PEM) and CLEAR_PEM not in row["private_pem"]
    opened = open_private_key(row["private_pem"], KEK)
    assert opened == pem
    token = issue_token(kid=kid, private_pem=opened, issuer="hami-registry", account=ACCOUNT, minutes=5)
    assert jwt.decode(token, jwt.PyJWK(jwk).key, algorithms=[ALGORITHM], audience=AUDIENCE)["sub"] == ACCOUNT["id"]

    # From now on not even the database's owner can store a key in the clear.
    connection = await asyncpg.connect(dsn)
    try:
        with pytest.raises(asyncpg.CheckViolationError):
            await connection.execute("INSERT INTO signing_keys (kid, private_pem, public_jwk) VALUES ('x', $1, '{}')",
                                     new_signing_key()[1])
    finally:
        await connection.close()
