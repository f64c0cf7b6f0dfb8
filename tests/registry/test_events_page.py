"""The public events' catalogue (issue #17 item 4): served by registry without sign-in, Persian and English, made
from the same AsyncAPI document other systems' tooling reads, one section per public event with its routing keys,
fields and example; checked in a real browser like every page."""

import httpx
from playwright.sync_api import Browser

from shared.asyncapi import document
from shared.contracts import ALL_EVENTS
from shared.contracts.catalogue import FIELDS, PUBLIC_EVENTS
from shared.contracts.cloudevents import dataschema
from tests.support.browser import check_page
from tests.support.system import System

PUBLIC = [c for c in ALL_EVENTS if c.public]


def test_every_public_event_and_each_of_its_fields_is_described() -> None:
    assert {entry.contract for entry in PUBLIC_EVENTS} == set(PUBLIC)
    for contract in PUBLIC:
        assert set(contract.model_fields) <= FIELDS.keys(), contract


def test_the_document_behind_the_page_is_the_contracts(system: System) -> None:
    served = httpx.get(f"{system.url('registry')}/events/asyncapi.json")
    assert served.status_code == 200 and served.headers["content-type"].startswith("application/json")
    assert served.json() == document()


def test_the_events_page_shows_each_public_event_to_anyone(browser: Browser, system: System) -> None:
    context = browser.new_context(locale="fa-IR")
    try:
        page = context.new_page()
        page.goto(f"{system.url('registry')}/events")
        assert page.locator("h1").inner_text() == "رویدادهای عمومی جشنواره حامی"
        for entry in PUBLIC_EVENTS:
            section = page.locator(f"section[id='{entry.contract.event_type()}']")
            assert entry.title_fa in section.locator("h2").inner_text()
            assert section.locator("tbody tr").count() == len(entry.contract.model_fields)
        received = page.locator("section[id='submissions.work.received']")
        assert "submissions.work.received.d22" in received.inner_text()  # its routing keys, by district
        received.locator("summary").click()
        assert '"neighbourhood": "نظام آباد"' in received.locator("pre").inner_text()  # the example
        check_page(page, "registry-public-events")
    finally:
        context.close()


def test_the_schema_a_cloudevents_dataschema_names_is_served(system: System) -> None:
    found = httpx.get(f"{system.url('registry')}/events/schemas/submissions.work.received/v1.json")
    assert found.status_code == 200, found.text
    assert found.json()["properties"]["district"]["type"] == "integer"
    assert dataschema("submissions.work.received", 1).endswith("/events/schemas/submissions.work.received/v1.json")
    missing = httpx.get(f"{system.url('registry')}/events/schemas/submissions.work.received/v9.json")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    internal = httpx.get(f"{system.url('registry')}/events/schemas/registry.person.registered/v1.json")
    assert internal.status_code == 404  # only the public contract is published
