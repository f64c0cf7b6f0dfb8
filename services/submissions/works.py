"""Works intake, edits and withdrawal: validation against the call, the duplicate flag, and the events, in
the caller's transaction (SQLAlchemy Core only: this is the festival's hot path)."""

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions import db, db_works
from services.submissions.domain import (
    RECEIVED,
    STATUSES,
    WITHDRAWN,
    Organisation,
    Submitter,
    canonical_submitter,
    check_answers,
    check_category,
    check_editable,
    check_withdrawable,
    compact_key,
    intake_refusal,
    new_tracking_code,
    organisation_reference,
)
from services.submissions.schemas import CitizenIn, SubmitterOut, WorkIn, WorkOut, WorkPatch
from services.submissions.status import apply_status
from shared.contracts.submissions import PublicWorkReceived, WorkChanged, WorkReceived, WorkWithdrawn
from shared.messaging.outbox import add_events
from shared.persian import normalize_text
from shared.refusals import Kind, Refusal

_TEXT_FIELDS = ("title", "summary")


async def submitter_of(conn: AsyncConnection, body) -> tuple[str, Submitter, Organisation | None]:
    """(kind, the person to contact, the organisation if one submits), validated and canonical; an
    organisation must be registered (and active) in the registry."""
    if isinstance(body, CitizenIn):
        return "citizen", canonical_submitter(body.name, body.national_id, body.mobile), None
    code, legal_entity_id = organisation_reference(body.code, body.legal_entity_id)
    person = canonical_submitter(body.representative.name, body.representative.national_id,
                                 body.representative.mobile)
    found = await db.find_organisation(conn, code=code, legal_entity_id=legal_entity_id)
    if found is None:
        raise Refusal(Kind.INVALID, "unknown_organisation", "این سازمان در سامانه‌ی جشنواره ثبت نشده است.",
                       "This organisation is not registered with the festival.")
    return "organisation", person, Organisation(code=found["code"], name=found["name_fa"],
                                                legal_entity_id=found["legal_entity_id"], representative=person)


def _submitter_columns(kind: str, person: Submitter, org: Organisation | None) -> dict:
    return {"submitter_kind": kind, "submitter_name": person.name, "submitter_national_id": person.national_id,
            "submitter_mobile": person.mobile, "organisation_code": org.code if org else None,
            "organisation_name": org.name if org else None,
            "organisation_legal_id": org.legal_entity_id if org else None}


def _clean_text(field: str, value: str) -> str:
    cleaned = normalize_text(value)
    if len(compact_key(cleaned)) < 3:
        raise Refusal(Kind.INVALID, f"invalid_{field}", "عنوان و خلاصه‌ی اثر را کامل بنویسید.",
                       f"The work's {field} is too short.")
    return cleaned


def _search_text(values: dict, tracking_code: str) -> str:
    parts = (values["title"], values["summary"], tracking_code, values["submitter_name"],
             values.get("organisation_name") or "")
    return "|".join(compact_key(part) for part in parts)


async def _neighbourhood(conn: AsyncConnection, district: int, name: str) -> dict:
    """An active neighbourhood of the district by name; 422 otherwise."""
    hood = await db.find_neighbourhood(conn, district=district, name_fa=normalize_text(name))
    if hood is None:
        raise Refusal(Kind.INVALID, "unknown_neighbourhood", "این محله در این منطقه ثبت نشده است.",
                       "This neighbourhood is not in the district.")
    return hood


async def _office(conn: AsyncConnection, edition: str, district: int, name: str | None) -> str | None:
    if not name:
        return None
    hood = await db.find_neighbourhood(conn, district=district, name_fa=normalize_text(name))
    if hood is None or not await db.is_office(conn, edition=edition, neighbourhood_code=hood["code"]):
        raise Refusal(Kind.INVALID, "unknown_office", "این محله در این دوره دفتر جشنواره ندارد.",
                       "This neighbourhood has no festival office in this edition.")
    return hood["code"]


