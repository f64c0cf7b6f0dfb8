"""Pure rules of decisions: what a decision may ask for, its deadline, and each district's status at a glance."""

from datetime import UTC, datetime, timedelta

import pytest

from services.registry.decisions.domain import (
    ack_deadline,
    check_action,
    check_authority,
    district_counts,
    next_status,
    next_step,
    requires_acknowledgement,
    summarise,
)
from shared.contracts.decisions import CloseTier, OpenCall, OpenTier, SetQuotas
from shared.refusals import Kind, Refusal

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("action", [
    CloseTier(edition="1405", tier=1, district=7),
    CloseTier(edition="1405", tier=2),
    OpenTier(edition="1405", tier=2, category="welfare"),
])
def test_actions_nothing_carries_out_are_refused_not_ignored(action: OpenTier) -> None:
    with pytest.raises(Refusal) as refused:
        check_action(action)
    assert refused.value.kind == Kind.INVALID and refused.value.code == "action_not_supported"
    assert refused.value.fa and action.action in refused.value.en
    assert refused.value.details == {"action": action.action, "tier": action.tier}


@pytest.mark.parametrize("action", [
    None, OpenTier(edition="1405", tier=1, district=7), SetQuotas(edition="1405", per_district=3),
    OpenCall(edition="1405", categories={"welfare": "رفاه"}, opens_at=NOW, closes_at=NOW + timedelta(days=30)),
])
def test_actions_a_service_carries_out_are_accepted(action: object) -> None:
    check_action(action)


def test_a_deadline_is_the_end_of_a_jalali_day_or_an_instant_and_never_past() -> None:
    assert ack_deadline(None, NOW + timedelta(hours=1), NOW) == NOW + timedelta(hours=1)
    assert ack_deadline("1405/09/15", None, NOW).tzinfo is not None
    for date, instant, code in (("1405/13/01", None, "invalid_date"), (None, NOW, "deadline_passed"),
                                (None, datetime(2027, 1, 1), "naive_deadline")):
        with pytest.raises(Refusal) as refused:
            ack_deadline(date, instant, NOW)
        assert refused.value.code == code


def test_districts_step_in_order() -> None:
    assert next_status("issued", "relay") == "relayed"
    with pytest.raises(Refusal) as refused:
        next_status("issued", "acknowledge")
    assert refused.value.kind == Kind.CONFLICT and refused.value.code == "cannot_acknowledge"


def test_a_district_and_a_decision_at_a_glance() -> None:
    assert district_counts([("issued", False, 2), ("relayed", True, 1), ("acknowledged", False, 4),
                            ("implemented", False, 1)]) == {"addressed": 8, "acknowledged": 5, "pending": 3,
                                                            "overdue": 1}
    assert district_counts([]) == {"addressed": 0, "acknowledged": 0, "pending": 0, "overdue": 0}
    rows = [{"district": 3, "status": "relayed", "overdue_at": NOW}, {"district": 4, "status": "acknowledged",
                                                                      "overdue_at": NOW}]
    assert summarise(rows).overdue == [3] and summarise(rows).counts == {"relayed": 1, "acknowledged": 1}


@pytest.mark.parametrize(("kind", "role"), [("policy_council", "chair"), ("policy_council", "secretary")])
def test_the_council_through_its_chair_or_secretary_issues_actionable_decisions(kind: str, role: str) -> None:
    check_authority("actionable", kind, role)


@pytest.mark.parametrize(("kind", "role"), [
    ("festival_secretary", "secretary"), ("specialised_committee", "chair"), ("jury_committee", "secretary"),
    ("policy_council", "member"),
])
def test_everyone_else_issues_directives_and_notices_only(kind: str, role: str) -> None:
    with pytest.raises(Refusal) as refused:
        check_authority("actionable", kind, role)
    assert refused.value.kind == Kind.FORBIDDEN and refused.value.code == "not_actionable_issuer"
    assert refused.value.fa and refused.value.en and refused.value.details == {"issuer_kind": kind, "issuer_role": role}
    for other in ("directive", "notice"):
        check_authority(other, kind, role)


def test_operational_decisions_inform_and_the_issuer_may_choose() -> None:
    assert requires_acknowledgement("directive", None) and requires_acknowledgement("notice", None)
    assert not requires_acknowledgement("actionable", None)
    assert requires_acknowledgement("actionable", True) and not requires_acknowledgement("notice", False)
    assert next_step("relayed", True) == "acknowledge" and next_step("relayed", False) is None
