"""Hostile input never yields a server error in submissions (issue #11, item 7): NUL bytes and other control
characters in any text of a work, a call or a withdrawal (JSON and page forms), integers outside PostgreSQL's range
and negative pages in queries and paths, path parts that are no edition. Each is refused with a stable code (4xx),
and a refusal changes nothing.

Edition 1372 is used by no other test."""

import re

import httpx
import pytest

from tests.support.submissions import (
    call_body,
    ensure_open_call,
    snapshot,
    wait_for_neighbourhoods,
    work_body,
)
from tests.support.system import System, bearer

EDITION = "1372"
CSRF = "hostile-input-csrf-token-of-forty-characters"  # the cookie is 32 characters at least


def code(response: httpx.Response) -> str:
    """Status and refusal code, e.g. '422 invalid_input'; never a server error. A NUL in the address is refused by
    the request guard every service runs (shared/web/guard.py) before a route sees it: that is the same refusal
    here, whatever its code says of where it was caught."""
    assert response.status_code < 500, response.text
    answer = f"{response.status_code} {response.json()['error']['code']}"
    return "422 invalid_input" if answer == "422 invalid_characters" else answer


@pytest.fixture(scope="module")
def scene(system: System) -> dict:
    """District 7's office, the default edition's call open, edition 1372 created, and one work of district 7."""
    wait_for_neighbourhoods(system)
    ensure_open_call(system)
    admin = bearer(system.token())
    created = httpx.post(f"{system.url('submissions')}/editions", json={"code": EDITION}, headers=admin)
    assert created.status_code == 201, created.text
    staff = system.district_staff_token(7)
    work = httpx.post(f"{system.url('submissions')}/works", json=work_body(7), headers=bearer(staff)).json()
    return {"admin": admin, "staff": staff, "work": work}


def with_member(team: dict) -> dict:
    return {"team": [{"name": "علی رضایی", "role": "هماهنگ‌کننده", **team}]}


def representative(**person: str) -> dict:
    base = {"name": "سارا مرادی", "national_id": "0499370899", "mobile": "09351112233", **person}
    return {"submitter": {"kind": "organisation", "code": "charity-x", "representative": base}}


HOSTILE_WORKS = {
    "nul-title": {"title": "باغچه\x00ی محله"}, "nul-summary": {"summary": "همسایه‌ها\x00 صندوق راه انداختند."},
    "nul-neighbourhood": {"neighbourhood": "نظام\x00آباد"}, "newline-neighbourhood": {"neighbourhood": "نظام آباد\n"},
    "nul-office": {"office": "بهار\x00"}, "nul-category": {"category": "wel\x00fare"},
    "newline-category": {"category": "welfare\n"}, "escape-title": {"title": "باغچه\x1b[31m محله"},
    "bell-summary": {"summary": "همسایه‌ها\x07 صندوق راه انداختند."}, "c1-office": {"office": "بهار\x85"},
    "escape-team-role": with_member({"role": "\x1b[2J"}), "delete-answer": {"answers": {"story": "پاسخ\x7f"}},
    "nul-name": {"submitter": {"name": "زهرا\x00", "national_id": "0499370899", "mobile": "09121234567"}},
    "nul-national-id": {"submitter": {"name": "زهرا", "national_id": "0499370899\x00", "mobile": "09121234567"}},
    "nul-team-name": with_member({"name": "علی\x00"}), "nul-team-role": with_member({"role": "\x00"}),
    "nul-answer": {"answers": {"story": "\x00"}}, "nul-question": {"answers": {"st\x00ory": "پاسخ"}},
    "nul-organisation-code": {"submitter": {"kind": "organisation", "code": "charity\x00",
                                            "representative": representative()["submitter"]["representative"]}},
    "nul-representative": representative(name="سارا\x00"),
    "huge-district": {"district": 99999999999999999999}, "huge-beneficiaries": {"beneficiaries": 2**63},
    "negative-beneficiaries": {"beneficiaries": -1}, "nul-edition": {"edition": "1405\x00"},
}


@pytest.mark.parametrize("overrides", HOSTILE_WORKS.values(), ids=HOSTILE_WORKS.keys())
def test_a_work_with_hostile_fields_is_refused_as_invalid(system: System, scene: dict, overrides: dict) -> None:
    before = snapshot(system)

    response = httpx.post(f"{system.url('submissions')}/works", json={**work_body(7), **overrides},
                          headers=bearer(scene["staff"]), timeout=10)

    assert code(response) == "422 invalid_input"
    assert snapshot(system) == before


