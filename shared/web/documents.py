"""Documents people print and keep: certificates and letters rendered from HTML to PDF (WeasyPrint, which shapes
Persian with Pango), Vazirmatn embedded, a QR code (segno) to the public verification page, and the short code the
verification page checks against the festival ledger.

A short code is an HMAC of what the document certifies (its kind and subject) with the festival's document key:
nobody can make one from a work or appointment id, and the registry recomputes it for each award or appointment its
ledger holds to find what a code certifies. The first letter names the kind of document, so a lookup walks only
that kind of ledger event.
"""

import hashlib
import hmac
from pathlib import Path
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from shared.persian import to_ascii_digits
from shared.web.pages import STATIC

FONTS = STATIC / "vendor" / "vazirmatn-33.0.3"
# Crockford's base 32: no I, L, O or U, so a code read aloud or typed from paper is not mistaken.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})
CODE_LENGTH = 10  # the kind's letter and nine of the HMAC (45 bits): a guess verifies once in 35 trillion
AWARD, APPOINTMENT = "A", "M"
KINDS = {AWARD: "award", APPOINTMENT: "appointment"}


def document_code(key: str, kind: str, subject: str) -> str:
    """The short code of a document of a kind (AWARD, APPOINTMENT) about a subject, e.g. «A7K2Q-9XM4T»."""
    digest = hmac.new(key.encode(), f"{KINDS[kind]}:{subject}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    body = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(CODE_LENGTH - 1))
    code = kind + body
    return f"{code[:5]}-{code[5:]}"


def award_subject(edition: str, category: str, work_id: str, place: str) -> str:
    """What an award certificate certifies, as its code covers it."""
    return f"{edition}/{category}/{work_id}/{place}"


def appointment_subject(appointment_id: str) -> str:
    """What an appointment letter certifies, as its code covers it."""
    return str(appointment_id)


def read_code(text: str) -> str | None:
    """A code as someone typed it (any case, spaces or dashes, Persian digits, O for 0) in its printed form; None
    when it cannot be a document code at all."""
    if len(text) > 64:
        return None
    plain = "".join(ch for ch in to_ascii_digits(text).upper() if ch not in " -\u200c\t").translate(MISREAD)
    if len(plain) != CODE_LENGTH or plain[0] not in KINDS or any(ch not in ALPHABET for ch in plain):
        return None
    return f"{plain[:5]}-{plain[5:]}"


def same_code(a: str, b: str) -> bool:
    """Compare two codes in constant time."""
    return hmac.compare_digest(a.encode(), b.encode())


def absolute_url(request: Request, address: str) -> str:
    """An address a QR code can carry: the site's own when configured absolute (ports under `hami run`), else on
    this request's origin (one origin behind the proxy in compose)."""
    return address if address.startswith(("http://", "https://")) else str(request.base_url).rstrip("/") + address


def qr_svg_uri(url: str) -> str:
    """A QR code of an address as an SVG data URI, for an <img> in a PDF template."""
    import segno  # on first use: a process that never prints a document keeps its 1 MB (idle memory, issue #15)

    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=2, dark="#1f2a44")


def font_faces() -> Markup:
    """CSS @font-face rules for the vendored Vazirmatn TTFs (embedded in the PDF by WeasyPrint)."""
    faces = []
    for weight, name in ((400, "Vazirmatn-Regular.ttf"), (700, "Vazirmatn-Bold.ttf")):
        faces.append(f'@font-face {{ font-family: "Vazirmatn"; font-weight: {weight}; '
                     f'src: url("{(FONTS / name).as_uri()}") format("truetype"); }}')
    return Markup("\n".join(faces))  # CSS, not text: the template must not escape its quotes


def _write_pdf(html: str, base: Path) -> bytes:
    from weasyprint import HTML  # imported when first used: loading Pango takes a moment at start

    return HTML(string=html, base_url=str(base)).write_pdf()


async def render_pdf(html: str, base: Path = STATIC) -> bytes:
    """HTML to PDF off the event loop (WeasyPrint is CPU-bound and blocking)."""
    return await run_in_threadpool(_write_pdf, html, base)


def disposition(filename: str, *, inline: bool = False) -> str:
    """A Content-Disposition header with a Persian filename (RFC 5987 filename*) and an ASCII fallback."""
    fallback = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in filename)
    return (f"{'inline' if inline else 'attachment'}; filename=\"{fallback}\"; "
            f"filename*=UTF-8''{quote(filename, safe='')}")


def pdf_response(pdf: bytes, filename: str) -> Response:
    """A PDF shown in the browser (inline) under a Persian filename; private to whoever asked."""
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": disposition(filename, inline=True), "Cache-Control": "private, no-store"})
