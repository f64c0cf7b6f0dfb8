"""The web side of refusals: one table from a refusal's kind to its HTTP status, one error shape for all; and a
server out of reach (PostgreSQL, RabbitMQ) answered as a 503 to try again, never a 500."""

import socket
import sysconfig
from types import TracebackType

import asyncpg
from aiormq.exceptions import AMQPConnectionError, ChannelInvalidStateError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from structlog import get_logger

from shared.refusals import Kind, Refusal

log = get_logger("errors")
# PostgreSQL's data exceptions that only a caller's value can cause (asyncpg's own check of a query argument,
# numbers out of range, NUL characters, text too long, impossible dates), never a fault of ours such as 22012.
INPUT_SQLSTATES = frozenset({"22000", "22001", "22003", "22007", "22008", "22021", "22P02", "22P05"})
# PostgreSQL saying it is not there for us: no free connection slot, shutting down (fast or crashed), still
# starting; with class 08 (connection exceptions) these are an absence to wait out, not an answer to a query.
UNREACHABLE_SQLSTATES = frozenset({"53300", "57P01", "57P02", "57P03"})
# A bare socket error (refused, reset, no such host, timed out) names no server: the library it came through does
# (the innermost frame that is not the standard library or the event loop; compiled modules name no folder above).
DRIVERS = {"database": ("asyncpg/", "sqlalchemy/"), "broker": ("aio_pika/", "aiormq/", "pamqp/")}
STDLIB = sysconfig.get_paths()["stdlib"]
RETRY_AFTER_SECONDS = 5
# What a request may fail with when a server it needs is away; unreachable() decides, anything else stays a 500.
UNREACHABLE_TYPES = (DBAPIError, PoolTimeout, OSError, asyncpg.PostgresError, asyncpg.InterfaceError,
                     ChannelInvalidStateError)

STATUS: dict[Kind, int] = {
    Kind.NOT_AUTHENTICATED: 401,
    Kind.FORBIDDEN: 403,
    Kind.NOT_FOUND: 404,
    Kind.CONFLICT: 409,
    Kind.INVALID: 422,
    Kind.MALFORMED: 400,
    Kind.TOO_LARGE: 413,
    Kind.UNSUPPORTED: 415,
    Kind.TOO_MANY: 429,
    Kind.UNAVAILABLE: 503,
}


def invalid_input(details: list[dict]) -> Refusal:
    """The request did not match its schema; details name each field and its problem."""
    return Refusal(Kind.INVALID, "invalid_input", "اطلاعات ارسالی معتبر نیست.", "The request is not valid.", details)


def unstorable_input() -> Refusal:
    """A value the database cannot hold (a number out of range, a NUL character): input the route did not catch."""
    return Refusal(Kind.INVALID, "invalid_input", "مقداری در درخواست قابل پذیرش نیست (عدد خارج از محدوده یا "
                   "نویسهٔ نامعتبر).", "A value in the request cannot be stored (a number out of range or an "
                   "invalid character).")


def unavailable(dependency: str = "database") -> Refusal:
    """A server the request needs (the database or the broker) is out of reach: try again in a few seconds."""
    names = {"database": ("پایگاه داده", "the database"), "broker": ("کارگزار پیام", "the message broker"),
             "registry": ("سامانهٔ ثبت و هویت", "the registry")}
    fa, en = names.get(dependency, (dependency, dependency))
    return Refusal(Kind.UNAVAILABLE, "service_unavailable",
                   f"سامانه لحظه‌ای در دسترس نیست ({fa} پاسخ نمی‌دهد)؛ چند ثانیهٔ دیگر دوباره تلاش کنید.",
                   f"The service is briefly unavailable ({en} is not answering); try again in a few seconds.",
                   {"dependency": dependency, "retry_after_seconds": RETRY_AFTER_SECONDS})


def unavailable_for(request: Request, error: Exception) -> Refusal | None:
    """The 503 refusal for a request that failed because a server is out of reach (logged), else None."""
    if (dependency := unreachable(error)) is None:
        return None
    log.warning("request.dependency_unreachable", path=request.url.path, dependency=dependency, error=repr(error))
    return unavailable(dependency)


