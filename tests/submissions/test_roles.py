"""Roles mean what the festival means (issue #11, item 1), the cases the issue names, beside the matrix of
test_access.py: a district committee's member is an evaluator, not district staff, so they cannot rename, withdraw,
see, list or export the district's works (national IDs and mobiles with them), nor open its works' pages; jurors
and the jury's secretary neither; the district's office (its staff and its secretary) does all of it."""

import httpx
import pytest

from tests.support.files import PDF
from tests.support.personas import persona_token
from tests.support.submissions import ensure_open_call, wait_for_neighbourhoods, work_body
from tests.support.system import System, bearer

DISTRICT = 7
EVALUATORS = ("member.d07", "jury.juror", "jury.secretary")


@pytest.fixture(scope="module")
def tokens(system: System) -> dict[str, str]:
    """District 7's office and the evaluators signed in, with the default edition's call open."""
    wait_for_neighbourhoods(system)
    ensure_open_call(system)
    return {username: persona_token(system, username) for username in ("staff.d07", "secretary.d07", *EVALUATORS)}


def url(system: System, path: str) -> str:
    return f"{system.url('submissions')}{path}"


def district_7_work(system: System, token: str) -> dict:
    """A work of district 7 with a document, entered by its office."""
    work = httpx.post(url(system, "/works"), json=work_body(DISTRICT), headers=bearer(token), timeout=30)
    assert work.status_code == 201, work.text
    attached = httpx.post(url(system, f"/works/{work.json()['id']}/documents"), headers=bearer(token), timeout=30,
                          files={"file": ("گزارش.pdf", PDF, "application/pdf")})
    assert attached.status_code == 201, attached.text
    return httpx.get(url(system, f"/works/{work.json()['id']}"), headers=bearer(token)).json()


def answer(response: httpx.Response) -> str:
    """Status and refusal code."""
    return f"{response.status_code} {response.json()['error']['code']}"


def test_a_district_committee_member_cannot_rename_withdraw_see_list_or_export_district_7s_works(
        system: System, tokens: dict[str, str]) -> None:
    member = bearer(tokens["member.d07"])
    before = district_7_work(system, tokens["staff.d07"])
    work = url(system, f"/works/{before['id']}")

    renamed = httpx.patch(work, json={"title": "عنوانی که عضو کمیته گذاشت"}, headers=member)
    withdrawn = httpx.post(f"{work}/withdraw", json={"reason": "عضو کمیته پس گرفت"}, headers=member)
    seen = [httpx.get(f"{work}{part}", headers=member) for part in ("", "/history", "/documents")]
    listed = [httpx.get(url(system, f"/works{query}"), headers=member) for query in ("?district=7", "")]
    exported = [httpx.get(url(system, f"/works/export.csv{query}"), headers=member) for query in ("?district=7", "")]

    assert [answer(r) for r in (renamed, withdrawn, *seen)] == ["404 not_found"] * 5  # nothing of it leaks
    assert [r.status_code for r in (*listed, *exported)] == [403] * 4
    for response in (renamed, withdrawn, *seen, *listed, *exported):
        assert before["submitter"]["national_id"] not in response.text and before["title"] not in response.text
    after = httpx.get(work, headers=bearer(tokens["staff.d07"])).json()
    assert (after["title"], after["status"], after["updated_at"]) == (before["title"], "received", before["updated_at"])


def test_evaluators_get_no_works_page_form_or_desk_card(system: System, tokens: dict[str, str]) -> None:
    work = district_7_work(system, tokens["staff.d07"])
    expected = {f"/office/works/{work['id']}": 404, f"/office/works/{work['id']}/edit": 404,
                f"/office/works/{work['id']}/withdraw": 404, f"/office/works/{work['id']}/receipt": 404,
                "/office/works/new": 403, "/office/works": 403}
    for username in EVALUATORS:
        cookies = {"hami_session": tokens[username]}

        pages = {path: httpx.get(url(system, path), cookies=cookies, timeout=30) for path in expected}
        card = httpx.get(url(system, "/desk/card"), cookies=cookies, timeout=30)

        assert {path: r.status_code for path, r in pages.items()} == expected, username
        assert all(work["submitter"]["national_id"] not in r.text for r in pages.values()), username
        assert "برای شما در این بخش کاری نیست" in card.text, username


@pytest.mark.parametrize("username", ["staff.d07", "secretary.d07"])
def test_the_district_office_its_staff_and_its_secretary_enter_rename_and_withdraw(
        system: System, tokens: dict[str, str], username: str) -> None:
    headers = bearer(tokens[username])
    work = district_7_work(system, tokens[username])
    path = url(system, f"/works/{work['id']}")

    renamed = httpx.patch(path, json={"title": "عنوان درست‌شده‌ی دفتر منطقه"}, headers=headers)
    withdrawn = httpx.post(f"{path}/withdraw", json={"reason": "ارسال‌کننده انصراف داد"}, headers=headers)

    assert renamed.status_code == 200 and renamed.json()["title"] == "عنوان درست‌شده‌ی دفتر منطقه"
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    listed = httpx.get(url(system, f"/works?district={DISTRICT}&q={work['tracking_code']}"), headers=headers)
    assert [w["id"] for w in listed.json()["items"]] == [work["id"]]
