"""Documents over HTTP: attached to a work, typed by their content, limited in size and number, stored with
the work, and downloaded only by those who may see it."""

import hashlib
import io
import uuid
import zipfile
from urllib.parse import quote

import httpx
import pytest

from tests.support.files import DOCX, EXE, JPEG, ODT, PDF, PNG, XLSX
from tests.support.submissions import (
    central_staff_token,
    count,
    ensure_open_call,
    error_of,
    snapshot,
    wait_for_neighbourhoods,
    wait_for_status,
    work_body,
)
from tests.support.system import System, bearer

MB = 1024 * 1024


@pytest.fixture
def staff(system: System) -> dict:
    """District 7 staff headers, with the default edition's call open."""
    wait_for_neighbourhoods(system)
    ensure_open_call(system)
    return bearer(system.district_staff_token(7))


@pytest.fixture
def work(system: System, staff: dict) -> dict:
    """A fresh work of district 7."""
    response = httpx.post(f"{system.url('submissions')}/works", json=work_body(), headers=staff)
    assert response.status_code == 201, response.text
    return response.json()


def documents_url(system: System, work: dict, suffix: str = "") -> str:
    return f"{system.url('submissions')}/works/{work['id']}/documents{suffix}"


def attach(system: System, work: dict, headers: dict, name: str, content: bytes,
           declared: str = "application/octet-stream") -> httpx.Response:
    return httpx.post(documents_url(system, work), headers=headers, files={"file": (name, content, declared)},
                      timeout=30)


def test_photos_pdfs_and_office_documents_are_attached_and_downloaded_intact(
        system: System, staff: dict, work: dict) -> None:
    files = {"عکس جلسه.jpg": JPEG, "نقشه.png": PNG, "گزارش.pdf": PDF, "فهرست.docx": DOCX, "هزینه‌ها.xlsx": XLSX,
             "صورتجلسه.odt": ODT}
    attached = []
    for name, content in files.items():
        response = attach(system, work, staff, name, content, declared="text/plain")  # the declared type is ignored
        assert response.status_code == 201, response.text
        attached.append(response.json())
    assert [d["kind"] for d in attached] == ["jpeg", "png", "pdf", "docx", "xlsx", "odt"]
    listed = httpx.get(documents_url(system, work), headers=staff).json()
    assert [d["filename"] for d in listed] == list(files)
    central = bearer(central_staff_token(system))  # the central secretariat keeps every document
    for document, content in zip(listed, files.values(), strict=True):
        assert document["sha256"] == hashlib.sha256(content).hexdigest() and document["size_bytes"] == len(content)
        for headers in (staff, central):
            download = httpx.get(documents_url(system, work, f"/{document['id']}"), headers=headers)
            assert download.status_code == 200 and download.content == content
            assert download.headers["content-type"].startswith(document["media_type"])
            assert download.headers["x-content-type-options"] == "nosniff"
            assert "attachment" in download.headers["content-disposition"]
    changes = count(system, "SELECT count(*) FROM outbox WHERE event_type = 'submissions.work.changed' "
                            "AND payload->>'work_id' = $1 AND payload::jsonb->'changed' ? 'documents'", work["id"])
    assert changes == len(files)


@pytest.mark.parametrize(("name", "content", "status", "code"), [
    ("photo.jpg", PDF, 415, "file_type_mismatch"),  # a PDF renamed .jpg
    ("report.pdf", EXE, 415, "unsupported_file_type"),  # an executable named .pdf
    ("notes.txt", b"just text", 415, "unsupported_file_type"),
    ("empty.pdf", b"", 422, "empty_file"),
])
def test_disguised_and_empty_files_are_refused_and_nothing_is_stored(
        system: System, staff: dict, work: dict, name: str, content: bytes, status: int, code: str) -> None:
    before = snapshot(system)
    error_of(attach(system, work, staff, name, content, declared="application/pdf"), status, code)
    assert snapshot(system) == before


def test_an_oversized_file_is_refused_before_it_is_stored(system: System, staff: dict, work: dict) -> None:
    before = snapshot(system)
    big = PDF + b"\x00" * (10 * MB)

    error = error_of(attach(system, work, staff, "big.pdf", big), 413, "file_too_large")

    assert error["details"]["max_bytes"] == 10 * MB
    just_over = PDF + b"\x00" * (10 * MB - len(PDF) + 1)  # over by one byte, inside the multipart allowance
    error_of(attach(system, work, staff, "over.pdf", just_over), 413, "file_too_large")
    assert snapshot(system) == before
    error_of(httpx.post(documents_url(system, work), headers=staff, content=PDF), 415, "multipart_required")
    error_of(httpx.post(documents_url(system, work), headers=staff, files={"other": ("a.pdf", PDF)}),
             422, "file_required")


