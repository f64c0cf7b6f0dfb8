"""Award certificates as PDF, end to end: the jury's proposals are published by a real council decision, the
certificate of an awarded work is rendered by evaluation (WeasyPrint, Vazirmatn embedded), turned into an image
with pdftoppm, its text extracted with pdftotext (Persian, in logical order), its QR code decoded with zxing-cpp;
the address it carries opens registry's public verification page, which confirms it against the festival ledger.
A work that was not awarded has no certificate and a made-up code does not verify.

Editions 1357 (published) and 1356 (proposed only) are used by no other test."""

import uuid
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from services.evaluation import db_council
from shared.db import make_engine
from shared.web.documents import AWARD, award_subject, document_code
from tests.support.browser import check_page
from tests.support.evaluation import council_decides
from tests.support.pdfs import poppler, qr_address
from tests.support.system import System, run
from tests.support.waiting import wait_for

EDITION, PROPOSED_ONLY = "1357", "1356"
TITLE = "باغ کوچک محله سیزده آبان"  # no ZWNJ or hamza: pdftotext gives those back in a different order


def propose(system: System, edition: str, category: str, awards: list[tuple[str, int, str]]) -> list[str]:
    """The awards tier 2's closing proposes (stored as it stores them); returns the works' ids in order."""
    ids = [str(uuid.uuid4()) for _ in awards]

    async def store() -> None:
        engine = make_engine(system.database("evaluation"), pool_size=1, max_overflow=0)
        try:
            async with engine.begin() as conn:
                await db_council.propose_awards(conn, edition=edition, category=category, awards_=[
                    {"work_id": work_id, "place": place, "district": district, "title": title}
                    for work_id, (place, district, title) in zip(ids, awards, strict=True)])
        finally:
            await engine.dispose()
    run(store())  # beside the browser's event loop
    return ids


@pytest.fixture(scope="module")
def awarded(system: System) -> dict:
    """Edition 1357's welfare awards published by the council; 1356's only proposed."""
    winner, mention = propose(system, EDITION, "welfare", [("first", 7, TITLE), ("honourable_mention", 12,
                                                                                  "دفتر مشق همسایه")])
    never = propose(system, PROPOSED_ONLY, "welfare", [("first", 3, "کارگاه دوخت محله")])[0]
    evaluation = system.url("evaluation")
    assert httpx.get(f"{evaluation}/certificates/{winner}.pdf", timeout=120).status_code == 404  # not yet
    council_decides(system, {"action": "approve_results", "edition": EDITION})
    wait_for(lambda: httpx.get(f"{evaluation}/results/{EDITION}").json(), timeout=60)
    return {"winner": winner, "mention": mention, "never": never}


def test_an_awarded_work_has_a_persian_certificate_whose_qr_code_the_registry_confirms(
        system: System, awarded: dict, browser: Browser, tmp_path: Path) -> None:
    response = httpx.get(f"{system.url('evaluation')}/certificates/{awarded['winner']}.pdf", timeout=180)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(response.content)

    fonts = poppler("pdffonts", str(pdf))
    assert "Vazirmatn" in fonts and "DejaVu" not in fonts  # the festival's font, embedded, no fallback
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # "emb" column
    text = poppler("pdftotext", "-layout", str(pdf), "-")
    assert TITLE in text  # Persian words come back whole and in reading order
    for words in ("لوح افتخار", "رفاه و خدمات اجتماعی", "۱۳۵۷", "۷"):
        assert words in text, words
    assert not any("\ufb50" <= ch <= "\ufeff" for ch in text.replace("\ufeff", ""))  # shaped by Pango, not by hand

    url = qr_address(pdf, "evaluation-certificate-pdf")
    code = url.rsplit("/", 1)[1]
    assert url == f"{system.url('registry')}/verify/{code}"
    assert code in text  # printed too, for those who type it
    assert code != document_code("another key", AWARD, award_subject(EDITION, "welfare", awarded["winner"], "first"))

    wait_for(lambda: httpx.get(url).status_code == 200, timeout=60)  # once the ledger archived the results
    page = browser.new_page()
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("این سند معتبر است")
    main = page.locator("main")
    for shown in (TITLE, "رتبهٔ اول", "رفاه و خدمات اجتماعی", "منطقهٔ ۷", "۱۳۵۷", code):
        expect(main).to_contain_text(shown)
    check_page(page, "registry-verify-genuine")
    page.close()


