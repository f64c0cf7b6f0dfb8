"""What every service runs besides its own routes: database, broker, outbox relay, health, metrics."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import aio_pika
import asyncpg
import structlog
import uvicorn
from aio_pika.abc import AbstractRobustConnection
from aiormq.exceptions import ChannelAccessRefused
from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from faststream.rabbit import RabbitBroker
from sqlalchemy import Table, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.auth import TokenVerifier, http_jwks
from shared.db import make_engine, owned_by
from shared.errors import install_error_handlers
from shared.logs import configure_logging
from shared.messaging.broker import RECONNECT_SECONDS, make_broker
from shared.messaging.inbox import EventConsumer, subscribe
from shared.messaging.outbox import OutboxRelay, backlog
from shared.messaging.topology import declare_service_topology, declare_topology, service_queues
from shared.observability import Metrics, health_router, install_request_middleware
from shared.revocation import KeptVersions
from shared.settings import ServiceSettings
from shared.web.guard import RequestGuard

log = structlog.get_logger("service")
CHECK_TIMEOUT = 3.0


@dataclass
class ServiceRuntime:
    """One service's connections and background work, started and stopped with the HTTP app."""

    name: str
    amqp_url: str
    engine: AsyncEngine
    broker: RabbitBroker
    outbox: Table
    metrics: Metrics = field(default_factory=Metrics)
    consumer: EventConsumer | None = None
    periodic: Sequence[tuple[float, Callable[[], Awaitable[object]]]] = ()
    background: Sequence[Callable[[], Awaitable[None]]] = ()  # run until the service stops
    relay: OutboxRelay | None = None
    _admin: AbstractRobustConnection | None = None
    _tasks: list[asyncio.Task] = field(default_factory=list)
    _messaging_started: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.relay = OutboxRelay(self.engine, self.outbox, self.broker, on_published=self.metrics.published.inc)
        if self.consumer is not None:
            self.consumer.on_consumed = lambda t, outcome: self.metrics.consumed.labels(t, outcome).inc()
            subscribe(self.broker, self.queue_name, self.consumer)

    @property
    def queue_name(self) -> str | None:
        """The service's own queue, if it consumes events."""
        return service_queues()[self.name].name if self.consumer is not None else None

    async def start(self) -> None:
        """Start in the background: the HTTP side serves even while RabbitMQ is still down."""
        self._tasks.append(asyncio.create_task(self._start_messaging(), name=f"{self.name}-messaging"))
        for seconds, job in self.periodic:
            self._tasks.append(asyncio.create_task(_every(seconds, job), name=f"{self.name}-{job.__name__}"))
        for job in self.background:
            self._tasks.append(asyncio.create_task(job(), name=f"{self.name}-{job.__qualname__}"))

    async def _start_messaging(self) -> None:
        delay = 0.5
        while True:
            try:
                self._admin = self._admin or await aio_pika.connect_robust(self.amqp_url,
                                                                          reconnect_interval=RECONNECT_SECONDS)
                await self._declare_topology()
                await self.broker.start()
                break
            except Exception as error:  # broker not up yet: wait and try again
                log.warning("broker.unavailable", error=repr(error), retry_in=delay)
                with suppress(Exception):
                    await self.broker.stop()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
        self._messaging_started.set()
        log.info("broker.connected")
        self._tasks.append(asyncio.create_task(self.relay.run(), name=f"{self.name}-relay"))

    async def _declare_topology(self) -> None:
        """Everything where the user may (development); with a least-privilege user only the service's own part,
        the broker's definitions having declared the rest (docker compose)."""
        try:
            await declare_topology(await self._admin.channel())
        except ChannelAccessRefused:
            await declare_service_topology(await self._admin.channel(), self.name)

    async def stop(self) -> None:
        """Stop taking work, let in-flight handlers finish (graceful timeout), then close."""
        self.relay.stop()
        for task in self._tasks:
            if not task.get_name().endswith("-relay"):
                task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.broker.stop()
        if self._admin is not None:
            await self._admin.close()
        await self.engine.dispose()

    async def readiness(self) -> dict[str, bool]:
        """Database reachable, broker connected, every subscriber consuming, relay alive."""
        checks = {
            "database": await self._database_ok(),
            "broker": self._messaging_started.is_set() and bool(self._admin and self._admin.connected.is_set()),
            "relay": self._messaging_started.is_set() and self.relay.alive(),
        }
        if self.queue_name:
            stats = await self._queue_stats(self.queue_name)
            checks["consumers"] = stats is not None and stats[1] > 0
        return checks

    async def refresh_metrics(self) -> None:
        """Update the gauges that are read from the database and the broker at scrape time."""
        with suppress(Exception):
            async with self.engine.connect() as conn:
                count, age = await backlog(conn, self.outbox)
            self.metrics.outbox_backlog.set(count)
            self.metrics.outbox_oldest.set(age)
        if self.queue_name and (stats := await self._queue_stats(service_queues()[self.name].dead_letter_name)):
            self.metrics.dead_letters.set(stats[0])

    async def _database_ok(self) -> bool:
        try:
            async with asyncio.timeout(CHECK_TIMEOUT), self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    async def _queue_stats(self, queue: str) -> tuple[int, int] | None:
        """(messages, consumers) as the broker sees them; None when it cannot tell."""
        if self._admin is None or not self._admin.connected.is_set():
            return None
        try:
            async with asyncio.timeout(CHECK_TIMEOUT):
                channel = await self._admin.channel()
                try:
                    declared = await channel.declare_queue(queue, passive=True)
                    result = declared.declaration_result
                    return result.message_count, result.consumer_count
                finally:
                    await channel.close()
        except Exception:
            return None


