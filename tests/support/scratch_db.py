"""A service's own database for its use-case tests: fresh, migrated, dropped afterwards; and the connection each
test gets, inside a transaction rolled back at its end, so use cases run in process and see nothing of each
other."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.db import make_engine
from shared.migrate import migrate
from shared.principal import Membership, Principal
from tests.support.servers import Servers


@asynccontextmanager
async def scratch_database(servers: Servers, service: str) -> AsyncIterator[AsyncEngine]:
    """An engine (one connection is all a test needs) on a new database at the service's newest migration."""
    name = f"hami_uc{uuid.uuid4().hex[:8]}_{service}"
    url = servers.database(name)
    await migrate(service, url)
    engine = make_engine(url, pool_size=1, max_overflow=1)
    try:
        yield engine
    finally:
        await engine.dispose()
        admin = await asyncpg.connect(servers.database("postgres", driver="postgresql"))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@asynccontextmanager
async def rolled_back(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection inside a transaction that is rolled back afterwards, whatever the test wrote."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            yield connection
        finally:
            await transaction.rollback()


def signed_in_as(kind: str, role: str, district: int | None = None, *, subject: str | None = None,
           name: str = "کارمند") -> Principal:
    """A signed-in person with one membership in a body of this kind (a new person id unless given)."""
    return Principal(subject=subject or str(uuid.uuid4()), username=f"{kind}.{role}", name=name,
                     memberships=[Membership(body=kind, kind=kind, role=role, district=district)])