def test_an_honourable_mention_reads_as_one(system: System, awarded: dict, tmp_path: Path) -> None:
    response = httpx.get(f"{system.url('evaluation')}/certificates/{awarded['mention']}.pdf", timeout=180)
    assert response.status_code == 200
    (tmp_path / "mention.pdf").write_bytes(response.content)
    text = poppler("pdftotext", str(tmp_path / "mention.pdf"), "-")
    assert "تقدیرنامه" in text and "دفتر مشق همسایه" in text and "لوح افتخار" not in text


def test_a_work_without_a_published_award_has_no_certificate(system: System, awarded: dict) -> None:
    evaluation = system.url("evaluation")
    for work_id in (awarded["never"], str(uuid.uuid4())):  # proposed but never published; never awarded at all
        response = httpx.get(f"{evaluation}/certificates/{work_id}.pdf", timeout=60)
        assert response.status_code == 404
        assert "text/html" in response.headers["content-type"] and "پیدا نشد" in response.text


def test_hostile_certificate_addresses_are_not_found_never_a_server_error(system: System) -> None:
    evaluation = system.url("evaluation")
    for name in ("not-a-uuid.pdf", f"{uuid.uuid4()}.png", f"{uuid.uuid4()}", "%00.pdf", "x" * 5000 + ".pdf",
                 f"{uuid.uuid4()}%00.pdf", "..%2F..%2Fetc%2Fpasswd.pdf", "۱۲۳.pdf"):
        response = httpx.get(f"{evaluation}/certificates/{name}", timeout=60)
        # A NUL anywhere in the address is refused before any route, as on every service (422 invalid_characters).
        assert response.status_code == (422 if "%00" in name else 404), (name, response.status_code)


def test_a_made_up_or_mistyped_code_does_not_verify(system: System, awarded: dict, browser: Browser) -> None:
    registry = system.url("registry")
    page = browser.new_page()
    page.goto(f"{registry}/verify")
    expect(page.get_by_role("heading", level=1)).to_have_text("راستی‌آزمایی لوح و حکم")
    check_page(page, "registry-verify")

    page.fill("#field-code", "not a code")
    page.get_by_role("button", name="راستی‌آزمایی").click()
    expect(page.locator("#error-code")).to_be_visible()
    expect(page.locator("#field-code")).to_have_value("not a code")  # the form keeps what was typed
    check_page(page, "registry-verify-mistyped")

    made_up = document_code("a key nobody has", AWARD, award_subject(EDITION, "welfare", awarded["winner"], "first"))
    page.fill("#field-code", made_up.lower().replace("-", " "))  # typed loosely: still read as that code
    page.get_by_role("button", name="راستی‌آزمایی").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("این سند معتبر نیست")
    expect(page.locator("main")).to_contain_text(made_up)
    check_page(page, "registry-verify-not-genuine")
    page.close()
    assert httpx.get(f"{registry}/verify/{made_up}").status_code == 404


def test_hostile_verification_input_never_yields_a_server_error(system: System) -> None:
    registry = system.url("registry")
    for code in ("%00", "A" * 10_000, "AAAAA-AAAAA", "ZZZZZ-ZZZZZ", "M0000-00000", "'; DROP TABLE ledger; --",
                 "%E2%80%8F", "۱۲۳۴۵-۶۷۸۹۰"):
        assert httpx.get(f"{registry}/verify/{code}", timeout=60).status_code == (422 if "%00" in code else 404), code
    for typed in ("\x00", "A" * 10_000, "<script>", "AAAAA-AAAAA"):
        response = httpx.get(f"{registry}/verify", params={"code": typed}, timeout=60)
        assert response.status_code in ((422,) if "\x00" in typed else (303, 400)), (typed, response.status_code)
        assert "<script>" not in response.text
