"""Decisions carry the authority they were issued with, and submissions acts on one that opens or closes a call
only when the policy council's chair or secretary issued it (issue #11, item 2): checked again here on the event,
not only at registry. A decision without that authority is consumed, logged and changes nothing.

Edition 1371 is used by no other test."""

import asyncio
import json
from datetime import UTC, datetime, timedelta

import httpx

from shared.contracts.decisions import OpenCall
from tests.support.bus import publish_event
from tests.support.submissions import applied, decision, snapshot, wait_for_neighbourhoods
from tests.support.system import System
from tests.support.waiting import wait_for


def test_a_call_opening_issued_by_the_festival_secretary_opens_nothing_the_councils_chair_opens_it(
        system: System) -> None:
    wait_for_neighbourhoods(system)
    edition = f"{system.url('submissions')}/editions/1371"
    now = datetime.now(UTC)
    opening = OpenCall(edition="1371", categories={"welfare": "رفاه و خدمات اجتماعی"},
                       opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=30))
    by_the_secretary = decision(opening, issuing_body="festival-secretary", issuer_kind="festival_secretary",
                                issuer_role="secretary")
    before = snapshot(system)

    asyncio.run(publish_event(system.amqp_url, by_the_secretary))

    wait_for(lambda: applied(system, by_the_secretary))  # consumed and acknowledged, not retried
    assert snapshot(system) == before
    assert httpx.get(edition).status_code == 404
    log = system.processes["submissions"].log_path.read_text(encoding="utf-8", errors="replace")
    refused = [json.loads(line) for line in log.splitlines() if "decision.refused_authority" in line]
    assert [entry["decision_id"] for entry in refused] == [str(by_the_secretary.decision_id)]

    by_the_chair = decision(opening)
    asyncio.run(publish_event(system.amqp_url, by_the_chair))

    wait_for(lambda: (httpx.get(edition).json().get("call") or {}).get("state") == "open")
