"""Pure rules of documents: the type is read from the content (magic bytes), never trusted from the name or
the declared media type; sizes, names and how many a work may have."""

import hashlib
import io
import struct
import unicodedata
import zipfile
from dataclasses import dataclass

from shared.persian import normalize_text
from shared.refusals import Kind, Refusal

# kind -> (media type, file name extensions that may carry it)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "jpeg": ("image/jpeg", (".jpg", ".jpeg")),
    "png": ("image/png", (".png",)),
    "pdf": ("application/pdf", (".pdf",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "odt": ("application/vnd.oasis.opendocument.text", (".odt",)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (".ods",)),
}
_OPEN_DOCUMENT = {"application/vnd.oasis.opendocument.text": "odt",
                  "application/vnd.oasis.opendocument.spreadsheet": "ods"}
_OOXML_PARTS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}
MAX_FILENAME = 200
# A ZIP package (DOCX, XLSX, ODT, ODS) is judged on its central directory before anything reads it further: real
# office documents have tens of entries that inflate a few times over; a zip bomb has many entries, entries that
# inflate hundreds of times over, or entries that overlap to reuse the same compressed bytes.
MAX_ENTRIES = 1000
MAX_RATIO = 100  # uncompressed bytes per byte of the package
MAX_UNCOMPRESSED = 200 * 1024 * 1024
# Characters that turn the direction of text (a name shown as "exe.pdf" that is "fdp.exe") or end a line; the
# zero-width non-joiner of Persian names (U+200C) is kept.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class CheckedDocument:
    """An upload that passed every check, with what is stored about it."""

    filename: str
    kind: str
    media_type: str
    size: int
    sha256: str


def sniff(content: bytes) -> str | None:
    """The document kind the bytes really are (jpeg, png, pdf, docx, xlsx, odt, ods), or None."""
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"PK\x03\x04"):
        return _sniff_zip(content)
    return None


def _sniff_zip(content: bytes) -> str | None:
    """Office documents are ZIP packages: read only the directory and the tiny mimetype entry, never inflate
    anything large (no zip bomb gets expanded here)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = set(package.namelist())
            if "mimetype" in names:
                info = package.getinfo("mimetype")
                if info.file_size <= 100:
                    kind = _OPEN_DOCUMENT.get(package.read(info).decode("ascii", "replace").strip())
                    if kind and "content.xml" in names:
                        return kind
            if "[Content_Types].xml" in names:
                return next((kind for part, kind in _OOXML_PARTS.items() if part in names), None)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, OSError, EOFError):
        return None
    return None


def clean_filename(filename: str | None) -> str:
    """A display-safe file name: its base name only (after NFKC, so a full-width solidus is a path separator too),
    without control characters or direction overrides, normalised, at most 200 characters."""
    name = unicodedata.normalize("NFKC", "".join(c for c in filename or "" if unicodedata.category(c) != "Cs"))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c) != "Cc" and c not in BIDI_CONTROLS and c not in '<>:"|?*')
    name = normalize_text(name)
    if len(name) > MAX_FILENAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_FILENAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:MAX_FILENAME]
    return name


def check_document(filename: str | None, content: bytes, *, max_bytes: int) -> CheckedDocument:
    """Size, real type (from the content) and a name whose extension agrees with that type; refusals coded."""
    if len(content) > max_bytes:
        raise too_large(max_bytes)
    if not content:
        raise Refusal(Kind.INVALID, "empty_file", "پرونده خالی است.", "The file is empty.")
    name = clean_filename(filename)
    if not name or name.startswith("."):
        raise Refusal(Kind.INVALID, "invalid_filename", "نام پرونده معتبر نیست.", "The file name is not valid.")
    if content.startswith(b"PK\x03\x04"):
        check_package(content)
    kind = sniff(content)
    if kind is None:
        raise Refusal(Kind.UNSUPPORTED, "unsupported_file_type",
                       "فقط عکس (JPEG، PNG)، PDF و سند اداری (DOCX، XLSX، ODT، ODS) پذیرفته می‌شود.",
                       "Only photos (JPEG, PNG), PDF and office documents (DOCX, XLSX, ODT, ODS) are accepted.",
                       sorted(KINDS))
    media_type, extensions = KINDS[kind]
    if not name.lower().endswith(extensions):
        raise Refusal(Kind.UNSUPPORTED, "file_type_mismatch", "پسوند نام پرونده با محتوای آن یکی نیست.",
                       f"The file's name does not match its content ({kind}).",
                       {"detected": kind, "expected_extensions": list(extensions)})
    return CheckedDocument(filename=name, kind=kind, media_type=media_type, size=len(content),
                           sha256=hashlib.sha256(content).hexdigest())


def unsafe_package(reason: str) -> Refusal:
    """A ZIP package that would inflate far beyond its size, has too many entries or overlapping ones (a zip
    bomb); `reason` says which."""
    return Refusal(Kind.INVALID, "unsafe_package",
                   "این سند فشرده ساختار غیرعادی دارد (پرونده‌های بسیار یا حجم بازشده‌ی بسیار زیاد) و پذیرفته نمی‌شود.",
                   "This document's package is abnormal (too many entries, or it inflates far beyond its size).",
                   {"reason": reason})


def _declared_entries(content: bytes) -> int | None:
    """How many entries the package's end-of-central-directory record declares (read without parsing the
    directory itself), None when there is no such record."""
    at = content.rfind(b"PK\x05\x06", max(0, len(content) - 65_557))
    if at < 0 or at + 22 > len(content):
        return None
    return struct.unpack_from("<H", content, at + 10)[0]


def check_package(content: bytes) -> None:
    """Refuse a ZIP package that has too many entries, would inflate more than MAX_RATIO times its size or past
    MAX_UNCOMPRESSED, or whose entries overlap (sizes taken from the central directory; nothing is inflated)."""
    declared = _declared_entries(content)
    if declared is not None and MAX_ENTRIES < declared < 0xFFFF:  # 0xFFFF: ZIP64, the directory counts them
        raise unsafe_package("too_many_entries")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            entries = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, RuntimeError, struct.error,
            NotImplementedError):
        return  # not a package anyone can open: sniffing refuses it as an unsupported type
    if len(entries) > MAX_ENTRIES:
        raise unsafe_package("too_many_entries")
    inflated = sum(entry.file_size for entry in entries)
    if inflated > MAX_UNCOMPRESSED or inflated > MAX_RATIO * len(content):
        raise unsafe_package("inflates_too_much")
    if sum(entry.compress_size for entry in entries) > len(content):
        raise unsafe_package("overlapping_entries")


def too_large(max_bytes: int) -> Refusal:
    """413: the upload is over the size limit."""
    megabytes = max_bytes / (1024 * 1024)
    return Refusal(Kind.TOO_LARGE, "file_too_large", f"حجم پرونده بیش از {megabytes:g} مگابایت است.",
                    f"The file is larger than {megabytes:g} MB.", {"max_bytes": max_bytes})


def check_room(attached: int, max_per_work: int) -> None:
    """A work holds at most `max_per_work` documents (removed ones not counted)."""
    if attached >= max_per_work:
        raise Refusal(Kind.CONFLICT, "too_many_documents", f"هر اثر حداکثر {max_per_work} پیوست دارد.",
                      f"A work has at most {max_per_work} documents.", {"max_documents": max_per_work})
