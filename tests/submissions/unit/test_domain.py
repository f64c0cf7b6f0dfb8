"""Tracking codes, submitters, organisations, answers, statuses and call windows."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.submissions.domain import (
    STATUSES,
    TRANSITIONS,
    call_accepts,
    call_dates,
    canonical_submitter,
    canonical_tracking_code,
    check_answers,
    check_categories,
    check_category,
    check_transition,
    check_withdrawable,
    intake_refusal,
    is_valid_tracking_code,
    last_day,
    new_tracking_code,
    organisation_reference,
)
from shared.refusals import Kind, Refusal


def test_tracking_codes_are_grouped_digits_with_check_digits() -> None:
    code = new_tracking_code()
    assert len(code) == 14 and code[4] == code[9] == "-"
    assert is_valid_tracking_code(code)


def test_tracking_codes_are_not_sequential_or_repeated() -> None:
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000


@given(st.integers(min_value=0, max_value=11), st.integers(min_value=1, max_value=9))
def test_any_single_digit_error_is_caught(position: int, shift: int) -> None:
    digits = list(new_tracking_code().replace("-", ""))
    digits[position] = str((int(digits[position]) + shift) % 10)
    assert not is_valid_tracking_code("".join(digits))


def test_a_swap_of_neighbouring_digits_is_caught() -> None:
    for _ in range(200):
        digits = new_tracking_code().replace("-", "")
        i = next((i for i in range(11) if digits[i] != digits[i + 1]), None)
        if i is None:
            continue
        swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]
        assert not is_valid_tracking_code(swapped)


def test_a_code_read_back_in_persian_digits_with_spaces_is_accepted() -> None:
    code = new_tracking_code()
    spoken = code.replace("-", " ").translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert is_valid_tracking_code(spoken)


@pytest.mark.parametrize("code", ["", "1234", "abcd-efgh-ijkl", "1234-5678-90123"])
def test_malformed_codes_are_invalid(code: str) -> None:
    assert not is_valid_tracking_code(code)


def test_a_submitter_is_normalised() -> None:
    submitter = canonical_submitter("  علي   كريمی ", "۰۴۹۹۳۷۰۸۹۹", "+98 912 345 6789")
    assert submitter.name == "علی کریمی"
    assert submitter.national_id == "0499370899" and submitter.mobile == "09123456789"


@pytest.mark.parametrize(("name", "national_id", "mobile", "code"), [
    ("علی", "0499370898", "09123456789", "invalid_national_id"),
    ("علی", "0499370899", "0912345678", "invalid_mobile"),
    ("ع", "0499370899", "09123456789", "invalid_name"),
])
def test_bad_submitters_are_refused_with_a_code(name: str, national_id: str, mobile: str, code: str) -> None:
    with pytest.raises(Refusal) as refused:
        canonical_submitter(name, national_id, mobile)
    assert refused.value.code == code and refused.value.fa and refused.value.en


def test_unknown_categories_are_refused() -> None:
    assert check_category("welfare") == "welfare"
    with pytest.raises(Refusal) as refused:
        check_category("sports")
    assert refused.value.code == "unknown_category"


# --- organisations, answers, categories ----------------------------------------------------------


def test_an_organisation_is_named_by_its_code_or_a_valid_legal_entity_id() -> None:
    assert organisation_reference(" NGO-Bahar ", None) == ("ngo-bahar", None)
    assert organisation_reference(None, "۱۰۳۸۰۲۸۴۷۹۰") == (None, "10380284790")
    assert organisation_reference("ngo-bahar", " 10380284790 ") == ("ngo-bahar", "10380284790")
    for code, legal_id, refusal in ((None, "10380284791", "invalid_legal_entity_id"),
                                    (" ", None, "organisation_required"), (None, None, "organisation_required")):
        with pytest.raises(Refusal) as refused:
            organisation_reference(code, legal_id)
        assert refused.value.code == refusal and refused.value.fa and refused.value.en


def test_answers_must_match_the_calls_questions() -> None:
    questions = [{"code": "impact", "text_fa": "اثر طرح", "required": True}, {"code": "partners", "text_fa": "شرکا"}]
    assert check_answers({"impact": " صد  خانوار "}, questions) == {"impact": "صد خانوار"}
    with pytest.raises(Refusal) as missing:
        check_answers({"partners": "شهرداری"}, questions)
    assert missing.value.code == "answer_required" and missing.value.details == ["impact"]
    with pytest.raises(Refusal) as unknown:
        check_answers({"impact": "x", "budget": "1"}, questions)
    assert unknown.value.code == "unknown_question" and unknown.value.details == ["budget"]


def test_a_calls_categories_are_checked_and_normalised() -> None:
    assert check_categories({"sport": "ورزش  محلي"}) == {"sport": "ورزش محلی"}
    for bad, code in (({}, "no_categories"), ({"Sport!": "ورزش"}, "invalid_category"),
                      ({"sport": "  "}, "invalid_category")):
        with pytest.raises(Refusal) as refused:
            check_categories(bad)
        assert refused.value.code == code
    assert check_category("sport", {"sport": "ورزش"}) == "sport"


# --- statuses -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("current", "new"), [
    ("received", "in_district_evaluation"), ("received", "withdrawn"),
    ("in_district_evaluation", "selected_by_district"),
    ("selected_by_district", "with_jury"), ("with_jury", "awarded"), ("with_jury", "not_awarded"),
    ("received", "not_selected_by_district"),  # a late 'in evaluation' event may never come
])
def test_statuses_move_forward(current: str, new: str) -> None:
    assert check_transition(current, new) == new


@pytest.mark.parametrize(("current", "new"), [
    ("in_district_evaluation", "received"), ("awarded", "not_awarded"), ("withdrawn", "received"),
    ("not_selected_by_district", "with_jury"), ("in_district_evaluation", "withdrawn"), ("received", "awarded"),
])
def test_statuses_never_move_back_or_out_of_a_final_status(current: str, new: str) -> None:
    with pytest.raises(Refusal) as refused:
        check_transition(current, new)
    assert refused.value.kind == Kind.CONFLICT and refused.value.code == "invalid_status_transition"


def test_every_status_has_a_persian_name_and_final_statuses_lead_nowhere() -> None:
    assert set(TRANSITIONS) == set(STATUSES) and all(STATUSES.values())
    assert {s for s, nexts in TRANSITIONS.items() if not nexts} == {
        "not_selected_by_district", "awarded", "not_awarded", "withdrawn"}
    with pytest.raises(Refusal) as unknown:
        check_transition("received", "lost")
    assert unknown.value.code == "unknown_status"


@pytest.mark.parametrize(("status", "code"), [("withdrawn", "already_withdrawn"),
                                              ("in_district_evaluation", "evaluation_started"),
                                              ("awarded", "evaluation_started")])
def test_withdrawal_stops_when_the_evaluation_starts(status: str, code: str) -> None:
    check_withdrawable("received")
    with pytest.raises(Refusal) as refused:
        check_withdrawable(status)
    assert refused.value.code == code and refused.value.fa and refused.value.en


# --- calls --------------------------------------------------------------------------------------


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


def test_tracking_codes_are_read_back_however_they_were_typed() -> None:
    code = new_tracking_code()
    typed = " " + code.replace("-", " ").translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) + " "
    assert canonical_tracking_code(typed) == code
    with pytest.raises(Refusal) as refused:
        canonical_tracking_code(code[:-1] + str((int(code[-1]) + 1) % 10))
    assert refused.value.code == "invalid_tracking_code"
