"""Staff lists and CSV exports, each as the caller's role may see, and the public status lookup by
tracking code and mobile number: rate limited, nothing personal, one 404 for every mismatch."""

import csv
import io
import uuid

import httpx
import pytest

from tests.support.submissions import (
    central_staff_token,
    ensure_open_call,
    error_of,
    wait_for_neighbourhoods,
    work_body,
)
from tests.support.system import System, bearer

EDITION = "1383"  # this module's own edition, so counts are exact


@pytest.fixture(scope="module")
def works(system: System) -> dict[str, dict]:
    """Works of districts 3, 7 and 12 in the module's edition, by a short name."""
    wait_for_neighbourhoods(system)
    ensure_open_call(system, EDITION)
    bodies = {
        "garden": work_body(7, edition=EDITION, category="participation", title="باغچه‌ی مشترک کوچه"),
        "loans": work_body(7, edition=EDITION, category="welfare", title="صندوق قرض الحسنه بانوان"),
        "bakery": work_body(7, edition=EDITION, category="entrepreneurship", neighbourhood="بهار",
                            title="=نانوایی محلي"),
        "library": work_body(3, edition=EDITION, category="participation", title="کتابخانه‌ی کوچک محله"),
        "clinic": work_body(12, edition=EDITION, category="welfare", title="درمانگاه خیریه بازار"),
    }
    created = {}
    for name, body in bodies.items():
        response = httpx.post(f"{system.url('submissions')}/works", json=body,
                              headers=bearer(system.district_staff_token(body["district"])))
        assert response.status_code == 201, response.text
        created[name] = response.json()
    return created


