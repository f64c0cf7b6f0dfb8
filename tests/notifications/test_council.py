"""The council sees what it signs (issue #12 item 3): the jury's proposed awards, the central secretariat's city
report and each overdue district reach every member of the policy council (chair, secretary and members), in the
inbox; the proposals and the city report by mail too. A district's own report stays with the central secretariat."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from services.notifications.rules.domain import Audience, rules_for
from shared.contracts.evaluation import Award, AwardsProposed
from shared.contracts.registry import DecisionIssued, DecisionOverdue, ReportFiled
from tests.support import notify_stack as stacks
from tests.support.notify_helpers import account, central, inbox, items, publish, rows_for, wait_until
from tests.support.notify_stack import NotifyStack

notify_stack = stacks.notify_stack


@pytest.fixture(scope="module")
def council(notify_stack: NotifyStack) -> dict:
    """The council's chair and one member (with a mail address), and a district secretariat's staff member; the
    central secretariat first, so a district's report has someone to reach."""
    central(notify_stack)
    email = f"council-{uuid.uuid4().hex[:6]}@example.org"
    return {"chair": account(notify_stack, "policy-council", "chair", name="رئیس شورا"),
            "member": account(notify_stack, "policy-council", "member", name="عضو شورا", email=email),
            "email": email,
            "district": account(notify_stack, "district-06", "staff", name="کارشناس منطقه شش")}


def test_every_council_rule_addresses_the_council() -> None:
    for event_type, district in (("evaluation.awards.proposed", None), ("registry.report.filed", None),
                                 ("registry.decision.overdue", 6)):
        assert Audience.COUNCIL in {r.audience for r in rules_for(event_type, district)}, event_type
    assert Audience.COUNCIL not in {r.audience for r in rules_for("registry.report.filed", 6)}


def test_the_jurys_proposed_awards_reach_each_council_member_by_inbox_and_mail(notify_stack: NotifyStack,
                                                                               council: dict) -> None:
    edition = str(1300 + uuid.uuid4().int % 90)
    event = AwardsProposed(edition=edition, category="welfare", awards=[
        Award(work_id=uuid.uuid4(), place="first", district=6, title="آشپزخانهٔ مهربانی"),
        Award(work_id=uuid.uuid4(), place="second", district=9, title="کتابخانهٔ کوچه")])
    publish(notify_stack, event)

    for who in ("chair", "member"):
        [item] = [i for i in items(notify_stack, council[who][0], "evaluation.awards.proposed")
                  if i["event_id"] == str(event.event_id)] or [None]
        assert item is not None, who
        assert "پیشنهاد هیئت داوران" in item["title"] and "رفاه و خدمات اجتماعی" in item["title"]
        assert "رتبهٔ اول «آشپزخانهٔ مهربانی» از منطقه ۶" in item["body"] and "کتابخانهٔ کوچه" in item["body"]
    [mail] = wait_until(lambda: [m for m in notify_stack.smtp.messages_to(council["email"])
                                 if "پیشنهاد هیئت داوران" in m["Subject"]], what="proposal mail")
    assert 'dir="rtl"' in mail.get_body(("html",)).get_content()
    assert not [i for i in inbox(notify_stack, council["district"][0])
                if i["event_type"] == "evaluation.awards.proposed"]  # the council's, not a district's


def test_the_city_report_reaches_the_council_and_a_district_report_does_not(notify_stack: NotifyStack,
                                                                            council: dict) -> None:
    district_report = ReportFiled(report_id=uuid.uuid4(), district=6, period_start=date(2026, 9, 23),
                                  period_end=date(2026, 10, 22), figures={})
    city_report = ReportFiled(report_id=uuid.uuid4(), period_start=date(2026, 9, 23), period_end=date(2026, 10, 22),
                              figures={})
    publish(notify_stack, district_report)
    publish(notify_stack, city_report)

    wait_until(lambda: rows_for(notify_stack, event_id=str(district_report.event_id)), what="district report rows")
    for who in ("chair", "member"):
        reports = items(notify_stack, council[who][0], "registry.report.filed")
        assert [i["event_id"] for i in reports if i["event_id"] in {str(city_report.event_id),
                                                                    str(district_report.event_id)}] == [
            str(city_report.event_id)]
        assert "۱۴۰۵/۰۷/۰۱" in reports[0]["title"]
    rules = {r["rule"] for r in rows_for(notify_stack, event_id=str(city_report.event_id))}
    assert "report_filed_council" in rules


def test_an_overdue_district_reaches_the_councils_inbox(notify_stack: NotifyStack, council: dict) -> None:
    decision_id, deadline = uuid.uuid4(), datetime.now(UTC) - timedelta(hours=1)
    publish(notify_stack, DecisionIssued(
        decision_id=decision_id, title="پاک‌سازی معابر محله", text="هر منطقه گزارش دهد.",
        issuing_body="policy-council", kind="directive", all_districts=False, districts=[6], committees=[],
        ack_deadline=deadline))
    overdue = DecisionOverdue(decision_id=decision_id, district=6, ack_deadline=deadline)
    publish(notify_stack, overdue)

    for who in ("chair", "member"):
        [item] = [i for i in items(notify_stack, council[who][0], "registry.decision.overdue")
                  if i["event_id"] == str(overdue.event_id)] or [None]
        assert item is not None, who
        assert "منطقه ۶" in item["title"] and "پاک‌سازی معابر محله" in item["title"]
    council_rows = [r for r in rows_for(notify_stack, event_id=str(overdue.event_id))
                    if r["rule"] == "decision_overdue_council"]
    assert {r["channel"] for r in council_rows} == {"inbox"}  # no mail per district and decision
