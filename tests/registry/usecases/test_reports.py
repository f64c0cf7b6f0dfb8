"""Report use cases on a real database: figures from the ledger, and the monitoring table in constant queries."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.registry.decisions import usecases as decisions
from services.registry.ledger.usecases import record
from services.registry.reports import usecases as reports
from shared.messaging.inbox import Envelope
from shared.persian import format_jalali_date
from shared.refusals import Refusal
from tests.support.personas import PERSONAS
from tests.support.registry_db import statements

CHAIR, CENTRAL, STAFF_7, SECRETARY_7 = (PERSONAS[name].principal() for name in (
    "council.chair", "central.staff", "staff.d07", "secretary.d07"))
# Before: one query for the last reports, then two per district (works received, decision counts) = 45.
MONITORING_QUERIES = 3


async def issue(conn: AsyncConnection, districts: list[int]) -> uuid.UUID:
    """A council notice to some districts (all when empty)."""
    issued = await decisions.issue(
        conn, CHAIR, title="دستورالعمل", text="متن", issuing_body="policy-council", kind="notice",
        all_districts=not districts, districts=districts, committees=[], ack_deadline_date=None,
        ack_deadline_at=datetime.now(UTC) + timedelta(days=1), parameters=None)
    return issued["id"]


async def received(conn: AsyncConnection, district: int, category: str = "welfare") -> None:
    """A work-received event of a district, as the ledger records it from the bus."""
    event_id = str(uuid.uuid4())
    await record(conn, [(Envelope(event_id, "submissions.work.received", f"submissions.work.received.d{district:02d}",
                                  "hami.internal", None, None),
                         {"event_id": event_id, "district": district, "category": category})])


async def test_the_monitoring_table_takes_three_queries_whatever_the_decisions_and_events(
        service_engine: AsyncEngine, conn: AsyncConnection) -> None:
    counts = []
    for districts in ([7], [], [3, 7, 22]):
        await issue(conn, districts)
        for district in districts or range(1, 23):
            await received(conn, district)
        with statements(service_engine) as sent:
            table = await reports.monitoring(conn, CENTRAL)
        counts.append(len(sent))

    assert counts == [MONITORING_QUERIES] * 3
    by_district = {row["district"]: row for row in table}
    assert len(table) == 22 and by_district[7]["works_received"] == 3 and by_district[1]["works_received"] == 1
    assert by_district[7]["works_by_category"] == {"welfare": 3}
    assert by_district[7]["decisions"] == {"addressed": 3, "acknowledged": 0, "pending": 3, "overdue": 0}
    assert by_district[5]["decisions"]["addressed"] == 1 and by_district[5]["last_report_at"] is None


async def test_a_district_report_counts_its_own_works_and_decisions(conn: AsyncConnection) -> None:
    decision_id = await issue(conn, [7])
    await decisions.relay(conn, CENTRAL, decision_id, districts=None, notes={})
    await decisions.answer(conn, STAFF_7, decision_id, district=7, step="acknowledge", note="")
    for district, category in ((7, "welfare"), (7, "welfare"), (7, "participation"), (8, "welfare")):
        await received(conn, district, category)
    today = format_jalali_date(datetime.now(UTC), persian_digits=False)

    with pytest.raises(Refusal) as refused:  # the district's staff acknowledge; only its secretary reports
        await reports.file_district_report(conn, STAFF_7, 7, period_start=today, period_end=today, achievements="",
                                           shortcomings="")
    assert refused.value.code == "not_district_secretary"
    report = await reports.file_district_report(conn, SECRETARY_7, 7, period_start=today, period_end=today,
                                                achievements="", shortcomings="")

    figures = report["figures"]
    assert figures["works"]["received"] == {"participation": 1, "welfare": 2}
    assert figures["totals"] == {"received": 3, "evaluated": 0, "advanced": 0}
    assert figures["decisions"] == {"addressed": 1, "acknowledged": 1, "pending": 0, "overdue": 0}
    assert [r["id"] for r in await reports.district_reports(conn, CENTRAL, 7)] == [report["id"]]
