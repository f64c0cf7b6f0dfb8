"""A database connection per request, as a FastAPI dependency instead of routers closing over the engine.

Both are function-scoped: the transaction commits (or rolls back on a refusal) when the route returns, before
the response is sent, so a client never hears "done" for something that was not committed.
"""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine


def engine_of(request: Request) -> AsyncEngine:
    """The service's engine, from the runtime its composition root built."""
    return request.app.state.runtime.engine


async def _transaction(request: Request) -> AsyncIterator[AsyncConnection]:
    async with engine_of(request).begin() as conn:
        yield conn


async def _reading(request: Request) -> AsyncIterator[AsyncConnection]:
    async with engine_of(request).connect() as conn:
        yield conn


# A connection inside one transaction: what a use case that changes state needs.
Transaction = Annotated[AsyncConnection, Depends(_transaction, scope="function")]
# A connection for reads only (no transaction is committed).
Reading = Annotated[AsyncConnection, Depends(_reading, scope="function")]
