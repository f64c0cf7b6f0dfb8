"""Works in figures: per district and category of an edition and per category across editions, as JSON and as a
page with charts; each person sees the districts they may list, withdrawn works are not counted."""

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.support.browser import check_page
from tests.support.submissions import central_staff_token, ensure_open_call, wait_for_neighbourhoods, work_body
from tests.support.submissions_pages import beside_the_browser, open_page, persian, signed_in
from tests.support.system import System, bearer

OLDER, NEWER = "1366", "1367"  # this module's own editions, so counts are exact
THREE = ("entrepreneurship", "welfare", "participation")


@pytest.fixture(scope="module")
def entered(system: System) -> None:
    """Two works in the older edition; in the newer one three in district 7 (one withdrawn) and one in district 3."""
    beside_the_browser(wait_for_neighbourhoods, system)
    plan = [(OLDER, 7, "welfare"), (OLDER, 3, "participation"), (NEWER, 7, "welfare"), (NEWER, 7, "welfare"),
            (NEWER, 7, "entrepreneurship"), (NEWER, 3, "participation")]
    for edition in (OLDER, NEWER):
        ensure_open_call(system, edition)
    created = []
    for edition, district, category in plan:
        response = httpx.post(f"{system.url('submissions')}/works", timeout=10,
                              json=work_body(district, edition=edition, category=category),
                              headers=bearer(system.district_staff_token(district)))
        assert response.status_code == 201, response.text
        created.append(response.json())
    withdrawn = httpx.post(f"{system.url('submissions')}/works/{created[4]['id']}/withdraw", timeout=10,
                           json={"reason": "صاحب اثر انصراف داد."}, headers=bearer(system.district_staff_token(7)))
    assert withdrawn.status_code == 200, withdrawn.text


def figures(system: System, token: str, **params: object) -> httpx.Response:
    return httpx.get(f"{system.url('submissions')}/works/figures", params=params, headers=bearer(token), timeout=10)


def test_the_central_secretariat_sees_every_district_of_an_edition_and_each_edition(system: System,
                                                                                    entered: None) -> None:
    found = figures(system, central_staff_token(system), edition=NEWER).json()
    assert found["edition"] == NEWER and {OLDER, NEWER} <= set(found["editions"])
    assert len(found["per_district"]) == 22
    # Other modules' calls may add categories of their own (shown with their counts, zero here): read the three.
    assert {c: found["per_district"]["7"][c] for c in THREE} == {"entrepreneurship": 0, "welfare": 2,
                                                                "participation": 0}
    assert found["per_district"]["3"]["participation"] == 1
    assert sum(sum(row.values()) for row in found["per_district"].values()) == 3  # the withdrawn one is left out
    assert {c: found["per_edition"][OLDER][c] for c in THREE} == {"entrepreneurship": 0, "welfare": 1,
                                                                  "participation": 1}
    assert found["categories"]["welfare"] == "رفاه و خدمات اجتماعی"


def test_district_staff_see_their_own_district_only_and_refusals_are_clear(system: System, entered: None) -> None:
    found = figures(system, system.district_staff_token(7), edition=NEWER).json()
    assert list(found["per_district"]) == ["7"] and found["per_district"]["7"]["welfare"] == 2
    assert {c: found["per_edition"][OLDER][c] for c in THREE} == {"entrepreneurship": 0, "welfare": 1,
                                                                  "participation": 0}
    other = figures(system, system.district_staff_token(7), district=3)
    assert other.status_code == 403 and other.json()["error"]["code"] == "not_district_staff"
    for hostile in ("1377' OR 1=1", "\x00", "9" * 500):
        assert figures(system, system.district_staff_token(7), edition=hostile).status_code == 422
    assert httpx.get(f"{system.url('submissions')}/works/figures", timeout=10).status_code == 401


def test_the_figures_page_draws_the_districts_and_the_editions(browser: Browser, system: System,
                                                              entered: None) -> None:
    context = signed_in(browser, system, central_staff_token(system))
    page = open_page(context, f"{system.url('submissions')}/office/figures?edition={persian(NEWER)}")
    expect(page.locator("h1")).to_have_text(f"آثار جشنوارهٔ {persian(NEWER)} در عدد")
    districts = page.locator("section[aria-labelledby='districts-heading']")
    expect(districts.locator("svg[role=img]")).to_have_attribute("aria-label",
                                                                 f"آثار جشنوارهٔ {persian(NEWER)} در هر منطقه")
    expect(districts.locator("svg text", has_text="منطقهٔ ۲۲")).to_have_count(1)
    page.click("summary:text('جدول همین ارقام')")
    expect(districts.locator("tr", has_text="منطقهٔ ۷").locator("td").last).to_have_text("۲")
    editions = page.locator("section[aria-labelledby='editions-chart-heading']")
    expect(editions.locator("svg[role=img]")).to_be_visible()
    expect(editions.locator("tr", has_text=persian(OLDER)).locator("td").last).to_have_text("۲")
    check_page(page, "submissions-figures")
    page.click(f"a:text('{persian(OLDER)}')")
    expect(page.locator("h1")).to_have_text(f"آثار جشنوارهٔ {persian(OLDER)} در عدد")
    context.close()

    clerk = signed_in(browser, system, system.district_staff_token(7))
    page = open_page(clerk, f"{system.url('submissions')}/office/works")
    page.click("text=آثار در نمودار")
    expect(page.locator("section[aria-labelledby='districts-heading'] svg text", has_text="منطقهٔ ۷")).to_have_count(1)
    expect(page.locator("section[aria-labelledby='districts-heading'] svg text", has_text="منطقهٔ ۳")).to_have_count(0)
    check_page(page, "submissions-figures-district")
    clerk.close()
