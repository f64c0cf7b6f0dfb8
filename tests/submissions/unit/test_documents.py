"""Uploaded documents are typed by their content, limited in size, and named safely."""

import hashlib

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
