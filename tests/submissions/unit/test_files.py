"""Uploaded documents are typed by their content, limited in size, and named safely; plus the tracking
lookup's rate limiter and the CSV export's cells."""

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.submissions.export import BOM, HEADER, render, safe_cell
from services.submissions.filetypes import check_document, clean_filename, sniff
from services.submissions.ratelimit import TokenBucketLimiter
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


# --- rate limiter -------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_allowed_then_requests_wait_for_the_refill() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(per_minute=6, burst=3, clock=clock)
    assert [limiter.retry_after("1.2.3.4") for _ in range(3)] == [0, 0, 0]
    assert limiter.retry_after("1.2.3.4") == 10  # one token per 10 s
    assert limiter.retry_after("5.6.7.8") == 0  # another client has its own bucket
    clock.now += 10
    assert limiter.retry_after("1.2.3.4") == 0
    assert limiter.retry_after("1.2.3.4") > 0


def test_the_limiter_forgets_the_least_recent_clients_beyond_its_size() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(per_minute=1, burst=1, max_keys=2, clock=clock)
    for client in ("a", "b", "c"):
        assert limiter.retry_after(client) == 0
    assert limiter.retry_after("c") > 0 and limiter.retry_after("a") == 0  # 'a' was forgotten: a full bucket


@given(st.lists(st.floats(min_value=0, max_value=30), max_size=50))
def test_no_client_gets_more_than_the_burst_plus_the_refill(gaps: list[float]) -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(per_minute=12, burst=4, clock=clock)
    start, allowed = clock.now, 0
    for gap in gaps:
        clock.now += gap
        allowed += limiter.take("x") == 0.0
    assert allowed <= 4 + (clock.now - start) * 12 / 60 + 1e-9


# --- CSV export ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "cell"), [("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+98912", "'+98912"),
                                             ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("باغچه", "باغچه"),
                                             (None, ""), (12, "12")])
def test_cells_that_look_like_formulas_are_neutralised(value: object, cell: str) -> None:
    assert safe_cell(value) == cell


def test_the_export_starts_with_a_bom_and_quotes_what_needs_it() -> None:
    text = BOM + render([HEADER, ["a,b", 'say "hi"', "سطر\nدوم"]])
    data = text.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    assert '"a,b","say ""hi""","سطر\nدوم"\r\n' in text
