"""Evaluation's spreadsheets: a tier-1 round's ranking with its scores and explanations and its score sheets (each
evaluator's scores per criterion), for the round's managers; an edition's published results, for everyone. As
CSV (UTF-8 with a byte-order mark) and XLSX (opened with openpyxl: Persian text intact, numbers as numbers,
right-to-left). Others are refused as the JSON routes refuse them; hostile addresses are not found.

District 8 and editions 1359 (the round) and 1358 (published results) are used by no other test."""

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from services.evaluation import db_council
from shared.db import make_engine
from tests.support.downloads import csv_of, sheet_of
from tests.support.evaluation import council_decides
from tests.support.evaluation_pages import CRITERIA, MEMBER_NAMES, TITLES, Round, district_round
from tests.support.system import System, bearer
from tests.support.waiting import wait_for

DISTRICT, EDITION, RESULTS_EDITION = 8, "1359", "1358"  # district 8: no other module's works or committees


def download(system: System, path: str, token: str | None = None) -> httpx.Response:
    """Ask evaluation for an export (as someone, or nobody)."""
    return httpx.get(f"{system.url('evaluation')}{path}", headers=bearer(token) if token else {}, timeout=120)


@pytest.fixture(scope="module")
def scored(system: System) -> Round:
    """District 8's welfare round: every member submits each of their sheets but one, which stays a draft."""
    setup = district_round(system, district=DISTRICT, edition=EDITION, category="welfare",
                           secretary_name="پروین دلاوری")
    for member in range(len(setup.members)):
        for n, work in enumerate(setup.my_works(member)):
            scores = {code: float((member + n + i) % 11) for i, code in enumerate(CRITERIA)}
            draft = member == 0 and n == 0
            path = f"/rounds/{setup.round_id}/works/{work['work_id']}/sheet"
            saved = setup.api("PUT", path, setup.members[member][2],
                              {"scores": scores, "comment": "خوب", "submit": not draft})
            assert saved.status_code == 200, saved.text
    return setup


def test_the_round_ranking_as_xlsx_and_csv_for_its_secretary(system: System, scored: Round) -> None:
    secretary = scored.secretary[1]
    rows = sheet_of(download(system, f"/exports/rounds/{scored.round_id}/ranking.xlsx", secretary))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["رتبه", "عنوان اثر", "شناسهٔ اثر"] and "امتیاز نرمال‌شده" in header
    assert "خام: نوآوری" in header and "توضیح" in header
    assert sorted(r[1] for r in body) == sorted(TITLES)
    assert [r[0] for r in body] == sorted(r[0] for r in body) and all(isinstance(r[0], int) for r in body)
    raw = header.index("امتیاز خام")
    assert all(isinstance(r[raw], int | float) for r in body)
    assert {r[header.index("راه یافت")] for r in body} <= {"بله", "خیر"}
    assert all(r[header.index("توضیح")] for r in body)

    table = csv_of(download(system, f"/exports/rounds/{scored.round_id}/ranking.csv", secretary))
    assert table[0][0] == "رتبه" and sorted(row[1] for row in table[1:]) == sorted(TITLES)


def test_the_score_sheets_hold_each_evaluators_scores_per_criterion(system: System, scored: Round) -> None:
    rows = sheet_of(download(system, f"/exports/rounds/{scored.round_id}/sheets.xlsx", scored.secretary[1]))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["داور", "عنوان اثر", "شناسهٔ اثر", "وضعیت برگه"]
    assert "نوآوری" in header and "امکان‌پذیری" in header
    assert len(body) == len(TITLES) * 3  # k = 3 evaluators per work
    assert {r[0] for r in body} <= set(MEMBER_NAMES)
    innovation = header.index("نوآوری")
    assert all(isinstance(r[innovation], int | float) for r in body)
    assert sorted(r[3] for r in body).count("پیش‌نویس") == 1
    table = csv_of(download(system, f"/exports/rounds/{scored.round_id}/sheets.csv", scored.secretary[1]))
    assert table[0][0] == "داور" and len(table) == len(body) + 1


def test_only_the_rounds_managers_get_its_spreadsheets(system: System, scored: Round) -> None:
    member = scored.members[1][2]
    other = system.district_secretary_token(DISTRICT - 1)
    for name in ("ranking.xlsx", "sheets.csv"):
        assert download(system, f"/exports/rounds/{scored.round_id}/{name}", member).status_code == 403
        assert download(system, f"/exports/rounds/{scored.round_id}/{name}", other).status_code == 403
        anonymous = download(system, f"/exports/rounds/{scored.round_id}/{name}")
        assert anonymous.status_code == 303 and "/sign-in" in anonymous.headers["location"]
    assert download(system, f"/exports/rounds/{uuid.uuid4()}/ranking.csv", scored.secretary[1]).status_code == 404


def test_published_results_as_xlsx_and_csv_for_everyone(system: System) -> None:
    async def propose() -> None:
        engine = make_engine(system.database("evaluation"), pool_size=1, max_overflow=0)
        try:
            async with engine.begin() as conn:
                await db_council.propose_awards(conn, edition=RESULTS_EDITION, category="participation", awards_=[
                    {"work_id": str(uuid.uuid4()), "place": place, "district": district, "title": title}
                    for place, district, title in (("second", 4, "کتابخانهٔ کوچه"), ("first", 13, "باغچهٔ مشترک"))])
        finally:
            await engine.dispose()
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, propose()).result()
    council_decides(system, {"action": "approve_results", "edition": RESULTS_EDITION})
    wait_for(lambda: httpx.get(f"{system.url('evaluation')}/results/{RESULTS_EDITION}").json(), timeout=60)

    rows = sheet_of(download(system, f"/exports/results/{RESULTS_EDITION}.xlsx"))
    assert rows[0][:5] == ["رشته", "جایگاه", "عنوان اثر", "شناسهٔ اثر", "منطقه"]
    assert [r[:3] for r in rows[1:]] == [["مشارکت‌های مردمی", "رتبهٔ اول", "باغچهٔ مشترک"],
                                          ["مشارکت‌های مردمی", "رتبهٔ دوم", "کتابخانهٔ کوچه"]]
    assert [r[4] for r in rows[1:]] == [13, 4]
    table = csv_of(download(system, "/exports/results/۱۳۵۸.csv"))  # Persian digits in the address
    assert table[1][2] == "باغچهٔ مشترک"


def test_hostile_export_addresses_are_not_found_never_a_server_error(system: System, scored: Round) -> None:
    secretary = scored.secretary[1]
    for path in ("/exports/rounds/not-a-uuid/ranking.csv", f"/exports/rounds/{scored.round_id}/ranking.pdf",
                 f"/exports/rounds/{scored.round_id}/secrets.csv", f"/exports/rounds/{'x' * 5000}/sheets.xlsx",
                 "/exports/rounds/%00/ranking.csv", f"/exports/rounds/{scored.round_id}/ranking.csv%00",
                 "/exports/results/abc.csv", "/exports/results/1358.txt", "/exports/results/%00.xlsx",
                 f"/exports/results/{'1' * 5000}.csv", "/exports/results/.csv"):
        # A NUL anywhere in the address is refused before any route, as on every service (422 invalid_characters).
        assert download(system, path, secretary).status_code == (422 if "%00" in path else 404), path
