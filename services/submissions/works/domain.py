"""Pure rules of a work: its text and answers, when it may be edited or withdrawn, and the decisions of intake
and of an edit, taken on what the use case loaded (no I/O, no web imports; its submitter: submitters.py)."""

from dataclasses import dataclass
from datetime import datetime

from services.submissions.calls.domain import check_intake
from services.submissions.domain import RECEIVED, TRANSITIONS, WITHDRAWN, check_category
from services.submissions.works.search import compact_key
from services.submissions.works.submitters import SubmitterDraft, submitter_columns
from shared.persian import normalize_text
from shared.refusals import Kind, Refusal

# Columns whose change may make the work a probable duplicate of another (or no longer one).
IDENTITY_COLUMNS = frozenset({"title", "submitter_national_id", "organisation_code", "submitter_kind"})


@dataclass(frozen=True)
class WorkDraft:
    """A work as entered, its free text already normalised and checked (parsed before anything is loaded)."""

    edition: str | None
    district: int
    neighbourhood: str
    office: str | None
    category: str
    title: str
    summary: str
    submitter: SubmitterDraft
    team: list[dict]
    beneficiaries: int
    answers: dict[str, str]


@dataclass(frozen=True)
class IntakeContext:
    """What intake loads before it decides: the call the work goes to (None when there is none), whether the
    named edition exists, the active neighbourhood named in the district, the registered organisation named,
    and the office's neighbourhood code (None when not named, or when it has no office in the edition)."""

    call: dict | None
    edition_known: bool
    neighbourhood: dict | None
    organisation: dict | None
    office_code: str | None


@dataclass(frozen=True)
class WorkEdit:
    """The fields an edit names, parsed (None: unchanged; the office is cleared when named as None)."""

    neighbourhood: str | None = None
    office_named: bool = False
    office: str | None = None
    category: str | None = None
    title: str | None = None
    summary: str | None = None
    submitter: SubmitterDraft | None = None
    team: list[dict] | None = None
    beneficiaries: int | None = None
    answers: dict[str, str] | None = None


@dataclass(frozen=True)
class EditContext:
    """What an edit loads before it decides: the work's call, and what the edit names (organisation,
    neighbourhood, office code), None where it names nothing or names something unknown."""

    call: dict | None
    organisation: dict | None = None
    neighbourhood: dict | None = None
    office_code: str | None = None


# --- refusals -----------------------------------------------------------------------------------


def unknown_neighbourhood() -> Refusal:
    """The neighbourhood is not an active one of the district."""
    return Refusal(Kind.INVALID, "unknown_neighbourhood", "این محله در این منطقه ثبت نشده است.",
                   "This neighbourhood is not in the district.")


def unknown_office() -> Refusal:
    """The neighbourhood named as the office has no festival office in the edition."""
    return Refusal(Kind.INVALID, "unknown_office", "این محله در این دوره دفتر جشنواره ندارد.",
                   "This neighbourhood has no festival office in this edition.")


def unknown_edition() -> Refusal:
    """The edition named does not exist."""
    return Refusal(Kind.INVALID, "unknown_edition", "این دوره‌ی جشنواره تعریف نشده است.", "Unknown festival edition.")


# --- parsing a request --------------------------------------------------------------------------


def clean_text(field: str, value: str) -> str:
    """A title or summary, normalised; refused when nothing searchable is left."""
    cleaned = normalize_text(value)
    if len(compact_key(cleaned)) < 3:
        raise Refusal(Kind.INVALID, f"invalid_{field}", "عنوان و خلاصه‌ی اثر را کامل بنویسید.",
                      f"The work's {field} is too short.")
    return cleaned


def clean_team(team: list[tuple[str, str]]) -> list[dict]:
    """Team members (name, role), normalised."""
    return [{"name": normalize_text(name), "role": normalize_text(role)} for name, role in team]


def check_answers(answers: dict[str, str], questions: list[dict]) -> dict[str, str]:
    """Answers to the call's questions: no unknown question, every required one answered; normalised."""
    known = {q["code"]: q for q in questions}
    unknown = sorted(set(answers) - set(known))
    if unknown:
        raise Refusal(Kind.INVALID, "unknown_question", "پاسخ به پرسشی داده شده که در فراخوان نیست.",
                      "An answer refers to a question the call does not ask.", unknown)
    cleaned = {code: normalize_text(text) for code, text in answers.items()}
    missing = sorted(code for code, q in known.items() if q.get("required") and not cleaned.get(code))
    if missing:
        raise Refusal(Kind.INVALID, "answer_required", "به همه‌ی پرسش‌های الزامی فراخوان پاسخ دهید.",
                      "Answer every required question of the call.", missing)
    return {code: text for code, text in cleaned.items() if text}


