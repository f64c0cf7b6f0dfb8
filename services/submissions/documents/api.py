"""Documents over HTTP: attach (multipart, checked on content), list, download and remove, for those who may
see the work (the use cases check who may, and that the work still takes edits)."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from services.submissions.documents import usecases
from services.submissions.documents.domain import clean_filename, too_large
from services.submissions.documents.schemas import DocumentOut
from services.submissions.documents.usecases import DocumentLimits
from shared.auth import SignedIn
from shared.refusals import Kind, Refusal
from shared.web.connection import Reading, Transaction, engine_of

# Room for the multipart boundaries and part headers around the file itself.
MULTIPART_OVERHEAD = 64 * 1024


def build_router(limits: DocumentLimits) -> APIRouter:
    """Routes of a work's documents, with the size and count limits from the settings."""
    router = APIRouter(tags=["documents"])

    async def upload(request: Request) -> tuple[str | None, bytes]:
        """Dependency: the uploaded file's name and bytes, within the size limit."""
        return await read_upload(request, limits.max_bytes)

    # Dependencies resolve in this order: the caller, the quick check, the upload, and only then the
    # transaction, so no connection is held while megabytes arrive.
    @router.post("/works/{work_id}/documents", status_code=201, response_model=DocumentOut)
    async def attach(work_id: uuid.UUID, principal: SignedIn, _attachable: Annotated[None, Depends(attachable)],
                     file: Annotated[tuple[str | None, bytes], Depends(upload)], conn: Transaction) -> DocumentOut:
        """Attach a photo (JPEG, PNG), PDF or office document (DOCX, XLSX, ODT, ODS) to a work."""
        filename, content = file
        return DocumentOut(**await usecases.attach_document(conn, principal, work_id, filename=filename,
                                                            content=content, limits=limits, now=datetime.now(UTC)))

    @router.get("/works/{work_id}/documents", response_model=list[DocumentOut])
    async def list_documents(work_id: uuid.UUID, principal: SignedIn, conn: Reading) -> list[DocumentOut]:
        """The work's documents (name, type, size, checksum)."""
        return [DocumentOut(**d) for d in await usecases.list_documents(conn, principal, work_id)]

    @router.get("/works/{work_id}/documents/{document_id}", response_class=Response,
                responses={200: {"content": {"application/octet-stream": {}}}})
    async def download(work_id: uuid.UUID, document_id: uuid.UUID, principal: SignedIn, conn: Reading) -> Response:
        """The document's bytes, as an attachment, for those who may see the work."""
        return attachment(await usecases.read_document(conn, principal, work_id, document_id))

    @router.delete("/works/{work_id}/documents/{document_id}", status_code=204)
    async def remove(work_id: uuid.UUID, document_id: uuid.UUID, principal: SignedIn, conn: Transaction) -> None:
        """Take a document off the work while its call is open (the archive keeps its bytes)."""
        await usecases.remove_document(conn, principal, work_id, document_id, now=datetime.now(UTC))

    return router


async def attachable(request: Request, work_id: uuid.UUID, principal: SignedIn) -> None:
    """Dependency: refuse before reading megabytes that could not be stored, on a short transaction of its own."""
    async with engine_of(request).begin() as conn:
        await usecases.check_attachable(conn, principal, work_id, now=datetime.now(UTC))


def attachment(document: dict) -> Response:
    """A document's bytes as a download that no browser runs or sniffs: always an attachment, its name cleaned
    again on the way out (a name stored before names were cleaned of direction overrides) and given twice, as
    ASCII and as RFC 5987's UTF-8 filename*."""
    name = clean_filename(document["filename"]) or f"document.{document['kind']}"
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    return Response(document["content"], media_type=document["media_type"], headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}",
        "X-Content-Type-Options": "nosniff", "ETag": f'"{document["sha256"]}"', "Cache-Control": "private, no-store"})


async def read_upload(request: Request, max_bytes: int) -> tuple[str | None, bytes]:
    """The one file of a multipart/form-data body (field `file`), reading no more than the limit allows."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise Refusal(Kind.UNSUPPORTED, "multipart_required", "پرونده را با multipart/form-data در فیلد file بفرستید.",
                      "Send the file as multipart/form-data in the field `file`.")
    cap = max_bytes + MULTIPART_OVERHEAD
    declared = request.headers.get("content-length")
    if declared is not None and declared.isascii() and declared.isdigit() and int(declared) > cap:
        raise too_large(max_bytes)

    async def capped() -> AsyncIterator[bytes]:
        """The body's chunks, refused as soon as they pass the cap."""
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
