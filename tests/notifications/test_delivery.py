"""Notifications end to end: SMS and mail to a submitter, signed webhooks, no double sends, retries after an SMTP
outage and a restart, a failing endpoint given up loudly, the gateway's key kept out of logs and the ledger."""

import asyncio
import json
import uuid

import httpx
from cloudevents.core.bindings.http import HTTPMessage, from_http_event

from shared.contracts.evaluation import Award, ResultsPublished
from tests.support import notify_stack as stacks
from tests.support.bus import publish_event
from tests.support.http_doubles import FAILURE_BODY
from tests.support.notify_helpers import (
    advance,
    central,
    register_person,
    rows_for,
    sms_to,
    submit,
    wait_status,
    wait_until,
)
from tests.support.notify_stack import NotifyStack
from tests.support.submissions import mobile
from tests.support.system import run

notify_stack = stacks.notify_stack
PERSONAL = ("name", "mobile", "national_id", "tracking_code", "email", "submitter")


def test_a_submitter_gets_the_tracking_code_by_sms_and_persian_rtl_mail_with_a_jalali_date(
        notify_stack: NotifyStack) -> None:
    number, address = mobile(), f"citizen-{uuid.uuid4().hex[:6]}@example.org"
    register_person(notify_stack, name="زهرا احمدی", mobile=number, email=address)  # registry knows her email
    wait_until(lambda: asyncio.run(notify_stack.system.fetchval(
        "notifications", "SELECT count(*) FROM people WHERE mobile = $1", number)), what="person projected")

    work = submit(notify_stack, mobile=number)

    code = work["tracking_code"]
    persian_code = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    rows = wait_status(notify_stack, "sent", event_type="submissions.work.received", recipient=number)
    assert [r["channel"] for r in rows] == ["sms"] and persian_code in rows[0]["body"]
    texts = wait_until(lambda: sms_to(notify_stack, number), what="SMS at the gateway")
    assert len(texts) == 1 and persian_code in texts[0]["text"] and texts[0]["reference"] == rows[0]["id"]
    assert "۱۴۰" in texts[0]["text"]  # the Jalali year, in Persian digits

    wait_status(notify_stack, "sent", event_type="submissions.work.received", recipient=address)
    [mail] = wait_until(lambda: notify_stack.smtp.messages_to(address), what="mail at the SMTP server")
    assert persian_code in mail["Subject"] and mail["Content-Language"] == "fa"
    html = mail.get_body(("html",)).get_content()
    assert '<html lang="fa" dir="rtl">' in html and "direction:rtl" in html and persian_code in html
    plain = mail.get_body(("plain",)).get_content()
    assert "زهرا احمدی گرامی" in plain and any(month in plain for month in ("آذر", "آبان", "دی", "مهر"))


def test_a_registered_webhook_receives_public_events_signed_and_without_personal_data(
        notify_stack: NotifyStack) -> None:
    created = httpx.post(f"{notify_stack.url}/webhooks", headers=central(notify_stack), json={
        "name": "سامانه شهرداری", "url": f"{notify_stack.hooks.url}/hooks/city",
        "patterns": ["submissions.work.received.#", "evaluation.results.#"], "secret": stacks.WEBHOOK_SECRET})
    assert created.status_code == 201, created.text
    assert "secret" not in httpx.get(f"{notify_stack.url}/webhooks", headers=central(notify_stack)).json()[0]

    work = submit(notify_stack)

    def received() -> list[dict]:
        return [r for r in notify_stack.hooks.received()
                if r["body"]["type"] == "submissions.work.received" and r["body"]["event"]["work_id"] == work["id"]]
    [hit] = wait_until(received, what="webhook delivery")
    assert hit["verified"] is True and hit["path"] == "/hooks/city"
    assert hit["body"]["routing_key"] == "submissions.work.received.d07"
    assert not any(word in key for key in hit["body"]["event"] for word in PERSONAL), hit["body"]["event"]
    assert work["tracking_code"] not in json.dumps(hit["body"])
    [row] = wait_status(notify_stack, "sent", channel="webhook", event_id=hit["event_id"])
    assert row["recipient"] == f"webhook:{created.json()['id']}"
    # A CloudEvent in the HTTP binding's binary mode, as the CloudEvents SDK reads it; the body is what was signed.
    event = from_http_event(HTTPMessage(headers=hit["headers"], body=hit["raw"].encode()))
    assert (event.get_specversion(), event.get_id(), event.get_type(), event.get_source()) == (
        "1.0", hit["body"]["event"]["event_id"], "submissions.work.received", "/hami/submissions")
    assert event.get_time().isoformat() == hit["body"]["event"]["occurred_at"].replace("Z", "+00:00")
    assert event.get_dataschema() == ("https://hami.tehran.ir/events/schemas/submissions.work.received/v"
                                      f"{hit['body']['event']['schema_version']}.json")
    assert event.get_datacontenttype() == "application/json" and event.get_data() == hit["body"]


