"""A whole tier-1 round in a real browser. The round is set up as the other evaluation tests do (works over the
bus, the round opened through the JSON API); from then on only pages: committee members sign in, save a draft,
meet refusals at the fields, submit a sheet for every work, one declares a conflict of interest; the district's
secretary watches the progress, reassigns a work, reads the ranking with its explanations and closes the round.
The outcome is then checked through the JSON API. District 17 and edition 1374 are used by no other test."""

import asyncio
import re
import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
from playwright.sync_api import Browser, Page, expect

from shared.persian import to_persian_digits as fa
from shared.reading_grants import check_reading_grant
from shared.settings import DEVELOPMENT_DOCUMENT_KEY
from tests.support.browser import check_page
from tests.support.bus import publish_event
from tests.support.evaluation import council_decides
from tests.support.evaluation_pages import (
    CRITERIA,
    TITLES,
    Round,
    beside_the_browser,
    district_round,
    documents_attached,
    fill_sheet,
    jury_proposes,
    signed_in_at,
)
from tests.support.system import STAFF_PASSWORD, System
from tests.support.waiting import wait_for

DISTRICT, EDITION, CATEGORY = 17, "1374", "welfare"
SECRETARY_NAME = "نرگس احمدی"
PROPOSED = "1373"  # the jury's proposals the council reads (stored as tier 2's close stores them)
CENTRAL = ("karshenas.arzyabi.markazi", "پروین شریفی")
CHAIR = ("raees.shora.arzyabi", "مهدی توکلی")
CSRF = "evaluation-pages-hostile-csrf-token-forty-chars"
FULL = {"innovation": "۷", "social_impact": "8", "sustainability": "۶٫۵", "participation": "۹", "feasibility": "۵"}


@pytest.fixture(scope="module")
def round_(system: System) -> Round:
    """District 17's round of four works, five committee members, three evaluators per work."""
    return district_round(system, district=DISTRICT, edition=EDITION, category=CATEGORY,
                          secretary_name=SECRETARY_NAME)


def evaluation_url(round_: Round, path: str) -> str:
    """An evaluation page's address."""
    return f"{round_.system.url('evaluation')}{path}"


def score_of(round_: Round, member: int, title: str) -> str:
    """What a member gives every criterion of a work (members differ, works differ), in Persian digits."""
    return fa(str(3 + (TITLES.index(title) * 2 + member) % 7))


def submit_every_sheet(page: Page, round_: Round, member: int) -> int:
    """The member opens each of their works not yet submitted and submits its sheet; returns how many."""
    submitted = 0
    for work in round_.my_works(member):
        if work["sheet"] and work["sheet"]["state"] == "submitted":
            continue
        page.goto(evaluation_url(round_, f"/evaluator/rounds/{round_.round_id}/works/{work['work_id']}"))
        fill_sheet(page, {code: score_of(round_, member, work["title"]) for code in CRITERIA})
        page.get_by_role("button", name="ثبت نهایی برگه").click()
        expect(page.get_by_role("status")).to_contain_text("برگهٔ امتیاز ثبت نهایی شد.")
        submitted += 1
    return submitted