def test_a_work_has_at_most_ten_documents_and_removal_keeps_the_archive(
        system: System, staff: dict, work: dict) -> None:
    for index in range(10):
        assert attach(system, work, staff, f"page-{index}.pdf", PDF + bytes([index])).status_code == 201
    before = snapshot(system)
    error_of(attach(system, work, staff, "page-10.pdf", PDF), 409, "too_many_documents")
    assert snapshot(system) == before
    first = httpx.get(documents_url(system, work), headers=staff).json()[0]

    removed = httpx.delete(documents_url(system, work, f"/{first['id']}"), headers=staff)

    assert removed.status_code == 204
    assert len(httpx.get(documents_url(system, work), headers=staff).json()) == 9
    error_of(httpx.get(documents_url(system, work, f"/{first['id']}"), headers=staff), 404, "not_found")
    assert count(system, "SELECT count(*) FROM documents WHERE id = $1 AND removed_at IS NOT NULL",
                 uuid.UUID(first["id"])) == 1  # the bytes stay in the festival's archive
    assert attach(system, work, staff, "page-10.pdf", PDF).status_code == 201


def test_another_districts_staff_can_neither_read_nor_attach(system: System, staff: dict, work: dict) -> None:
    document = attach(system, work, staff, "گزارش.pdf", PDF).json()
    other = bearer(system.district_staff_token(12))
    central = bearer(central_staff_token(system))
    before = snapshot(system)

    error_of(attach(system, work, other, "x.pdf", PDF), 404, "not_found")
    error_of(httpx.get(documents_url(system, work), headers=other), 404, "not_found")
    error_of(httpx.get(documents_url(system, work, f"/{document['id']}"), headers=other), 404, "not_found")
    error_of(httpx.delete(documents_url(system, work, f"/{document['id']}"), headers=other), 404, "not_found")
    error_of(attach(system, work, central, "x.pdf", PDF), 403, "not_district_staff")
    error_of(httpx.get(documents_url(system, work, f"/{document['id']}")), 401, "not_authenticated")
    assert snapshot(system) == before


def test_documents_are_attached_only_while_the_call_is_open(system: System, staff: dict) -> None:
    ensure_open_call(system, "1382")
    work = httpx.post(f"{system.url('submissions')}/works", json=work_body(edition="1382"), headers=staff).json()
    document = attach(system, work, staff, "report.pdf", PDF).json()
    httpx.post(f"{system.url('submissions')}/editions/1382/call/close", headers=bearer(system.token()))
    wait_for_status(system, work["id"], "in_district_evaluation")  # the close opens the district's rounds
    before = snapshot(system)

    error_of(attach(system, work, staff, "late.pdf", PDF), 409, "work_not_editable")
    error_of(httpx.delete(documents_url(system, work, f"/{document['id']}"), headers=staff), 409, "work_not_editable")

    assert snapshot(system) == before
    assert httpx.get(documents_url(system, work, f"/{document['id']}"), headers=staff).content == PDF


def test_a_zip_bomb_is_refused_and_a_hostile_name_is_neutralised_and_served_as_an_attachment(
        system: System, staff: dict, work: dict) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (50 * MB))  # 50 MB of zeros in about 50 KB
    before = snapshot(system)

    refused = error_of(attach(system, work, staff, "گزارش.docx", bomb.getvalue()), 422, "unsafe_package")

    assert refused["details"] == {"reason": "inflates_too_much"} and snapshot(system) == before
    attached = attach(system, work, staff, "..\\..\\گزارش\u202efdp.exe\u2069.pdf", PDF)
    assert attached.status_code == 201, attached.text
    assert attached.json()["filename"] == "گزارشfdp.exe.pdf"
    download = httpx.get(documents_url(system, work, f"/{attached.json()['id']}"), headers=staff)
    disposition = download.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=\"")
    assert disposition.endswith(f"filename*=UTF-8''{quote('گزارشfdp.exe.pdf', safe='')}")
    assert download.headers["x-content-type-options"] == "nosniff" and download.content == PDF