def listing(system: System, headers: dict, **params: object) -> dict:
    response = httpx.get(f"{system.url('submissions')}/works", params={"edition": EDITION, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def titles(page: dict) -> set[str]:
    return {w["title"] for w in page["items"]}


def test_district_staff_list_and_filter_their_own_works(system: System, works: dict) -> None:
    staff = bearer(system.district_staff_token(7))
    own = listing(system, staff)
    assert own["total"] == 3 and {w["district"] for w in own["items"]} == {7}
    assert titles(listing(system, staff, category="welfare")) == {"صندوق قرض الحسنه بانوان"}
    assert titles(listing(system, staff, neighbourhood="بهار")) == {"=نانوایی محلی"}
    assert listing(system, staff, status="withdrawn")["total"] == 0
    # Search ignores Arabic letters, ZWNJ and spacing: "باغچه ي مشترك" finds "باغچه‌ی مشترک".
    assert titles(listing(system, staff, q="باغچه ي مشترك")) == {"باغچه‌ی مشترک کوچه"}
    assert titles(listing(system, staff, q="قرض‌الحسنه")) == {"صندوق قرض الحسنه بانوان"}
    assert titles(listing(system, staff, q=works["garden"]["tracking_code"])) == {"باغچه‌ی مشترک کوچه"}
    assert listing(system, staff, q="کتابخانه")["total"] == 0  # district 3's work is not theirs
    pages = [listing(system, staff, page=n, page_size=2) for n in (1, 2, 3)]
    assert [len(p["items"]) for p in pages] == [2, 1, 0] and all(p["total"] == 3 for p in pages)
    assert len({w["id"] for p in pages for w in p["items"]}) == 3


def test_staff_cannot_list_another_district_and_city_wide_staff_see_all(system: System, works: dict) -> None:
    staff = bearer(system.district_staff_token(7))
    error_of(httpx.get(f"{system.url('submissions')}/works", params={"district": 3}, headers=staff),
             403, "not_district_staff")
    error_of(httpx.get(f"{system.url('submissions')}/works/export.csv", params={"district": 3}, headers=staff),
             403, "not_district_staff")
    error_of(httpx.get(f"{system.url('submissions')}/works", params={"status": "lost"}, headers=staff),
             422, "unknown_status")
    error_of(httpx.get(f"{system.url('submissions')}/works"), 401, "not_authenticated")
    for headers in (bearer(system.token()), bearer(central_staff_token(system))):
        city = listing(system, headers)
        assert city["total"] == 5 and {w["district"] for w in city["items"]} == {3, 7, 12}
        assert listing(system, headers, district=12)["total"] == 1


def read_csv(response: httpx.Response) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads Persian as UTF-8
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_export_covers_the_district_or_the_city(system: System, works: dict) -> None:
    export = f"{system.url('submissions')}/works/export.csv"
    district = read_csv(httpx.get(export, params={"edition": EDITION}, headers=bearer(system.district_staff_token(7))))
    city = read_csv(httpx.get(export, params={"edition": EDITION}, headers=bearer(central_staff_token(system))))

    assert sorted(row["منطقه"] for row in district) == ["7", "7", "7"]
    assert sorted(row["منطقه"] for row in city) == ["12", "3", "7", "7", "7"]
    garden = next(row for row in city if row["کد رهگیری"] == works["garden"]["tracking_code"])
    assert garden["موضوع"] == "مشارکت‌های مردمی" and garden["وضعیت"] == "دریافت شد"
    assert garden["کد ملی"] == works["garden"]["submitter"]["national_id"] and garden["تاریخ وضعیت"].startswith("۱۴")
    bakery = next(row for row in city if row["کد رهگیری"] == works["bakery"]["tracking_code"])
    assert bakery["عنوان"] == "'=نانوایی محلی"  # a formula-looking title is not run by a spreadsheet
    searched = read_csv(httpx.get(export, params={"edition": EDITION, "q": "درمانگاه"}, headers=bearer(system.token())))
    assert [row["عنوان"] for row in searched] == ["درمانگاه خیریه بازار"]


def track(system: System, client: str, **body: str) -> httpx.Response:
    """The public lookup from a client address (as a reverse proxy would pass it on)."""
    return httpx.post(f"{system.url('submissions')}/track", json=body, headers={"X-Forwarded-For": client})


def test_the_public_lookup_tells_only_the_status_and_its_date(system: System, works: dict) -> None:
    work = works["library"]
    client = f"198.51.100.{uuid.uuid4().int % 250}"
    spoken = work["tracking_code"].replace("-", " ").translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    mobile = "+98" + work["submitter"]["mobile"][1:]

    found = track(system, client, code=spoken, mobile=mobile)

    assert found.status_code == 200, found.text
    assert set(found.json()) == {"status", "status_fa", "date"}
    assert found.json()["status"] == "received" and found.json()["date"].startswith("۱۴")
    by_get = httpx.get(f"{system.url('submissions')}/track", headers={"X-Forwarded-For": client},
                       params={"code": work["tracking_code"], "mobile": work["submitter"]["mobile"]})
    assert by_get.json() == found.json()
    other_code = works["clinic"]["tracking_code"]
    wrong_mobile = track(system, client, code=work["tracking_code"], mobile="09350000000")
    wrong_code = track(system, client, code=other_code, mobile=work["submitter"]["mobile"])
    assert wrong_mobile.status_code == wrong_code.status_code == 404
    assert wrong_mobile.json() == wrong_code.json()  # nothing tells which of the two was wrong
    error_of(track(system, client, code="1234-5678-9013", mobile=mobile), 422, "invalid_tracking_code")


def test_a_withdrawn_work_shows_as_withdrawn(system: System, works: dict) -> None:
    staff = bearer(system.district_staff_token(12))
    work = works["clinic"]
    withdrawn = httpx.post(f"{system.url('submissions')}/works/{work['id']}/withdraw", headers=staff,
                           json={"reason": "ارسال‌کننده منصرف شد"})
    assert withdrawn.status_code == 200
    found = track(system, "198.51.100.251", code=work["tracking_code"], mobile=work["submitter"]["mobile"])
    assert found.json()["status"] == "withdrawn" and found.json()["status_fa"] == "انصراف داده شد"


def test_the_public_lookup_is_rate_limited_per_client(system: System, works: dict) -> None:
    client = f"203.0.113.{uuid.uuid4().int % 250}"
    work = works["loans"]
    answers = [track(system, client, code=work["tracking_code"], mobile="09350000000") for _ in range(8)]

    codes = [a.status_code for a in answers]
    assert codes[:5] == [404] * 5 and set(codes[5:]) == {429}
    limited = error_of(answers[-1], 429, "too_many_requests")
    assert int(answers[-1].headers["retry-after"]) >= 1 and limited["details"]["retry_after_seconds"] >= 1
    other = track(system, "203.0.113.254", code=work["tracking_code"], mobile=work["submitter"]["mobile"])
    assert other.status_code == 200  # another client is not held back
