"""The shared upsert on real PostgreSQL: a row inserted, then overwritten or left alone on a clash of its key,
whatever its columns are named (a keyword) or typed (JSON); and built once per shape of values."""

import uuid

from sqlalchemy import Column, Integer, MetaData, Table, Text, select
from sqlalchemy.dialects.postgresql import JSONB, UUID

from shared.db import _upsert_statement, make_engine, upsert
from tests.support.servers import Servers


async def test_a_row_is_inserted_then_overwritten_or_left_alone(servers: Servers) -> None:
    metadata = MetaData()
    table = Table(f"kept_{uuid.uuid4().hex[:8]}", metadata, Column("id", UUID(as_uuid=True), primary_key=True),
                  Column("text", Text), Column("data", JSONB), Column("count", Integer))
    engine = make_engine(servers.database("postgres"))
    row_id = uuid.uuid4()

    async def stored() -> dict:
        async with engine.connect() as conn:
            return dict((await conn.execute(select(table))).mappings().one())

    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        async with engine.begin() as conn:
            await upsert(conn, table, key=("id",), values={"id": row_id, "text": "یکم", "data": {"a": [1]}, "count": 1})
        async with engine.begin() as conn:
            await upsert(conn, table, key=("id",), values={"id": row_id, "text": "دوم", "data": {"b": 2}, "count": 2})
        assert await stored() == {"id": row_id, "text": "دوم", "data": {"b": 2}, "count": 2}
        async with engine.begin() as conn:
            await upsert(conn, table, key=("id",), values={"id": row_id, "text": "سوم", "data": None, "count": 3},
                         overwrite=False)
            await upsert(conn, table, key=("id",), values={"id": row_id, "count": 4})  # only the columns given
        assert await stored() == {"id": row_id, "text": "دوم", "data": {"b": 2}, "count": 4}
        assert _upsert_statement(table, ("id",), ("id", "count"), True) is _upsert_statement(
            table, ("id",), ("id", "count"), True)
    finally:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.drop_all)
        await engine.dispose()
