"""Documents use cases: attach, remove, list and read a work's documents, for the person the principal is.
Attaching and removing are edits of the work: only while it waits for evaluation and its call is open, and each
publishes WorkChanged with the work's document count."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.calls import db as calls_db
from services.submissions.db import outbox
from services.submissions.documents import db
from services.submissions.documents.domain import check_document, check_room
from services.submissions.domain import CATEGORIES
from services.submissions.permissions import Capability
from services.submissions.works import db as works_db
from services.submissions.works.domain import check_changeable
from services.submissions.works.usecases import work_for
from shared.contracts.submissions import WorkChanged
from shared.messaging.outbox import add_events
from shared.principal import Principal
from shared.reading_grants import check_reading_grant
from shared.refusals import not_found


@dataclass(frozen=True)
class DocumentLimits:
    """How large a document may be and how many a work may have (from the settings)."""

    max_bytes: int
    max_per_work: int


async def check_attachable(conn: AsyncConnection, principal: Principal, work_id: uuid.UUID, *,
                           now: datetime) -> None:
    """Refuse, before an upload is read, what attach_document would refuse whatever the file."""
    await _changeable(conn, principal, work_id, now)


async def attach_document(conn: AsyncConnection, principal: Principal, work_id: uuid.UUID, *,
                          filename: str | None, content: bytes, limits: DocumentLimits, now: datetime) -> dict:
    """Store a document checked on its content; returns its metadata. Checked again here: the call may have
    closed while the upload was read."""
    checked = check_document(filename, content, max_bytes=limits.max_bytes)
    work = await _changeable(conn, principal, work_id, now)
    check_room(await db.count_documents(conn, work_id=work_id), limits.max_per_work)
    document = await db.insert_document(conn, values={
        "id": uuid.uuid4(), "work_id": work_id, "filename": checked.filename, "kind": checked.kind,
        "media_type": checked.media_type, "size_bytes": checked.size, "sha256": checked.sha256,
        "content": content, "uploaded_by": principal.subject, "uploaded_at": now})
    await _changed(conn, work, principal)
    return document


async def remove_document(conn: AsyncConnection, principal: Principal, work_id: uuid.UUID,
                          document_id: uuid.UUID, *, now: datetime) -> None:
    """Take a document off the work (the archive keeps its bytes)."""
    work = await _changeable(conn, principal, work_id, now)
    if await db.get_document(conn, work_id=work_id, document_id=document_id) is None:
        raise not_found("پیوست", "Document")
    await db.remove_document(conn, document_id=document_id, removed_by=principal.subject)
    await _changed(conn, work, principal)


async def list_documents(conn: AsyncConnection, principal: Principal, work_id: uuid.UUID) -> list[dict]:
    """The work's documents (name, type, size, checksum), for those who may see the work."""
    await work_for(conn, principal, work_id, Capability.SEE_WORKS)
    return await db.list_documents(conn, work_id=work_id)


async def read_document(conn: AsyncConnection, principal: Principal, work_id: uuid.UUID,
                        document_id: uuid.UUID) -> dict:
    """A document with its bytes, for those who may see the work."""
    await work_for(conn, principal, work_id, Capability.SEE_WORKS)
    document = await db.get_document(conn, work_id=work_id, document_id=document_id, with_content=True)
    if document is None:
        raise not_found("پیوست", "Document")
    return document


# What an evaluator reads of a work: what it is and what it did, not who submitted it.
FOR_EVALUATORS = ("id", "title", "category", "summary", "beneficiaries", "district", "neighbourhood", "edition")


async def work_for_evaluator(conn: AsyncConnection, principal: Principal, work_id: uuid.UUID, *, grant: str,
                             key: str, now: datetime) -> dict:
    """A work as an evaluator reads it (no submitter's details) with its documents, for the person evaluation's
    reading grant names."""
    check_reading_grant(key, grant, work_id, principal.subject, now)
    work = await works_db.get_work(conn, work_id=work_id)
    if work is None:
        raise not_found("اثر", "Work")
    call = await calls_db.get_call(conn, edition=work["edition"]) if work["edition"] else None
    categories = call["categories"] if call else CATEGORIES
    return {**{name: work.get(name) for name in FOR_EVALUATORS},
            "category_fa": categories.get(work["category"], work["category"]),
            "documents": await db.list_documents(conn, work_id=work_id)}


async def read_document_for_evaluator(conn: AsyncConnection, principal: Principal, work_id: uuid.UUID,
                                      document_id: uuid.UUID, *, grant: str, key: str, now: datetime) -> dict:
    """A document with its bytes, for the person evaluation's reading grant names."""
    check_reading_grant(key, grant, work_id, principal.subject, now)
    document = await db.get_document(conn, work_id=work_id, document_id=document_id, with_content=True)
    if document is None:
        raise not_found("پیوست", "Document")
    return document


async def _changeable(conn: AsyncConnection, principal: Principal, work_id: uuid.UUID, now: datetime) -> dict:
    """The locked work, if the caller may change its documents and it still takes edits."""
    work = await work_for(conn, principal, work_id, Capability.ATTACH_DOCUMENTS)
    call = await calls_db.get_call(conn, edition=work["edition"]) if work["edition"] else None
    check_changeable(work, call, now)
    return work


async def _changed(conn: AsyncConnection, work: dict, principal: Principal) -> None:
    await works_db.update_work(conn, work_id=work["id"], values={"updated_by": principal.subject})
    # The count after this change (the work is locked): evaluation checks documents at the receipt.
    documents = await db.count_documents(conn, work_id=work["id"])
    await add_events(conn, outbox, [WorkChanged(
        work_id=work["id"], edition=work["edition"], district=work["district"], neighbourhood=work["neighbourhood"],
        category=work["category"], title=work["title"], submitter_name=work["submitter_name"],
        submitter_mobile=work["submitter_mobile"], changed=["documents"], documents=documents)],
        correlation_id=str(work["id"]))