async def submit_work(conn: AsyncConnection, *, body: WorkIn, actor: str, now: datetime) -> dict:
    """Validate, normalise and store a work with its first status and events; returns the stored row.

    The hot path of the festival: four statements (call and neighbourhood with the duplicate lock, the
    work with its flag and history, the outbox rows, the relay's wake-up)."""
    kind, person, org = await submitter_of(conn, body.submitter)
    title, summary = _clean_text("title", body.title), _clean_text("summary", body.summary)
    title_key, submitter_id = compact_key(title), org.code if org else person.national_id
    found = await db_works.intake_context(
        conn, edition=body.edition, now=now, district=body.district, neighbourhood=normalize_text(body.neighbourhood),
        lock_key=db_works.duplicate_lock_key(kind, submitter_id, title_key))
    if found is None and body.edition is not None and await db.get_edition(conn, code=body.edition) is None:
        raise Refusal(Kind.INVALID, "unknown_edition", "این دوره‌ی جشنواره تعریف نشده است.", "Unknown festival edition.")
    if (refusal := intake_refusal(found, now)) is not None:
        raise refusal
    edition = found["edition"]
    category = check_category(body.category, found["categories"])
    answers = check_answers(body.answers, found["questions"])
    if found["hood_code"] is None:
        raise Refusal(Kind.INVALID, "unknown_neighbourhood", "این محله در این منطقه ثبت نشده است.",
                       "This neighbourhood is not in the district.")
    office = await _office(conn, edition, body.district, body.office)
    work_id, tracking_code = uuid.uuid4(), new_tracking_code()
    values = {
        "id": work_id, "tracking_code": tracking_code, "edition": edition, "district": body.district,
        "neighbourhood_code": found["hood_code"], "office_code": office, "category": category,
        "title": title, "summary": summary, **_submitter_columns(kind, person, org),
        "team": [{"name": normalize_text(m.name), "role": normalize_text(m.role)} for m in body.team],
        "beneficiaries": body.beneficiaries, "answers": answers, "status": RECEIVED, "status_at": now,
        "created_by": actor, "created_at": now, "title_key": title_key,
    }
    values["search_text"] = _search_text(values, tracking_code)
    duplicate = await db_works.insert_received(conn, values=values, kind=kind, submitter_id=submitter_id, actor=actor)
    common = {"work_id": work_id, "district": body.district, "neighbourhood": found["hood_name"],
              "category": category, "edition": edition}
    await add_events(conn, db.outbox, [
        WorkReceived(**common, tracking_code=tracking_code, title=title, submitter_name=person.name,
                     submitter_national_id=person.national_id, submitter_mobile=person.mobile,
                     submitter_kind=kind, organisation_code=values["organisation_code"],
                     organisation_name=values["organisation_name"],
                     organisation_legal_id=values["organisation_legal_id"],
                     possible_duplicate=duplicate is not None, occurred_at=now),
        PublicWorkReceived(**common, occurred_at=now),
    ], correlation_id=str(work_id))
    return {**values, "possible_duplicate": duplicate is not None, "duplicate_of": duplicate,
            "neighbourhood": found["hood_name"], "office": body.office and normalize_text(body.office),
            "updated_at": None}


