"""Notifications administration in a real browser (issue #14 item 6), signed in as central secretariat staff through
the sign-in form: a template edited with a live preview and saved, a broken one refused at its field; webhooks
registered on the page, one of them failing for real (the receiver answers 500), their health shown; the ledger
filtered and a dead delivery sent again; a webhook disabled. Another role meets the refusal page, hostile input never
a server error, and inbox items of committee decisions, council decisions and the jury's proposals link to their
pages.

District 19's works are heard only by this module's webhooks (disabled again when it ends); templates are reset."""

import re
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import jdatetime
import pytest
from playwright.sync_api import Browser, Page, expect

from shared.contracts.evaluation import Award, AwardsProposed
from shared.contracts.registry import DecisionCommitteeOverdue
from shared.persian import TEHRAN
from shared.persian import to_persian_digits as fa
from tests.support import notify_stack as stacks
from tests.support.browser import check_page
from tests.support.notifications_admin_pages import (
    ROUTING_PATTERN,
    PageClient,
    admin_token,
    api,
    disable_quietly,
    receive_work,
    reset_template,
    signed_in_page,
    unknown_id,
    wait_for_webhook_rows,
    webhook_rows,
)
from tests.support.notifications_pages import browser_as
from tests.support.notify_helpers import account, inbox, publish, wait_until
from tests.support.notify_stack import NotifyStack
from tests.support.system import bearer

notify_stack = stacks.notify_stack
RULE, CHANNEL = "work_received", "email"


@pytest.fixture(scope="module")
def admin(browser: Browser, notify_stack: NotifyStack) -> Page:
    """A browser signed in as the administrator (templates reset when the module ends)."""
    context, page = signed_in_page(browser, notify_stack)
    yield page
    context.close()
    reset_template(notify_stack, RULE, CHANNEL)


def register_on_page(page: Page, stack: NotifyStack, name: str, url: str) -> str:
    """Register a webhook through the page's form; its id (the secret is shown once)."""
    page.goto(f"{stack.url}/admin/webhooks")
    page.fill("#field-name", name)
    page.fill("#field-url", url)
    page.fill("#field-patterns", ROUTING_PATTERN)
    page.get_by_role("button", name="ثبت وب‌هوک").click()
    expect(page.locator("#webhook-created")).to_contain_text(f"وب‌هوک «{fa(name)}» ثبت شد")
    assert len(page.locator("#webhook-secret").inner_text().strip()) >= 32
    card = page.locator("li[id^=webhook-]", has=page.get_by_role("heading", name=fa(name)))
    return card.get_attribute("id").removeprefix("webhook-")


@pytest.fixture(scope="module")
def webhooks(admin: Page, notify_stack: NotifyStack) -> dict[str, str]:
    """Two webhooks registered on the page for district 19's works: the receiver takes one and fails the other
    (HTTP 500); one work received, the first delivered, the other given up (dead) once the endpoint is failing."""
    suffix = uuid.uuid4().hex[:6]
    found = {"ok": register_on_page(admin, notify_stack, f"سامانهٔ شهرداری {suffix}",
                                    f"{notify_stack.hooks.url}/unchecked/admin-{suffix}"),
             "failing": register_on_page(admin, notify_stack, f"سامانهٔ ناپایدار {suffix}",
                                         f"{notify_stack.hooks.url}/fail/admin-{suffix}")}
    try:
        receive_work(notify_stack)
        wait_for_webhook_rows(notify_stack, found["ok"], "sent")
        wait_for_webhook_rows(notify_stack, found["failing"], "dead")
        yield found
    finally:
        for webhook_id in found.values():
            disable_quietly(notify_stack, webhook_id)


