"""Notifications for staff end to end: decisions by mail and inbox, overdue reminders, inbox privacy, access rules,
templates edited over HTTP (broken ones refused), opt-outs, and SMS held in quiet hours (Tehran time)."""

import re
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from shared.persian import TEHRAN, format_jalali_datetime
from tests.support import notify_stack as stacks
from tests.support.notify_helpers import (
    account,
    advance,
    central,
    inbox,
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






@pytest.fixture(scope="module")
def district_five(notify_stack: NotifyStack) -> dict:
    """District 5's secretary and a staff member, a central secretariat member and the council's chair."""
    secretary = account(notify_stack, "district-05", "secretary", name="دبیر منطقه پنج",
                        email="secretary.d05@example.org", phone=mobile())
    staff = account(notify_stack, "district-05", "staff", name="کارشناس منطقه پنج", email="staff.d05@example.org")
    central_member = account(notify_stack, "central-secretariat", "staff", name="کارشناس مرکزی",
                             email="central@example.org")
    chair = account(notify_stack, "policy-council", "chair", name="رئیس شورا")
    return {"secretary": secretary, "staff": staff, "central": central_member, "chair": chair}


def test_a_relayed_decision_reaches_the_district_secretariat_by_mail_and_inbox_then_overdue(
        notify_stack: NotifyStack, district_five: dict) -> None:
    registry = notify_stack.system.url("registry")
    deadline = (datetime.now(UTC) + timedelta(seconds=6)).isoformat()
    issued = httpx.post(f"{registry}/decisions", headers=district_five["chair"][0], json={
        "title": "برگزاری نشست هم‌اندیشی محله‌ها", "text": "هر منطقه یک نشست برگزار کند.",
        "issuing_body": "policy-council", "kind": "directive", "districts": [5], "ack_deadline_at": deadline})
    assert issued.status_code == 201, issued.text
    relayed = httpx.post(f"{registry}/decisions/{issued.json()['id']}/relay", headers=central(notify_stack),
                         json={"notes": {"5": "تا پایان هفته"}})
    assert relayed.status_code == 200, relayed.text

    for who in ("secretary", "staff"):
        headers, person = district_five[who]
        items = wait_until(lambda h=headers: [i for i in inbox(notify_stack, h)
                                              if i["event_type"] == "registry.decision.relayed"], what="inbox")
        assert "برگزاری نشست هم‌اندیشی محله‌ها" in items[0]["title"] and "تا پایان هفته" in items[0]["body"]
        assert items[0]["read_at"] is None
    [relay_mail] = wait_until(lambda: [m for m in notify_stack.smtp.messages_to("staff.d05@example.org")
                                       if "مصوبهٔ جدید" in m["Subject"]], what="relay mail")
    assert "منطقه ۵" in relay_mail["Subject"] and 'dir="rtl"' in relay_mail.get_body(("html",)).get_content()

    # Nobody acknowledges: the secretary gets an SMS reminder, the central secretariat an inbox item.
    secretary_mobile = wait_until(lambda: rows_for(notify_stack, event_type="registry.decision.overdue",
                                                   channel="sms"), timeout=40, what="overdue SMS row")
    assert len(secretary_mobile) == 1 and secretary_mobile[0]["rule"] == "decision_overdue_district"
    wait_until(lambda: sms_to(notify_stack, secretary_mobile[0]["recipient"]), what="overdue SMS sent")
    central_items = wait_until(lambda: [i for i in inbox(notify_stack, district_five["central"][0])
                                        if i["event_type"] == "registry.decision.overdue"], what="central inbox")
    assert "منطقه ۵" in central_items[0]["title"]
    assert not [i for i in inbox(notify_stack, district_five["staff"][0])
                if i["event_type"] == "registry.decision.overdue"]  # the secretary answers for the district


def test_the_inbox_counts_unread_marks_read_and_shows_only_ones_own(notify_stack: NotifyStack,
                                                                   district_five: dict) -> None:
    own, other = district_five["secretary"][0], district_five["staff"][0]
    wait_until(lambda: inbox(notify_stack, own) and inbox(notify_stack, other), what="items")
    items = inbox(notify_stack, own, unread="true")
    count = httpx.get(f"{notify_stack.url}/inbox/unread-count", headers=own).json()["unread"]
    assert count == len(items) > 0

    assert httpx.post(f"{notify_stack.url}/inbox/{items[0]['id']}/read", headers=own).json()["unread"] == count - 1
    others_item = inbox(notify_stack, other)[0]
    assert others_item["id"] not in {i["id"] for i in inbox(notify_stack, own)}
    assert httpx.post(f"{notify_stack.url}/inbox/{others_item['id']}/read", headers=own).status_code == 404
    assert inbox(notify_stack, other)[0]["read_at"] is None and inbox(notify_stack, other)[0]["read_at_jalali"] is None
    # Every date a person reads comes with its Jalali form (Tehran time) next to the ISO value.
    created = datetime.fromisoformat(others_item["created_at"])
    assert others_item["created_at_jalali"] == format_jalali_datetime(created, persian_digits=False).replace("/", "-")
    assert httpx.post(f"{notify_stack.url}/inbox/read-all", headers=own).json()["unread"] == 0
    assert httpx.get(f"{notify_stack.url}/inbox", headers={}).status_code == 401


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/deliveries", None), ("GET", "/templates", None), ("GET", "/webhooks", None),
    ("POST", "/webhooks", {"name": "x", "url": "http://127.0.0.1:1/x", "patterns": ["#"]}),
    ("PUT", "/templates/work_received/sms", {"text": "سلام"}), ("GET", "/opt-outs", None),
    ("PUT", "/opt-outs/sms/09121234567", None),
])
def test_district_staff_cannot_read_the_ledger_or_manage_templates_webhooks_and_opt_outs(
        notify_stack: NotifyStack, district_five: dict, method: str, path: str, body: dict | None) -> None:
    response = httpx.request(method, f"{notify_stack.url}{path}", json=body, headers=district_five["staff"][0])
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert httpx.request(method, f"{notify_stack.url}{path}", json=body).status_code == 401


