"""Before `hami run` starts anything: are PostgreSQL and RabbitMQ there? One line in Persian and English within a
few seconds when not, instead of four services logging reconnects for minutes."""

import asyncio
import logging
import socket
from urllib.parse import urlsplit

import aio_pika
import asyncpg
from sqlalchemy.engine import make_url

from shared.db import asyncpg_dsn

TIMEOUT = 3.0


async def unreachable(database_server: str, amqp_url: str, timeout: float = TIMEOUT) -> str | None:
    """One line naming each server that cannot be reached (and why), or None when both answer."""
    quiet = logging.getLogger("aiormq")  # it logs a failed connect by itself: the one line below says it
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        database, broker = await asyncio.gather(_database(database_server, timeout), _broker(amqp_url, timeout))
    finally:
        quiet.setLevel(level)
    missing = [problem for problem in (database, broker) if problem]
    if not missing:
        return None
    fa = "، ".join(f"{name} در {where}" for name, where, _ in missing)
    en = "; ".join(f"{name} at {where} ({why})" for name, where, why in missing)
    return (f"در دسترس نیست: {fa}؛ آن را راه بیندازید (یا نشانی را درست کنید) و دوباره اجرا کنید. / "
            f"Not reachable: {en}. Start it (or correct the address) and run again.")


async def _database(server: str, timeout: float) -> tuple[str, str, str] | None:
    url = make_url(f"{server.rstrip('/')}/postgres")
    where = f"{url.host or '127.0.0.1'}:{url.port or 5432}"
    try:
        connection = await asyncio.wait_for(asyncpg.connect(asyncpg_dsn(url.render_as_string(hide_password=False)),
                                                             timeout=timeout), timeout + 1)
    except Exception as error:
        return "PostgreSQL", where, _reason(error, timeout)
    await connection.close()
    return None


async def _broker(amqp_url: str, timeout: float) -> tuple[str, str, str] | None:
    parts = urlsplit(amqp_url)
    where = f"{parts.hostname or '127.0.0.1'}:{parts.port or 5672}"
    try:
        connection = await asyncio.wait_for(aio_pika.connect(amqp_url, timeout=timeout), timeout + 1)
    except Exception as error:
        return "RabbitMQ", where, _reason(error, timeout)
    await connection.close()
    return None


def _reason(error: BaseException, timeout: float) -> str:
    """Why, in a few words (never the URL: it may hold a password)."""
    for cause in (error, error.__cause__, *getattr(error, "args", ())):
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, socket.gaierror):
            return "unknown host"
        if isinstance(cause, TimeoutError):
            return f"no answer in {timeout:.0f} s"
    text = str(error).replace("\n", " ").strip()
    return f"{type(error).__name__}: {text[:120]}" if text else type(error).__name__