def test_the_administrator_edits_a_template_with_a_live_preview_and_saves_it(
        admin: Page, notify_stack: NotifyStack) -> None:
    page = admin
    page.goto(f"{notify_stack.url}/admin/templates")
    expect(page.get_by_role("heading", level=1)).to_have_text("قالب پیام‌ها")
    check_page(page, "notifications-admin-templates")
    page.get_by_role("link", name=re.compile("ویرایش ایمیل.*کد رهگیری برای فرستندهٔ اثر")).click()
    expect(page.locator("#preview-subject")).to_contain_text("۴۰۵۶-۱۲۳۴-۵۶۷۸")  # the sample's tracking code

    page.fill("#field-text", "{{ name }} عزیز، اثر «{{ work.title }}» در {{ work.district | district }} رسید.")
    # The live preview: htmx posts the draft as it is typed; the sample event's values fill it in.
    # The preview is the message as sent: the opt-out line an email's text always ends with follows the draft.
    expect(page.locator("#preview-text")).to_contain_text("مریم کاظمی عزیز، اثر «باغچهٔ مشترک محله» در منطقه ۷ رسید.")
    check_page(page, "notifications-admin-template-edit")
    page.get_by_role("button", name="ذخیرهٔ قالب").click()
    expect(page.get_by_role("status")).to_contain_text("قالب ذخیره شد")
    saved = api(notify_stack, f"/templates/{RULE}/{CHANNEL}")
    assert saved["customised"] and saved["text"].startswith("{{ name }} عزیز")
    assert saved["updated_by"] == "modir.payamha"
    expect(page.locator("main")).to_contain_text("تغییر داده‌شده به دست")

    page.get_by_role("button", name="بازگشت به قالب پیش‌فرض").click()
    expect(page.get_by_role("status")).to_contain_text("قالب پیش‌فرض دوباره به کار رفت")
    assert api(notify_stack, f"/templates/{RULE}/{CHANNEL}")["customised"] is False


def test_a_template_naming_what_the_event_lacks_is_refused_at_its_field(admin: Page, notify_stack: NotifyStack) -> None:
    page = admin
    page.goto(f"{notify_stack.url}/admin/templates/{RULE}/{CHANNEL}")
    page.fill("#field-subject", "اثر {{ work.prize }} رسید")
    expect(page.locator("#preview-problem")).to_contain_text("«prize»")  # the live preview says so at once
    page.get_by_role("button", name="ذخیرهٔ قالب").click()
    expect(page.locator("#error-subject")).to_contain_text("قالب نام «prize» را به کار برده که رویداد آن را ندارد")
    expect(page.locator("#error-summary a[href='#field-subject']")).to_be_visible()
    expect(page.locator("#field-subject")).to_have_value("اثر {{ work.prize }} رسید")  # what was typed stays
    expect(page.locator("#field-subject")).to_have_attribute("aria-invalid", "true")
    check_page(page, "notifications-admin-template-refused")
    assert api(notify_stack, f"/templates/{RULE}/{CHANNEL}")["customised"] is False  # nothing saved


def test_a_template_previews_and_is_refused_without_javascript(browser: Browser, notify_stack: NotifyStack) -> None:
    context, page = signed_in_page(browser, notify_stack, javascript=False)
    try:
        page.goto(f"{notify_stack.url}/admin/templates/{RULE}/sms")
        page.fill("#field-text", "کد {{ work.tracking_code | fa }} برای {{ name }}")
        page.get_by_role("button", name="پیش‌نمایش").click()
        expect(page.locator("#preview-text")).to_have_text("کد ۴۰۵۶-۱۲۳۴-۵۶۷۸ برای مریم کاظمی")
        expect(page.locator("#field-text")).to_have_value("کد {{ work.tracking_code | fa }} برای {{ name }}")
        page.fill("#field-text", "{% if %}")
        page.get_by_role("button", name="ذخیرهٔ قالب").click()
        expect(page.locator("#error-text")).to_contain_text("نوشتار قالب درست نیست")
        assert api(notify_stack, f"/templates/{RULE}/sms")["customised"] is False
    finally:
        context.close()


def test_the_administrator_sees_each_webhooks_health(admin: Page, notify_stack: NotifyStack,
                                                      webhooks: dict[str, str]) -> None:
    page = admin
    page.goto(f"{notify_stack.url}/admin/webhooks")
    good, failing = page.locator(f"#webhook-{webhooks['ok']}"), page.locator(f"#webhook-{webhooks['failing']}")
    expect(good.locator(".hook-state")).to_have_text("فعال")
    expect(good.locator(".last-success")).to_have_text(re.compile(r"^[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}"))
    expect(good.locator(".last-failure")).to_have_text("—")
    expect(failing.locator(".hook-state")).to_have_text("ناموفق؛ ارسال متوقف")
    expect(failing.locator(".last-success")).to_have_text("—")
    expect(failing.locator(".last-failure")).to_have_text(re.compile(r"^[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}"))
    streak = api(notify_stack, f"/webhooks/{webhooks['failing']}")["consecutive_failures"]
    assert streak >= 3
    expect(failing.locator(".failures")).to_have_text(fa(str(streak)))
    expect(failing.locator(".last-error")).to_contain_text("500")
    check_page(page, "notifications-admin-webhooks")


