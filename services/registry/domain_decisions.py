"""Pure rules of decisions flowing down: who may issue, whom they address, and each district's status."""

from dataclasses import dataclass

from shared.contracts.base import DISTRICTS
from shared.principal import Principal
from shared.refusals import Kind, Refusal

ISSUING_KINDS = frozenset({"policy_council", "festival_secretary", "specialised_committee", "jury_committee"})
ISSUER_ROLES = frozenset({"chair", "secretary"})
KINDS = ("directive", "notice", "actionable")
# Each step a district takes, from the status it requires to the status it leaves.
STEPS = {
    "relay": ("issued", "relayed"),
    "acknowledge": ("relayed", "acknowledged"),
    "implement": ("acknowledged", "implemented"),
}
UNACKNOWLEDGED = ("issued", "relayed")


def may_issue(principal: Principal, body_code: str, body_kind: str) -> bool:
    """A chair or secretary of the council, the festival secretary or a specialised committee."""
    return body_kind in ISSUING_KINDS and any(
        m.body == body_code and m.role in ISSUER_ROLES for m in principal.memberships)


def addressed_districts(all_districts: bool, districts: list[int]) -> list[int]:
    """The districts a decision goes to; refuses unknown districts and empty addresses."""
    if all_districts:
        return list(DISTRICTS)
    if not districts or any(d not in DISTRICTS for d in districts):
        raise Refusal(Kind.INVALID, "invalid_addressees", "مناطق مخاطب مصوبه را درست انتخاب کنید (۱ تا ۲۲).",
                       "Address the decision to districts 1-22, or to all districts.")
    return sorted(set(districts))


def check_kind(kind: str, has_parameters: bool) -> None:
    """Actionable decisions carry typed parameters; the others must not."""
    if kind not in KINDS:
        raise Refusal(Kind.INVALID, "unknown_decision_kind", "نوع مصوبه معتبر نیست.", "Unknown decision kind.", KINDS)
    if (kind == "actionable") != has_parameters:
        raise Refusal(Kind.INVALID, "parameters_mismatch", "فقط مصوبات اجرایی پارامتر دارند و باید داشته باشند.",
                       "Actionable decisions, and only they, carry parameters.")


def next_status(current: str, step: str) -> str:
    """The district's status after a step; refuses steps out of order."""
    required, result = STEPS[step]
    if current != required:
        raise Refusal(Kind.CONFLICT, f"cannot_{step}", f"این مصوبه در وضعیت «{current}» است و این مرحله ممکن نیست.",
                       f"The decision is '{current}' for this district; it cannot {step} now.")
    return result


@dataclass(frozen=True)
class StatusSummary:
    """A decision at a glance: how many districts are at each status, and which are overdue."""

    counts: dict[str, int]
    overdue: list[int]


def summarise(rows: list[dict]) -> StatusSummary:
    """Counts per status and the overdue districts, from per-district rows."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    overdue = sorted(r["district"] for r in rows if r["overdue_at"] is not None and r["status"] in UNACKNOWLEDGED)
    return StatusSummary(counts=counts, overdue=overdue)
