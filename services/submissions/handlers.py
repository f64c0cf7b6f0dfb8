"""Submissions consumers: keeps its projection of registry's neighbourhoods."""

from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions import db
from shared.contracts import registry


async def on_neighbourhood(conn: AsyncConnection, event: registry.NeighbourhoodCreated) -> None:
    """A neighbourhood was added, removed or restored: mirror its state."""
    await db.upsert_neighbourhood(conn, code=event.code, district=event.district, name_fa=event.name_fa,
                                  active=event.active)


def handlers() -> dict:
    """Event type -> (contract, handler) for this service's queue."""
    return {
        contract.event_type(): (contract, on_neighbourhood)
        for contract in (registry.NeighbourhoodCreated, registry.NeighbourhoodDeactivated,
                         registry.NeighbourhoodReactivated)
    }
