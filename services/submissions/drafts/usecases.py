"""Drafts use cases: what a clerk may choose when entering a work, and the work kept between the form and
"check your answers" with its documents, then submitted through the same use cases as the JSON routes
(submit_work, attach_document). A draft is its author's only and lives a day at most; it holds a body already
checked as intake would check it, so "check your answers" shows what will be received."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.calls.domain import intake_refusal
from services.submissions.calls.usecases import current_call
from services.submissions.documents.domain import check_document, check_room
from services.submissions.documents.usecases import DocumentLimits, attach_document
from services.submissions.domain import CATEGORIES
from services.submissions.drafts import db
from services.submissions.permissions import Capability, may_on_work, not_district_staff
from services.submissions.projections.usecases import neighbourhoods_of, organisations_of
from services.submissions.works.schemas import WorkIn
from services.submissions.works.usecases import check_work, submit_work
from shared.principal import Principal
from shared.refusals import Kind, Refusal, forbidden, not_found

DISTRICTS = range(1, 23)
KEPT_FOR = timedelta(days=1)


@dataclass(frozen=True)
class EntryChoices:
    """What the work form offers: the districts the person may enter works for (the one chosen, once chosen),
    the call taking works (why not, when it does not), and the district's neighbourhoods, organisations and
    festival offices."""

    districts: list[int]
    district: int | None
    call: dict | None
    closed: Refusal | None
    neighbourhoods: list[dict] = field(default_factory=list)
    organisations: list[dict] = field(default_factory=list)

    @property
    def categories(self) -> dict[str, str]:
        """The call's categories, code -> Persian name."""
        return self.call["categories"] if self.call else dict(CATEGORIES)

    @property
    def questions(self) -> list[dict]:
        """The questions the call asks every submitter."""
        return self.call["questions"] if self.call else []

    @property
    def offices(self) -> list[dict]:
        """The call's festival offices in the chosen district."""
        return [o for o in (self.call or {}).get("offices", []) if o["district"] == self.district]


class DraftProblems(Refusal):
    """Everything a clerk must fix before a draft is kept: (file name or None, refusal) pairs."""

    def __init__(self, problems: list[tuple[str | None, Refusal]]) -> None:
        first = problems[0][1]
        super().__init__(first.kind, first.code, first.fa, first.en, first.details)
        self.problems = problems


def entry_districts(principal: Principal) -> list[int]:
    """The districts the person may enter a citizen's work for (none for someone who enters no works)."""
    return [d for d in DISTRICTS if may_on_work(principal, Capability.ENTER_WORKS, district=d, organisation=None)]


async def entry_choices(conn: AsyncConnection, principal: Principal, district: int | None, *,
                        now: datetime) -> EntryChoices:
    """The choices of the work form for the person; refused to someone who enters works for no district."""
    districts = entry_districts(principal)
    if not districts:
        raise forbidden()
    if district is None and len(districts) == 1:
        district = districts[0]
    if district is not None and district not in districts:
        raise not_district_staff()
    call = await current_call(conn, now=now)
    choices = EntryChoices(districts, district, call, intake_refusal(call, now))
    if district is None:
        return choices
    return EntryChoices(districts, district, call, choices.closed, await neighbourhoods_of(conn, district),
                        await organisations_of(conn, district))


async def save_draft(conn: AsyncConnection, principal: Principal, body: WorkIn,
                     files: list[tuple[str | None, bytes]], *, limits: DocumentLimits, now: datetime,
                     draft_id: uuid.UUID | None = None, keep: frozenset[uuid.UUID] = frozenset()) -> uuid.UUID:
    """Keep the work as typed and its documents, once intake would take them (a new draft, or the one being
    changed, keeping those of its documents named in `keep`); refused with every problem found."""
    problems: list[tuple[str | None, Refusal]] = []
    checked = []
    for filename, content in files:
        try:
            checked.append((check_document(filename, content, max_bytes=limits.max_bytes), content))
        except Refusal as refusal:
            problems.append((filename or "", refusal))
    try:
        work = await check_work(conn, principal, body, now=now)
    except Refusal as refusal:
        if refusal.kind in (Kind.FORBIDDEN, Kind.NOT_FOUND):
            raise
        problems.append((None, refusal))
    existing = await own_draft(conn, principal, draft_id) if draft_id else None
    kept = [d for d in existing["documents"] if d["id"] in keep] if existing else []
    if checked and not problems:
        try:
            check_room(len(kept) + len(checked) - 1, limits.max_per_work)
        except Refusal as refusal:
            problems.append(("", refusal))
    if problems:
        raise DraftProblems(problems)
    values = {"body": body.model_dump(mode="json"), "possible_duplicate": work["possible_duplicate"]}
    if existing:
        draft_id = existing["id"]
        await db.update_draft(conn, draft_id=draft_id, values=values)
        await db.remove_documents(conn, draft_id=draft_id, keep={d["id"] for d in kept})
    else:
        await db.delete_older(conn, than=now - KEPT_FOR)
        draft_id = uuid.uuid4()
        await db.insert_draft(conn, values={**values, "id": draft_id, "created_by": principal.subject,
                                            "created_at": now})
    await db.add_documents(conn, draft_id=draft_id, rows=[
        {"filename": c.filename, "kind": c.kind, "size_bytes": c.size, "content": content} for c, content in checked])
    return draft_id


async def own_draft(conn: AsyncConnection, principal: Principal, draft_id: uuid.UUID) -> dict:
    """The person's own draft with its documents' names (not found for anyone else, or once submitted)."""
    draft = await db.get_draft(conn, draft_id=draft_id)
    if draft is None or draft["created_by"] != principal.subject:
        raise not_found("پیش‌نویس اثر", "Draft")
    return {**draft, "documents": await db.documents(conn, draft_id=draft_id)}


async def submit_draft(conn: AsyncConnection, principal: Principal, draft_id: uuid.UUID, *, limits: DocumentLimits,
                       now: datetime) -> dict:
    """Receive the drafted work and attach its documents (the JSON routes' use cases, one transaction), then
    forget the draft; returns the work as received."""
    draft = await db.get_draft(conn, draft_id=draft_id, for_update=True)
    if draft is None or draft["created_by"] != principal.subject:
        raise not_found("پیش‌نویس اثر", "Draft")
    work = await submit_work(conn, principal, WorkIn.model_validate(draft["body"]), now=now)
    for document in await db.documents(conn, draft_id=draft_id, with_content=True):
        await attach_document(conn, principal, work["id"], filename=document["filename"],
                              content=document["content"], limits=limits, now=now)
    await db.delete_draft(conn, draft_id=draft_id)
    return work
