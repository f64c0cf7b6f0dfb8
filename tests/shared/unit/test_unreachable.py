"""Which errors mean "a server we need is away" (503, try again) and which stay faults (500) or input (422):
asyncpg's and SQLAlchemy's own exception classes, and real failures of a real driver against a closed port."""

import asyncio
import socket

import aio_pika
import asyncpg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import create_async_engine

from shared.errors import install_error_handlers, unavailable, unreachable


def closed_port() -> int:
    """A local port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrapped(orig: Exception, *, invalidated: bool = False) -> DBAPIError:
    """An asyncpg error as SQLAlchemy hands it to a route (raised from the original, as the dialect does)."""
    try:
        try:
            raise orig
        except Exception as error:
            raise OperationalError("SELECT 1", {}, error, connection_invalidated=invalidated) from error
    except DBAPIError as raised:
        return raised


async def refused_by_engine() -> BaseException:
    """What SQLAlchemy raises when PostgreSQL is not listening (it comes up bare)."""
    engine = create_async_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{closed_port()}/x", pool_pre_ping=True)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as error:
        return error
    finally:
        await engine.dispose()
    raise AssertionError("connected to a closed port")


@pytest.mark.parametrize("error", [
    asyncpg.CannotConnectNowError("the database system is starting up"),
    asyncpg.AdminShutdownError("terminating connection due to administrator command"),
    asyncpg.CrashShutdownError("terminating connection because of crash of another server process"),
    asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
    asyncpg.TooManyConnectionsError("sorry, too many clients already"),
    asyncpg.InterfaceError("connection is closed"),
    wrapped(asyncpg.AdminShutdownError("terminating connection due to administrator command")),
    wrapped(asyncpg.CannotConnectNowError("the database system is shutting down")),
    wrapped(ConnectionResetError("reset"), invalidated=True),
    InterfaceError("SELECT 1", {}, Exception("connection is closed"), connection_invalidated=True),
    PoolTimeout("QueuePool limit of size 5 overflow 5 reached"),
], ids=lambda e: type(e).__name__)
def test_the_database_being_away_is_named(error: BaseException) -> None:
    assert unreachable(error) == "database"


@pytest.mark.parametrize("error", [
    asyncpg.UniqueViolationError("duplicate key value"),
    asyncpg.DivisionByZeroError("division by zero"),
    asyncpg.InvalidTextRepresentationError("invalid input syntax for type uuid"),
    asyncpg.InterfaceError("cannot perform operation: another operation is in progress"),
    wrapped(asyncpg.UniqueViolationError("duplicate key value")),
    FileNotFoundError("/no/such/file"),
    ConnectionRefusedError(111, "refused, raised outside any driver"),
    RuntimeError("a bug of ours"),
], ids=lambda e: type(e).__name__)
def test_other_faults_are_not_an_absence(error: BaseException) -> None:
    assert unreachable(error) is None


def test_a_refused_connection_through_the_real_engine_names_the_database() -> None:
    error = asyncio.run(refused_by_engine())
    assert isinstance(error, OSError)  # bare: the classification reads where it came from
    assert unreachable(error) == "database"


def test_another_client_refused_is_not_the_database() -> None:
    async def refused() -> BaseException:  # as an SMTP or webhook client would be, straight on asyncio
        try:
            await asyncio.open_connection("127.0.0.1", closed_port())
        except OSError as error:
            return error
        raise AssertionError("connected to a closed port")
    assert unreachable(asyncio.run(refused())) is None


def test_a_refused_broker_connection_names_the_broker() -> None:
    async def refused() -> BaseException:
        try:
            await aio_pika.connect(f"amqp://guest:guest@127.0.0.1:{closed_port()}/", timeout=3)
        except Exception as error:
            return error
        raise AssertionError("connected to a closed port")
    assert unreachable(asyncio.run(refused())) == "broker"


def test_routes_answer_503_with_retry_after_and_the_common_shape() -> None:
    app = FastAPI()
    install_error_handlers(app)
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{closed_port()}/x"

    @app.get("/reads")
    async def reads() -> dict:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        finally:
            await engine.dispose()
        return {}

    @app.get("/shut-down")
    async def shut_down() -> dict:
        raise wrapped(asyncpg.AdminShutdownError("terminating connection due to administrator command"))

    @app.get("/bug")
    async def bug() -> dict:
        raise wrapped(asyncpg.DivisionByZeroError("division by zero"))

    client = TestClient(app, raise_server_exceptions=False)
    for path in ("/reads", "/shut-down"):
        response = client.get(path)
        assert response.status_code == 503, (path, response.text)
        assert int(response.headers["retry-after"]) > 0
        error = response.json()["error"]
        assert error["code"] == "service_unavailable" and error["details"]["dependency"] == "database"
        assert error["message_fa"] == unavailable().fa and error["message_en"]
    assert client.get("/bug").status_code == 500  # a fault of ours is not dressed up as an outage