def refusal_headers(refusal: Refusal) -> dict[str, str]:
    """Retry-After on a refusal that passes by itself (503); nothing otherwise."""
    return {"Retry-After": str(RETRY_AFTER_SECONDS)} if refusal.kind == Kind.UNAVAILABLE else {}


def unreachable(error: BaseException) -> str | None:
    """"database" or "broker" when the error means that server cannot be reached now; None for any other fault.

    Follows the chain of causes: SQLAlchemy wraps asyncpg's errors, and a connection refused on connect comes up
    bare (an OSError with asyncpg and SQLAlchemy in its traceback)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if found := _unreachable_one(current):
            return found
        current = current.__cause__ or current.__context__ or getattr(current, "orig", None)
    return None


def _unreachable_one(error: BaseException) -> str | None:
    if isinstance(error, DBAPIError):
        # SQLAlchemy saw the connection die under the statement (the server shut down, the link was cut).
        return "database" if error.connection_invalidated or _lost_sqlstate(error.orig) else None
    if isinstance(error, PoolTimeout | asyncpg.PostgresConnectionError) or _lost_sqlstate(error):
        return "database"
    if isinstance(error, asyncpg.InterfaceError):
        return "database" if "closed" in str(error) else None
    if isinstance(error, AMQPConnectionError | ChannelInvalidStateError):
        return "broker"
    if isinstance(error, ConnectionError | TimeoutError | socket.gaierror):
        return _driver_in(error.__traceback__)
    return None


def _lost_sqlstate(error: object) -> bool:
    state = getattr(error, "sqlstate", None) or ""
    return state in UNREACHABLE_SQLSTATES or state.startswith("08")


def _driver_in(trace: TracebackType | None) -> str | None:
    """The server whose client library raised the socket error: the innermost frame past the standard library and
    the event loop must be the driver's (an SMTP client's refusal re-raised through a transaction is not ours)."""
    paths = []
    while trace is not None:
        paths.append(trace.tb_frame.f_code.co_filename)
        trace = trace.tb_next
    for path in reversed(paths):
        if not ("uvloop/" in path or (path.startswith(STDLIB) and "site-packages" not in path)):
            return next((name for name, parts in DRIVERS.items() if any(part in path for part in parts)), None)
    return None


def caused_by_input(error: DBAPIError) -> bool:
    """True when the database refused a value the caller sent (see INPUT_SQLSTATES)."""
    return getattr(error.orig, "sqlstate", None) in INPUT_SQLSTATES


def install_error_handlers(app: FastAPI) -> None:
    """Render refusals and request validation errors in the common shape."""
    @app.exception_handler(Refusal)
    async def _refused(_request: Request, refusal: Refusal) -> JSONResponse:
        return JSONResponse(refusal.body(), status_code=STATUS[refusal.kind], headers=refusal_headers(refusal))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        details = [
            {"field": ".".join(str(part) for part in item["loc"][1:]), "problem": item["msg"]}
            for item in error.errors()
        ]
        return JSONResponse(invalid_input(details).body(), status_code=422)

    @app.exception_handler(DBAPIError)
    async def _unstorable(request: Request, error: DBAPIError) -> JSONResponse:
        # The transaction rolled back already (the connection dependency saw the error); a fault of ours stays a 500.
        if unreachable(error) or not caused_by_input(error):
            return await _unreachable(request, error)
        log.warning("request.unstorable_input", path=request.url.path, sqlstate=error.orig.sqlstate)
        return JSONResponse(unstorable_input().body(), status_code=422)

    async def _unreachable(request: Request, error: Exception) -> JSONResponse:
        if (refusal := unavailable_for(request, error)) is None:
            raise error
        return JSONResponse(refusal.body(), status_code=503, headers=refusal_headers(refusal))

    for error_type in UNREACHABLE_TYPES:
        if error_type is not DBAPIError:
            app.add_exception_handler(error_type, _unreachable)
