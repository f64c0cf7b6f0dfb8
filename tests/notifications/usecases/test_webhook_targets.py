"""Webhooks cannot reach inside (issue #11, item 6): an endpoint whose URL is, or resolves to, anything but a public
internet address is refused at registration with a stable code and nothing is stored; production wants https; and
the check holds again when a delivery connects, so a name that now resolves inside (DNS rebinding) is not reached.

These run with the policy production has (webhook_allow_private_targets off) and this machine's own resolver, except
where a test gives the made-up hosts of its scenario their DNS answers."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications import db
from services.notifications.delivery.channels import SendError
from services.notifications.delivery.channels.webhook import WebhookSender
from services.notifications.webhooks import usecases as webhooks
from services.notifications.webhooks.targets import WebhookTargets
from shared.principal import BodyKind, Role
from shared.refusals import Kind, Refusal
from tests.support.notifications_db import PUBLIC_ADDRESS, public_dns
from tests.support.scratch_db import signed_in_as

CENTRAL = signed_in_as(BodyKind.CENTRAL_SECRETARIAT, Role.STAFF)
BODY = b'{"type":"t","routing_key":"t.city","event":{"occurred_at":"2026-11-27T10:00:00Z"}}'  # as fan_out makes it
FORBIDDEN = {
    "loopback": "http://127.0.0.1:8004/hook",
    "loopback, elsewhere in 127/8": "http://127.0.0.2/hook",
    "IPv6 loopback": "http://[::1]:8004/hook",
    "private 10/8": "http://10.1.2.3/hook",
    "private 172.16/12": "http://172.16.0.1/hook",
    "private 192.168/16": "http://192.168.1.1/hook",
    "cloud metadata": "http://169.254.169.254/latest/meta-data/",
    "cloud metadata over IPv6": "http://[fd00:ec2::254]/latest/meta-data/",
    "IPv6 link-local": "http://[fe80::1]/hook",
    "IPv6 unique local": "http://[fc00::1]/hook",
    "shared address space (CGNAT)": "http://100.64.0.1/hook",
    "multicast": "http://224.0.0.1/hook",
    "IPv6 multicast": "http://[ff02::1]/hook",
    "reserved": "http://240.0.0.1/hook",
    "broadcast": "http://255.255.255.255/hook",
    "unspecified": "http://0.0.0.0:8004/hook",
    "IPv6 unspecified": "http://[::]/hook",
    "IPv4-mapped IPv6 of loopback": "http://[::ffff:127.0.0.1]/hook",
    "IPv4-mapped IPv6 of metadata": "http://[::ffff:169.254.169.254]/hook",
    "IPv4-mapped IPv6 of a public address": "http://[::ffff:8.8.8.8]/hook",
    "IPv4-compatible IPv6": "http://[::127.0.0.1]/hook",
    "NAT64 of loopback": "http://[64:ff9b::7f00:1]/hook",
    "6to4 of loopback": "http://[2002:7f00:1::1]/hook",
    "integer host": "http://2130706433/hook",
    "hexadecimal host": "http://0x7f.1/hook",
    "hexadecimal integer host": "http://0x7f000001/hook",
    "octal host": "http://017700000001/hook",
    "octal dotted host": "http://0177.0.0.1/hook",
    "short dotted host": "http://127.1/hook",
    "a name resolving to 127.0.0.1": "http://localhost:8004/hook",
}


async def refused(call) -> Refusal:
    """The refusal a use case call raised."""
    with pytest.raises(Refusal) as raised:
        await call
    return raised.value


async def stored(conn: AsyncConnection) -> int:
    """How many endpoints are registered."""
    return (await conn.execute(select(func.count()).select_from(db.webhooks))).scalar_one()


def register(conn: AsyncConnection, url: str, targets: WebhookTargets):
    """Register an endpoint for results as central staff."""
    return webhooks.register_webhook(conn, CENTRAL, name="سامانه شهری", url=url, patterns=["evaluation.results.#"],
                                     secret=None, targets=targets)


@pytest.mark.parametrize("url", list(FORBIDDEN.values()), ids=list(FORBIDDEN))
async def test_an_endpoint_that_is_or_resolves_inside_is_refused_and_nothing_is_stored(
        conn: AsyncConnection, url: str) -> None:
    refusal = await refused(register(conn, url, WebhookTargets()))
    assert (refusal.kind, refusal.code) == (Kind.INVALID, "webhook_target_not_allowed"), refusal.en
    assert refusal.fa and refusal.en and refusal.details["reason"]
    assert await stored(conn) == 0


async def test_a_name_is_refused_when_any_of_its_addresses_is_inside(conn: AsyncConnection) -> None:
    targets = public_dns({"split.example": [PUBLIC_ADDRESS, "10.0.0.7"], "metadata.example": ["169.254.169.254"]})
    for url in ("https://split.example/hook", "https://metadata.example/hook"):
        assert (await refused(register(conn, url, targets))).code == "webhook_target_not_allowed"
    assert await stored(conn) == 0
    hook = await register(conn, "https://city.example/hook", targets)
    assert hook["url"] == "https://city.example/hook" and await stored(conn) == 1


async def test_a_name_that_does_not_resolve_is_refused(conn: AsyncConnection) -> None:
    refusal = await refused(register(conn, "https://no-such-host.invalid/hook", WebhookTargets()))
    assert (refusal.kind, refusal.code) == (Kind.INVALID, "webhook_target_unresolved")
    assert await stored(conn) == 0


async def test_production_wants_https(conn: AsyncConnection) -> None:
    production = WebhookTargets(require_https=True, resolver=public_dns().resolver)
    refusal = await refused(register(conn, "http://city.example/hook", production))
    assert (refusal.kind, refusal.code) == (Kind.INVALID, "webhook_https_required") and "https" in refusal.fa
    assert (await register(conn, "https://city.example/hook", production))["status"] == "active"


async def test_development_reaches_this_machine_but_never_through_a_numeric_disguise(conn: AsyncConnection) -> None:
    local = WebhookTargets(allow_private=True)
    assert (await register(conn, "http://127.0.0.1:9/hook", local))["status"] == "active"
    assert (await refused(register(conn, "http://2130706433:9/hook", local))).code == "webhook_target_not_allowed"


class Listener:
    """A TCP server on 127.0.0.1 that counts who connects (an inside service a webhook must not reach)."""

    def __init__(self) -> None:
        self.connections = 0
        self.server: asyncio.Server | None = None

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        head = await reader.readuntil(b"\r\n\r\n")
        length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)
        await reader.readexactly(length)
        writer.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    @property
    def port(self) -> int:
        """Where it listens."""
        return self.server.sockets[0].getsockname()[1]


@pytest.fixture
async def inside() -> AsyncIterator[Listener]:
    """An inside service listening on 127.0.0.1."""
    listener = Listener()
    listener.server = await asyncio.start_server(listener._accept, "127.0.0.1", 0)
    async with listener.server:
        yield listener


async def deliver(targets: WebhookTargets, url: str) -> SendError:
    """What a delivery to the URL ends with (it must fail)."""
    sender = WebhookSender(timeout=5, targets=targets)
    try:
        with pytest.raises(SendError) as failed:
            await sender.send(url=url, secret="s" * 32, body=BODY, event_id="e", event_type="t", delivery_id="d")
    finally:
        await sender.close()
    return failed.value


async def test_a_name_that_resolves_inside_at_delivery_is_not_connected_to(conn: AsyncConnection,
                                                                           inside: Listener) -> None:
    answers = iter([[PUBLIC_ADDRESS], ["127.0.0.1"]])  # public when registered, this machine when delivered to

    async def rebinding(_host: str, _port: int) -> list[str]:
        return next(answers)
    targets = WebhookTargets(resolver=rebinding)
    url = f"http://rebinding.example:{inside.port}/hook"
    await register(conn, url, targets)

    failure = await deliver(targets, url)
    assert failure.permanent and failure.reason == "endpoint refused: webhook_target_not_allowed"
    assert inside.connections == 0


async def test_a_delivery_never_connects_inside_whatever_was_registered_before(inside: Listener) -> None:
    for url in (f"http://localhost:{inside.port}/hook", f"http://127.0.0.1:{inside.port}/hook",
                f"http://2130706433:{inside.port}/hook", f"http://[::ffff:127.0.0.1]:{inside.port}/hook"):
        failure = await deliver(WebhookTargets(), url)
        assert failure.permanent and failure.reason == "endpoint refused: webhook_target_not_allowed", url
    assert inside.connections == 0
    allowed = WebhookSender(timeout=5, targets=WebhookTargets(allow_private=True))
    await allowed.send(url=f"http://localhost:{inside.port}/hook", secret="s" * 32, body=BODY, event_id="e",
                       event_type="t", delivery_id="d")  # the same receiver, reached where the setting allows it
    await allowed.close()
    assert inside.connections == 1


async def test_production_sends_nothing_over_http(inside: Listener) -> None:
    failure = await deliver(WebhookTargets(require_https=True), f"http://127.0.0.1:{inside.port}/")
    assert failure.permanent and "https" in failure.reason and inside.connections == 0