def test_a_webhook_the_address_policy_or_the_form_refuses_is_refused_at_its_field(
        admin: Page, notify_stack: NotifyStack) -> None:
    page = admin
    page.goto(f"{notify_stack.url}/admin/webhooks")
    page.fill("#field-name", "سامانهٔ آزمایشی")
    page.fill("#field-url", "ftp://example.org/hook")
    page.fill("#field-patterns", "not a pattern!")
    page.get_by_role("button", name="ثبت وب‌هوک").click()
    expect(page.locator("#error-url")).to_be_visible()
    expect(page.locator("#error-patterns")).to_contain_text("هر خط یک الگوی رویداد باشد")
    expect(page.locator("#field-url")).to_have_value("ftp://example.org/hook")
    check_page(page, "notifications-admin-webhooks-refused")
    assert not [h for h in api(notify_stack, "/webhooks") if h["name"] == "سامانهٔ آزمایشی"]


def test_the_administrator_filters_the_ledger_and_sends_a_dead_delivery_again(
        admin: Page, notify_stack: NotifyStack, webhooks: dict[str, str]) -> None:
    page, recipient = admin, f"webhook:{webhooks['failing']}"
    [dead] = webhook_rows(notify_stack, webhooks["failing"])
    today = jdatetime.date.fromgregorian(date=datetime.now(TEHRAN).date()).strftime("%Y/%m/%d")
    page.goto(f"{notify_stack.url}/admin/deliveries")
    page.select_option("#field-channel", "webhook")
    page.select_option("#field-status", "dead")
    page.select_option("#field-event_type", "submissions.work.received")
    page.fill("#field-since", fa(today))  # Persian digits, as a clerk types them
    page.fill("#field-until", fa(today))
    page.fill("#field-recipient", recipient)
    page.get_by_role("button", name="نشان بده").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_id(f"delivery-{dead['id']}")
    expect(page.locator("#status-counts a[data-status=dead]")).to_have_text("رها شد: ۱")
    check_page(page, "notifications-admin-deliveries")

    yesterday = jdatetime.date.fromgregorian(date=datetime.now(TEHRAN).date() - timedelta(days=1)).strftime("%Y/%m/%d")
    page.fill("#field-until", yesterday)
    page.get_by_role("button", name="نشان بده").click()
    expect(page.locator("main")).to_contain_text("پیامی با این پالایش نیست.")
    page.fill("#field-until", "۱۴۰۵/۱۳/۴۰")
    page.get_by_role("button", name="نشان بده").click()
    expect(page.locator("#error-until")).to_have_text("تاریخ را به شکل ۱۴۰۵/۰۸/۰۶ بنویسید.")
    page.fill("#field-until", "")
    page.get_by_role("button", name="نشان بده").click()

    # The endpoint is marked failing: one of its messages is not sent alone; the page says to resume the endpoint.
    page.locator(f"#delivery-{dead['id']}").get_by_role("button", name=re.compile("ارسال دوباره")).click()
    expect(page.locator("main")).to_contain_text("این وب‌هوک ناموفق یا غیرفعال است")
    check_page(page, "notifications-admin-delivery-refused")
    assert next(r for r in webhook_rows(notify_stack, webhooks["failing"]) if r["id"] == dead["id"])["status"] == "dead"

    # Resumed on the webhooks page: what it missed is sent again for real, the receiver fails it again, and the
    # message's page shows fresh attempts with the reason.
    page.goto(f"{notify_stack.url}/admin/webhooks")
    page.locator(f"#webhook-{webhooks['failing']}").get_by_role("button", name=re.compile("فعال کردن دوباره")).click()
    expect(page.get_by_role("status")).to_be_visible()
    row = wait_until(lambda: next((r for r in webhook_rows(notify_stack, webhooks["failing"])
                                   if r["id"] == dead["id"] and r["attempts"] >= 1 and r["last_error"]
                                   and "500" in r["last_error"]), None),
                     what="the resumed delivery attempted again")
    page.goto(f"{notify_stack.url}/admin/deliveries/{dead['id']}")
    expect(page.locator("#delivery-status")).to_have_text(re.compile("ناموفق|در صف ارسال|رها شد"))
    assert row["attempts"] >= 1
    expect(page.locator("#delivery-error")).to_contain_text("500")
    check_page(page, "notifications-admin-delivery")


