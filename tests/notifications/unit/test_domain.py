"""Pure notification rules: audiences and channels, planning, opt-outs, quiet hours, retries, webhooks, SMS."""

import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.notifications.domain import (
    DEAD,
    DEFAULT_RULES,
    EMAIL,
    FAILED,
    INBOX,
    SMS,
    Audience,
    Contact,
    may_send,
    plan,
    rule_named,
    rules_for,
)
from services.notifications.domain_delivery import (
    QuietHours,
    after_failure,
    endpoint_failing,
    opt_out_token,
    read_opt_out_token,
    redact,
    retry_delay,
    sign_webhook,
    sms_parts,
    sms_send_time,
    topic_matches,
    valid_pattern,
    verify_webhook,
)
from services.notifications.templates_default import DEFAULTS
from shared.contracts import ALL_EVENTS
from shared.persian import TEHRAN

EVERY_FLOW = {
    "submissions.work.received", "registry.decision.relayed", "registry.decision.overdue", "registry.report.filed",
    "evaluation.round.opened", "evaluation.assignment.made", "evaluation.work.advanced",
    "evaluation.work.not_advanced", "evaluation.results.published", "registry.member.appointed",
}
CITIZEN = Contact(name="مریم کاظمی", mobile="09123456789", email="maryam@example.org", citizen=True)
STAFF = Contact(name="کارشناس", person_id=uuid.uuid4(), email="staff@example.org")


def tehran(hour: int, minute: int = 0, day: int = 1) -> datetime:
    """An aware moment at a Tehran wall-clock time."""
    return datetime(2026, 10, day, hour, minute, tzinfo=TEHRAN)


def test_the_default_rules_cover_every_flow_with_a_template_for_each_channel() -> None:
    assert {rule.event_type for rule in DEFAULT_RULES} == EVERY_FLOW
    known_types = {event.event_type() for event in ALL_EVENTS}
    for rule in DEFAULT_RULES:
        assert rule.event_type in known_types, rule.name
        for channel in rule.channels:
            assert (rule.name, channel) in DEFAULTS, (rule.name, channel)


def test_tracking_codes_results_and_duties_are_essential_courtesies_are_not() -> None:
    essential = {rule.name for rule in DEFAULT_RULES if rule.essential}
    assert {"work_received", "results_winner", "results_published", "decision_relayed"} <= essential
    assert {"member_appointed", "work_advanced", "work_not_advanced"}.isdisjoint(essential)


def test_reports_go_up_one_level_by_scope() -> None:
    assert [r.audience for r in rules_for("registry.report.filed", 7)] == [Audience.CENTRAL_SECRETARIAT]
    assert [r.audience for r in rules_for("registry.report.filed", None)] == [Audience.COMMITTEES]
    assert len(rules_for("registry.decision.overdue", 7)) == 2


def test_a_plan_writes_each_channel_and_address_once_and_skips_missing_contacts() -> None:
    rule = rule_named("work_received")
    no_email = Contact(name="علی", mobile="09120000000", citizen=True)
    planned = plan([(rule, [CITIZEN, CITIZEN, no_email])])
    assert sorted((p.channel, p.address) for p in planned) == [
        (EMAIL, "maryam@example.org"), (SMS, "09120000000"), (SMS, "09123456789")]


def test_a_winner_gets_the_personal_message_not_the_general_one() -> None:
    winner = Contact(name="برنده", mobile="09121111111", citizen=True, extra=(("award", {"place": "first"}),))
    same_person_other_work = Contact(name="برنده", mobile="09121111111", citizen=True)
    planned = plan([(rule_named("results_published"), [same_person_other_work]),
                    (rule_named("results_winner"), [winner])])
    assert [p.rule.name for p in planned] == ["results_winner"]


def test_staff_are_reached_in_their_inbox_by_person_id() -> None:
    planned = plan([(rule_named("decision_relayed"), [STAFF])])
    assert {(p.channel, p.address) for p in planned} == {(EMAIL, "staff@example.org"), (INBOX, str(STAFF.person_id))}


@pytest.mark.parametrize(("essential", "opted_out", "sent"), [
    (True, True, True), (True, False, True), (False, False, True), (False, True, False)])
def test_opting_out_stops_only_non_essential_messages(essential: bool, opted_out: bool, sent: bool) -> None:
    assert may_send(essential=essential, opted_out=opted_out) is sent


@pytest.mark.parametrize(("moment", "quiet"), [
    (tehran(20, 59), False), (tehran(21, 0), True), (tehran(23, 30), True), (tehran(3), True),
    (tehran(7, 59), True), (tehran(8, 0), False), (tehran(12), False)])
