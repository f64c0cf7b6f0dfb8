"""Works use cases: receive a work, edit it, withdraw it, read it and its history, for the person the principal
is. Each checks the permissions table, loads what it needs, decides with the domain, then stores and writes its
events, all in the transaction it is given (SQLAlchemy Core only: intake is the festival's hot path)."""

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.calls import db as calls_db
from services.submissions.db import outbox
from services.submissions.domain import WITHDRAWN
from services.submissions.permissions import (
    Capability,
    may_on_work,
    not_district_staff,
    not_own_organisation,
)
from services.submissions.projections import db as projections_db
from services.submissions.tracking.domain import new_tracking_code
from services.submissions.works import db
from services.submissions.works.domain import (
    IDENTITY_COLUMNS,
    EditContext,
    IntakeContext,
    WorkDraft,
    WorkEdit,
    accept_work,
    check_withdrawable,
    clean_team,
    clean_text,
    edited_columns,
)
from services.submissions.works.schemas import CitizenIn, OrganisationIn, WorkIn, WorkPatch
from services.submissions.works.search import compact_key
from services.submissions.works.status import apply_status
from services.submissions.works.submitters import (
    ORGANISATION,
    SubmitterDraft,
    canonical_submitter,
    check_organisation_account,
    check_own_submitter,
    organisation_reference,
    submitter_id,
)
from shared.contracts.submissions import PublicWorkReceived, WorkChanged, WorkReceived, WorkWithdrawn
from shared.messaging.outbox import add_events
from shared.persian import normalize_text
from shared.principal import Principal
from shared.refusals import not_found


async def submit_work(conn: AsyncConnection, principal: Principal, body: WorkIn, *, now: datetime) -> dict:
    """Receive a work for a district in its call; returns it as stored, with its tracking code.

    Parses the request, loads the whole context at once (organisation, then call and neighbourhood with the
    duplicate lock, then office or edition when named), decides with the domain, stores the work flagged when a
    probable duplicate exists (same submitter and title in the edition) with its first status, and writes its
    events. Without an organisation or office that is four statements: context, work with flag and history,
    outbox rows, the relay's wake-up."""
    _may_enter(principal, body)
    await check_account(conn, principal, body.district)
    draft = _work_draft(body)
    found = await _intake_context(conn, draft, now)
    work = accept_work(draft, found, tracking_code=new_tracking_code(), now=now)
    work |= {"id": uuid.uuid4(), "created_by": principal.subject, "created_at": now}
    duplicate = await db.insert_received(conn, values=work, kind=draft.submitter.kind, actor=principal.subject,
                                         submitter_id=submitter_id(draft.submitter, found.organisation))
    neighbourhood = found.neighbourhood["name_fa"]
    common = {"work_id": work["id"], "district": work["district"], "neighbourhood": neighbourhood,
              "category": work["category"], "edition": work["edition"]}
    await add_events(conn, outbox, [
        WorkReceived(**common, tracking_code=work["tracking_code"], title=work["title"],
                     submitter_name=work["submitter_name"], submitter_national_id=work["submitter_national_id"],
                     submitter_mobile=work["submitter_mobile"], submitter_kind=work["submitter_kind"],
                     organisation_code=work["organisation_code"], organisation_name=work["organisation_name"],
                     organisation_legal_id=work["organisation_legal_id"], possible_duplicate=duplicate is not None,
                     occurred_at=now),
        PublicWorkReceived(**common, occurred_at=now),
    ], correlation_id=str(work["id"]))
    return {**work, "possible_duplicate": duplicate is not None, "duplicate_of": duplicate,
            "neighbourhood": neighbourhood, "office": draft.office and normalize_text(draft.office),
            "updated_at": None}


async def check_work(conn: AsyncConnection, principal: Principal, body: WorkIn, *, now: datetime) -> dict:
    """What submit_work would decide, storing nothing (the pages' "check your answers" step): the refusal a
    clerk fixes first, or the work's columns as they would be received, with its neighbourhood's name and
    whether it would be flagged a probable duplicate. Run it in a transaction: it takes the duplicate lock."""
    _may_enter(principal, body)
    await check_account(conn, principal, body.district)
    draft = _work_draft(body)
    found = await _intake_context(conn, draft, now)
    work = accept_work(draft, found, tracking_code="", now=now)
    duplicate = await db.find_duplicate(conn, edition=work["edition"], title_key=work["title_key"],
                                        kind=draft.submitter.kind,
                                        submitter_id=submitter_id(draft.submitter, found.organisation))
    return {**work, "neighbourhood": found.neighbourhood["name_fa"], "possible_duplicate": duplicate is not None}


