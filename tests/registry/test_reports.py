"""Reports flow up: district figures match the events the registry received; the city report covers 22 districts."""

import asyncio
import uuid

import httpx

from shared.contracts.submissions import WorkReceived
from shared.persian import format_jalali_date
from tests.support.bus import publish_event
from tests.support.system import System, bearer
from tests.support.waiting import wait_for


def received(district: int, category: str) -> WorkReceived:
    """A work-received event as submissions publishes it."""
    return WorkReceived(work_id=uuid.uuid4(), tracking_code="1234-5678-9012", district=district,
                        neighbourhood="محله", category=category, title="اثر نمونه", submitter_name="علی رضایی",
                        submitter_national_id="0499370899", submitter_mobile="09121234567")


def ledger_count(system: System, district: int) -> int:
    """Work-received events of a district in the registry's ledger."""
    return asyncio.run(system.fetchval(
        "registry", "SELECT count(*) FROM ledger WHERE event_type = 'submissions.work.received' "
        "AND exchange = 'hami.internal' AND (payload->>'district')::int = $1", district))


def test_district_figures_match_the_events_and_the_city_report_lists_all_22(system: System) -> None:
    district = 19
    events = [received(district, "welfare") for _ in range(3)] + [received(district, "participation")] * 1
    events.append(received(20, "welfare"))  # another district's work is not counted
    before = ledger_count(system, district)
    for event in events:
        asyncio.run(publish_event(system.amqp_url, event))
    wait_for(lambda: ledger_count(system, district) == before + 4)

    today = format_jalali_date(events[0].occurred_at, persian_digits=False)
    secretary = bearer(system.district_secretary_token(district))
    filed = httpx.post(f"{system.url('registry')}/districts/{district}/reports", headers=secretary, json={
        "period_start": today, "period_end": today, "achievements": "برگزاری سه کارگاه",
        "shortcomings": "کمبود داوطلب"})

    assert filed.status_code == 201, filed.text
    assert filed.json()["period_start_jalali"] == filed.json()["period_end_jalali"] == today.replace("/", "-")
    figures = filed.json()["figures"]
    received_here = figures["works"]["received"]
    assert sum(received_here.values()) == before + 4 and received_here["welfare"] >= 3
    assert figures["totals"]["evaluated"] == figures["totals"]["advanced"] == 0
    assert set(figures["decisions"]) == {"addressed", "acknowledged", "pending", "overdue"}

    central = bearer(system.account_token("staff.central", "central-secretariat", "staff"))
    city = httpx.post(f"{system.url('registry')}/city-reports", headers=central, json={
        "period_start": today, "period_end": today, "achievements": "", "shortcomings": "گزارش نشدن ۲۱ منطقه"})
    assert city.status_code == 201, city.text
    table = city.json()["figures"]["districts"]
    assert [row["district"] for row in table] == list(range(1, 23))
    assert filed.json()["id"] in city.json()["cites"]
    assert table[district - 1]["report_id"] == filed.json()["id"]

    monitoring = httpx.get(f"{system.url('registry')}/monitoring", headers=central).json()
    assert len(monitoring) == 22 and monitoring[district - 1]["works_received"] == before + 4
    assert monitoring[district - 1]["last_report_at"] is not None
    assert monitoring[district - 1]["last_report_at_jalali"].startswith(today.replace("/", "-"))


def test_only_the_districts_secretary_files_its_report_and_nobody_there_reads_the_monitoring_table(
        system: System) -> None:
    staff, secretary = (bearer(system.district_staff_token(19)), bearer(system.district_secretary_token(19)))
    body = {"period_start": "1405/08/01", "period_end": "1405/08/30"}
    for who, district in ((secretary, 3), (staff, 19), (staff, 3)):
        refused = httpx.post(f"{system.url('registry')}/districts/{district}/reports", headers=who, json=body)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_district_secretary"
    assert httpx.get(f"{system.url('registry')}/monitoring", headers=staff).status_code == 403
    assert httpx.get(f"{system.url('registry')}/districts/19/reports", headers=staff).status_code == 200  # it reads
    staff = secretary
    backwards = httpx.post(f"{system.url('registry')}/districts/19/reports", headers=staff,
                           json={"period_start": "1405/08/30", "period_end": "1405/08/01"})
    assert backwards.status_code == 422 and backwards.json()["error"]["code"] == "invalid_period"
    bad_date = httpx.post(f"{system.url('registry')}/districts/19/reports", headers=staff,
                          json={"period_start": "1405/13/01", "period_end": "1405/08/01"})
    assert bad_date.status_code == 422 and bad_date.json()["error"]["code"] == "invalid_date"
