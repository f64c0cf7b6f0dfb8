"""Cutting someone off everywhere: each token carries its account's version (`tv`); when registry raises a
person's version it publishes AccessRevoked, every other service keeps the newest version per person in its own
`token_versions` table, and the token verifier refuses a token whose version is older.

No web imports: the table and the handler are the service's own; shared/auth.py asks `current_version`.
"""

import uuid

from sqlalchemy import Column, Integer, MetaData, Table, func, select
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.contracts.registry import AccessRevoked

_metadata = MetaData()
token_versions = Table(
    "token_versions", _metadata,
    Column("person_id", UUID(as_uuid=True), primary_key=True),
    Column("version", Integer, nullable=False),
)


async def record_revocation(conn: AsyncConnection, event: AccessRevoked) -> None:
    """Keep the person's newest token version (events may arrive out of order or twice)."""
    statement = insert(token_versions).values(person_id=event.person_id, version=event.token_version)
    await conn.execute(statement.on_conflict_do_update(
        index_elements=[token_versions.c.person_id],
        set_={"version": func.greatest(token_versions.c.version, statement.excluded.version)}))


def person_of(subject: str) -> uuid.UUID | None:
    """The person a token's subject names (None for a subject that is no person id: nothing to revoke)."""
    try:
        return uuid.UUID(subject)
    except ValueError:
        return None


async def current_version(conn: AsyncConnection, person_id: str) -> int:
    """The lowest token version still accepted for the person (0 when nothing was ever revoked)."""
    if (subject := person_of(person_id)) is None:
        return 0
    version = await conn.scalar(select(token_versions.c.version).where(token_versions.c.person_id == subject))
    return version or 0