HOSTILE_EDITS = {key: HOSTILE_WORKS[key] for key in ("nul-title", "nul-summary", "nul-neighbourhood", "nul-office",
                                                     "nul-category", "nul-name", "nul-team-name", "nul-answer",
                                                     "nul-representative", "huge-beneficiaries")}


@pytest.mark.parametrize("patch", HOSTILE_EDITS.values(), ids=HOSTILE_EDITS.keys())
def test_an_edit_with_hostile_fields_is_refused_and_changes_nothing(system: System, scene: dict,
                                                                    patch: dict) -> None:
    url = f"{system.url('submissions')}/works/{scene['work']['id']}"
    before = httpx.get(url, headers=bearer(scene["staff"])).json()

    assert code(httpx.patch(url, json=patch, headers=bearer(scene["staff"]), timeout=10)) == "422 invalid_input"
    assert code(httpx.post(f"{url}/withdraw", json={"reason": "انصراف\x00"}, headers=bearer(scene["staff"]),
                           timeout=10)) == "422 invalid_input"
    assert httpx.get(url, headers=bearer(scene["staff"])).json() == before


HOSTILE_CALLS = {
    "nul-category-name": {"categories": {"welfare": "رفاه\x00"}}, "nul-category-code": {"categories": {"we\x00": "x"}},
    "nul-question": {"questions": [{"code": "story", "text_fa": "داستان\x00 اثر را بنویسید"}]},
    "nul-office": {"offices": [{"district": 7, "neighbourhood": "بهار\x00"}]},
    "huge-office-district": {"offices": [{"district": 2**70, "neighbourhood": "بهار"}]},
    "nul-date": {"opens_on": "1405/01/01\x00"},
}


@pytest.mark.parametrize("overrides", HOSTILE_CALLS.values(), ids=HOSTILE_CALLS.keys())
def test_a_call_with_hostile_settings_is_refused_as_invalid(system: System, scene: dict, overrides: dict) -> None:
    before = snapshot(system)

    response = httpx.put(f"{system.url('submissions')}/editions/{EDITION}/call", json={**call_body(), **overrides},
                         headers=scene["admin"], timeout=10)

    assert code(response).startswith("422 ")
    assert snapshot(system) == before


def test_an_edition_with_a_nul_title_is_refused(system: System, scene: dict) -> None:
    for body in ({"code": "1373", "title_fa": "جشنواره\x00"}, {"code": "1373\n"}, {"code": "1373\x00"}):
        assert code(httpx.post(f"{system.url('submissions')}/editions", json=body,
                               headers=scene["admin"])) == "422 invalid_input"


@pytest.mark.parametrize("edition", ["%00", "1405%00", "1405%0A", "%1B", "x" * 300, "99999999999999999999",
                                     "%E2%80%AE1405"])
def test_an_edition_that_cannot_exist_in_a_path_is_refused_never_a_server_error(system: System, scene: dict,
                                                                                 edition: str) -> None:
    base = f"{system.url('submissions')}/editions/{edition}"
    answers = [httpx.get(base), httpx.put(f"{base}/call", json=call_body(), headers=scene["admin"]),
               httpx.post(f"{base}/call/open", headers=scene["admin"]),
               httpx.post(f"{base}/call/close", headers=scene["admin"])]

    assert [code(response) for response in answers] == ["422 invalid_input"] * 4


@pytest.mark.parametrize("query", [
    "district=99999999999999999999", "district=-1", "page=-1", "page=0", "page=99999999999999999999",
    "page_size=100000000000000000000", "page_size=-5", "neighbourhood=%00", "neighbourhood=%01", "category=wel%00fare",
    "category=welfare%0A", "status=%00", "status=%7F", "q=%00", "q=%1B%5B31m", "edition=1405%00", "edition=1405%0A",
    "possible_duplicate=%00"])
