"""Use-case tests on a real registry database with the festival structure; each test's transaction is rolled back."""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from services.registry.structure.usecases import load_structure
from tests.support.registry_db import STRUCTURE_FILE
from tests.support.scratch_db import scratch_database
from tests.support.servers import Servers


@pytest.fixture(scope="session")
async def service_engine(servers: Servers) -> AsyncIterator[AsyncEngine]:
    """The registry database every use-case test of the session works in (the `conn` fixture rolls each back)."""
    async with scratch_database(servers, "registry") as engine:
        await load_structure(engine, STRUCTURE_FILE)
        yield engine
