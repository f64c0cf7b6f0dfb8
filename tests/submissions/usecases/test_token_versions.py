"""The token-version projection every service keeps (shared/revocation.py), on submissions' database: it holds
the newest version whatever order the events come in."""

import uuid

from shared.contracts.registry import AccessRevoked
from shared.revocation import current_version, record_revocation


def revoked(person: uuid.UUID, version: int) -> AccessRevoked:
    return AccessRevoked(person_id=person, token_version=version, reason="password_reset")


async def test_the_newest_version_is_kept_whatever_order_the_events_arrive_in(conn) -> None:
    person = uuid.uuid4()
    assert await current_version(conn, str(person)) == 0
    for version in (2, 3, 1, 3):
        await record_revocation(conn, revoked(person, version))
    assert await current_version(conn, str(person)) == 3
    assert await current_version(conn, str(uuid.uuid4())) == 0


async def test_a_subject_that_is_no_person_id_has_nothing_revoked(conn) -> None:
    assert await current_version(conn, "not-a-uuid") == 0