def test_a_list_or_export_asked_with_hostile_filters_is_refused_as_invalid(system: System, scene: dict,
                                                                           query: str) -> None:
    for path in ("/works", "/works/export.csv"):
        response = httpx.get(f"{system.url('submissions')}{path}?{query}", headers=scene["admin"], timeout=10)
        if path.endswith(".csv") and query.startswith(("page=", "page_size=")):
            assert response.status_code == 200  # the export has no pages: the parameter is not its
            continue
        assert code(response) == "422 invalid_input", (path, query)


# --- the pages ----------------------------------------------------------------------------------

def page(system: System, scene: dict, method: str, path: str, **kwargs) -> httpx.Response:
    """A page request from district 7's office, with the double-submit CSRF cookie and field."""
    cookies = {"hami_session": scene["staff"], "hami_csrf": CSRF}
    if "data" in kwargs:
        kwargs["data"] = {"csrf_token": CSRF, **kwargs["data"]}
    return httpx.request(method, f"{system.url('submissions')}{path}", cookies=cookies, timeout=30,
                         follow_redirects=False, **kwargs)


@pytest.mark.parametrize("query", [
    "district=99999999999999999999", "district=%C2%B2", "page=-1", "page=99999999999999999999", "page=%C2%B2",
    "q=%00", "neighbourhood=%00", "category=%00", "status=%00", "q=" + "%00" * 300])
def test_the_works_list_page_with_hostile_filters_is_never_a_server_error(system: System, scene: dict,
                                                                           query: str) -> None:
    response = page(system, scene, "GET", f"/office/works?{query}")

    assert response.status_code < 500, response.text
    assert "\x00" not in response.text


@pytest.mark.parametrize("query", ["district=%C2%B2", "district=" + "9" * 5000, "district=%00",
                                   "draft=%00", "district=-7"])
def test_the_entry_page_with_hostile_parameters_is_never_a_server_error(system: System, scene: dict,
                                                                       query: str) -> None:
    for path in ("/office/works/new", "/office/works/new/check"):
        response = page(system, scene, "GET", f"{path}?{query}")
        assert response.status_code < 500, (path, response.text)


@pytest.mark.parametrize("fields", [
    {"title": "باغچه\x00ی محله"}, {"summary": "\x00" * 20}, {"name": "زهرا\x00"}, {"neighbourhood": "\x00"},
    {"district": "²"}, {"district": "9" * 5000}, {"beneficiaries": "9" * 5000}, {"beneficiaries": "²"},
    {"office": "بهار\x00"}, {"team": "علی\x00"}, {"title": "باغچه\x1b[31m"}, {"mobile": "0912\x01"},
    {"draft": "\x00", "title": "\x00"}, {"keep": "\x00", "name": "\x00"}])
def test_the_entry_form_with_hostile_fields_is_shown_again_never_a_server_error(system: System, scene: dict,
                                                                               fields: dict) -> None:
    before = snapshot(system)
    form = {"district": "7", "category": "welfare", "title": "باغچه‌ی محله", "neighbourhood": "نظام آباد",
            "summary": "همسایه‌ها زمین خالی را باغچه کردند.", "name": "زهرا احمدی", "national_id": "0499370899",
            "mobile": "09121234567", **fields}

    response = page(system, scene, "POST", "/office/works/new", data=form)

    assert response.status_code == 422, response.text
    assert 'id="error-summary"' in response.text and snapshot(system) == before


@pytest.mark.parametrize("fields", [{"title": "باغچه\x00ی محله"}, {"summary": "\x00" * 20},
                                    {"beneficiaries": "9" * 5000}, {"name": "\x00"}])
def test_the_edit_and_withdraw_forms_with_hostile_fields_are_refused_on_the_form(system: System, scene: dict,
                                                                                 fields: dict) -> None:
    work = scene["work"]
    form = {"neighbourhood": work["neighbourhood"], "category": work["category"], "title": work["title"],
            "summary": work["summary"], "name": work["submitter"]["name"],
            "national_id": work["submitter"]["national_id"], "mobile": work["submitter"]["mobile"], **fields}
    before = snapshot(system)

    edited = page(system, scene, "POST", f"/office/works/{work['id']}/edit", data=form)
    withdrawn = page(system, scene, "POST", f"/office/works/{work['id']}/withdraw", data={"reason": "انصراف\x00"})

    assert (edited.status_code, withdrawn.status_code) == (422, 422), (edited.text, withdrawn.text)
    assert re.search(r"id=\"error-summary\"", edited.text) and snapshot(system) == before