def test_redelivered_events_send_nothing_twice(notify_stack: NotifyStack) -> None:
    work = submit(notify_stack)
    event = advance(notify_stack, work)
    [row] = wait_status(notify_stack, "sent", event_id=str(event.event_id))

    advance(notify_stack, work, event=event)  # the same message again
    replay_id = str(uuid.uuid4())
    advance(notify_stack, work, event=event, message_id=replay_id)  # the same event under a new message id
    wait_until(lambda: asyncio.run(notify_stack.system.fetchval(
        "notifications", "SELECT count(*) FROM inbox WHERE message_id = $1", replay_id)), what="replay consumed")
    duplicate = 'hami_events_consumed_total{event_type="evaluation.work.advanced",outcome="duplicate"}'
    wait_until(lambda: duplicate in httpx.get(f"{notify_stack.url}/metrics").text, what="redelivery skipped")
    asyncio.run(asyncio.sleep(1))  # give a duplicate every chance to be sent

    assert [r["id"] for r in rows_for(notify_stack, event_id=str(event.event_id))] == [row["id"]]
    assert row["channel"] == "sms" and "راه یافت" in row["body"]
    assert sum(m["reference"] == row["id"] for m in notify_stack.sms.received()) == 1


def test_mail_waits_out_an_smtp_outage_and_a_restart_then_arrives_once(notify_stack: NotifyStack) -> None:
    number, address = mobile(), f"outage-{uuid.uuid4().hex[:6]}@example.org"
    register_person(notify_stack, name="رضا محمدی", mobile=number, email=address)
    wait_until(lambda: asyncio.run(notify_stack.system.fetchval(
        "notifications", "SELECT count(*) FROM people WHERE email = $1", address)), what="person projected")
    notify_stack.smtp.stop()
    try:
        submit(notify_stack, mobile=number)

        def retrying() -> list[dict]:
            rows = rows_for(notify_stack, recipient=address)
            return rows if rows and rows[0]["status"] == "failed" and rows[0]["attempts"] >= 2 else []
        [row] = wait_until(retrying, what="mail retried")
        assert "unreachable" in row["last_error"]
        notify_stack.restart_notifications()  # the retry state lives in the database
    finally:
        notify_stack.smtp.start()

    [row] = wait_status(notify_stack, "sent", recipient=address, timeout=30)
    assert row["attempts"] >= 3
    assert len(notify_stack.smtp.messages_to(address)) == 1


def test_a_webhook_that_always_fails_ends_as_failing_with_the_ledger_saying_why(notify_stack: NotifyStack) -> None:
    headers = central(notify_stack)
    hook = httpx.post(f"{notify_stack.url}/webhooks", headers=headers, json={
        "name": "گیرنده خراب", "url": f"{notify_stack.hooks.url}/fail", "patterns": ["evaluation.results.#"]}).json()
    results = ResultsPublished(edition="1405", category="entrepreneurship", awards=[  # no works there
        Award(work_id=uuid.uuid4(), place="first", district=7, title="اثری که برنده شد")])

    run(publish_event(notify_stack.system.amqp_url, results))

    failing = wait_until(lambda: (h := httpx.get(f"{notify_stack.url}/webhooks/{hook['id']}", headers=headers)
                                  .json())["status"] == "failing" and h, what="endpoint failing")
    assert failing["consecutive_failures"] == 3 and "HTTP 500" in failing["last_error"]
    [row] = wait_status(notify_stack, "dead", channel="webhook", recipient=f"webhook:{hook['id']}")
    assert row["attempts"] == 3 and row["last_error"].endswith("endpoint answered HTTP 500 Internal Server Error")
    alerts = asyncio.run(notify_stack.system.fetchval("notifications", "SELECT array_agg(payload::text) FROM outbox "
                                                      "WHERE event_type = 'notifications.webhook.failing'"))
    assert len(alerts) == 1
    # What the endpoint answered never reaches the ledger, the endpoint's record, the alert or the logs.
    for leaked in ("receiver is down", "hunter2", "/srv/internal"):
        assert leaked in FAILURE_BODY
        assert not any(leaked in text for text in (row["last_error"], failing["last_error"], alerts[0],
                                                   notify_stack.log_text()))
    metrics = httpx.get(f"{notify_stack.url}/metrics").text
    assert "hami_notification_failing_endpoints 1.0" in metrics
    assert 'hami_notification_alerts_total{channel="webhook"} 1.0' in metrics

    run(publish_event(notify_stack.system.amqp_url, results.model_copy(update={"event_id": uuid.uuid4()})))
    wait_until(lambda: len(rows_for(notify_stack, recipient=f"webhook:{hook['id']}")) == 2, what="second row")
    rows = rows_for(notify_stack, recipient=f"webhook:{hook['id']}")
    assert all(r["status"] == "dead" for r in rows)  # not tried while failing; resuming would send them again
    resumed = httpx.post(f"{notify_stack.url}/webhooks/{hook['id']}/resume", headers=headers).json()
    assert resumed["status"] == "active" and resumed["consecutive_failures"] == 0
    httpx.delete(f"{notify_stack.url}/webhooks/{hook['id']}", headers=headers).raise_for_status()


def test_a_refused_number_dies_at_once_and_the_gateway_key_never_reaches_logs_or_ledger(
        notify_stack: NotifyStack) -> None:
    submit(notify_stack, mobile=stacks.REJECTED_MOBILE)

    [row] = wait_status(notify_stack, "dead", recipient=stacks.REJECTED_MOBILE, channel="sms")
    assert row["attempts"] == 1 and "HTTP 400" in row["last_error"] and "***" in row["last_error"]
    assert stacks.SMS_KEY not in row["last_error"]
    assert stacks.SMS_KEY not in notify_stack.log_text()
    metrics = httpx.get(f"{notify_stack.url}/metrics").text
    assert 'hami_notification_attempts_total{channel="sms",outcome="dead"}' in metrics
    assert 'hami_notification_attempts_total{channel="email",outcome="sent"}' in metrics
    assert 'hami_notification_send_seconds_count{channel="sms"}' in metrics
