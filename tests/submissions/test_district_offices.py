"""Issue #12 item 5: a district's secretary prepares the neighbourhood festival offices of their own district for
an edition (open, staff, close) through HTTP, without rewriting the city-wide call and without touching other
districts' offices; other districts' staff and the district's committee members are refused, and refusals change
nothing. Editions 1310-1314 are used by no other test."""

import httpx
import pytest

from tests.support.personas import persona_token
from tests.support.submissions import NEIGHBOURHOODS, call_body, wait_for_neighbourhoods
from tests.support.system import System, bearer

STAFF = [{"name": "زهرا  احمدی", "phone": "۰۹۱۲ ۱۲۳ ۴۵۶۷"}, {"username": "staff.d07"}]


def url(system: System, path: str) -> str:
    return f"{system.url('submissions')}{path}"


def offices_url(system: System, edition: str, district: int, neighbourhood: str = "") -> str:
    return url(system, f"/editions/{edition}/districts/{district}/offices" + (f"/{neighbourhood}" if neighbourhood
                                                                              else ""))


def set_up_call(system: System, edition: str, **settings: object) -> dict:
    """An edition whose call city-wide staff set up (with an office in district 3); returns the call."""
    admin = bearer(system.token())
    assert httpx.post(url(system, "/editions"), json={"code": edition}, headers=admin).status_code == 201
    body = call_body(offices=[{"district": 3, "neighbourhood": NEIGHBOURHOODS[3]}], **settings)
    configured = httpx.put(url(system, f"/editions/{edition}/call"), json=body, headers=admin)
    assert configured.status_code == 200, configured.text
    return configured.json()


def public_call(system: System, edition: str) -> dict:
    response = httpx.get(url(system, f"/editions/{edition}"))
    assert response.status_code == 200, response.text
    return response.json()["call"]


def error_code(response: httpx.Response) -> str:
    return f"{response.status_code} {response.json()['error']['code']}"


@pytest.fixture(scope="module")
def tokens(system: System) -> dict[str, str]:
    wait_for_neighbourhoods(system)
    return {name: persona_token(system, name) for name in ("secretary.d07", "staff.d07", "member.d07", "staff.d12")}


def test_district_sevens_secretary_opens_staffs_and_closes_an_office(system: System, tokens: dict) -> None:
    before = set_up_call(system, "1310")
    secretary = bearer(tokens["secretary.d07"])
    hood = NEIGHBOURHOODS[7]

    opened = httpx.put(offices_url(system, "1310", 7, hood), json={"open": True, "staff": STAFF}, headers=secretary)

    assert opened.status_code == 200, opened.text
    office = opened.json()
    assert (office["name_fa"], office["district"], office["open"]) == (hood, 7, True)
    assert office["staff"] == [{"name": "زهرا احمدی", "username": None, "phone": "09121234567"},
                               {"name": None, "username": "staff.d07", "phone": None}]
    shown = public_call(system, "1310")
    assert [(o["district"], o["name_fa"]) for o in shown["offices"]] == [(3, NEIGHBOURHOODS[3]), (7, hood)]
    listed = httpx.get(offices_url(system, "1310", 7), headers=secretary)
    assert [(o["name_fa"], o["open"]) for o in listed.json()] == [(hood, True)]

    by_code = office["code"]  # the office can also be named by its neighbourhood's code
    closed = httpx.delete(offices_url(system, "1310", 7, by_code), headers=secretary)

    assert closed.status_code == 200, closed.text
    assert closed.json()["open"] is False and closed.json()["staff"] == office["staff"]  # kept for the record
    after = public_call(system, "1310")
    assert [(o["district"], o["name_fa"]) for o in after["offices"]] == [(3, NEIGHBOURHOODS[3])]
    assert {k: v for k, v in after.items() if k != "offices"} == {k: v for k, v in before.items() if k != "offices"}
    assert error_code(httpx.delete(offices_url(system, "1310", 7, hood), headers=secretary)) == "409 office_not_open"


