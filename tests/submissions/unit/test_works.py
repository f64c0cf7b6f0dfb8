"""Works: submitters, organisations, answers, statuses, withdrawal, and the decisions of intake and of an edit
taken on what their use cases loaded."""

from datetime import timedelta

import pytest

from services.submissions.calls.domain import call_dates
from services.submissions.domain import STATUSES, TRANSITIONS, check_category, check_transition
from services.submissions.works.domain import (
    EditContext,
    IntakeContext,
    WorkDraft,
    WorkEdit,
    accept_work,
    check_answers,
    check_withdrawable,
    edited_columns,
)
from services.submissions.works.submitters import (
    ORGANISATION,
    SubmitterDraft,
    canonical_submitter,
    organisation_reference,
)
from shared.refusals import Kind, Refusal


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
    ("not_selected_by_district", "with_jury"), ("awarded", "withdrawn"), ("received", "awarded"),
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
                                              ("not_selected_by_district", "outcome_final"),
                                              ("awarded", "outcome_final"), ("not_awarded", "outcome_final")])
def test_withdrawal_runs_until_the_outcome_is_final(status: str, code: str) -> None:
    for in_the_festival in ("received", "in_district_evaluation", "selected_by_district", "with_jury"):
        check_withdrawable(in_the_festival)
    with pytest.raises(Refusal) as refused:
        check_withdrawable(status)
    assert refused.value.code == code and refused.value.fa and refused.value.en


# --- the decisions of intake and of an edit ------------------------------------------------------

OPENS, CLOSES = call_dates("1405/01/01", "1405/03/31")
DURING = OPENS + timedelta(days=10)
CALL = {"edition": "1405", "state": "open", "opens_at": OPENS, "closes_at": CLOSES,
        "categories": {"welfare": "رفاه"}, "questions": [{"code": "impact", "required": True}]}
HOOD = {"code": "d07-nezamabad", "name_fa": "نظام آباد"}
CHARITY = {"code": "charity-1", "name_fa": "خیریه", "legal_entity_id": "10380284790"}
PERSON = canonical_submitter("زهرا احمدی", "0499370899", "09123456789")


def draft(**changes: object) -> WorkDraft:
    """A valid work of district 7 as parsed from a request."""
    values = {"edition": "1405", "district": 7, "neighbourhood": "نظام آباد", "office": None, "category": "welfare",
              "title": "باغچه‌ی مشترک", "summary": "ساکنان باغچه ساختند.", "submitter": SubmitterDraft(PERSON),
              "team": [], "beneficiaries": 12, "answers": {"impact": "سی خانوار"}}
    return WorkDraft(**{**values, **changes})


def context(**changes: object) -> IntakeContext:
    """What intake would load for that work: the open call and the neighbourhood."""
    values = {"call": CALL, "edition_known": True, "neighbourhood": HOOD, "organisation": None, "office_code": None}
    return IntakeContext(**{**values, **changes})


def refusal_of(decide) -> str:
    with pytest.raises(Refusal) as refused:
        decide()
    return refused.value.code


def test_intake_decides_the_received_works_columns() -> None:
    work = accept_work(draft(), context(), tracking_code="1234-5678-9012", now=DURING)
    assert work["status"] == "received" and work["status_at"] == DURING and work["edition"] == "1405"
    assert work["neighbourhood_code"] == "d07-nezamabad" and work["submitter_national_id"] == "0499370899"
    assert work["title_key"] == "باغچهیمشترک" and work["search_text"].split("|")[2] == "123456789012"
    by_charity = accept_work(draft(submitter=SubmitterDraft(PERSON, kind=ORGANISATION, organisation_code="charity-1")),
                             context(organisation=CHARITY), tracking_code="1234-5678-9012", now=DURING)
    assert (by_charity["submitter_kind"], by_charity["organisation_name"]) == ("organisation", "خیریه")


def test_intake_refuses_in_the_order_a_clerk_fixes_things() -> None:
    organisation = SubmitterDraft(PERSON, kind=ORGANISATION, organisation_code="nowhere")
    cases = [
        (draft(submitter=organisation), context(call=None), "unknown_organisation"),
        (draft(edition="1300"), context(call=None, edition_known=False, neighbourhood=None), "unknown_edition"),
        (draft(), context(call={**CALL, "state": "closed"}, neighbourhood=None), "call_closed"),
        (draft(category="sport"), context(neighbourhood=None), "unknown_category"),
        (draft(answers={}), context(neighbourhood=None), "answer_required"),
        (draft(office="بهار"), context(neighbourhood=None), "unknown_neighbourhood"),
        (draft(office="بهار"), context(), "unknown_office"),
    ]
    for work, found, code in cases:
        decide = lambda work=work, found=found: accept_work(work, found, tracking_code="1", now=DURING)  # noqa: E731
        assert refusal_of(decide) == code


def test_an_edit_changes_only_what_differs_and_names_it() -> None:
    work = {**accept_work(draft(), context(), tracking_code="1234-5678-9012", now=DURING), "id": "w"}
    same = edited_columns(work, WorkEdit(beneficiaries=12, title="باغچه‌ی مشترک"), EditContext(CALL), now=DURING)
    assert same == ({}, [])
    changed, fields = edited_columns(work, WorkEdit(title="باغچه‌ی تازه", neighbourhood="بهار", office_named=True),
                                     EditContext(CALL, neighbourhood={"code": "d07-bahar"}), now=DURING)
    assert fields == ["neighbourhood", "title"] and changed["neighbourhood_code"] == "d07-bahar"
    assert changed["title_key"] == "باغچهیتازه" and "office_code" not in changed  # no office before or after
    assert refusal_of(lambda: edited_columns(work, WorkEdit(beneficiaries=1), EditContext(CALL),
                                             now=CLOSES)) == "call_closed"
    assert refusal_of(lambda: edited_columns({**work, "status": "with_jury"}, WorkEdit(), EditContext(CALL),
                                             now=DURING)) == "work_not_editable"
