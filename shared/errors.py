"""The web side of refusals: one table from a refusal's kind to its HTTP status, one error shape for all."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from structlog import get_logger

from shared.refusals import Kind, Refusal

log = get_logger("errors")
# PostgreSQL's data exceptions that only a caller's value can cause (asyncpg's own check of a query argument,
# numbers out of range, NUL characters, text too long, impossible dates), never a fault of ours such as 22012.
INPUT_SQLSTATES = frozenset({"22000", "22001", "22003", "22007", "22008", "22021", "22P02", "22P05"})

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
}


def invalid_input(details: list[dict]) -> Refusal:
    """The request did not match its schema; details name each field and its problem."""
    return Refusal(Kind.INVALID, "invalid_input", "اطلاعات ارسالی معتبر نیست.", "The request is not valid.", details)


def unstorable_input() -> Refusal:
    """A value the database cannot hold (a number out of range, a NUL character): input the route did not catch."""
    return Refusal(Kind.INVALID, "invalid_input", "مقداری در درخواست قابل پذیرش نیست (عدد خارج از محدوده یا "
                   "نویسهٔ نامعتبر).", "A value in the request cannot be stored (a number out of range or an "
                   "invalid character).")


def caused_by_input(error: DBAPIError) -> bool:
    """True when the database refused a value the caller sent (see INPUT_SQLSTATES)."""
    return getattr(error.orig, "sqlstate", None) in INPUT_SQLSTATES


def install_error_handlers(app: FastAPI) -> None:
    """Render refusals and request validation errors in the common shape."""
    @app.exception_handler(Refusal)
    async def _refused(_request: Request, refusal: Refusal) -> JSONResponse:
        return JSONResponse(refusal.body(), status_code=STATUS[refusal.kind])

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
        if not caused_by_input(error):
            raise error
        log.warning("request.unstorable_input", path=request.url.path, sqlstate=error.orig.sqlstate)
        return JSONResponse(unstorable_input().body(), status_code=422)