def test_the_administrator_disables_a_webhook(admin: Page, notify_stack: NotifyStack,
                                              webhooks: dict[str, str]) -> None:
    page = admin
    page.goto(f"{notify_stack.url}/admin/webhooks")
    card = page.locator(f"#webhook-{webhooks['failing']}")
    card.get_by_role("button", name=re.compile("غیرفعال کردن")).click()
    expect(page.get_by_role("status")).to_contain_text("ارسال به این وب‌هوک متوقف شد")
    expect(page.locator(f"#webhook-{webhooks['failing']} .hook-state")).to_have_text("غیرفعال")
    assert api(notify_stack, f"/webhooks/{webhooks['failing']}")["status"] == "disabled"


def test_another_role_gets_the_refusal_page_and_nobody_the_sign_in(browser: Browser,
                                                                     notify_stack: NotifyStack) -> None:
    clerk = notify_stack.system.district_staff_token(19)
    context = browser_as(browser, notify_stack.system, clerk)
    page = context.new_page()
    try:
        for path in ("/admin/templates", f"/admin/templates/{RULE}/{CHANNEL}", "/admin/deliveries",
                     "/admin/webhooks", f"/admin/deliveries/{unknown_id()}"):
            response = page.goto(f"{notify_stack.url}{path}")
            assert response.status == 403, path
            expect(page.get_by_role("heading", level=1)).to_have_text("اجازهٔ این کار را ندارید")
        check_page(page, "notifications-admin-refused")
    finally:
        context.close()
    nobody = httpx.get(f"{notify_stack.url}/admin/deliveries", timeout=10, follow_redirects=False)
    assert nobody.status_code == 303 and "/sign-in?next=" in nobody.headers["location"]


def test_hostile_input_never_yields_a_server_error(notify_stack: NotifyStack) -> None:
    client = PageClient(notify_stack, admin_token(notify_stack))
    long, huge = "ب" * 30_000, "ب" * 300_000  # longer than any field; larger than the body the guard lets through
    answers = {
        "unknown template": client.get("/admin/templates/no_such_rule/email"),
        "huge template name": client.get(f"/admin/templates/{'x' * 5000}/sms"),
        "ledger filters": client.get("/admin/deliveries", channel="pigeon", status="' OR 1=1", event_type="x" * 9000,
                                     since="99999/99/99", until="۱۴۰۵/۱۳/۳۱", recipient="ب" * 500, page="9" * 500),
        "ledger dates": client.get("/admin/deliveries", since="-1/-1/-1", until="0000/00/00", page="-3"),
        "unknown delivery": client.get(f"/admin/deliveries/{unknown_id()}"),
        "not a delivery id": client.get("/admin/deliveries/not-an-id'--"),
        "retry unknown": client.post(f"/admin/deliveries/{unknown_id()}/retry", {}),
        "retry nonsense": client.post("/admin/deliveries/not-an-id'--/retry", {}),
        "preview NUL": client.post(f"/admin/templates/{RULE}/{CHANNEL}/preview",
                                   {"subject": "a\x00b", "text": "\x00", "html": ""}),
        "preview long": client.post(f"/admin/templates/{RULE}/{CHANNEL}/preview", {"subject": long, "text": long}),
        "save costly": client.post(f"/admin/templates/{RULE}/sms",
                                   {"text": "{% for i in range(99999999) %}{% for j in range(9999) %}x{% endfor %}"
                                            "{% endfor %}"}),
        "save unknown": client.post("/admin/templates/nope/nope", {"text": "سلام"}),
        "register NUL": client.post("/admin/webhooks", {"name": "\x00", "url": "http://\x00/", "patterns": "\x00"}),
        "register long": client.post("/admin/webhooks", {"name": long, "url": "http://" + long, "patterns": long}),
        "register loopback": client.post("/admin/webhooks", {"name": "درون", "url": "http://[::1]:99999/",
                                                             "patterns": "a.b"}),
        "disable unknown": client.post(f"/admin/webhooks/{unknown_id()}/disable", {}),
        "resume nonsense": client.post("/admin/webhooks/%E2%80%AE/resume", {}),
    }
    for what, response in answers.items():
        assert response.status_code < 500, f"{what}: {response.status_code} {response.text[:300]}"
        assert "text/html" in response.headers.get("content-type", ""), what
    # A body larger than the guard allows is refused before any route, as on every service (413).
    for path in (f"/admin/templates/{RULE}/{CHANNEL}/preview", "/admin/webhooks"):
        response = client.post(path, {"subject": huge, "text": huge, "name": huge})
        assert response.status_code == 413 and response.json()["error"]["code"] == "request_too_large", path
    # A NUL anywhere in the address is refused before any route, as on every service (422 invalid_characters).
    for what, response in {"query": client.get("/admin/deliveries", status="\x00"),
                           "path": client.post("/admin/deliveries/%00/retry", {})}.items():
        assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_characters", what
    assert answers["unknown template"].status_code == 404 and answers["unknown delivery"].status_code == 404
    assert answers["ledger filters"].status_code == 400 and answers["preview NUL"].status_code == 400
    assert answers["save costly"].status_code == 422 and "سنگین" in answers["save costly"].text
    assert client.post(f"/admin/templates/{RULE}/sms", {"text": "سلام"}, csrf=False).status_code == 403
    assert api(notify_stack, f"/templates/{RULE}/sms")["customised"] is False


