"""Decisions to committees reach their members (issue #12 item 4): a decision the council addresses to a district
committee and a specialised committee reaches every member of both by inbox and mail, a member acknowledges for
their committee at registry, and the festival secretary hears of what the council decides (not of others'
directives)."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from shared.contracts.registry import DecisionCommitteeOverdue, DecisionIssued
from tests.support import notify_stack as stacks
from tests.support.notify_helpers import account, inbox, publish, rows_for, wait_until
from tests.support.notify_stack import NotifyStack
from tests.support.system import bearer

notify_stack = stacks.notify_stack


def district_member(stack: NotifyStack, body: str, email: str) -> dict[str, str]:
    """A member of a district committee, appointed by their district's secretary (as only they may)."""
    system, username = stack.system, f"c.{uuid.uuid4().hex[:10]}"
    response = httpx.post(f"{system.url('registry')}/accounts", headers=bearer(system.district_secretary_token(6)),
                          json={"username": username, "password": "notify-staff-password", "name": "عضو کمیتهٔ اجرایی",
                                "email": email, "memberships": [{"body": body, "role": "member"}]}, timeout=10)
    assert response.status_code == 201, response.text
    return bearer(system.token(username, "notify-staff-password"))


def issue(stack: NotifyStack, headers: dict, issuing_body: str, committees: list[str],
          within: timedelta = timedelta(days=7)) -> str:
    """A directive to district 6 and these committees, to acknowledge within a week (or `within`); its id."""
    response = httpx.post(f"{stack.system.url('registry')}/decisions", headers=headers, timeout=10, json={
        "title": f"برنامهٔ بازدید از آثار {uuid.uuid4().hex[:4]}", "text": "کمیته‌ها برنامهٔ بازدید را تنظیم کنند.",
        "issuing_body": issuing_body, "kind": "directive", "districts": [6], "committees": committees,
        "ack_deadline_at": (datetime.now(UTC) + within).isoformat()})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def decision_items(stack: NotifyStack, headers: dict, title: str) -> list[dict]:
    """Inbox items about an issued decision with this title."""
    return [i for i in inbox(stack, headers) if i["event_type"] == "registry.decision.issued" and title in i["body"]]


@pytest.fixture(scope="module")
def people(notify_stack: NotifyStack) -> dict:
    """The council's chair, a district 6 executive committee member and a welfare committee member (with mail)."""
    mail = {"district": f"exec6-{uuid.uuid4().hex[:6]}@example.org",
            "welfare": f"welfare-{uuid.uuid4().hex[:6]}@example.org"}
    found = {"chair": account(notify_stack, "policy-council", "chair", name="رئیس شورا")[0],
             "district": district_member(notify_stack, "district-06-executive", mail["district"]),
             "welfare": account(notify_stack, "committee-welfare", "member", name="عضو کمیتهٔ رفاه",
                                email=mail["welfare"])[0],
             "secretary": bearer(notify_stack.system.token()), "mail": mail}
    for member in ("district", "welfare"):  # notifications knows them (their appointment reached their inbox)
        wait_until(lambda m=member: [i for i in inbox(notify_stack, found[m])
                                     if i["event_type"] == "registry.member.appointed"], what=f"{member} appointed")
    return found


def title_of(stack: NotifyStack, decision_id: str) -> str:
    """A decision's title as registry holds it."""
    found = httpx.get(f"{stack.system.url('registry')}/decisions/{decision_id}",
                      headers=bearer(stack.system.token()), timeout=10)
    return found.json()["title"]


