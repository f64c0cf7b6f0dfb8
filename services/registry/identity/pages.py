"""Signing in and out in the browser: the same sign-in use case as `POST /auth/token`, the token kept in the
session cookie."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from services.registry.identity import usecases
from services.registry.identity.api import SignIn, client_of
from services.registry.page_kit import filled, form_fields
from services.registry.web import Engine, Settings
from shared.errors import STATUS
from shared.refusals import Refusal
from shared.web.pages import Pages, field_errors, persian_number
from shared.web.session import end_session, start_session


def routes(pages: Pages) -> APIRouter:
    """The sign-in page, its form post, sign-out, and the site's front door."""
    router = pages.router()

    def sign_in_page(request: Request, form: dict, errors: dict | None = None, status: int = 200) -> HTMLResponse:
        return pages.render(request, "sign_in.html", status=status, errors=errors or {},
                            form={"username": form.get("username", ""), "next": form.get("next", "")})

    @router.get("/")
    async def front_door() -> RedirectResponse:
        return RedirectResponse(pages.url("submissions", "/festival"), status_code=303)

    @router.get("/sign-in")
    async def sign_in_form(request: Request, next: str = "") -> HTMLResponse:  # noqa: A002 (the query's name)
        request.state.principal = await pages.principal(request)
        return sign_in_page(request, {"next": next})

    @router.post("/sign-in")
    async def sign_in(request: Request, engine: Engine, settings: Settings) -> Response:
        await pages.require_csrf(request)
        form = await form_fields(request, "username", "password", "next")
        try:
            body = SignIn(**filled(form, "username", "password"))
            token = await usecases.sign_in(engine, username=body.username, password=body.password,
                                           client=client_of(request), issuer=settings.token_issuer,
                                           token_minutes=settings.token_minutes,
                                           key_encryption_key=settings.key_encryption_key.get_secret_value())
        except ValidationError as error:
            return sign_in_page(request, form, field_errors(error), status=400)
        except Refusal as refusal:  # wrong credentials or locked: one message at the top, nothing more
            return sign_in_page(request, form, {"form": persian_number(refusal.fa)}, status=STATUS[refusal.kind])
        response = RedirectResponse(pages.safe_next(form["next"]), status_code=303)
        start_session(response, token, max_age=settings.token_minutes * 60, secure=settings.env == "production")
        return response

    @router.post("/sign-out")
    async def sign_out(request: Request) -> RedirectResponse:
        await pages.require_csrf(request)
        response = RedirectResponse(pages.url("registry", "/sign-in"), status_code=303)
        end_session(response)
        return response

    return router