def test_committee_members_score_and_the_secretary_closes_the_round_in_the_browser(
        system: System, browser: Browser, round_: Round) -> None:
    rounds_url = evaluation_url(round_, "/evaluator/rounds")

    # A committee member signs in on the way to their rounds and sees their progress.
    member = signed_in_at(browser, rounds_url, round_.members[0][0])
    assigned = len(round_.my_works(0))
    expect(member.locator("main")).to_contain_text(f"{fa('0')} از {fa(str(assigned))} ارزیابی شد")
    check_page(member, "evaluation-evaluator-rounds")
    member.get_by_role("link", name=re.compile("رفاه و خدمات اجتماعی")).click()
    expect(member.get_by_role("heading", level=1)).to_contain_text("منطقهٔ ۱۷")
    expect(member.locator("tbody tr")).to_have_count(assigned)
    check_page(member, "evaluation-evaluator-round")

    # One work: a draft with some scores, then refusals at the fields, then the sheet keeps what was typed.
    work = round_.my_works(0)[0]
    member.get_by_role("link", name=work["title"]).click()
    expect(member.get_by_role("heading", level=1)).to_have_text(work["title"])
    expect(member.locator("main")).to_contain_text("اثر اجتماعی")
    expect(member.locator("main")).to_contain_text("(وزن ۳)")
    check_page(member, "evaluation-evaluator-work")
    # The link to the work's summary and documents in submissions carries a reading grant for this member and work
    # (submissions' side: tests/submissions/test_evaluator_reading.py).
    reading = member.get_by_role("link", name=re.compile("خواندن خلاصه و پیوست‌های اثر")).get_attribute("href")
    address = urlsplit(reading)
    assert address.path.endswith(f"/evaluator/works/{work['work_id']}")
    subject = jwt.decode(round_.members[0][2], options={"verify_signature": False})["sub"]
    check_reading_grant(DEVELOPMENT_DOCUMENT_KEY, parse_qs(address.query)["grant"][0], uuid.UUID(work["work_id"]),
                        subject, datetime.now(UTC))
    fill_sheet(member, {"innovation": "۷", "social_impact": "۸"})
    member.get_by_role("button", name="ذخیرهٔ پیش‌نویس").click()
    expect(member.get_by_role("status")).to_have_text("پیش‌نویس برگهٔ امتیاز ذخیره شد.")
    expect(member.locator("#field-score_innovation")).to_have_value("۷")
    draft = round_.api("GET", f"/rounds/{round_.round_id}/my-works", round_.members[0][2]).json()
    assert next(w for w in draft if w["work_id"] == work["work_id"])["sheet"]["scores"] == {
        "innovation": 7, "social_impact": 8}

    fill_sheet(member, {**FULL, "innovation": "۱۲", "feasibility": "خوب"})
    member.get_by_role("button", name="ثبت نهایی برگه").click()
    expect(member.locator("#error-score_feasibility")).to_have_text("یک عدد بنویسید.")
    expect(member.locator("#field-score_feasibility")).to_have_value("خوب")  # the form keeps what was typed
    fill_sheet(member, {"feasibility": "۵"})
    member.get_by_role("button", name="ثبت نهایی برگه").click()
    expect(member.locator("#error-score_innovation")).to_have_text("امتیاز بیرون از بازهٔ معیار است.")
    expect(member.locator("#error-summary")).to_contain_text("نوآوری")
    check_page(member, "evaluation-evaluator-work-refused")
    fill_sheet(member, {"innovation": "۷", "participation": ""})
    member.get_by_role("button", name="ثبت نهایی برگه").click()
    expect(member.locator("#error-score_participation")).to_have_text("برای ثبت نهایی، این معیار را امتیاز دهید.")

    # The member declares a conflict of interest with that work: a reason is needed; the work then leaves them.
    member.locator("summary", has_text="تعارض منافع دارم").click()
    member.get_by_role("button", name="اعلام تعارض منافع").click()
    expect(member.locator("#error-reason")).to_have_text("این بخش را پر کنید.")
    member.fill("#field-reason", "فرستندهٔ این اثر خواهرزادهٔ من است")
    member.get_by_role("button", name="اعلام تعارض منافع").click()
    expect(member.get_by_role("status")).to_contain_text("تعارض منافع شما ثبت شد")
    expect(member.locator("tr", has_text=work["title"])).to_contain_text("تعارض منافع")
    assert work["work_id"] not in {w["work_id"] for w in round_.my_works(0)}

    # The district's secretary watches the progress and reassigns a work from a member who has not scored it.
    secretary = signed_in_at(browser, evaluation_url(round_, "/rounds/manage"), round_.secretary[0])
    expect(secretary.locator("main")).to_contain_text(f"{fa('0')} از {fa('12')} برگه ثبت نهایی شد")
    check_page(secretary, "evaluation-manage-rounds")
    secretary.get_by_role("link", name=re.compile("منطقهٔ ۱۷")).click()
    expect(secretary.locator("svg[role=img]")).to_have_attribute("aria-label", "پیشرفت داوری به تفکیک داور")
    expect(secretary.locator("main")).to_contain_text(round_.members[1][1])
    check_page(secretary, "evaluation-manage-round-open")
    moved = round_.my_works(1)[0]
    secretary.get_by_role("link", name=f"سپردن به داور دیگر — {moved['title']}، {round_.members[1][1]}").click()
    expect(secretary.get_by_role("heading", level=1)).to_have_text("سپردن اثر به داور دیگر")
    secretary.get_by_role("button", name="سپردن اثر").click()
    expect(secretary.locator("#error-to_person")).to_have_text("داور تازه را از فهرست انتخاب کنید.")
    expect(secretary.locator("#error-reason")).to_have_text("این بخش را پر کنید.")
    options = secretary.locator("#field-to_person option").all_inner_texts()
    taker = next(i for i in range(2, 5) if round_.members[i][1] in options)
    secretary.select_option("#field-to_person", label=round_.members[taker][1])
    secretary.fill("#field-reason", "داور در سفر است و تا پایان مهلت برنمی‌گردد")
    check_page(secretary, "evaluation-manage-reassign")
    secretary.get_by_role("button", name="سپردن اثر").click()
    expect(secretary.get_by_role("status")).to_have_text("اثر به داور تازه سپرده شد.")
    expect(secretary.locator("main")).to_contain_text("داور در سفر است")
    assert moved["work_id"] in {w["work_id"] for w in round_.my_works(taker)}

    # Closing before every sheet is in is refused on the page, as is a quorum close before the deadline.
    secretary.get_by_role("button", name="بستن دور و ثبت نتیجه").click()
    expect(secretary.locator("#error-summary")).to_contain_text("همهٔ برگه‌های امتیاز هنوز ثبت نهایی نشده‌اند.")
    secretary.get_by_role("button", name="بستن با حد نصاب (پس از مهلت)").click()
    expect(secretary.locator("#error-summary")).to_contain_text("پیش از مهلت دور، بستن با حد نصاب ممکن نیست.")

    # Every member submits a sheet for each of their works, through the pages.
    total = submit_every_sheet(member, round_, 0)
    for index in range(1, len(round_.members)):
        page = signed_in_at(browser, rounds_url, round_.members[index][0])
        total += submit_every_sheet(page, round_, index)
        page.goto(rounds_url)
        mine = len(round_.my_works(index))
        expect(page.locator("main")).to_contain_text(f"{fa(str(mine))} از {fa(str(mine))} ارزیابی شد")
        page.context.close()
    assert total == 12

    # The secretary reads the ranking with its explanations and closes the round.
    secretary.goto(evaluation_url(round_, f"/rounds/manage/{round_.round_id}"))
    expect(secretary.locator("main")).to_contain_text(f"{fa('12')} از {fa('12')} برگه ثبت نهایی شد")
    ranking = secretary.get_by_role("table", name=re.compile("رتبه‌بندی آثار"))
    expect(ranking.locator("tbody tr")).to_have_count(4)
    expect(ranking).to_contain_text("در سهمیهٔ ۳ اثر است")
    expect(ranking).to_contain_text("بیرون از سهمیهٔ ۳ اثر است")
    secretary.get_by_role("button", name="بستن دور و ثبت نتیجه").click()
    expect(secretary.get_by_role("status")).to_have_text("دور داوری بسته شد و نتیجهٔ آن ثبت شد.")
    expect(secretary.get_by_role("heading", name="رتبه‌بندی نهایی")).to_be_visible()
    expect(secretary.get_by_role("button", name="بستن دور و ثبت نتیجه")).to_have_count(0)
    check_page(secretary, "evaluation-manage-round-closed")
    shown = ranking.locator("tbody th").all_inner_texts()

    # The JSON API tells the same story.
    closed = round_.api("GET", "/rounds", round_.secretary[1]).json()
    assert next(r for r in closed if r["id"] == round_.round_id)["state"] == "closed"
    final = round_.api("GET", f"/rounds/{round_.round_id}/ranking", round_.secretary[1]).json()
    assert [p["advanced"] for p in final] == [True, True, True, False]
    titles = {str(w.work_id): w.title for w in round_.works}
    assert len(shown) == len(final)
    assert all(text.startswith(titles[p["work_id"]]) for p, text in zip(final, shown, strict=True))  # same order
    assert round_.projected("SELECT count(*) FROM conflicts WHERE work_id = $1", uuid.UUID(work["work_id"])) == 1
    assert round_.projected("SELECT count(*) FROM assignments WHERE round_id = $1 AND ended_reason = $2",
                            uuid.UUID(round_.round_id), "داور در سفر است و تا پایان مهلت برنمی‌گردد") == 1
    frozen = round_.api("PUT", f"/rounds/{round_.round_id}/works/{moved['work_id']}/sheet", round_.members[taker][2],
                        {"scores": {}, "submit": False})
    assert frozen.status_code == 409


