"""Documents over HTTP: attach (multipart, checked on content), list, download and remove, for those who
may see the work; attaching and removing are edits, so only while the work's call is open."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from services.submissions import db, db_works
from services.submissions.api_works import work_for
from services.submissions.domain import check_editable, intake_refusal
from services.submissions.filetypes import check_document, too_large
from services.submissions.schemas import DocumentOut
from shared.auth import signed_in
from shared.contracts.submissions import WorkChanged
from shared.messaging.outbox import add_events
from shared.principal import Principal
from shared.refusals import Kind, Refusal, not_found

# Room for the multipart boundaries and part headers around the file itself.
MULTIPART_OVERHEAD = 64 * 1024


async def read_upload(request: Request, max_bytes: int) -> tuple[str | None, bytes]:
    """The one file of a multipart/form-data body (field `file`), reading no more than the limit allows."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise Refusal(Kind.UNSUPPORTED, "multipart_required", "پرونده را با multipart/form-data در فیلد file بفرستید.",
                       "Send the file as multipart/form-data in the field `file`.")
    cap = max_bytes + MULTIPART_OVERHEAD
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise too_large(max_bytes)

    async def capped() -> AsyncIterator[bytes]:
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > cap:
                raise too_large(max_bytes)
            yield chunk

    try:
        form = await MultiPartParser(request.headers, capped(), max_files=1, max_fields=5).parse()
    except MultiPartException as error:
        raise Refusal(Kind.MALFORMED, "invalid_upload", "درخواست بارگذاری معتبر نیست.",
                      "The upload is not valid.") from error
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        await form.close()
        raise Refusal(Kind.INVALID, "file_required", "پرونده‌ای در فیلد file فرستاده نشده است.",
                       "No file was sent in the field `file`.")
    try:
        return upload.filename, await upload.read(max_bytes + 1)
    finally:
        await form.close()


def build_documents_router(engine: AsyncEngine, *, max_bytes: int, max_per_work: int) -> APIRouter:
    """Routes of a work's documents."""
    router = APIRouter(tags=["documents"])

    @router.post("/works/{work_id}/documents", status_code=201, response_model=DocumentOut)
    async def attach(work_id: uuid.UUID, request: Request, principal: Principal = Depends(signed_in)) -> DocumentOut:
        """Attach a photo (JPEG, PNG), PDF or office document (DOCX, XLSX, ODT, ODS) to a work."""
        async with engine.begin() as conn:  # refuse before reading megabytes that could not be stored
            await _editable(conn, principal, work_id, datetime.now(UTC))
        filename, content = await read_upload(request, max_bytes)
        checked = check_document(filename, content, max_bytes=max_bytes)
        now = datetime.now(UTC)
        async with engine.begin() as conn:  # checked again: the call may have closed meanwhile
            work = await _editable(conn, principal, work_id, now)
            if await db_works.count_documents(conn, work_id=work_id) >= max_per_work:
                raise Refusal(Kind.CONFLICT, "too_many_documents", f"هر اثر حداکثر {max_per_work} پیوست دارد.",
                               f"A work has at most {max_per_work} documents.", {"max_documents": max_per_work})
            document = await db_works.insert_document(conn, values={
                "id": uuid.uuid4(), "work_id": work_id, "filename": checked.filename, "kind": checked.kind,
                "media_type": checked.media_type, "size_bytes": checked.size, "sha256": checked.sha256,
                "content": content, "uploaded_by": principal.subject, "uploaded_at": now})
            await _changed(conn, work, principal)
        return DocumentOut(**document)

    @router.get("/works/{work_id}/documents", response_model=list[DocumentOut])
    async def list_documents(work_id: uuid.UUID, principal: Principal = Depends(signed_in)) -> list[DocumentOut]:
        """The work's documents (name, type, size, checksum)."""
        async with engine.connect() as conn:
            await work_for(conn, principal, work_id)
            return [DocumentOut(**d) for d in await db_works.list_documents(conn, work_id=work_id)]

    @router.get("/works/{work_id}/documents/{document_id}", response_class=Response,
                responses={200: {"content": {"application/octet-stream": {}}}})
    async def download(work_id: uuid.UUID, document_id: uuid.UUID,
                       principal: Principal = Depends(signed_in)) -> Response:
        """The document's bytes, as an attachment, for those who may see the work."""
        async with engine.connect() as conn:
            await work_for(conn, principal, work_id)
            document = await db_works.get_document(conn, work_id=work_id, document_id=document_id, with_content=True)
        if document is None:
            raise not_found("پیوست", "Document")
        ascii_name = document["filename"].encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
        return Response(document["content"], media_type=document["media_type"], headers={
            "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; "
                                   f"filename*=UTF-8''{quote(document['filename'])}",
            "X-Content-Type-Options": "nosniff", "ETag": f'"{document["sha256"]}"',
            "Cache-Control": "private, no-store"})

    @router.delete("/works/{work_id}/documents/{document_id}", status_code=204)
    async def remove(work_id: uuid.UUID, document_id: uuid.UUID, principal: Principal = Depends(signed_in)) -> None:
        """Take a document off the work while its call is open (the archive keeps its bytes)."""
        async with engine.begin() as conn:
            work = await _editable(conn, principal, work_id, datetime.now(UTC))
            if await db_works.get_document(conn, work_id=work_id, document_id=document_id) is None:
                raise not_found("پیوست", "Document")
            await db_works.remove_document(conn, document_id=document_id, removed_by=principal.subject)
            await _changed(conn, work, principal)

    return router


async def _editable(conn, principal: Principal, work_id: uuid.UUID, now: datetime) -> dict:
    """The locked work, if the caller may change it and its call still takes edits."""
    work = await work_for(conn, principal, work_id, change=True)
    check_editable(work["status"])
    call = await db.get_call(conn, edition=work["edition"]) if work["edition"] else None
    if (refusal := intake_refusal(call, now)) is not None:
        raise refusal
    return work


async def _changed(conn, work: dict, principal: Principal) -> None:
    await db_works.update_work(conn, work_id=work["id"], values={"updated_by": principal.subject})
    # The count after this change (the work is locked): evaluation checks documents at the receipt.
    documents = await db_works.count_documents(conn, work_id=work["id"])
    await add_events(conn, db.outbox, [WorkChanged(
        work_id=work["id"], edition=work["edition"], district=work["district"], neighbourhood=work["neighbourhood"],
        category=work["category"], title=work["title"], submitter_name=work["submitter_name"],
        submitter_mobile=work["submitter_mobile"], changed=["documents"], documents=documents)],
        correlation_id=str(work["id"]))