@pytest.fixture(scope="module")
def refusing(system: System) -> str:
    """An edition whose call is set up, where every district-7 office request is refused."""
    set_up_call(system, "1311")
    return "1311"


def test_other_districts_and_the_districts_committee_members_are_refused(system: System, tokens: dict,
                                                                         refusing: str) -> None:
    hood, body = NEIGHBOURHOODS[7], {"open": True, "staff": STAFF}

    for caller in ("staff.d12", "member.d07", "staff.d07"):
        headers = bearer(tokens[caller])
        assert error_code(httpx.put(offices_url(system, "1311", 7, hood), json=body, headers=headers)) \
            == "403 not_district_staff", caller
        assert httpx.get(offices_url(system, "1311", 7), headers=headers).status_code == 403, caller
        assert httpx.delete(offices_url(system, "1311", 7, hood), headers=headers).status_code == 403, caller

    # District 7's secretary cannot touch district 3's offices (set by the city-wide call) either.
    secretary = bearer(tokens["secretary.d07"])
    assert error_code(httpx.delete(offices_url(system, "1311", 3, NEIGHBOURHOODS[3]), headers=secretary)) \
        == "403 not_district_staff"
    assert [o["district"] for o in public_call(system, "1311")["offices"]] == [3]


@pytest.mark.parametrize(("edition", "district", "neighbourhood", "body", "expected"), [
    ("1311", 7, NEIGHBOURHOODS[12], {}, "422 neighbourhood_not_in_district"),  # a district-12 neighbourhood
    ("1311", 7, "محله‌ای که نیست", {}, "422 neighbourhood_not_in_district"),
    ("1314", 7, NEIGHBOURHOODS[7], {}, "404 not_found"),  # no such edition
    ("1313", 7, NEIGHBOURHOODS[7], {}, "409 call_not_configured"),  # an edition whose call is not set up
    ("1311", 7, NEIGHBOURHOODS[7], {"staff": [{"phone": "09121234567"}]}, "422 invalid_office_staff"),
    ("1311", 7, NEIGHBOURHOODS[7], {"staff": [{"name": "علی", "phone": "تلفن"}]}, "422 invalid_office_staff"),
    ("1311", 7, NEIGHBOURHOODS[7], {"staff": [{"name": "علی\x00"}]}, "422 invalid_input"),
    ("1311", 7, NEIGHBOURHOODS[7], {"rewrite": "call"}, "422 invalid_input"),
    ("1311", 23, NEIGHBOURHOODS[7], {}, "422 invalid_input"),
])
def test_refusals_have_stable_codes_and_change_nothing(system: System, tokens: dict, refusing: str, edition: str,
                                                       district: int, neighbourhood: str, body: dict,
                                                       expected: str) -> None:
    if edition == "1313":
        created = httpx.post(url(system, "/editions"), json={"code": "1313"}, headers=bearer(system.token()))
        assert created.status_code in (201, 409)
    secretary = bearer(tokens["secretary.d07"])

    response = httpx.put(offices_url(system, edition, district, neighbourhood), json=body, headers=secretary)

    assert error_code(response) == expected
    assert httpx.get(offices_url(system, "1311", 7), headers=secretary).json() == []


def test_a_city_wide_call_change_that_names_no_offices_keeps_the_districts_offices(system: System,
                                                                                  tokens: dict) -> None:
    set_up_call(system, "1312")
    hood = NEIGHBOURHOODS[7]
    opened = httpx.put(offices_url(system, "1312", 7, hood), json={"staff": STAFF},
                       headers=bearer(tokens["secretary.d07"]))
    assert opened.status_code == 200, opened.text

    changed = httpx.put(url(system, "/editions/1312/call"), json=call_body(), headers=bearer(system.token()))

    assert changed.status_code == 200, changed.text
    assert [o["name_fa"] for o in changed.json()["offices"]] == [NEIGHBOURHOODS[3], hood]
    listed = httpx.get(offices_url(system, "1312", 7), headers=bearer(system.token()))  # city-wide staff see it too
    assert [(o["name_fa"], o["staff"][0]["name"]) for o in listed.json()] == [(hood, "زهرا احمدی")]