def test_the_central_secretariat_receives_the_selections_and_opens_the_jury_round_in_the_browser(
        system: System, browser: Browser, round_: Round) -> None:
    system.account_token(CENTRAL[0], "central-secretariat", "staff", CENTRAL[1])
    page = signed_in_at(browser, evaluation_url(round_, "/secretariat/receipts"), CENTRAL[0])
    row = page.locator("tr", has_text=f"جشنوارهٔ {fa(EDITION)}")
    expect(row).to_contain_text("۳ بی‌مدرک")
    check_page(page, "evaluation-secretariat-receipts")
    row.get_by_role("button").click()
    expect(page.locator("#error-summary")).to_contain_text("مدارک برخی آثار برگزیده نرسیده است")
    advanced = [p["work_id"] for p in round_.api("GET", f"/rounds/{round_.round_id}/ranking",
                                                 round_.secretary[1]).json() if p["advanced"]]
    for work in round_.works:
        if str(work.work_id) in advanced:
            beside_the_browser(lambda w=work: asyncio.run(publish_event(system.amqp_url, documents_attached(w))))
    wait_for(lambda: round_.projected("SELECT count(*) FROM works WHERE district = $1 AND edition = $2 "
                                      "AND documents > 0", DISTRICT, EDITION) == 3)
    page.goto(evaluation_url(round_, "/secretariat/receipts"))  # not a reload: that would post the form again
    row.get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text("۳ اثر به هیئت داوران رفت")
    expect(row).to_contain_text("دریافت شد")
    assert round_.projected("SELECT count(*) FROM works WHERE district = $1 AND edition = $2 "
                            "AND status = 'with_jury'", DISTRICT, EDITION) == 3

    # Opening the jury's round: refusals at the fields, then the use case's answer (the jurors decide which).
    page.get_by_role("link", name="دور هیئت داوران را باز کنید").click()
    page.fill("#field-edition", fa(EDITION))
    page.select_option("#field-category", CATEGORY)
    page.fill("#field-deadline", "فردا")
    page.fill("#field-k", "۰")
    page.get_by_role("button", name="باز کردن دور").click()
    expect(page.locator("#error-deadline")).to_be_visible()
    expect(page.locator("#error-k")).to_have_text("عدد کوچک‌تر از حد مجاز است.")
    expect(page.locator("#field-deadline")).to_have_value("فردا")
    check_page(page, "evaluation-secretariat-jury-rounds-refused")
    page.fill("#field-deadline", "۱۳۷۴/۱۲/۲۰")
    page.fill("#field-k", "۳")
    page.get_by_role("button", name="باز کردن دور").click()
    central = system.token(CENTRAL[0], STAFF_PASSWORD)
    jury = [r for r in round_.api("GET", "/rounds", central).json() if r["tier"] == 2 and r["edition"] == EDITION]
    if jury:  # jurors of other tests were appointed: the round opened and is listed with its progress
        expect(page.get_by_role("status")).to_contain_text("دور هیئت داوران باز شد")
        expect(page.locator("main")).to_contain_text(f"جشنوارهٔ {fa(EDITION)}")
    else:  # no juror in this system: the use case's refusal, the form as typed
        expect(page.locator("#error-summary")).to_contain_text("داوران بدون تعارض منافع برای این آثار کافی نیستند.")
        expect(page.locator("#field-deadline")).to_have_value("۱۳۷۴/۱۲/۲۰")
    check_page(page, "evaluation-secretariat-jury-rounds")


