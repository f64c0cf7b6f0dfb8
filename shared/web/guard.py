"""Hostile requests stopped before any route runs: oversized or too deeply nested JSON, NUL bytes in the URL.

Pure ASGI (it must see the body before FastAPI parses it: Python's JSON parser recurses, so a body of a hundred
thousand brackets would end in a RecursionError and a 500). Refusals use the common error shape.
"""

import json
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import STATUS
from shared.refusals import Kind, Refusal

MAX_JSON_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 32
# A page's form post (url-encoded; uploads are multipart and checked by their own limits): far above any form.
MAX_FORM_BYTES = 1024 * 1024
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def json_depth(body: bytes) -> int:
    """How deeply the arrays and objects of a JSON text nest (brackets inside strings do not count)."""
    depth = deepest = 0
    for bracket in _STRINGS.sub(b'""', body).translate(None, _NOT_BRACKETS):
        depth += 1 if bracket in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


def too_large(limit: int) -> Refusal:
    """A JSON body over the limit."""
    return Refusal(Kind.TOO_LARGE, "request_too_large", f"حجم درخواست بیش از {limit // 1024} کیلوبایت است.",
                   f"The request body is larger than {limit // 1024} KiB.", {"max_bytes": limit})


def too_deep(limit: int) -> Refusal:
    """A JSON body nested deeper than any request of ours needs."""
    return Refusal(Kind.INVALID, "request_too_deep", "ساختار درخواست بیش از اندازه تودرتو است.",
                   f"The request nests deeper than {limit} levels.", {"max_depth": limit})


def control_characters() -> Refusal:
    """A NUL byte in the path or the query string."""
    return Refusal(Kind.INVALID, "invalid_characters", "نشانی درخواست نویسهٔ نامعتبر دارد.",
                   "The request's address holds a NUL character.")


class RequestGuard:
    """ASGI middleware: refuse a NUL in the URL, JSON bodies over MAX_JSON_BYTES or MAX_JSON_DEPTH, and pages' form
    posts over MAX_FORM_BYTES (otherwise Starlette's own parser answers a huge field with a bare 400)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int = MAX_JSON_BYTES, max_depth: int = MAX_JSON_DEPTH) -> None:
        self.app, self.max_bytes, self.max_depth = app, max_bytes, max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if "\x00" in scope["path"] or b"%00" in scope["query_string"] or b"\x00" in scope["query_string"]:
            return await _refuse(send, control_characters())
        kind = _body_kind(scope)
        if kind is None:
            return await self.app(scope, receive, send)
        body, refusal = await self._read(receive, self.max_bytes if kind == "json" else MAX_FORM_BYTES)
        if refusal is None and kind == "json" and json_depth(body) > self.max_depth:
            refusal = too_deep(self.max_depth)
        if refusal is not None:
            return await _refuse(send, refusal)
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive, limit: int) -> tuple[bytes, Refusal | None]:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"", None  # the client went away: nothing to answer
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return b"", too_large(limit)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), None


def _body_kind(scope: Scope) -> str | None:
    """'json' or 'form' for a body the guard reads first; None for anything else (uploads check their own size)."""
    if scope["method"] in ("GET", "HEAD", "OPTIONS"):
        return None
    content_type = dict(scope["headers"]).get(b"content-type", b"").split(b";")[0].strip().lower()
    if content_type.endswith(b"json"):
        return "json"
    return "form" if content_type == b"application/x-www-form-urlencoded" else None


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the body read already once, then waits on the real one (for disconnects)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}
    return replay


async def _refuse(send: Send, refusal: Refusal) -> None:
    payload = json.dumps(refusal.body(), ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": STATUS[refusal.kind],
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})