async def edit_work(conn: AsyncConnection, *, work: dict, patch: WorkPatch, actor: str, now: datetime) -> dict:
    """Apply an edit to a (locked) work while its call is open and it waits for evaluation; returns the
    work as it now is. Nothing changes, and nothing is published, when the edit changes nothing."""
    check_editable(work["status"])
    call = await db.get_call(conn, edition=work["edition"]) if work["edition"] else None
    if (refusal := intake_refusal(call, now)) is not None:
        raise refusal
    new: dict = {}
    if patch.submitter is not None:
        new |= _submitter_columns(*await submitter_of(conn, patch.submitter))
    for field in _TEXT_FIELDS:
        if (value := getattr(patch, field)) is not None:
            new[field] = _clean_text(field, value)
    if patch.category is not None:
        new["category"] = check_category(patch.category, call["categories"])
    if patch.neighbourhood is not None:
        new["neighbourhood_code"] = (await _neighbourhood(conn, work["district"], patch.neighbourhood))["code"]
    if "office" in patch.model_fields_set:
        new["office_code"] = await _office(conn, work["edition"], work["district"], patch.office)
    if patch.team is not None:
        new["team"] = [{"name": normalize_text(m.name), "role": normalize_text(m.role)} for m in patch.team]
    if patch.beneficiaries is not None:
        new["beneficiaries"] = patch.beneficiaries
    if patch.answers is not None:
        new["answers"] = check_answers(patch.answers, call["questions"])
    changed = {key: value for key, value in new.items() if work[key] != value}
    if not changed:
        return work
    merged = {**work, **changed}
    changed |= {"title_key": compact_key(merged["title"]), "search_text": _search_text(merged, work["tracking_code"])}
    if {"title", "submitter_national_id", "organisation_code", "submitter_kind"} & changed.keys():
        org = merged["submitter_kind"] == "organisation"
        duplicate = await db_works.find_duplicate(
            conn, edition=work["edition"], title_key=changed["title_key"], kind=merged["submitter_kind"],
            submitter_id=merged["organisation_code"] if org else merged["submitter_national_id"],
            exclude=work["id"])
        changed |= {"possible_duplicate": duplicate is not None, "duplicate_of": duplicate}
    await db_works.update_work(conn, work_id=work["id"], values={**changed, "updated_by": actor})
    updated = await db_works.get_work(conn, work_id=work["id"])
    await add_events(conn, db.outbox, [WorkChanged(
        work_id=work["id"], edition=work["edition"], district=work["district"], neighbourhood=updated["neighbourhood"],
        category=updated["category"], title=updated["title"], submitter_name=updated["submitter_name"],
        submitter_mobile=updated["submitter_mobile"], changed=sorted(_public_names(new.keys() & changed.keys())),
    )], correlation_id=str(work["id"]))
    return updated


def _public_names(columns: set[str]) -> set[str]:
    """API field names of changed columns (submitter_* and organisation_* are 'submitter')."""
    renamed = {"neighbourhood_code": "neighbourhood", "office_code": "office"}
    return {"submitter" if c.startswith(("submitter_", "organisation_")) else renamed.get(c, c) for c in columns}


async def withdraw_work(conn: AsyncConnection, *, work: dict, reason: str, actor: str, now: datetime) -> dict:
    """Withdraw a (locked) work that waits for evaluation; records the status and publishes both events."""
    check_withdrawable(work["status"])
    reason = normalize_text(reason)
    updated = await apply_status(conn, work["id"], WITHDRAWN, now, actor=actor, note=reason)
    await add_events(conn, db.outbox, [WorkWithdrawn(
        work_id=work["id"], edition=work["edition"], district=work["district"], category=work["category"],
        tracking_code=work["tracking_code"], reason=reason, withdrawn_at=now,
        submitter_mobile=work["submitter_mobile"],
    )], correlation_id=str(work["id"]))
    return updated


def work_out(row: dict) -> WorkOut:
    """A work as staff see it."""
    return WorkOut(
        **{key: row[key] for key in ("id", "tracking_code", "edition", "district", "neighbourhood", "office",
                                     "category", "title", "summary", "team", "beneficiaries", "answers", "status",
                                     "status_at", "possible_duplicate", "duplicate_of", "created_at", "updated_at")},
        status_fa=STATUSES.get(row["status"], row["status"]),
        submitter=SubmitterOut(kind=row["submitter_kind"], name=row["submitter_name"],
                               national_id=row["submitter_national_id"], mobile=row["submitter_mobile"],
                               organisation_code=row["organisation_code"],
                               organisation_name=row["organisation_name"],
                               organisation_legal_id=row["organisation_legal_id"]),
    )
