"""The web side of refusals: one table from a refusal's kind to its HTTP status, one error shape for all."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from shared.refusals import Kind, Refusal

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
