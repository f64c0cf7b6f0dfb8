"""Two more dispatcher replicas race the running service over one ledger: every row is sent exactly once."""

import asyncio
import time
import uuid

import asyncpg
import pytest

from services.notifications.delivery.dispatcher import Dispatcher
from services.notifications.optouts.links import OptOutLinks
from services.notifications.settings import NotificationsSettings
from shared.db import make_engine
from tests.support import notify_stack as stacks
from tests.support.notify_stack import NotifyStack

notify_stack = stacks.notify_stack
MAILS, TEXTS = 300, 300


async def _fill(dsn: str, run: str) -> set[str]:
    """Pending rows for the dispatchers: mail to the SMTP server and texts to the gateway double."""
    rows = [(uuid.uuid4(), f"r{i}-{run}@example.org", "email") for i in range(MAILS)]
    rows += [(uuid.uuid4(), f"0919{i:07d}", "sms") for i in range(TEXTS)]
    connection = await asyncpg.connect(dsn)
    try:
        ids = await connection.fetch(
            "INSERT INTO deliveries (event_id, event_type, recipient, channel, subject, body, status, rule) "
            "SELECT e, 'bench.replicas', r, c, 'آزمون هم‌زمانی', 'پیام آزمایشی ' || r, 'pending', 'bench' "
            "FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(e, r, c) RETURNING id",
            [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
        return {str(row["id"]) for row in ids}
    finally:
        await connection.close()


async def _race(stack: NotifyStack, dsn: str) -> float:
    settings = NotificationsSettings(
        database_url=stack.system.database("notifications"), http_port=0, email_adapter="smtp",
        smtp_port=stack.smtp.port, sms_adapter="http", sms_gateway_url=f"{stack.sms.url}/send",
        sms_api_key=stacks.SMS_KEY, sms_quiet_hours="00:00-00:00", link_secret="replica-test")
    engine = make_engine(settings.database_url, pool_size=5)
    replicas = [Dispatcher(engine, settings, OptOutLinks(settings)) for _ in range(2)]
    connection = await asyncpg.connect(dsn)
    started = time.perf_counter()
    try:
        while await connection.fetchval(
                "SELECT count(*) FROM deliveries WHERE event_type = 'bench.replicas' AND status <> 'sent'"):
            await asyncio.gather(*(replica.dispatch() for replica in replicas))
            assert time.perf_counter() - started < 120, "the replicas did not finish"
        return time.perf_counter() - started
    finally:
        await connection.close()
        for replica in replicas:
            await replica.close()
        await engine.dispose()


def test_two_replicas_and_the_service_send_every_row_exactly_once(notify_stack: NotifyStack) -> None:
    dsn = notify_stack.system.database("notifications", driver="postgresql")
    run = uuid.uuid4().hex[:6]
    ids = asyncio.run(_fill(dsn, run))

    elapsed = asyncio.run(_race(notify_stack, dsn))

    with notify_stack.smtp.lock:
        mailed = [m["X-Hami-Delivery"] for _, m in notify_stack.smtp.received if m["X-Hami-Delivery"] in ids]
    texted = [t["reference"] for t in notify_stack.sms.received() if t["reference"] in ids]
    assert len(mailed) == len(set(mailed)) == MAILS
    assert len(texted) == len(set(texted)) == TEXTS
    print(f"\n{MAILS} mails + {TEXTS} SMS by 3 competing dispatchers in {elapsed:.2f}s "
          f"({(MAILS + TEXTS) / elapsed:.0f} deliveries/s)")
    if elapsed > 60:
        pytest.fail(f"too slow: {elapsed:.1f}s")