def test_the_council_reads_the_jurys_proposals_and_finds_the_certificates_once_published(
        system: System, browser: Browser, round_: Round) -> None:
    jury_proposes(system, PROPOSED, {"participation": [("first", 13, "باغچهٔ مشترک محله"),
                                                       ("second", 4, "کتابخانهٔ کوچه")]})
    system.account_token(CHAIR[0], "policy-council", "chair", CHAIR[1])
    url = evaluation_url(round_, f"/council/proposals/{fa(PROPOSED)}")
    page = signed_in_at(browser, url, CHAIR[0])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"پیشنهاد هیئت داوران — جشنوارهٔ {fa(PROPOSED)}")
    table = page.locator("table", has_text="باغچهٔ مشترک محله")
    expect(table.locator("tbody tr").first).to_contain_text("رتبهٔ اول")
    expect(table).to_contain_text("منطقهٔ ۱۳")
    approve = page.get_by_role("link", name="صدور مصوبهٔ تأیید نتایج")
    assert approve.get_attribute("href").endswith(f"/council/decisions/new?action=approve_results&edition={PROPOSED}")
    expect(page.get_by_role("link", name=re.compile("لوح تقدیر"))).to_have_count(0)
    check_page(page, "evaluation-council-proposals")

    council_decides(system, {"action": "approve_results", "edition": PROPOSED})
    wait_for(lambda: httpx.get(evaluation_url(round_, f"/results/{PROPOSED}")).json())
    page.reload()
    expect(page.locator("main")).to_contain_text("منتشر شد")
    expect(approve).to_have_count(0)
    certificates = page.get_by_role("link", name=re.compile("لوح تقدیر"))
    expect(certificates).to_have_count(2)
    assert re.search(r"/certificates/[0-9a-f-]{36}\.pdf$", certificates.first.get_attribute("href"))
    check_page(page, "evaluation-council-proposals-published")

    staff = signed_in_at(browser, evaluation_url(round_, f"/council/proposals/{PROPOSED}"), round_.members[1][0])
    expect(staff.locator("main")).to_contain_text("شما اجازهٔ این کار را ندارید.")


