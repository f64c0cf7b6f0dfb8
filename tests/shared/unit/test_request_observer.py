"""The request observer (pure ASGI): every answer carries its request id and the server's time, each request is
counted under its route and status, and the log context holds the request id only while the request runs."""

import re

import structlog
from fastapi import FastAPI
from fastapi.testclient import TestClient

from shared.errors import install_error_handlers
from shared.observability import Metrics, install_request_middleware


def observed_app() -> tuple[FastAPI, Metrics]:
    """A small app behind the observer: one route that answers, one that fails, one that reads the log context."""
    app, metrics = FastAPI(), Metrics()
    install_error_handlers(app)
    install_request_middleware(app, metrics)

    @app.get("/works/{work_id}")
    async def work(work_id: int) -> dict:
        return {"work_id": work_id, "context": structlog.contextvars.get_contextvars().get("request_id")}

    @app.get("/broken")
    async def broken() -> dict:
        raise RuntimeError("a bug")

    return app, metrics


def counted(metrics: Metrics, route: str, status: str) -> float:
    return metrics.registry.get_sample_value(
        "hami_http_requests_total", {"method": "GET", "route": route, "status": status}) or 0.0


def test_each_answer_carries_its_request_id_and_server_time():
    app, metrics = observed_app()
    with TestClient(app) as client:
        given = client.get("/works/7", headers={"x-request-id": "abc123"})
        made = client.get("/works/8")
    assert given.headers["x-request-id"] == "abc123" and given.json()["context"] == "abc123"
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])
    assert made.json()["context"] == made.headers["x-request-id"]
    assert re.fullmatch(r"app;dur=\d+\.\d", made.headers["server-timing"])
    assert counted(metrics, "/works/{work_id}", "200") == 2
    assert metrics.registry.get_sample_value(
        "hami_http_request_seconds_count", {"method": "GET", "route": "/works/{work_id}"}) == 2
    assert "request_id" not in structlog.contextvars.get_contextvars()


def test_refusals_and_failures_are_counted_with_their_status():
    app, metrics = observed_app()
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/works/not-a-number").status_code == 422
        assert client.get("/broken").status_code == 500
        assert client.get("/nowhere").status_code == 404
    assert counted(metrics, "/works/{work_id}", "422") == 1
    assert counted(metrics, "/broken", "500") == 1
    assert counted(metrics, "unmatched", "404") == 1