def test_a_council_decision_to_committees_reaches_their_members_who_acknowledge_for_it(
        notify_stack: NotifyStack, people: dict) -> None:
    decision_id = issue(notify_stack, people["chair"], "policy-council", ["district-06-executive", "committee-welfare"])
    title = title_of(notify_stack, decision_id)

    for member in ("district", "welfare"):
        [item] = wait_until(lambda m=member: decision_items(notify_stack, people[m], title), what=f"{member} inbox")
        assert "خطاب به کمیتهٔ شما" in item["title"] and "مهلت اعلام وصول" in item["body"]
        wait_until(lambda m=member: [x for x in notify_stack.smtp.messages_to(people["mail"][m])
                                     if title in x["Subject"]], what=f"{member} mail")
    [told] = wait_until(lambda: decision_items(notify_stack, people["secretary"], title), what="festival secretary")
    assert "شورای سیاست‌گذاری" in told["title"] and "منطقه ۶" in told["body"]

    acknowledged = httpx.post(
        f"{notify_stack.system.url('registry')}/decisions/{decision_id}/committees/district-06-executive/acknowledge",
        headers=people["district"], json={"note": "در جلسهٔ کمیته خوانده شد"}, timeout=10)
    assert acknowledged.status_code == 200, acknowledged.text
    found = httpx.get(f"{notify_stack.system.url('registry')}/decisions/{decision_id}", headers=people["welfare"],
                      timeout=10).json()
    assert {r["committee"]: r["acknowledged_at"] is not None for r in found["per_committee"]} == {
        "district-06-executive": True, "committee-welfare": False}


def test_the_festival_secretary_hears_of_the_councils_decisions_not_of_a_committees(
        notify_stack: NotifyStack, people: dict) -> None:
    chair = account(notify_stack, "committee-welfare", "chair", name="رئیس کمیتهٔ رفاه")[0]
    own = issue(notify_stack, chair, "committee-welfare", ["district-06-executive"])
    title = title_of(notify_stack, own)
    wait_until(lambda: decision_items(notify_stack, people["district"], title), what="the committee's directive")
    assert decision_items(notify_stack, people["secretary"], title) == []


def test_a_committee_past_its_deadline_is_reminded_and_the_festival_secretary_sees_it(
        notify_stack: NotifyStack, people: dict) -> None:
    decision_id = issue(notify_stack, people["chair"], "policy-council", ["committee-welfare"],
                        within=timedelta(seconds=4))
    title = title_of(notify_stack, decision_id)

    def overdue(who: str) -> list[dict]:
        return [i for i in inbox(notify_stack, people[who]) if i["event_type"] == "registry.decision.committee_overdue"
                and title in i["title"]]

    [reminder] = wait_until(lambda: overdue("welfare"), timeout=60, what="the committee's reminder")
    assert "مهلت اعلام وصول گذشت" in reminder["title"] and "کمیته" in reminder["body"]
    [seen] = wait_until(lambda: overdue("secretary"), timeout=30, what="the festival secretary's inbox")
    assert "تأخیر" in seen["title"]
    assert overdue("district") == []  # another committee's member hears nothing of it


def test_a_committee_decision_and_its_overdue_reminder_delivered_twice_tell_each_member_once(
        notify_stack: NotifyStack, people: dict) -> None:
    deadline = datetime.now(UTC) - timedelta(minutes=1)
    issued = DecisionIssued(decision_id=uuid.uuid4(), title=f"تمرین تکرار {uuid.uuid4().hex[:4]}", text="متن",
                            issuing_body="policy-council", kind="directive", all_districts=False, districts=[6],
                            committees=["committee-welfare"], ack_deadline=deadline, issuer_kind="policy_council",
                            issuer_role="chair")
    overdue = DecisionCommitteeOverdue(decision_id=issued.decision_id, committee="committee-welfare",
                                       ack_deadline=deadline)
    for event in (issued, issued, overdue, overdue):  # each delivered twice, as a redelivery would
        publish(notify_stack, event)

    for event in (issued, overdue):
        wait_until(lambda e=event: [i for i in inbox(notify_stack, people["welfare"])
                                    if i["event_id"] == str(e.event_id)], what=f"{event.event_type()} in the inbox")
    asyncio.run(asyncio.sleep(1))  # give a second copy every chance to arrive
    mine = [i["event_id"] for i in inbox(notify_stack, people["welfare"])]
    assert mine.count(str(issued.event_id)) == 1 and mine.count(str(overdue.event_id)) == 1
    for event in (issued, overdue):
        rows = rows_for(notify_stack, event_id=str(event.event_id), recipient=people["mail"]["welfare"])
        assert len(rows) == 1, rows  # one mail each in the delivery ledger
