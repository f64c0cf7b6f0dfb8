"""A read made once per transaction (what a consumer's batch shares): the second read in the same transaction is
the first's answer; the next transaction reads again and sees what was committed meanwhile. Real PostgreSQL."""

import uuid

from sqlalchemy import text

from shared.db import make_engine, once_per_transaction
from tests.support.servers import Servers


async def test_a_read_is_made_once_per_transaction_and_again_in_the_next(servers: Servers) -> None:
    table = f"settings_{uuid.uuid4().hex[:8]}"
    engine = make_engine(servers.database("postgres"), pool_size=1, max_overflow=0)  # one connection throughout
    reads = []

    async def read(conn) -> str:
        reads.append(1)
        return (await conn.execute(text(f"SELECT value FROM {table}"))).scalar_one()

    try:
        async with engine.begin() as conn:
            await conn.execute(text(f"CREATE TABLE {table} (value text NOT NULL)"))
            await conn.execute(text(f"INSERT INTO {table} VALUES ('first')"))
        async with engine.begin() as conn:
            answers = [await once_per_transaction(conn, table, lambda: read(conn)) for _ in range(3)]
        assert answers == ["first"] * 3 and len(reads) == 1
        async with engine.begin() as conn:
            await conn.execute(text(f"UPDATE {table} SET value = 'second'"))
        async with engine.begin() as conn:
            assert await once_per_transaction(conn, table, lambda: read(conn)) == "second"
            assert await once_per_transaction(conn, "another key", lambda: read(conn)) == "second"
        assert len(reads) == 3
    finally:
        async with engine.begin() as conn:
            await conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
        await engine.dispose()
