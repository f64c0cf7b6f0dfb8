"""A migrated notifications database of its own for the use-case tests: each test gets one connection inside a
transaction that is rolled back afterwards, so tests run in process, in milliseconds, and see nothing of each
other. Also the helpers those tests share (a recorder writing to it, the people and members they address, the
draft renderer and a webhook address policy with the tests' own DNS)."""

import uuid
from functools import lru_cache

from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.delivery.recorder import Recorder
from services.notifications.optouts.links import OptOutLinks
from services.notifications.projections.usecases import keep_membership, keep_person
from services.notifications.settings import NotificationsSettings
from services.notifications.templates.budget import DraftRenderer
from services.notifications.webhooks.targets import WebhookTargets


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


@lru_cache(maxsize=1)
def draft_renderer() -> DraftRenderer:
    """The budgeted renderer of drafts, as main.py builds one (one for the session: it keeps a fork server)."""
    return DraftRenderer()


PUBLIC_ADDRESS = "93.184.215.14"  # a public internet address (example.com's, at the time of writing)


def public_dns(answers: dict[str, list[str]] | None = None) -> WebhookTargets:
    """The webhook address policy as production has it (public addresses only), with a resolver that answers for
    the made-up hosts of the tests (city.example ...) as their DNS would: `answers`, else one public address."""
    async def resolver(host: str, _port: int) -> list[str]:
        return (answers or {}).get(host, [PUBLIC_ADDRESS])
    return WebhookTargets(resolver=resolver)