def test_the_desk_card_lists_my_rounds_and_the_rounds_i_manage(system: System, browser: Browser,
                                                               round_: Round) -> None:
    secretary = signed_in_at(browser, f"{system.url('registry')}/desk", round_.secretary[0])
    card = secretary.locator("section", has=secretary.get_by_role("heading", name="داوری آثار"))
    expect(card).to_contain_text("دور داوری بازی برای شما نیست.")  # the district's round is closed now
    check_page(secretary, "evaluation-desk-card")
    fragment = httpx.get(evaluation_url(round_, "/staff/desk-card"), cookies={"hami_session": round_.secretary[1]})
    assert fragment.status_code == 200 and "دور داوری بازی برای شما نیست." in fragment.text
    assert "وارد سامانه شوید" in httpx.get(evaluation_url(round_, "/staff/desk-card")).text


def test_hostile_input_on_the_evaluation_pages_never_gives_a_server_error(system: System, round_: Round) -> None:
    member, secretary = round_.members[2][2], round_.secretary[1]
    work = round_.works[0].work_id
    base = f"/evaluator/rounds/{round_.round_id}/works/{work}"
    asked = [
        ("GET", "/evaluator/rounds/not-a-round", member, None),
        ("GET", f"/evaluator/rounds/{uuid.uuid4()}", member, None),
        ("GET", f"/evaluator/rounds/{round_.round_id}/works/{uuid.uuid4()}", member, None),
        ("POST", f"{base}/sheet", member, {"score_innovation": "nan", "comment": "a\x00b", "action": "submit"}),
        ("POST", f"{base}/sheet", member, {"score_innovation": "1e309", "comment": "x" * 100_000}),
        ("POST", f"{base}/conflict", member, {"reason": "\x00" * 5000}),
        ("GET", f"/rounds/manage/{round_.round_id}/reassign?work=%00&from={'z' * 5000}", secretary, None),
        ("POST", f"/rounds/manage/{round_.round_id}/reassign", secretary,
         {"work": str(work), "from": str(uuid.uuid4()), "to_person": "\x00", "reason": "ok ok"}),
        ("POST", f"/rounds/manage/{uuid.uuid4()}/close", secretary, {"quorum": "yes"}),
        ("POST", "/secretariat/receipts", secretary, {"edition": "\x00" * 100, "category": "x" * 10_000}),
        ("POST", "/secretariat/jury-rounds", secretary, {"edition": "۱۳۷۴", "category": "\x00", "k": "9" * 400}),
        ("GET", "/council/proposals/%00", secretary, None),
        ("GET", f"/council/proposals/{'۱' * 3000}", secretary, None),
    ]
    for method, path, token, data in asked:
        response = httpx.request(method, evaluation_url(round_, path), timeout=30, follow_redirects=False,
                                 cookies={"hami_session": token, "hami_csrf": CSRF},
                                 data={"csrf_token": CSRF, **data} if data is not None else None)
        assert response.status_code < 500, (method, path, response.status_code, response.text[:300])
        if method == "POST":
            assert response.status_code in (400, 403, 404, 409, 422), (path, response.status_code)
    unsigned = httpx.post(evaluation_url(round_, f"{base}/sheet"), data={"action": "draft"},
                          cookies={"hami_session": member}, timeout=30)
    assert unsigned.status_code == 403  # no CSRF token: refused before anything is read
