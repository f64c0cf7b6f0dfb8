"""An evaluator reads a work in submissions through the link evaluation's score-sheet page gives: the work's summary
(nothing of its submitter) and its documents, a PDF opened in the browser. The link's reading grant is the
permission: someone else signed in with it, another work, a tampered or missing grant all get the refusal page,
never a 500 and never a document."""

import uuid
from datetime import UTC, datetime

import httpx
import jwt
import pytest
from playwright.sync_api import Browser, expect

from shared.persian import to_persian_digits
from shared.reading_grants import reading_grant
from shared.settings import DEVELOPMENT_DOCUMENT_KEY
from tests.support.browser import check_page
from tests.support.files import PDF
from tests.support.submissions import ensure_open_call, wait_for_neighbourhoods, work_body
from tests.support.submissions_pages import beside_the_browser, open_page, signed_in
from tests.support.system import System, bearer

DISTRICT = 7
SUMMARY = "هر هفته غذای گرم برای سالمندان تنهای محله پخته و به خانه‌شان برده می‌شود."


@pytest.fixture(scope="module")
def work(system: System) -> dict:
    """A work of district 7 with a PDF, entered by its office."""
    beside_the_browser(wait_for_neighbourhoods, system)
    ensure_open_call(system)
    staff = bearer(system.district_staff_token(DISTRICT))
    body = work_body(DISTRICT, summary=SUMMARY)
    created = httpx.post(f"{system.url('submissions')}/works", json=body, headers=staff, timeout=30)
    assert created.status_code == 201, created.text
    attached = httpx.post(f"{system.url('submissions')}/works/{created.json()['id']}/documents", headers=staff,
                          timeout=30, files={"file": ("گزارش کار.pdf", PDF, "application/pdf")})
    assert attached.status_code == 201, attached.text
    return {**body, "id": created.json()["id"], "document": attached.json()}


@pytest.fixture(scope="module")
def jurors(system: System) -> list[tuple[str, str]]:
    """Two jurors: (token, subject) each."""
    found = []
    for i, name in enumerate(("نگار داوودی", "بهرام صالحی")):
        token = system.account_token(f"davar.khandan.{i}", "jury", "member", name)
        found.append((token, jwt.decode(token, options={"verify_signature": False})["sub"]))
    return found


def grant(work_id: str, subject: str) -> str:
    """The grant evaluation's page would give (the test system runs with the development document key)."""
    return reading_grant(DEVELOPMENT_DOCUMENT_KEY, uuid.UUID(work_id), subject, datetime.now(UTC))


def test_the_juror_reads_the_summary_and_opens_the_pdf_in_the_browser(system: System, browser: Browser, work: dict,
                                                                       jurors: list[tuple[str, str]]) -> None:
    token, subject = jurors[0]
    context = signed_in(browser, system, token)
    page = open_page(context, f"{system.url('submissions')}/evaluator/works/{work['id']}?grant="
                              f"{grant(work['id'], subject)}")
    expect(page.locator("h1")).to_have_text(to_persian_digits(work["title"]))
    expect(page.get_by_text(SUMMARY)).to_be_visible()
    assert work["submitter"]["national_id"] not in page.content()  # the submitter stays unknown to evaluators
    check_page(page, "submissions-evaluator-reading")

    link = page.get_by_role("link", name="گزارش کار.pdf")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.body() == PDF
    assert response.headers["content-disposition"].startswith("inline;")
    assert response.headers["content-security-policy"] == "sandbox"
    context.close()


@pytest.mark.parametrize("case", ["someone else's", "another work's", "tampered", "none", "hostile"])
def test_a_grant_that_is_not_yours_for_this_work_opens_nothing(system: System, work: dict,
                                                               jurors: list[tuple[str, str]], case: str) -> None:
    (token, _), (_, other) = jurors
    mine = grant(work["id"], jurors[0][1])
    given = {"someone else's": grant(work["id"], other), "another work's": grant(str(uuid.uuid4()), jurors[0][1]),
             "tampered": mine[:-1] + ("0" if mine[-1] != "0" else "1"), "none": "",
             "hostile": "١٢٣.' OR 1=1 --<script>"}[case]
    base = f"{system.url('submissions')}/evaluator/works/{work['id']}"
    for address in (base, f"{base}/documents/{work['document']['id']}"):
        response = httpx.get(address, params={"grant": given}, headers=bearer(token), timeout=30)
        assert response.status_code == 403, (address, response.status_code)
        assert "reading_grant_invalid" in response.text or "معتبر نیست" in response.text
        assert PDF not in response.content


def test_without_signing_in_the_reading_page_asks_for_it(system: System, work: dict,
                                                        jurors: list[tuple[str, str]]) -> None:
    response = httpx.get(f"{system.url('submissions')}/evaluator/works/{work['id']}",
                         params={"grant": grant(work["id"], jurors[0][1])}, timeout=30)
    assert response.status_code in (303, 307) and "sign-in" in response.headers["location"]
