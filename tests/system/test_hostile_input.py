"""What every service refuses before a route runs, and what the database's own refusal becomes: a 4xx with a
stable code, never a 500, and nothing stored."""

import httpx
import pytest

from shared.launcher import SERVICES
from shared.web.guard import MAX_FORM_BYTES, MAX_JSON_BYTES, MAX_JSON_DEPTH
from tests.support.system import System, bearer

# A JSON route of each service that takes a body (the guard runs before authentication).
JSON_ROUTES = {"registry": "/auth/token", "submissions": "/works", "evaluation": "/rounds",
               "notifications": "/webhooks"}


@pytest.mark.parametrize("service", SERVICES)
def test_json_nested_past_the_limit_is_refused(system: System, service: str) -> None:
    body = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    response = httpx.post(system.url(service) + JSON_ROUTES[service], content=body,
                          headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "request_too_deep"


def test_a_hundred_thousand_brackets_do_not_reach_the_parser(system: System) -> None:
    body = "[" * 100_000 + "]" * 100_000
    response = httpx.post(system.url("registry") + "/auth/token", content=body,
                          headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "request_too_deep"


@pytest.mark.parametrize("service", SERVICES)
def test_json_over_the_size_limit_is_refused(system: System, service: str) -> None:
    body = '{"name": "' + "x" * MAX_JSON_BYTES + '"}'
    response = httpx.post(system.url(service) + JSON_ROUTES[service], content=body,
                          headers={"Content-Type": "application/json"})
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "request_too_large"


@pytest.mark.parametrize("service", SERVICES)
def test_a_form_over_the_size_limit_is_refused_with_the_stable_code(system: System, service: str) -> None:
    body = "text=" + "x" * MAX_FORM_BYTES  # refused before any route reads it, whatever the address
    response = httpx.post(system.url(service) + "/sign-out", content=body,
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413, response.text
    error = response.json()["error"]
    assert error["code"] == "request_too_large" and error["message_fa"] and error["message_en"]


def test_json_nested_within_the_limit_still_reaches_the_route(system: System) -> None:
    nested = {"username": "secretary", "password": "wrong", "note": [[[["deep but allowed"]]]]}
    response = httpx.post(system.url("registry") + "/auth/token", json=nested)
    assert response.status_code == 422, response.text  # the route's own schema answers: no such field
    assert response.json()["error"]["details"] == [{"field": "note", "problem": "Extra inputs are not permitted"}]


@pytest.mark.parametrize("service", SERVICES)
def test_a_nul_in_the_query_string_is_refused(system: System, service: str) -> None:
    response = httpx.get(system.url(service) + "/health/live?x=a%00b")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_characters"


def test_a_number_the_database_cannot_hold_is_invalid_input_not_a_server_error(system: System) -> None:
    for query in ("district=177647946109432", "district=-17179869185", "district=3885499020083649839104"):
        response = httpx.get(f"{system.url('registry')}/neighbourhoods?{query}", headers=bearer(system.token()))
        assert response.status_code == 422, (query, response.text)
        assert response.json()["error"]["code"] == "invalid_input"


def test_a_nul_in_a_sign_in_field_is_refused_not_a_server_error(system: System) -> None:
    for fields in ({"username": "secre\x00tary", "password": "x"}, {"username": "secretary", "password": "\x00"}):
        response = httpx.post(system.url("registry") + "/auth/token", json=fields)
        assert 400 <= response.status_code < 500, response.text
        assert response.json()["error"]["code"]
