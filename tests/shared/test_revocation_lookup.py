"""The token-version lookup every signed-in request makes runs in autocommit (one round trip); the pooled
connection it used must come back to the next transaction as a transaction. Real PostgreSQL."""

import uuid

import asyncpg
import pytest
from sqlalchemy import text

from shared.db import ensure_database, make_engine
from shared.service import projected_versions
from tests.support.servers import Servers


async def test_the_lookup_reads_the_version_and_leaves_the_connection_transactional(servers: Servers) -> None:
    url = servers.database(f"hami_lookup_test_{uuid.uuid4().hex[:8]}")
    await ensure_database(url)
    engine = make_engine(url, pool_size=1, max_overflow=0)  # one connection: the lookups' and the transaction's
    person = uuid.uuid4()
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE token_versions (person_id uuid PRIMARY KEY, version int NOT NULL)"))
            await conn.execute(text("INSERT INTO token_versions VALUES (:p, 3)"), {"p": person})
        lowest_accepted = projected_versions(engine)
        assert await lowest_accepted(str(person)) == 3
        assert await lowest_accepted(str(uuid.uuid4())) == 0
        with pytest.raises(LookupError):
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO token_versions VALUES (:p, 9)"), {"p": uuid.uuid4()})
                raise LookupError("the change failed: its insert must go with it")
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM token_versions"))).scalar_one() == 1
    finally:
        await engine.dispose()
        connection = await asyncpg.connect(servers.database("postgres", driver="postgresql"))
        await connection.execute(f'DROP DATABASE "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
        await connection.close()