async def edit_work(conn: AsyncConnection, principal: Principal, work_id: uuid.UUID, patch: WorkPatch, *,
                    now: datetime) -> dict:
    """Apply an edit while the work's call is open and it waits for evaluation; returns the work as it now is.
    Nothing changes, and nothing is published, when the edit changes nothing."""
    work = await work_for(conn, principal, work_id, Capability.EDIT_WORKS)
    edit = _work_edit(patch)
    found = await _edit_context(conn, work, edit)
    if principal.organisation is not None and edit.submitter is not None:
        check_own_submitter(principal.organisation, edit.submitter, found.organisation)
    changed, fields = edited_columns(work, edit, found, now=now)
    if not changed:
        return work
    if IDENTITY_COLUMNS & changed.keys():
        merged = {**work, **changed}
        duplicate = await db.find_duplicate(
            conn, edition=work["edition"], title_key=changed["title_key"], kind=merged["submitter_kind"],
            submitter_id=merged["organisation_code"] if merged["submitter_kind"] == ORGANISATION
            else merged["submitter_national_id"], exclude=work["id"])
        changed |= {"possible_duplicate": duplicate is not None, "duplicate_of": duplicate}
    await db.update_work(conn, work_id=work["id"], values={**changed, "updated_by": principal.subject})
    updated = await db.get_work(conn, work_id=work["id"])
    await add_events(conn, outbox, [WorkChanged(
        work_id=work["id"], edition=work["edition"], district=work["district"], neighbourhood=updated["neighbourhood"],
        category=updated["category"], title=updated["title"], submitter_name=updated["submitter_name"],
        submitter_mobile=updated["submitter_mobile"], changed=fields,
    )], correlation_id=str(work["id"]))
    return updated


async def withdraw_work(conn: AsyncConnection, principal: Principal, work_id: uuid.UUID, reason: str, *,
                        now: datetime) -> dict:
    """Withdraw a work that waits for evaluation: its status and history, and WorkWithdrawn; returns the work."""
    work = await work_for(conn, principal, work_id, Capability.WITHDRAW_WORKS)
    check_withdrawable(work["status"])
    reason = normalize_text(reason)
    await apply_status(conn, work["id"], WITHDRAWN, now, actor=principal.subject, note=reason)
    await add_events(conn, outbox, [WorkWithdrawn(
        work_id=work["id"], edition=work["edition"], district=work["district"], category=work["category"],
        tracking_code=work["tracking_code"], reason=reason, withdrawn_at=now,
        submitter_mobile=work["submitter_mobile"],
    )], correlation_id=str(work["id"]))
    return await db.get_work(conn, work_id=work["id"])


async def read_work(conn: AsyncConnection, principal: Principal, work_id: uuid.UUID) -> dict:
    """A work, for those who may see it."""
    return await work_for(conn, principal, work_id, Capability.SEE_WORKS)


async def work_history(conn: AsyncConnection, principal: Principal, work_id: uuid.UUID) -> list[dict]:
    """A work's statuses with their times, oldest first, for those who may see it."""
    await work_for(conn, principal, work_id, Capability.SEE_WORKS)
    return await db.history(conn, work_id=work_id)


async def work_for(conn: AsyncConnection, principal: Principal, work_id: uuid.UUID, capability: Capability) -> dict:
    """The work, if the caller may see it (not found otherwise, so nothing leaks) and may exercise the
    capability on it (forbidden otherwise); to change it, locked for the caller's transaction."""
    change = capability != Capability.SEE_WORKS
    work = await db.get_work(conn, work_id=work_id, for_update=change)
    if work is None or not _may(principal, Capability.SEE_WORKS, work):
        raise not_found("اثر", "Work")
    if change and not _may(principal, capability, work):
        raise not_district_staff()
    if change:
        await check_account(conn, principal, work["district"])
    return work


async def check_account(conn: AsyncConnection, principal: Principal, district: int) -> None:
    """An organisation's own account submits and changes works only while its organisation is active, in the
    district it works in (checked on registry's organisations as mirrored here; nothing to check for staff)."""
    if principal.organisation is not None:
        organisation = await projections_db.get_organisation(conn, code=principal.organisation)
        check_organisation_account(organisation, district)


def _may(principal: Principal, capability: Capability, work: dict) -> bool:
    return may_on_work(principal, capability, district=work["district"], organisation=work["organisation_code"])