def test_quiet_hours_span_midnight_in_tehran_time(moment: datetime, quiet: bool) -> None:
    assert QuietHours.parse("21:00-08:00").contains(moment) is quiet
    assert QuietHours.parse("21:00-08:00").contains(moment.astimezone(UTC)) is quiet


def test_an_sms_at_night_waits_for_the_morning_with_a_bounded_spread() -> None:
    quiet = QuietHours.parse("21:00-08:00")
    assert sms_send_time(tehran(10), quiet, spread_seconds=900) == tehran(10)
    evening = sms_send_time(tehran(22), quiet, spread_seconds=900, rand=lambda: 0.5)
    assert evening == tehran(8, 7, day=2) + timedelta(seconds=30)
    early = sms_send_time(tehran(6), quiet, spread_seconds=900, rand=lambda: 0.0)
    assert early == tehran(8)


@given(st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)),
       st.integers(0, 23), st.integers(0, 23))
def test_the_next_allowed_moment_is_never_quiet_and_never_earlier(moment, start, end) -> None:
    quiet = QuietHours.parse(f"{start:02d}:00-{end:02d}:00")
    allowed = quiet.next_allowed(moment)
    assert allowed >= moment and not quiet.contains(allowed)
    assert allowed - moment <= timedelta(hours=24)


def test_equal_start_and_end_means_never_quiet_and_bad_text_is_refused() -> None:
    assert not QuietHours.parse("00:00-00:00").contains(tehran(3))
    with pytest.raises(ValueError):
        QuietHours.parse("9pm-8am")


@given(st.integers(1, 40), st.floats(0, 1))
def test_retry_delays_grow_exponentially_within_jitter_and_cap(attempts: int, rand: float) -> None:
    delay = retry_delay(attempts, base=30, cap=7200, rand=lambda: rand)
    ceiling = min(7200, 30 * 2 ** (attempts - 1))
    assert ceiling / 2 <= delay <= ceiling


def test_failures_retry_until_the_limit_permanent_ones_die_at_once() -> None:
    assert after_failure(1, permanent=False, max_attempts=10) == FAILED
    assert after_failure(10, permanent=False, max_attempts=10) == DEAD
    assert after_failure(1, permanent=True, max_attempts=10) == DEAD
    assert not endpoint_failing(4, 5) and endpoint_failing(5, 5)


@pytest.mark.parametrize(("pattern", "key", "matches"), [
    ("evaluation.results.#", "evaluation.results.published.city", True),
    ("#", "submissions.work.received.d07", True),
    ("submissions.*.received.d07", "submissions.work.received.d07", True),
    ("submissions.*.received.d07", "submissions.work.received.d08", False),
    ("#.d07", "submissions.work.received.d07", True),
    ("submissions.work.#", "submissions.work", True),
    ("submissions.*", "submissions.work.received", False),
])
def test_webhook_patterns_follow_amqp_topic_rules(pattern: str, key: str, matches: bool) -> None:
    assert valid_pattern(pattern)
    assert topic_matches(pattern, key) is matches


def test_a_pattern_must_be_words_stars_or_hashes() -> None:
    assert not valid_pattern("evaluation..results") and not valid_pattern("eval*") and not valid_pattern("")


def test_a_signature_covers_timestamp_and_body_and_expires() -> None:
    body, now = b'{"type":"evaluation.results.published"}', time.time()
    signature = sign_webhook("s" * 32, int(now), body)
    assert signature.startswith("sha256=") and len(signature) == 7 + 64
    assert verify_webhook("s" * 32, int(now), body, signature, now=now)
    assert not verify_webhook("s" * 32, int(now), body + b" ", signature, now=now)
    assert not verify_webhook("s" * 32, int(now) + 1, body, signature, now=now)
    assert not verify_webhook("t" * 32, int(now), body, signature, now=now)
    assert not verify_webhook("s" * 32, int(now), body, signature, now=now + 301)


def test_persian_sms_counts_unicode_parts() -> None:
    assert sms_parts("a" * 160) == 1 and sms_parts("a" * 161) == 2
    assert sms_parts("س" * 70) == 1 and sms_parts("س" * 71) == 2 and sms_parts("س" * 135) == 3


def test_opt_out_tokens_name_the_address_and_cannot_be_forged() -> None:
    token = opt_out_token("secret", EMAIL, "maryam@example.org")
    assert read_opt_out_token("secret", token) == (EMAIL, "maryam@example.org")
    assert read_opt_out_token("other", token) is None
    forged = opt_out_token("secret", EMAIL, "someone@example.org").split(".")[0] + "." + token.split(".")[1]
    assert read_opt_out_token("secret", forged) is None
    assert read_opt_out_token("secret", "not-a-token") is None


def test_keys_are_redacted_from_provider_errors() -> None:
    assert redact("401: bad key sk-live-123 for sk-live-123", ["sk-live-123", ""]) == "401: bad key *** for ***"
