"""Prometheus metrics per service (no global registry), request ids, and the health endpoints."""

import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Literal

import structlog
from fastapi import APIRouter, FastAPI, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from pydantic import BaseModel
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import RETRY_AFTER_SECONDS


class Metrics:
    """The figures every service exposes on /metrics."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.http_requests = Counter(
            "hami_http_requests_total", "HTTP requests", ["method", "route", "status"], registry=r)
        self.http_seconds = Histogram(
            "hami_http_request_seconds", "HTTP request latency", ["method", "route"], registry=r)
        self.consumed = Counter("hami_events_consumed_total", "Events consumed", ["event_type", "outcome"], registry=r)
        self.published = Counter("hami_events_published_total", "Events confirmed by the broker", registry=r)
        self.outbox_backlog = Gauge("hami_outbox_backlog", "Unsent outbox rows", registry=r)
        self.outbox_oldest = Gauge("hami_outbox_oldest_unsent_seconds", "Age of the oldest unsent row", registry=r)
        self.dead_letters = Gauge("hami_dead_letter_depth", "Messages in the service's dead-letter queue", registry=r)

    def render(self) -> bytes:
        """Prometheus text format."""
        return generate_latest(self.registry)


def install_request_middleware(app: FastAPI, metrics: Metrics) -> None:
    """Give every request an id (X-Request-ID), log context and latency figures."""
    app.add_middleware(RequestObserver, metrics=metrics)


class RequestObserver:
    """ASGI middleware behind install_request_middleware. Pure ASGI rather than Starlette's BaseHTTPMiddleware,
    which runs every request in a task of its own with streams between them (a large share of a small request)."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request_id = Headers(scope=scope).get("x-request-id") or uuid.uuid4().hex
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers["x-request-id"] = request_id
                # The server's own time (W3C Server-Timing): what bench/pages.py measures, and browsers' dev tools
                # show.
                headers["server-timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
            await send(message)
        try:
            await self.app(scope, receive, observed)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.http_requests.labels(scope["method"], route, str(status)).inc()
            self.metrics.http_seconds.labels(scope["method"], route).observe(time.perf_counter() - started)
            structlog.contextvars.unbind_contextvars("request_id")


class Readiness(BaseModel):
    """Whether the service can do its work, and each check behind the answer."""

    status: Literal["ready", "not_ready"]
    checks: dict[str, bool]
    missing: list[str] = []  # the failed checks by name ("database", "broker", ...): what an operator brings back


def health_router(
    readiness: Callable[[], Awaitable[dict[str, bool]]],
    refresh_metrics: Callable[[], Awaitable[None]],
    metrics: Metrics,
) -> APIRouter:
    """/health/live, /health/ready (503 with the failing checks) and /metrics."""
    router = APIRouter(tags=["health"])

    @router.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "alive"}

    @router.get("/health/ready", response_model=Readiness, responses={503: {"model": Readiness}})
    async def ready() -> JSONResponse:
        checks = await readiness()
        missing = [name for name, ok in checks.items() if not ok]
        return JSONResponse({"status": "not_ready" if missing else "ready", "checks": checks, "missing": missing},
                            status_code=503 if missing else 200,
                            headers={"Retry-After": str(RETRY_AFTER_SECONDS)} if missing else None)

    @router.get("/metrics", response_class=PlainTextResponse)
    async def metrics_endpoint() -> Response:
        await refresh_metrics()
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)

    return router