def _may_enter(principal: Principal, body: WorkIn) -> None:
    """District staff for their district; an organisation's account only for itself, naming its own code."""
    named = body.submitter.code if isinstance(body.submitter, OrganisationIn) else None
    if not may_on_work(principal, Capability.ENTER_WORKS, district=body.district, organisation=named):
        raise not_own_organisation() if principal.organisation is not None else not_district_staff()


# --- parsing: requests into the domain's drafts, before anything is loaded ----------------------


def _submitter_draft(body: CitizenIn | OrganisationIn) -> SubmitterDraft:
    if isinstance(body, CitizenIn):
        return SubmitterDraft(canonical_submitter(body.name, body.national_id, body.mobile))
    code, legal_entity_id = organisation_reference(body.code, body.legal_entity_id)
    person = body.representative
    return SubmitterDraft(canonical_submitter(person.name, person.national_id, person.mobile), kind=ORGANISATION,
                          organisation_code=code, organisation_legal_id=legal_entity_id)


def _work_draft(body: WorkIn) -> WorkDraft:
    submitter = _submitter_draft(body.submitter)
    return WorkDraft(
        edition=body.edition, district=body.district, neighbourhood=normalize_text(body.neighbourhood),
        office=body.office, category=body.category, title=clean_text("title", body.title),
        summary=clean_text("summary", body.summary), submitter=submitter,
        team=clean_team([(m.name, m.role) for m in body.team]), beneficiaries=body.beneficiaries,
        answers=body.answers)


def _work_edit(patch: WorkPatch) -> WorkEdit:
    return WorkEdit(
        neighbourhood=normalize_text(patch.neighbourhood) if patch.neighbourhood is not None else None,
        office_named="office" in patch.model_fields_set, office=patch.office, category=patch.category,
        title=clean_text("title", patch.title) if patch.title is not None else None,
        summary=clean_text("summary", patch.summary) if patch.summary is not None else None,
        submitter=_submitter_draft(patch.submitter) if patch.submitter is not None else None,
        team=clean_team([(m.name, m.role) for m in patch.team]) if patch.team is not None else None,
        beneficiaries=patch.beneficiaries, answers=patch.answers)


# --- loading: what a decision needs, read before deciding ----------------------------------------


async def _intake_context(conn: AsyncConnection, draft: WorkDraft, now: datetime) -> IntakeContext:
    organisation = await _organisation(conn, draft.submitter)
    lock_key = db.duplicate_lock_key(draft.submitter.kind, submitter_id(draft.submitter, organisation),
                                     compact_key(draft.title))
    call, neighbourhood = await db.intake_context(conn, edition=draft.edition, now=now, district=draft.district,
                                                  neighbourhood=draft.neighbourhood, lock_key=lock_key)
    edition_known = (call is not None or draft.edition is None
                     or await calls_db.get_edition(conn, code=draft.edition) is not None)
    office_code = await _office_code(conn, call["edition"], draft.district, draft.office) if call else None
    return IntakeContext(call=call, edition_known=edition_known, neighbourhood=neighbourhood,
                         organisation=organisation, office_code=office_code)


async def _edit_context(conn: AsyncConnection, work: dict, edit: WorkEdit) -> EditContext:
    call = await calls_db.get_call(conn, edition=work["edition"]) if work["edition"] else None
    organisation = await _organisation(conn, edit.submitter) if edit.submitter is not None else None
    neighbourhood = (await projections_db.find_neighbourhood(conn, district=work["district"],
                                                             name_fa=edit.neighbourhood)
                     if edit.neighbourhood is not None else None)
    office_code = (await _office_code(conn, work["edition"], work["district"], edit.office)
                   if edit.office_named else None)
    return EditContext(call=call, organisation=organisation, neighbourhood=neighbourhood, office_code=office_code)


async def _organisation(conn: AsyncConnection, submitter: SubmitterDraft) -> dict | None:
    """The registered, active organisation the submitter names (None for a citizen, or when unknown)."""
    if submitter.kind != ORGANISATION:
        return None
    return await projections_db.find_organisation(conn, code=submitter.organisation_code,
                                                  legal_entity_id=submitter.organisation_legal_id)


async def _office_code(conn: AsyncConnection, edition: str | None, district: int, name: str | None) -> str | None:
    """The neighbourhood code of the office named, when it has a festival office in the edition."""
    if not name or edition is None:
        return None
    hood = await projections_db.find_neighbourhood(conn, district=district, name_fa=normalize_text(name))
    if hood is None or not await calls_db.is_office(conn, edition=edition, neighbourhood_code=hood["code"]):
        return None
    return hood["code"]