# --- the states a work may be changed in --------------------------------------------------------


def check_withdrawable(status: str) -> None:
    """A work may be withdrawn while it is still in the festival, in evaluation too (evaluation then takes it out of
    its round: its sheets no longer count, it takes no quota place); not once its outcome is final."""
    if status == WITHDRAWN:
        raise Refusal(Kind.CONFLICT, "already_withdrawn", "این اثر پیش‌تر پس گرفته شده است.",
                      "The work was already withdrawn.")
    if WITHDRAWN not in TRANSITIONS[status]:
        raise Refusal(Kind.CONFLICT, "outcome_final", "نتیجهٔ داوری این اثر قطعی شده و دیگر نمی‌توان آن را پس گرفت.",
                      "The outcome of this work is final; it can no longer be withdrawn.", {"status": status})


def check_editable(status: str) -> None:
    """A work is edited only while it waits for evaluation (and while its call is open)."""
    if status != RECEIVED:
        raise Refusal(Kind.CONFLICT, "work_not_editable", "این اثر دیگر قابل ویرایش نیست.",
                      "This work can no longer be changed.", {"status": status})


def check_changeable(work: dict, call: dict | None, now: datetime) -> None:
    """A work (or its documents) changes only while it waits for evaluation and its call takes works."""
    check_editable(work["status"])
    check_intake(call, now)


# --- decisions ----------------------------------------------------------------------------------


def search_text(work: dict) -> str:
    """What the staff's search box matches: title, summary, tracking code and submitter, as compact keys."""
    parts = (work["title"], work["summary"], work["tracking_code"], work["submitter_name"],
             work.get("organisation_name") or "")
    return "|".join(compact_key(part) for part in parts)


def accept_work(draft: WorkDraft, found: IntakeContext, *, tracking_code: str, now: datetime) -> dict:
    """The columns of a received work decided from the draft and its loaded context, or the refusal a clerk
    fixes first (organisation, edition, the call's dates, category, answers, neighbourhood, office)."""
    submitter = submitter_columns(draft.submitter, found.organisation)
    if found.call is None and draft.edition is not None and not found.edition_known:
        raise unknown_edition()
    check_intake(found.call, now)
    call = found.call
    category = check_category(draft.category, call["categories"])
    answers = check_answers(draft.answers, call["questions"])
    if found.neighbourhood is None:
        raise unknown_neighbourhood()
    if draft.office and found.office_code is None:
        raise unknown_office()
    work = {
        "tracking_code": tracking_code, "edition": call["edition"], "district": draft.district,
        "neighbourhood_code": found.neighbourhood["code"], "office_code": found.office_code, "category": category,
        "title": draft.title, "summary": draft.summary,
        **submitter, "team": draft.team, "beneficiaries": draft.beneficiaries, "answers": answers,
        "status": RECEIVED, "status_at": now, "title_key": compact_key(draft.title),
    }
    return work | {"search_text": search_text(work)}


def edited_columns(work: dict, edit: WorkEdit, found: EditContext, *, now: datetime) -> tuple[dict, list[str]]:
    """The columns an edit changes (none when it changes nothing) and the API names of the fields it changed;
    refused unless the work and its call still take edits."""
    check_changeable(work, found.call, now)
    new: dict = {}
    if edit.submitter is not None:
        new |= submitter_columns(edit.submitter, found.organisation)
    for field in ("title", "summary"):
        if (value := getattr(edit, field)) is not None:
            new[field] = value
    if edit.category is not None:
        new["category"] = check_category(edit.category, found.call["categories"])
    if edit.neighbourhood is not None:
        if found.neighbourhood is None:
            raise unknown_neighbourhood()
        new["neighbourhood_code"] = found.neighbourhood["code"]
    if edit.office_named:
        if edit.office and found.office_code is None:
            raise unknown_office()
        new["office_code"] = found.office_code
    for field in ("team", "beneficiaries"):
        if (value := getattr(edit, field)) is not None:
            new[field] = value
    if edit.answers is not None:
        new["answers"] = check_answers(edit.answers, found.call["questions"])
    changed = {key: value for key, value in new.items() if work[key] != value}
    if not changed:
        return {}, []
    merged = {**work, **changed}
    fields = sorted(_public_names(set(changed)))
    return changed | {"title_key": compact_key(merged["title"]), "search_text": search_text(merged)}, fields


def _public_names(columns: set[str]) -> set[str]:
    """API field names of changed columns (submitter_* and organisation_* are 'submitter')."""
    renamed = {"neighbourhood_code": "neighbourhood", "office_code": "office"}
    return {"submitter" if c.startswith(("submitter_", "organisation_")) else renamed.get(c, c) for c in columns}
