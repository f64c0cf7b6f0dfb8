"""Appointment letters as PDF and their public verification: the festival secretary appoints a person to a
committee; the person (and city-wide staff, not others) downloads the letter, whose text comes out in Persian and
whose QR code leads to the public verification page, which finds the appointment in the festival ledger; once the
appointment ends the page says so. Unknown appointments and hostile ids are not found, never a server error."""

import base64
import json
import uuid
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.support.browser import check_page
from tests.support.pdfs import poppler, qr_address
from tests.support.system import System, bearer
from tests.support.waiting import wait_for

BODY, NAME = "committee-welfare", "نرگس احمدی"


def subject_of(token: str) -> str:
    """The person id a token was issued to."""
    claims = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))["sub"]


@pytest.fixture(scope="module")
def appointed(system: System) -> dict:
    """A member of the welfare committee, appointed by the festival secretary, with the appointment's id."""
    token = system.account_token("nameh.hokm.01", BODY, "member", NAME)
    person_id = subject_of(token)
    record = httpx.get(f"{system.url('registry')}/people/{person_id}", headers=bearer(token)).json()
    held = [m for m in record["memberships"] if m["body"] == BODY]
    assert held, record
    return {"token": token, "appointment_id": held[0]["appointment_id"]}


def letter(system: System, appointment_id: str, token: str | None) -> httpx.Response:
    """Ask for an appointment's letter (as someone, or nobody)."""
    return httpx.get(f"{system.url('registry')}/organisation/appointments/{appointment_id}/letter.pdf",
                     headers=bearer(token) if token else {}, timeout=180)


def test_the_person_appointed_gets_a_letter_whose_qr_code_the_registry_confirms(
        system: System, appointed: dict, browser: Browser, tmp_path: Path) -> None:
    response = letter(system, appointed["appointment_id"], appointed["token"])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(response.content)
    assert "Vazirmatn" in poppler("pdffonts", str(pdf))
    text = poppler("pdftotext", str(pdf), "-")
    for words in ("حکم انتصاب", NAME, "عضو", "دفتر دبیر"):
        assert words in text, words

    url = qr_address(pdf, "registry-appointment-letter-pdf")
    code = url.rsplit("/", 1)[1]
    assert url == f"{system.url('registry')}/verify/{code}" and code.startswith("M") and code in text

    wait_for(lambda: httpx.get(url).status_code == 200, timeout=60)  # once the ledger archived the appointment
    page = browser.new_page()
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("این سند معتبر است")
    main = page.locator("main")
    for shown in ("حکم انتصاب", NAME, "عضو", "این انتصاب هنوز برقرار است"):
        expect(main).to_contain_text(shown)
    check_page(page, "registry-verify-letter")

    ended = httpx.delete(f"{system.url('registry')}/bodies/{BODY}/members/{appointed['appointment_id']}",
                         headers=bearer(system.token()))
    assert ended.status_code == 204, ended.text
    wait_for(lambda: "پایان یافته" in httpx.get(url).text, timeout=60)
    page.close()


def test_city_wide_staff_may_read_a_letter_and_nobody_else(system: System, appointed: dict) -> None:
    assert letter(system, appointed["appointment_id"], system.token()).status_code == 200  # the festival secretary
    other = system.district_staff_token(9)
    refused = letter(system, appointed["appointment_id"], other)
    assert refused.status_code == 404 and "پیدا نشد" in refused.text  # nothing tells them the appointment exists
    anonymous = letter(system, appointed["appointment_id"], None)
    assert anonymous.status_code == 303 and "/sign-in" in anonymous.headers["location"]


def test_unknown_and_hostile_appointment_ids_are_not_found(system: System) -> None:
    token = system.token()
    for appointment_id in (str(uuid.uuid4()), "not-a-uuid", "%00", "x" * 5000, "1' OR '1'='1", "۱۲۳"):
        response = letter(system, appointment_id, token)
        expected = 422 if "%00" in appointment_id else 404  # NUL: refused before any route, as everywhere
        assert response.status_code == expected, (appointment_id, response.status_code)
