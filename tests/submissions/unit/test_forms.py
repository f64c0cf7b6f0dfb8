"""A posted form is refused before it is read when it hides its length or cannot be parsed (no database)."""

import asyncio

import pytest
from starlette.requests import Request

from services.submissions.documents.usecases import DocumentLimits
from services.submissions.forms import read_form
from shared.refusals import Kind, Refusal

LIMITS = DocumentLimits(max_bytes=1024, max_per_work=2)


def posted(body: bytes, headers: dict[str, str]) -> Request:
    """A POST request with this body and these headers."""
    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}
    # "app" in the scope makes Starlette report a broken form as an HTTP error, as it does in a running service.
    scope = {"type": "http", "app": object(), "method": "POST", "path": "/office/works/new", "query_string": b"",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}
    return Request(scope, receive)


def refusal_of(request: Request) -> Refusal:
    with pytest.raises(Refusal) as raised:
        asyncio.run(read_form(request, LIMITS))
    return raised.value


def test_a_form_without_its_length_or_too_large_or_malformed_is_refused() -> None:
    chunked = refusal_of(posted(b"title=x", {"content-type": "application/x-www-form-urlencoded"}))
    assert (chunked.kind, chunked.code) == (Kind.MALFORMED, "length_required")
    huge = refusal_of(posted(b"", {"content-type": "multipart/form-data; boundary=x", "content-length": "99999999"}))
    assert huge.kind == Kind.TOO_LARGE
    body = b"--x\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--x--\r\n"
    broken = refusal_of(posted(body, {"content-type": "multipart/form-data; boundary=x",
                                      "content-length": str(len(body))}))
    assert (broken.kind, broken.code) == (Kind.MALFORMED, "invalid_upload")