@dataclass
class ServiceParts:
    """The pieces a service's composition root builds first and hands to its routes and handlers."""

    name: str
    settings: ServiceSettings
    engine: AsyncEngine
    broker: RabbitBroker
    outbox: Table

    @classmethod
    def create(cls, name: str, settings: ServiceSettings, *, outbox: Table) -> "ServiceParts":
        """Logging, database engine and broker for a service, from its settings."""
        configure_logging(name, json=settings.log_json, level=settings.log_level)
        return cls(
            name=name, settings=settings, outbox=outbox,
            engine=make_engine(settings.database_url),
            broker=make_broker(settings.amqp_url, service=name, prefetch=settings.prefetch,
                               graceful_timeout=settings.graceful_timeout),
        )


def assemble(
    parts: ServiceParts,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    consumer: EventConsumer | None = None,
    periodic: Sequence[tuple[float, Callable[[], Awaitable[object]]]] = (),
    prepare: Callable[[], Awaitable[None]] | None = None,
    token_verifier: TokenVerifier | None = None,
) -> FastAPI:
    """The service's FastAPI app: its routes, health, metrics, error shape, and the runtime's lifespan."""
    settings = parts.settings
    versions = None if token_verifier else KeptVersions(parts.engine)  # registry verifies against its accounts
    runtime = ServiceRuntime(name=parts.name, amqp_url=settings.amqp_url, engine=parts.engine,
                             broker=parts.broker, outbox=parts.outbox, consumer=consumer, periodic=periodic,
                             background=[versions.run] if versions else [])

    async def start_database() -> None:
        if settings.migrate_on_start:
            # Imported here: Alembic costs a running service 10 MB it never needs when migrations run apart
            # (compose's one-shot `migrate` step).
            from shared.migrate import migrate

            await migrate(parts.name, settings.migration_database_url or settings.database_url,
                          runtime_role=settings.runtime_role)
        if settings.env == "production" and (owned := await owned_by(settings.database_url)):
            # Its owner could drop the ledger's append-only trigger: run as the role that owns nothing.
            raise RuntimeError(f"production refuses a database role that owns {', '.join(owned)}")
        if prepare is not None:
            await prepare()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await _retry_while_unreachable(start_database, "database")
        await runtime.start()
        yield
        await runtime.stop()

    # Behind the reverse proxy a service lives under a path (/submissions): its /docs must ask for its
    # openapi.json there. The proxy strips the prefix, so routing is unchanged.
    root_path = urlsplit(settings.site_urls.get(parts.name, "")).path.rstrip("/")
    app = FastAPI(title=title, description=description, version="0.1.0", lifespan=lifespan, root_path=root_path)
    app.state.runtime = runtime
    app.state.token_verifier = token_verifier or TokenVerifier(
        http_jwks(settings.registry_url), issuer=settings.token_issuer, versions=versions.lowest_accepted)
    install_error_handlers(app)
    app.add_middleware(RequestGuard)
    install_request_middleware(app, runtime.metrics)
    allow_festival_origins(app, settings.site_urls.values())
    app.include_router(health_router(runtime.readiness, runtime.refresh_metrics, runtime.metrics))
    for router in routers:
        app.include_router(router)
    return app


def allow_festival_origins(app: FastAPI, site_urls: Iterable[str]) -> None:
    """Let the festival's own pages on other ports (under `hami run`) load this service's page cards with the
    session cookie; behind the proxy everything is one origin and this allows nothing more."""
    origins = sorted({f"{u.scheme}://{u.netloc}" for u in map(urlsplit, site_urls) if u.scheme and u.netloc})
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_credentials=True, allow_methods=["GET"],
                           allow_headers=["hx-request", "hx-current-url", "hx-target", "hx-trigger"])


async def _every(seconds: float, job: Callable[[], Awaitable[object]]) -> None:
    """Run a scheduled job forever; a failed run is logged and the schedule goes on."""
    while True:
        await asyncio.sleep(seconds)
        try:
            await job()
        except Exception as error:
            log.warning("schedule.failed", job=job.__name__, error=repr(error))


async def _retry_while_unreachable(step: Callable[[], Awaitable[None]], what: str) -> None:
    """Services may start before PostgreSQL: wait for it instead of crashing."""
    delay = 0.5
    while True:
        try:
            return await step()
        except (OSError, asyncpg.CannotConnectNowError, asyncpg.TooManyConnectionsError, DBAPIError) as error:
            # No free connection slot is as passing as a server still starting (a runtime role, unlike a
            # superuser, has no reserved slot).
            if isinstance(error, DBAPIError) and not error.connection_invalidated and not isinstance(
                    error.orig, OSError | asyncpg.CannotConnectNowError | asyncpg.TooManyConnectionsError):
                raise
            log.warning(f"{what}.unavailable", error=repr(error), retry_in=delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)


def serve(create_app: Callable[[ServiceSettings], FastAPI], settings: ServiceSettings) -> None:
    """Run the service under uvicorn; SIGTERM stops intake, drains in-flight work and exits."""
    uvicorn.run(create_app(settings), host=settings.http_host, port=settings.http_port, log_config=None,
                timeout_graceful_shutdown=settings.graceful_timeout, forwarded_allow_ips=settings.trusted_proxies)
