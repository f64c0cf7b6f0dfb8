"""API errors: a stable code with a Persian and an English message; nothing else leaks."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


class ApiError(Exception):
    """A refusal the client can act on."""

    def __init__(self, status: int, code: str, fa: str, en: str, details: object = None) -> None:
        super().__init__(en)
        self.status, self.code, self.fa, self.en, self.details = status, code, fa, en, details

    def body(self) -> dict:
        """JSON body of the refusal."""
        error = {"code": self.code, "message_fa": self.fa, "message_en": self.en}
        if self.details is not None:
            error["details"] = self.details
        return {"error": error}


def not_authenticated() -> ApiError:
    """401: no valid token."""
    return ApiError(401, "not_authenticated", "ابتدا وارد سامانه شوید.", "Sign in first.")


def forbidden() -> ApiError:
    """403: signed in but not allowed."""
    return ApiError(403, "forbidden", "شما اجازهٔ این کار را ندارید.", "You are not allowed to do this.")


def not_found(what_fa: str, what_en: str) -> ApiError:
    """404 for something missing, or hidden from this caller."""
    return ApiError(404, "not_found", f"{what_fa} پیدا نشد.", f"{what_en} not found.")


def install_error_handlers(app: FastAPI) -> None:
    """Render ApiError and request validation errors in the common shape."""
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        return JSONResponse(error.body(), status_code=error.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        details = [
            {"field": ".".join(str(part) for part in item["loc"][1:]), "problem": item["msg"]}
            for item in error.errors()
        ]
        refusal = ApiError(422, "invalid_input", "اطلاعات ارسالی معتبر نیست.", "The request is not valid.", details)
        return JSONResponse(refusal.body(), status_code=422)
