"""Uploaded documents are typed by their content, limited in size, and named safely."""

import hashlib
import io
import random
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.submissions.documents.domain import check_document, check_room, clean_filename, sniff
from shared.errors import STATUS
from shared.refusals import Refusal
from tests.support.files import DOCX, EXE, JPEG, ODT, PDF, PNG, XLSX, package

MB = 1024 * 1024
ODS = package({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<office/>"})


@pytest.mark.parametrize(("content", "kind"), [(JPEG, "jpeg"), (PNG, "png"), (PDF, "pdf"), (DOCX, "docx"),
                                               (XLSX, "xlsx"), (ODT, "odt"), (ODS, "ods")])
def test_documents_are_typed_by_their_content(content: bytes, kind: str) -> None:
    assert sniff(content) == kind


@pytest.mark.parametrize("content", [EXE, b"GIF89a" + b"\x00" * 20, b"<html></html>",
                                     package({"evil.exe": EXE}), package({"mimetype": b"application/epub+zip"}),
                                     b"PK\x03\x04 broken zip", b""])
def test_other_content_is_not_a_document(content: bytes) -> None:
    assert sniff(content) is None


def test_an_accepted_document_carries_its_type_size_and_checksum() -> None:
    checked = check_document("C:\\Users\\staff\\گزارش طرح.PDF", PDF, max_bytes=MB)
    assert checked.filename == "گزارش طرح.PDF" and checked.kind == "pdf"
    assert checked.media_type == "application/pdf" and checked.size == len(PDF)
    assert checked.sha256 == hashlib.sha256(PDF).hexdigest()


@pytest.mark.parametrize(("name", "content", "status", "code"), [
    ("photo.jpg", PDF, 415, "file_type_mismatch"),  # a PDF renamed .jpg
    ("report.pdf", EXE, 415, "unsupported_file_type"),  # an executable named .pdf
    ("report.docx", ODT, 415, "file_type_mismatch"),
    ("big.pdf", PDF + b"\x00" * MB, 413, "file_too_large"),
    ("empty.pdf", b"", 422, "empty_file"),
    ("../../", PDF, 422, "invalid_filename"),
    (".pdf", PDF, 422, "invalid_filename"),
])
def test_disguised_oversized_and_nameless_files_are_refused(name: str, content: bytes, status: int, code: str) -> None:
    with pytest.raises(Refusal) as refused:
        check_document(name, content, max_bytes=MB)
    assert (STATUS[refused.value.kind], refused.value.code) == (status, code)
    assert refused.value.fa and refused.value.en


def test_file_names_lose_paths_and_control_characters() -> None:
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("a\x00b\r\n<c>.pdf") == "abc.pdf"
    assert clean_filename("گزارش\u200cنهایي.pdf") == "گزارش\u200cنهایی.pdf"
    long = clean_filename("ن" * 500 + ".docx")
    assert len(long) == 200 and long.endswith(".docx")


@given(st.binary(max_size=64))
def test_random_bytes_are_never_taken_for_a_photo_pdf_or_document_by_accident(content: bytes) -> None:
    kind = sniff(content)
    if kind is not None:
        assert content.startswith((b"\xff\xd8\xff", b"\x89PNG", b"%PDF-", b"PK\x03\x04"))


def test_a_work_holds_a_limited_number_of_documents() -> None:
    check_room(9, 10)
    with pytest.raises(Refusal) as refused:
        check_room(10, 10)
    assert refused.value.code == "too_many_documents" and refused.value.details == {"max_documents": 10}


# --- zip bombs and hostile names (issue #11, item 7) ---------------------------------------------

def many_entries(count: int) -> bytes:
    """A DOCX-looking package with `count` tiny entries."""
    return package({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>",
                    **{f"word/media/{index}.xml": b"x" for index in range(count - 2)}})


def one_big_entry(megabytes: int) -> bytes:
    """A DOCX-looking package whose document inflates from a few kilobytes to `megabytes` of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w") as entry:
            for _ in range(megabytes):
                entry.write(b"\x00" * MB)
    return buffer.getvalue()


def overlapping() -> bytes:
    """A package whose central directory names the same compressed bytes many times over (no entry is big, but
    together they inflate far beyond the package)."""
    noise = random.Random(7).randbytes(20_000)  # incompressible: the ratio alone would not refuse it
    content = bytearray(package({"[Content_Types].xml": b"<Types/>", "word/document.xml": noise}))
    directory = content.rindex(b"PK\x01\x02")  # the last entry's central directory record
    end = content.rindex(b"PK\x05\x06")
    record = bytes(content[directory:end])
    copies = [record.replace(b"word/document.xml", f"word/copy{index:04d}.xml".encode()) for index in range(60)]
    entries = int.from_bytes(content[end + 10:end + 12], "little") + len(copies)
    size = int.from_bytes(content[end + 12:end + 16], "little") + sum(len(c) for c in copies)
    tail = bytearray(content[end:])
    tail[8:10] = tail[10:12] = entries.to_bytes(2, "little")
    tail[12:16] = size.to_bytes(4, "little")
    return bytes(content[:end]) + b"".join(copies) + bytes(tail)


@pytest.mark.parametrize(("content", "reason"), [
    (many_entries(1001), "too_many_entries"),
    (one_big_entry(30), "inflates_too_much"),  # about 30 KB that would become 30 MB
    (overlapping(), "overlapping_entries"),
], ids=["many-entries", "one-entry-inflating-a-thousand-times", "overlapping-entries"])
def test_zip_bombs_are_refused_on_their_directory_before_anything_is_inflated(content: bytes, reason: str) -> None:
    assert len(content) < MB

    with pytest.raises(Refusal) as refused:
        check_document("report.docx", content, max_bytes=MB)

    assert (STATUS[refused.value.kind], refused.value.code) == (422, "unsafe_package")
    assert refused.value.details == {"reason": reason} and refused.value.fa and refused.value.en


def test_ordinary_office_documents_pass_the_package_checks() -> None:
    assert check_document("نامه.docx", many_entries(1000), max_bytes=MB).kind == "docx"
    text = "".join(f"<w:p><w:r><w:t>بند {i}: گزارش کار محله در هفته‌ی {i % 52}</w:t></w:r></w:p>"
                   for i in range(3000)).encode()  # inflates about twenty times, as word processors' XML does
    assert check_document("گزارش.docx", package({"[Content_Types].xml": b"<Types/>", "word/document.xml": text}),
                          max_bytes=MB).kind == "docx"
    for content, name in ((XLSX, "هزینه.xlsx"), (ODT, "صورتجلسه.odt"), (ODS, "جدول.ods")):
        check_document(name, content, max_bytes=MB)


@pytest.mark.parametrize(("given", "stored"), [
    ("\u202egpj.exe", "gpj.exe"),  # shown right to left as "exe.jpg"
    ("گزارش\u202e\u2066fdp.exe\u2069.pdf", "گزارشfdp.exe.pdf"),
    ("\u200fنامه\u200e.pdf", "نامه.pdf"),
    ("..\\..\\windows\\system32\\a.pdf", "a.pdf"),
    ("..／..／etc／passwd.pdf", "passwd.pdf"),  # full-width solidus: a slash once normalised
    ("a\u2028b.pdf", "ab.pdf"),
    ("\ud800گزارش.pdf", "گزارش.pdf"),  # a lone surrogate, as JSON's \\ud800 decodes
    ("گزارش\u200cنهایی.pdf", "گزارش\u200cنهایی.pdf"),  # the zero-width non-joiner of Persian stays
])
def test_file_names_lose_direction_overrides_and_path_parts(given: str, stored: str) -> None:
    assert clean_filename(given) == stored
    if stored.endswith(".pdf"):
        assert check_document(given, PDF, max_bytes=MB).filename == stored


@pytest.mark.parametrize("name", ["\u202e", "../", "\u2066\u2069", "/\u0000/", "..", "\u202e.pdf"])
def test_a_name_with_nothing_left_is_refused_never_stored_empty(name: str) -> None:
    with pytest.raises(Refusal) as refused:
        check_document(name, PDF, max_bytes=MB)
    assert refused.value.code == "invalid_filename"


@given(st.binary(max_size=300))
def test_any_bytes_after_a_zip_signature_are_refused_or_taken_never_an_error(tail: bytes) -> None:
    try:
        check_document("report.docx", b"PK\x03\x04" + tail, max_bytes=MB)
    except Refusal:
        pass
