"""A migrated notifications database of its own for the use-case tests: each test gets one connection inside a
transaction that is rolled back afterwards, so tests run in process, in milliseconds, and see nothing of each
other. Also the helpers those tests share (a recorder writing to it, the people and members they address)."""

import uuid

from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.delivery.recorder import Recorder
from services.notifications.optouts.links import OptOutLinks
from services.notifications.projections.usecases import keep_membership, keep_person
from services.notifications.settings import NotificationsSettings


def recorder() -> Recorder:
    """A recorder as main.py builds one: never quiet, links signed with a fixed secret."""
    settings = NotificationsSettings(link_secret="use-case-tests", sms_quiet_hours="00:00-00:00")
    return Recorder(settings, OptOutLinks(settings))




async def member(conn: AsyncConnection, kind: str, role: str, district: int | None = None) -> uuid.UUID:
    """A projected person appointed to a body of `kind` (with an email), as registry's events would leave them."""
    person_id = uuid.uuid4()
    await keep_person(conn, person_id=person_id, name=f"عضو {kind}", mobile=None,
                      email=f"{kind}.{role}.{person_id.hex[:6]}@example.org")
    await keep_membership(conn, appointment_id=uuid.uuid4(), person_id=person_id, body_code=f"{kind}-body",
                          body_kind=kind, role=role, district=district, active=True)
    return person_id
