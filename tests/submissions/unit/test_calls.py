"""Calls: categories, Jalali dates, when a call takes works, and when it may be opened and closed."""

from datetime import UTC, datetime, timedelta

import pytest

from services.submissions.calls.domain import (
    announces_change,
    call_accepts,
    call_dates,
    check_categories,
    check_closable,
    check_openable,
    intake_refusal,
    last_day,
)
from services.submissions.domain import check_category
from shared.refusals import Kind, Refusal


def test_a_calls_categories_are_checked_and_normalised() -> None:
    assert check_categories({"sport": "ورزش  محلي"}) == {"sport": "ورزش محلی"}
    for bad, code in (({}, "no_categories"), ({"Sport!": "ورزش"}, "invalid_category"),
                      ({"sport": "  "}, "invalid_category")):
        with pytest.raises(Refusal) as refused:
            check_categories(bad)
        assert refused.value.code == code
    assert check_category("sport", {"sport": "ورزش"}) == "sport"


def test_call_dates_run_from_the_first_tehran_midnight_to_the_end_of_the_last_day() -> None:
    opens_at, closes_at = call_dates("1405/01/01", "۱۴۰۵/۰۳/۳۱")
    assert opens_at == datetime(2026, 3, 20, 20, 30, tzinfo=UTC)  # Tehran is UTC+3:30 (no DST since 2022)
    assert closes_at == datetime(2026, 6, 21, 20, 30, tzinfo=UTC)
    assert last_day(closes_at) == "۱۴۰۵/۰۳/۳۱"


@pytest.mark.parametrize(("opens", "closes", "code"), [("1405/13/01", "1405/03/01", "invalid_date"),
                                                        ("tomorrow", "1405/03/01", "invalid_date"),
                                                        ("1405/03/02", "1405/03/01", "invalid_call_dates")])
def test_bad_call_dates_are_refused(opens: str, closes: str, code: str) -> None:
    with pytest.raises(Refusal) as refused:
        call_dates(opens, closes)
    assert refused.value.code == code


def _call(state: str = "open", **overrides: object) -> dict:
    opens_at, closes_at = call_dates("1405/01/01", "1405/03/31")
    return {"edition": "1405", "state": state, "opens_at": opens_at, "closes_at": closes_at, **overrides}


def test_a_call_takes_works_only_while_open_and_within_its_dates() -> None:
    call = _call()
    inside = call["opens_at"] + timedelta(days=10)
    assert intake_refusal(call, inside) is None and call_accepts(call, inside)
    assert intake_refusal(call, call["closes_at"] - timedelta(seconds=1)) is None
    for when, code in ((call["opens_at"] - timedelta(seconds=1), "call_not_open"),
                       (call["closes_at"], "call_closed")):
        refusal = intake_refusal(call, when)
        assert refusal.code == code and refusal.kind == Kind.CONFLICT
        assert refusal.details == {"edition": "1405", "opens_on": "1405/01/01", "closes_on": "1405/03/31"}
    assert intake_refusal(_call("draft"), inside).code == "call_not_open"
    closed = intake_refusal(_call("closed"), inside)
    assert closed.code == "call_closed" and "۱۴۰۵/۰۳/۳۱" in closed.fa
    assert intake_refusal(None, inside).code == "call_closed"


def test_a_call_opens_once_set_up_and_while_its_closing_date_is_ahead() -> None:
    call = _call("draft")
    check_openable(call, call["opens_at"])
    check_openable(_call("closed"), call["opens_at"])  # a closed call may open again while its dates allow
    for state, when, code in ((None, call["opens_at"], "call_not_configured"),
                              ("open", call["opens_at"], "call_already_open"),
                              ("draft", call["closes_at"], "call_dates_passed")):
        with pytest.raises(Refusal) as refused:
            check_openable(_call(state) if state else None, when)
        assert refused.value.kind == Kind.CONFLICT and refused.value.code == code


def test_only_an_open_call_closes() -> None:
    check_closable(_call("open"))
    for call, code in ((None, "call_not_open"), (_call("draft"), "call_not_open"),
                       (_call("closed"), "call_already_closed")):
        with pytest.raises(Refusal) as refused:
            check_closable(call)
        assert refused.value.code == code


def test_an_open_call_announces_a_change_of_its_categories_or_dates_only() -> None:
    call = {**_call("open"), "categories": {"welfare": "رفاه"}, "questions": []}
    later = {**call, "closes_at": call["closes_at"] + timedelta(days=7)}
    assert announces_change(call, later)
    assert not announces_change(call, {**call, "questions": [{"code": "impact"}]})
    assert not announces_change(None, call)  # a new call is announced when it opens
    assert not announces_change({**call, "state": "draft"}, {**later, "state": "draft"})
