"""Staff use cases in process against a real database (rolled back): webhooks, retries, templates, the inbox and
opt-outs; each one refuses by itself whoever the permissions table does not allow."""

import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications import db
from services.notifications.delivery import usecases as deliveries
from services.notifications.delivery.domain import DEAD, SENT, WEBHOOK
from services.notifications.inbox import db as inbox_db
from services.notifications.inbox import usecases as inbox
from services.notifications.optouts import usecases as optouts
from services.notifications.templates import usecases as templates
from services.notifications.webhooks import usecases as webhooks
from services.notifications.webhooks.domain import ACTIVE, DISABLED
from shared.contracts.evaluation import ResultsPublished
from shared.principal import BodyKind, Role
from shared.refusals import Kind, Refusal
from tests.support.notifications_db import draft_renderer, public_dns
from tests.support.scratch_db import signed_in_as

CENTRAL = signed_in_as(BodyKind.CENTRAL_SECRETARIAT, Role.STAFF)


async def refused(call) -> Refusal:
    """The refusal a use case call raised."""
    with pytest.raises(Refusal) as raised:
        await call
    return raised.value


async def outbox_types(conn: AsyncConnection) -> list[str]:
    """Event types waiting in the outbox, sorted."""
    return sorted((await conn.execute(select(db.outbox.c.event_type))).scalars())


async def test_a_resumed_endpoint_resends_what_it_missed_and_says_so_and_a_disabled_one_gives_up(
        conn: AsyncConnection) -> None:
    hook = await webhooks.register_webhook(conn, CENTRAL, name="شهرداری", url="https://city.example/hook",
                                           patterns=["evaluation.results.#"], secret=None, targets=public_dns())
    assert len(hook["secret"]) >= 32 and hook["status"] == ACTIVE and hook["created_by"] == CENTRAL.username
    results = ResultsPublished(edition="1405", category="welfare", awards=[])
    assert await webhooks.fan_out(conn, results, "evaluation.results.published.city") == 1
    assert await webhooks.fan_out(conn, results, "evaluation.results.published.city") == 0  # once per event

    alert = await webhooks.delivery_failed(conn, webhook_id=hook["id"], error="HTTP 500", permanent=True, threshold=5)
    assert alert is not None and alert.deliveries_given_up == 1
    assert await webhooks.delivery_failed(conn, webhook_id=hook["id"], error="HTTP 500", permanent=True,
                                          threshold=5) is None  # one alert, however many replicas see it fail
    resumed = await webhooks.resume_webhook(conn, CENTRAL, hook["id"])
    assert resumed["status"] == ACTIVE and resumed["consecutive_failures"] == 0
    assert await outbox_types(conn) == ["notifications.webhook.failing", "notifications.webhook.resumed"]

    disabled = await webhooks.disable_webhook(conn, CENTRAL, hook["id"])
    statuses = (await conn.execute(select(db.deliveries.c.status).where(db.deliveries.c.channel == WEBHOOK))).scalars()
    assert disabled["status"] == DISABLED and list(statuses) == [DEAD]
    missing = await refused(webhooks.resume_webhook(conn, CENTRAL, uuid.uuid4()))
    assert missing.kind == Kind.NOT_FOUND


async def test_only_failed_or_dead_deliveries_are_retried(conn: AsyncConnection) -> None:
    ids = {}
    for status in (SENT, DEAD):
        ids[status] = (await conn.execute(db.deliveries.insert().values(
            event_id=uuid.uuid4(), event_type="test.event", recipient="09120000000", channel="sms", body="سلام",
            status=status, attempts=3).returning(db.deliveries.c.id))).scalar_one()
    retried = await deliveries.retry_delivery(conn, CENTRAL, ids[DEAD])
    assert retried["status"] == "pending" and retried["attempts"] == 0
    assert (await refused(deliveries.retry_delivery(conn, CENTRAL, ids[SENT]))).code == "not_retryable"
    assert (await refused(deliveries.retry_delivery(conn, CENTRAL, uuid.uuid4()))).kind == Kind.NOT_FOUND
    bad_filter = await refused(deliveries.list_deliveries(conn, CENTRAL, limit=5, offset=0, status="lost"))
    assert bad_filter.kind == Kind.INVALID and "sent" in bad_filter.details["allowed"]


async def test_a_broken_template_is_refused_and_nothing_is_saved(conn: AsyncConnection) -> None:
    broken = await refused(templates.save_template(conn, CENTRAL, rule="work_received", channel="sms",
                                                   parts={"text": "{{ nobody }}"}, renderer=draft_renderer()))
    assert broken.code == "template_refused" and "UndefinedError" in broken.details["reason"]
    assert (await conn.execute(select(func.count()).select_from(db.templates))).scalar_one() == 0
    saved = await templates.save_template(conn, CENTRAL, rule="work_received", channel="sms",
                                          parts={"subject": "", "text": "کد شما {{ work.tracking_code | fa }}",
                                                 "html": ""}, renderer=draft_renderer())
    assert saved["customised"] and saved["updated_by"] == CENTRAL.username
    assert (await templates.reset_template(conn, CENTRAL, rule="work_received", channel="sms"))["customised"] is False
    unknown = await refused(templates.get_template(conn, CENTRAL, rule="work_received", channel="webhook"))
    assert unknown.kind == Kind.NOT_FOUND


async def test_people_read_and_mark_only_their_own_inbox(conn: AsyncConnection) -> None:
    owner, other = CENTRAL, signed_in_as(BodyKind.JURY_COMMITTEE, Role.JUROR)
    items = []
    for person in (owner, other):
        item = {"delivery_id": uuid.uuid4(), "person_id": uuid.UUID(person.subject), "event_id": uuid.uuid4(),
                "event_type": "registry.decision.relayed", "title": "مصوبه", "body": "متن", "link_service": None,
                "link_path": None}
        await inbox_db.add_inbox_items(conn, items=[item])
        items.append((await inbox.my_inbox(conn, person, unread_only=True, limit=10, offset=0))[0])
    assert (await refused(inbox.mark_read(conn, owner, items[1]["id"]))).kind == Kind.NOT_FOUND
    assert await inbox.mark_read(conn, owner, items[0]["id"]) == 0
    assert await inbox.unread_count(conn, other) == 1 and await inbox.mark_all_read(conn, other) == 1
    no_person = signed_in_as(BodyKind.CENTRAL_SECRETARIAT, Role.STAFF, subject="organisation:abc")
    assert (await refused(inbox.unread_count(conn, no_person))).kind == Kind.NOT_FOUND


async def test_staff_record_opt_outs_in_canonical_form(conn: AsyncConnection) -> None:
    await optouts.record_opt_out(conn, CENTRAL, channel="sms", address="+989121234567")
    listed = await optouts.list_opt_outs(conn, CENTRAL, limit=10, offset=0)
    assert [(o["channel"], o["address"], o["source"]) for o in listed] == [("sms", "09121234567", "staff")]
    assert (await refused(optouts.record_opt_out(conn, CENTRAL, channel="sms", address="123"))).code == \
        "invalid_mobile"
    await optouts.opt_back_in(conn, CENTRAL, channel="sms", address="09121234567")
    assert (await refused(optouts.opt_back_in(conn, CENTRAL, channel="sms", address="09121234567"))).kind == \
        Kind.NOT_FOUND