def test_a_broken_template_is_refused_a_good_one_is_used_and_reset(notify_stack: NotifyStack) -> None:
    headers, url = central(notify_stack), f"{notify_stack.url}/templates/work_received/sms"
    for broken in ("کد شما {{ work.tracking_code | fa ", "کد شما {{ tracking }}", "{{ name.__class__ }}"):
        refused = httpx.put(url, headers=headers, json={"text": broken})
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "template_refused", refused.text
        assert refused.json()["error"]["details"]["reason"]
    assert httpx.get(url, headers=headers).json()["customised"] is False

    draft = {"text": "{{ name }} عزیز، کد رهگیری اثر شما {{ work.tracking_code | fa }} است."}
    preview = httpx.post(f"{url}/preview", headers=headers, json=draft).json()
    assert preview["text"] == "مریم کاظمی عزیز، کد رهگیری اثر شما ۴۰۵۶-۱۲۳۴-۵۶۷۸ است." and preview["sms_parts"] == 1
    saved = httpx.put(url, headers=headers, json=draft)
    assert saved.status_code == 200 and saved.json()["customised"] is True

    number = mobile()
    work = submit(notify_stack, mobile=number)
    [row] = wait_status(notify_stack, "sent", recipient=number, event_type="submissions.work.received")
    persian = work["tracking_code"].translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert row["body"].endswith(f"کد رهگیری اثر شما {persian} است.")
    assert httpx.delete(url, headers=headers).json()["customised"] is False


def test_opting_out_stops_courtesy_messages_but_never_the_essential_ones(notify_stack: NotifyStack) -> None:
    number, address = mobile(), f"optout-{uuid.uuid4().hex[:6]}@example.org"
    register_person(notify_stack, name="سارا نوری", mobile=number, email=address)
    wait_until(lambda: run(notify_stack.system.fetchval(
        "notifications", "SELECT count(*) FROM people WHERE email = $1", address)), what="person projected")
    work = submit(notify_stack, mobile=number)
    first = advance(notify_stack, work)
    wait_status(notify_stack, "sent", event_id=str(first.event_id))
    [mail] = [m for m in notify_stack.smtp.messages_to(address) if "راه یافت" in m["Subject"]]
    link = re.search(r"<(http[^>]+)>", mail["List-Unsubscribe"]).group(1)

    page = httpx.get(link)
    assert page.status_code == 200 and "<form" in page.text and 'dir="rtl"' in page.text
    assert httpx.post(link).status_code == 200
    assert httpx.post(link.replace("token=", "token=x")).status_code == 404
    headers = central(notify_stack)
    assert httpx.put(f"{notify_stack.url}/opt-outs/sms/+98{number[1:]}", headers=headers).status_code == 204
    opted = {(o["channel"], o["address"]) for o in httpx.get(f"{notify_stack.url}/opt-outs", headers=headers).json()}
    assert {("email", address), ("sms", number)} <= opted

    second = advance(notify_stack, work)
    rows = wait_status(notify_stack, "suppressed", event_id=str(second.event_id))
    assert {r["channel"] for r in rows} == {"sms", "email"} and all("opted out" in r["last_error"] for r in rows)
    essential = submit(notify_stack, mobile=number)  # a tracking code is essential: it still goes
    sent = wait_status(notify_stack, "sent", recipient=number, event_type="submissions.work.received")
    assert len(sent) == 2 and essential["tracking_code"][-4:] in sent[0]["body"].translate(
        str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))


def test_sms_waits_for_the_end_of_the_quiet_hours_while_mail_goes_at_once(notify_stack: NotifyStack) -> None:
    now = datetime.now(TEHRAN)
    ends = (now + timedelta(seconds=70)).replace(second=0, microsecond=0)  # 10 to 70 seconds from now
    window = f"{(ends - timedelta(hours=2)):%H:%M}-{ends:%H:%M}"
    notify_stack.restart_notifications(HAMI_SMS_QUIET_HOURS=window, HAMI_QUIET_RELEASE_SPREAD_SECONDS="0")
    try:
        number, address = mobile(), f"night-{uuid.uuid4().hex[:6]}@example.org"
        register_person(notify_stack, name="شب‌نشین", mobile=number, email=address)
        wait_until(lambda: run(notify_stack.system.fetchval(
            "notifications", "SELECT count(*) FROM people WHERE email = $1", address)), what="person projected")
        submit(notify_stack, mobile=number)

        wait_status(notify_stack, "sent", recipient=address)  # mail is not held
        [held] = wait_until(lambda: rows_for(notify_stack, recipient=number), what="SMS row")
        assert held["status"] == "pending" and held["attempts"] == 0
        assert datetime.fromisoformat(held["next_attempt_at"]) == ends
        assert not sms_to(notify_stack, number)

        wait_status(notify_stack, "sent", recipient=number, timeout=120)
        [text] = sms_to(notify_stack, number)
        assert text["at"] >= ends.timestamp()
    finally:
        notify_stack.restart_notifications()
