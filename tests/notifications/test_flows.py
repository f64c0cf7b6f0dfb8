"""Every other flow of the default rules over the bus: reports up, rounds and assignments to evaluators, results to
winners personally and to everyone else of the edition, appointments to the person."""

import uuid
from datetime import UTC, date, datetime, timedelta

from shared.contracts.evaluation import Award, ResultsPublished, RoundOpened, WorkAssigned
from shared.contracts.registry import ReportFiled
from tests.support import notify_stack as stacks
from tests.support.notify_helpers import (
    account,
    items,
    publish,
    rows_for,
    sms_to,
    submit,
    wait_status,
    wait_until,
)
from tests.support.notify_stack import NotifyStack
from tests.support.submissions import mobile

notify_stack = stacks.notify_stack


def test_reports_rounds_assignments_results_and_appointments_reach_the_right_people(
        notify_stack: NotifyStack) -> None:
    central, _ = account(notify_stack, "central-secretariat", "staff", name="کارشناس گزارش‌ها",
                         email=f"central-{uuid.uuid4().hex[:6]}@example.org")
    juror_email = f"juror-{uuid.uuid4().hex[:6]}@example.org"
    juror, juror_id = account(notify_stack, "jury", "juror", name="داور نخست", email=juror_email)

    [appointed] = items(notify_stack, juror, "registry.member.appointed")
    assert "کمیته داوری" in appointed["title"] and "داور" in appointed["body"]

    publish(notify_stack, ReportFiled(report_id=uuid.uuid4(), district=5, period_start=date(2026, 9, 23),
                                      period_end=date(2026, 10, 22), figures={}))
    assert "گزارش منطقه ۵" in items(notify_stack, central, "registry.report.filed")[0]["title"]
    publish(notify_stack, ReportFiled(report_id=uuid.uuid4(), period_start=date(2026, 9, 23),
                                      period_end=date(2026, 10, 22), figures={}))
    assert "۱۴۰۵/۰۷/۰۱" in items(notify_stack, juror, "registry.report.filed")[0]["title"]

    round_id = uuid.uuid4()
    publish(notify_stack, RoundOpened(round_id=round_id, edition="1405", tier=2, category="participation",
                                      deadline=datetime.now(UTC) + timedelta(days=10),
                                      evaluator_ids=[uuid.UUID(juror_id)]))
    opened = items(notify_stack, juror, "evaluation.round.opened")[0]
    assert "داوری نهایی" in opened["title"] and "مهلت ثبت ارزیابی‌ها: ۱۴" in opened["body"]
    [mail] = wait_until(lambda: [m for m in notify_stack.smtp.messages_to(juror_email) if "آغاز" in m["Subject"]],
                        what="round mail")
    assert "مشارکت‌های مردمی" in mail["Subject"]

    winner_mobile, other_mobile = mobile(), mobile()
    winner = submit(notify_stack, "participation", mobile=winner_mobile, name="برندهٔ جشنواره")
    other = submit(notify_stack, "participation", mobile=other_mobile)
    for work in (winner, other):
        publish(notify_stack, WorkAssigned(round_id=round_id, work_id=uuid.UUID(work["id"]), district=7,
                                           evaluator_ids=[uuid.UUID(juror_id)]))
    wait_until(lambda: len(items(notify_stack, juror, "evaluation.assignment.made")) == 2, what="two assignments")
    assigned = items(notify_stack, juror, "evaluation.assignment.made")
    assert all(winner_mobile not in i["body"] and "برندهٔ جشنواره" not in i["body"] for i in assigned)
    assert not rows_for(notify_stack, event_type="evaluation.assignment.made", channel="email")  # inbox only

    publish(notify_stack, ResultsPublished(edition="1405", category="participation", awards=[
        Award(work_id=uuid.UUID(winner["id"]), place="first", district=7, title="اثر برنده")]))
    [won] = wait_status(notify_stack, "sent", recipient=winner_mobile, event_type="evaluation.results.published")
    [told] = wait_status(notify_stack, "sent", recipient=other_mobile, event_type="evaluation.results.published")
    assert won["rule"] == "results_winner" and "رتبهٔ اول" in won["body"] and "تبریک" in won["body"]
    assert told["rule"] == "results_published" and "اعلام شد" in told["body"]
    assert any("تبریک" in text["text"] for text in sms_to(notify_stack, winner_mobile))
