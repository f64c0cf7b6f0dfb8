"""Use-case tests: each test works in one transaction on a scratch evaluation database, rolled back at its end."""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.support.scratch_db import scratch_database
from tests.support.servers import Servers


@pytest.fixture(scope="session")
async def service_engine(servers: Servers) -> AsyncIterator[AsyncEngine]:
    """The evaluation database every use-case test of the session works in (the `conn` fixture rolls each back)."""
    async with scratch_database(servers, "evaluation") as engine:
        yield engine
