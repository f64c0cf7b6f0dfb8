"""Channel adapters against in-memory HTTP transports: what is sent, how failures are classed, keys kept out."""

import json
import time

import httpx
import pytest
from cloudevents.core.bindings.http import HTTPMessage, from_http_event
from pydantic import ValidationError

from services.notifications.delivery.channels import Outgoing, SendError
from services.notifications.delivery.channels.sms import HttpSmsGateway
from services.notifications.delivery.channels.webhook import WebhookSender
from services.notifications.settings import NotificationsSettings
from services.notifications.webhooks.domain import verify_webhook

KEY = "sk-live-0123456789abcdef"
TEXT = Outgoing("delivery-1", "event-1", "submissions.work.received", "09123456789", "", "کد رهگیری: ۱۲۳", "")
# What fan_out records for a webhook: the type, the routing key and the public event.
HOOK_BODY = json.dumps({"type": "evaluation.results.published", "routing_key": "evaluation.results.published.city",
                        "event": {"event_id": "e1", "occurred_at": "2026-11-27T10:30:15.5+03:30",
                                  "schema_version": 3, "edition": "1405"}}).encode()


def settings(**overrides) -> NotificationsSettings:
    """Settings for an HTTP SMS gateway."""
    return NotificationsSettings(sms_adapter="http", sms_gateway_url="https://sms.example/send", sms_api_key=KEY,
                                 **overrides)


def gateway(answer: httpx.Response | Exception, seen: list) -> HttpSmsGateway:
    """An adapter whose provider answers the same way every time."""
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if isinstance(answer, Exception):
            raise answer
        return answer
    return HttpSmsGateway(settings(), client=httpx.AsyncClient(transport=httpx.MockTransport(handler)))


async def test_the_gateway_gets_e164_persian_text_a_reference_and_the_key_in_a_header_only() -> None:
    seen: list[httpx.Request] = []
    await gateway(httpx.Response(200, json={"id": "1"}), seen).send(TEXT)
    body = json.loads(seen[0].content)
    assert body == {"sender": "3000", "to": "+989123456789", "text": "کد رهگیری: ۱۲۳", "reference": "delivery-1"}
    assert seen[0].headers["authorization"] == f"Bearer {KEY}" and KEY not in str(seen[0].url)


@pytest.mark.parametrize(("status", "permanent"), [
    (400, True), (422, True), (401, False), (403, False), (429, False), (500, False), (503, False)])
async def test_provider_answers_are_classed_and_never_echo_the_key(status: int, permanent: bool) -> None:
    answer = httpx.Response(status, text=f"account {KEY} says no")
    with pytest.raises(SendError) as raised:
        await gateway(answer, []).send(TEXT)
    assert raised.value.permanent is permanent
    assert KEY not in raised.value.reason and "***" in raised.value.reason and str(status) in raised.value.reason


async def test_an_unreachable_gateway_is_transient() -> None:
    with pytest.raises(SendError) as raised:
        await gateway(httpx.ConnectError(f"https://sms.example/{KEY} refused"), []).send(TEXT)
    assert not raised.value.permanent and KEY not in raised.value.reason


async def test_a_webhook_is_signed_over_timestamp_and_body_and_410_is_permanent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204 if len(seen) == 1 else 410)
    sender = WebhookSender(timeout=5, client=httpx.AsyncClient(transport=httpx.MockTransport(handler)))
    body = HOOK_BODY
    await sender.send(url="https://city.example/hook", secret="s" * 32, body=body, event_id="e1",
                      event_type="evaluation.results.published", delivery_id="d1")
    headers = seen[0].headers
    assert headers["x-hami-event-id"] == "e1" and headers["x-hami-delivery"] == "d1"
    assert verify_webhook("s" * 32, int(headers["x-hami-timestamp"]), seen[0].content, headers["x-hami-signature"],
                          now=time.time())
    with pytest.raises(SendError) as gone:
        await sender.send(url="https://city.example/hook", secret="s" * 32, body=body, event_id="e2",
                          event_type="t", delivery_id="d2")
    assert gone.value.permanent


async def test_a_webhook_is_a_cloudevent_in_binary_mode_with_the_body_unchanged() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)
    sender = WebhookSender(timeout=5, client=httpx.AsyncClient(transport=httpx.MockTransport(handler)))
    await sender.send(url="https://city.example/hook", secret="s" * 32, body=HOOK_BODY, event_id="e1",
                      event_type="evaluation.results.published", delivery_id="d1")
    event = from_http_event(HTTPMessage(headers=dict(seen[0].headers), body=seen[0].content))
    assert (event.get_specversion(), event.get_id(), event.get_type(), event.get_source()) == (
        "1.0", "e1", "evaluation.results.published", "/hami/evaluation")
    assert event.get_time().isoformat() == "2026-11-27T07:00:15.500000+00:00"
    assert event.get_dataschema() == "https://hami.tehran.ir/events/schemas/evaluation.results.published/v3.json"
    assert event.get_datacontenttype() == "application/json" and seen[0].content == HOOK_BODY
    assert seen[0].headers["ce-time"] == "2026-11-27T07:00:15.500000Z" and "x-hami-signature" in seen[0].headers


def test_production_refuses_an_http_gateway_without_a_key_but_needs_no_link_secret() -> None:
    production = {"env": "production", "amqp_url": "amqp://hami:secret@mq/",
                  "database_url": "postgresql+asyncpg://hami:secret@db/hami_notifications"}
    with pytest.raises(ValidationError, match="sms_api_key"):
        NotificationsSettings(**production, sms_adapter="http")
    assert NotificationsSettings(**production).default_secrets() == []


def test_the_key_is_not_in_the_settings_repr() -> None:
    assert KEY not in repr(settings()) and KEY not in str(settings().model_dump())