def test_inbox_items_of_decisions_and_proposals_link_to_their_pages(browser: Browser,
                                                                   notify_stack: NotifyStack) -> None:
    system = notify_stack.system
    chair, _ = account(notify_stack, "policy-council", "chair", name="رئیس شورا")
    member, _ = account(notify_stack, "committee-welfare", "member", name="عضو کمیتهٔ رفاه")
    for headers in (chair, member):
        wait_until(lambda h=headers: [i for i in inbox(notify_stack, h)
                                      if i["event_type"] == "registry.member.appointed"], what="appointment projected")
    title = f"برنامهٔ بازدید {uuid.uuid4().hex[:4]}"
    issued = httpx.post(f"{system.url('registry')}/decisions", headers=chair, timeout=10, json={
        "title": title, "text": "کمیته برنامهٔ بازدید را تنظیم کند.", "issuing_body": "policy-council",
        "kind": "directive", "districts": [6], "committees": ["committee-welfare"],
        "ack_deadline_at": (datetime.now(UTC) + timedelta(days=7)).isoformat()})
    assert issued.status_code == 201, issued.text
    decision_id = issued.json()["id"]
    wait_until(lambda: _items_about(notify_stack, member, decision_id, title), what="the decision in the inbox")
    publish(notify_stack, DecisionCommitteeOverdue(decision_id=uuid.UUID(decision_id), committee="committee-welfare",
                                                   ack_deadline=datetime.now(UTC)))
    edition = "1405"
    publish(notify_stack, AwardsProposed(edition=edition, category="welfare", awards=[
        Award(work_id=uuid.uuid4(), place="first", title="باغچهٔ مشترک", district=6)]))
    registry = system.url("registry")
    committee_page = f"{registry}/committee/decisions/{decision_id}?committee=committee-welfare"
    expected = {
        "member": (member, [committee_page, committee_page]),  # the decision and its overdue reminder
        "secretary": (bearer(system.token()), [f"{registry}/council/decisions/{decision_id}"] * 2),
        # This stack runs no evaluation: where its pages are is the site's address of it, whatever that is.
        "chair": (chair, [f"/council/proposals/{edition}"]),
    }
    for who, (headers, links) in expected.items():
        wanted = len(links)
        wait_until(lambda h=headers, n=wanted: len(_items_about(notify_stack, h, decision_id, title)) >= n,
                   what=f"{who}'s items")
        token = headers["Authorization"].removeprefix("Bearer ")
        context = browser_as(browser, system, token)
        page = context.new_page()
        try:
            page.goto(f"{notify_stack.url}/staff/inbox")
            hrefs = page.locator("main li article a").evaluate_all("links => links.map(a => a.href)")
            for link in set(links):
                assert sum(href.endswith(link) for href in hrefs) >= links.count(link), (who, link, hrefs)
            if who == "member":
                check_page(page, "notifications-inbox-links")
        finally:
            context.close()


def _items_about(stack: NotifyStack, headers: dict, decision_id: str, title: str) -> list[dict]:
    """A person's inbox items about this module's decision (issued, overdue) or the jury's proposals."""
    return [i for i in inbox(stack, headers)
            if (i["event_type"].startswith("registry.decision.") and title in i["body"] + i["title"])
            or i["event_type"] == "evaluation.awards.proposed"]
