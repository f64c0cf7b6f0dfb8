"""Pure rules of decisions flowing down: what a decision may say, whom it addresses, and each district's status."""

from dataclasses import dataclass
from datetime import datetime

from shared.contracts.base import DISTRICTS
from shared.contracts.decisions import CloseTier, DecisionAction, OpenTier, may_issue_actionable
from shared.persian import tehran_day_end_utc
from shared.refusals import Kind, Refusal

KINDS = ("directive", "notice", "actionable")
# Each step a district takes, from the status it requires to the status it leaves.
STEPS = {
    "relay": ("issued", "relayed"),
    "acknowledge": ("relayed", "acknowledged"),
    "implement": ("acknowledged", "implemented"),
}
UNACKNOWLEDGED = ("issued", "relayed")
# What a district does next on a decision, by its status (nothing before the relay or after implementing).
NEXT_STEP = {required: step for step, (required, _) in STEPS.items() if step != "relay"}


def next_step(status: str, acknowledgement_required: bool) -> str | None:
    """What the district does next on its copy: nothing on a decision that only informs."""
    return NEXT_STEP.get(status) if acknowledgement_required else None


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


def requires_acknowledgement(kind: str, chosen: bool | None) -> bool:
    """Whether the districts must acknowledge: as the issuer chose, else by kind. Directives and notices ask the
    districts to act, so they are acknowledged; an actionable decision (quotas, opening the call, approving results)
    is carried out by the services and only informs the districts."""
    return chosen if chosen is not None else kind != "actionable"


def check_acknowledgement_required(required: bool) -> None:
    """A district acknowledges (and reports carried out) only a decision that asks it to."""
    if not required:
        raise Refusal(Kind.CONFLICT, "acknowledgement_not_required",
                      "این مصوبه برای اطلاع است و تأیید دریافت یا گزارش اجرا نمی‌خواهد.",
                      "This decision informs only: it asks for no acknowledgement or implementation report.")


def check_action(action: DecisionAction | None) -> None:
    """Refuse an action no service carries out, rather than accept it and let it be ignored: closing a tier, and
    opening tier 2 (the jury's round is opened by the festival secretary; evaluation acts on tier 1 only)."""
    if isinstance(action, CloseTier) or (isinstance(action, OpenTier) and action.tier != 1):
        what = f"{action.action} (tier {action.tier})"
        raise Refusal(Kind.INVALID, "action_not_supported",
                      f"اقدام «{what}» در مصوبه پشتیبانی نمی‌شود؛ هیچ بخشی آن را اجرا نمی‌کند.",
                      f"The action {what} is not supported in a decision: nothing would carry it out.",
                      {"action": action.action, "tier": action.tier})


def ack_deadline(jalali_date: str | None, instant: datetime | None, now: datetime) -> datetime:
    """The acknowledgement deadline as a UTC instant, from a Jalali date (end of that day) or an instant; refuses
    a naive instant, a bad date and the past."""
    if instant is not None:
        deadline = instant
        if deadline.tzinfo is None:
            raise Refusal(Kind.INVALID, "naive_deadline", "ساعت مهلت باید منطقهٔ زمانی داشته باشد.",
                          "The deadline needs a time zone.")
    else:
        try:
            deadline = tehran_day_end_utc(jalali_date)
        except ValueError as error:
            raise Refusal(Kind.INVALID, "invalid_date", "تاریخ مهلت معتبر نیست.",
                          f"Invalid deadline: {error}") from None
    if deadline <= now:
        raise Refusal(Kind.INVALID, "deadline_passed", "مهلت پاسخ باید در آینده باشد.",
                      "The deadline must be in the future.")
    return deadline


def check_authority(kind: str, issuer_kind: str, issuer_role: str) -> None:
    """An actionable decision changes the festival: only the policy council, through its chair or secretary, issues
    one; the festival secretary and the committees issue directives and notices."""
    if kind == "actionable" and not may_issue_actionable(issuer_kind, issuer_role):
        raise Refusal(Kind.FORBIDDEN, "not_actionable_issuer",
                      "مصوبهٔ اجرایی را فقط رئیس یا دبیر شورای سیاست‌گذاری صادر می‌کند؛ این نهاد دستورالعمل یا "
                      "اطلاعیه صادر می‌کند.",
                      "Only the policy council's chair or secretary issues actionable decisions; this body issues "
                      "directives and notices.", {"issuer_kind": issuer_kind, "issuer_role": issuer_role})


def unknown_committees(unknown: set[str]) -> Refusal:
    """A decision addressed to committees that do not exist (or no longer do)."""
    return Refusal(Kind.INVALID, "unknown_body", "کمیتهٔ مخاطب وجود ندارد.", "Unknown addressed committee.",
                   sorted(unknown))


def check_committee_acknowledgement(row: dict | None) -> None:
    """A committee acknowledges a decision addressed to it, once."""
    if row is None:
        raise Refusal(Kind.NOT_FOUND, "not_found", "این مصوبه خطاب به این کمیته نیست.",
                      "This decision is not addressed to this committee.")
    if row["acknowledged_at"] is not None:
        raise Refusal(Kind.CONFLICT, "already_acknowledged", "وصول این مصوبه از طرف این کمیته پیش‌تر اعلام شده است.",
                      "This committee has already acknowledged the decision.")


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
    overdue = sorted(r["district"] for r in rows if is_overdue(r))
    return StatusSummary(counts=counts, overdue=overdue)


def is_overdue(row: dict) -> bool:
    """A district's copy marked overdue and still not acknowledged."""
    return row["overdue_at"] is not None and row["status"] in UNACKNOWLEDGED


def district_counts(rows: list[tuple[str, bool, int]]) -> dict[str, int]:
    """A district's decisions at a glance, from (status, marked overdue, how many): addressed, acknowledged (or
    further), pending, and overdue among the pending."""
    addressed = sum(n for _, _, n in rows)
    pending = sum(n for status, _, n in rows if status in UNACKNOWLEDGED)
    overdue = sum(n for status, marked, n in rows if status in UNACKNOWLEDGED and marked)
    return {"addressed": addressed, "acknowledged": addressed - pending, "pending": pending, "overdue": overdue}


# A district's (or a committee's) copy of a decision at a glance, as the council's and the secretariat's pages show
# it: not yet relayed, waiting for acknowledgement, overdue, only informed, acknowledged, implemented.
GLANCE_STATES = ("not_relayed", "pending", "overdue", "informed", "acknowledged", "implemented")


def district_state(row: dict, acknowledgement_required: bool) -> str:
    """Where a district stands on a decision, in one word of GLANCE_STATES."""
    if is_overdue(row):
        return "overdue"
    if row["status"] == "issued":
        return "not_relayed"
    if row["status"] == "relayed":
        return "pending" if acknowledgement_required else "informed"
    return row["status"]


def committee_state(row: dict, acknowledgement_required: bool) -> str:
    """Where an addressed committee stands on a decision: acknowledged, overdue, pending or only informed."""
    if row["acknowledged_at"] is not None:
        return "acknowledged"
    if row["overdue_at"] is not None:
        return "overdue"
    return "pending" if acknowledgement_required else "informed"


def count_states(states: list[str]) -> dict[str, int]:
    """How many of each glance state, every state present (zero where none)."""
    return {state: states.count(state) for state in GLANCE_STATES}
