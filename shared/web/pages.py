"""Pages for people: one look for all four services (layout, navigation, components, static files), Persian
first. A service's pages router renders its own templates inside the shared layout and calls the same use cases
as its JSON routes; a refusal on a page becomes a Persian page, never JSON.
"""

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.auth import TokenVerifier
from shared.errors import STATUS, UNREACHABLE_TYPES, refusal_headers, unavailable_for
from shared.persian import format_jalali_date, format_jalali_datetime, format_jalali_long, to_persian_digits
from shared.principal import Principal
from shared.refusals import Kind, Refusal
from shared.web.session import CSRF_FIELD, bearer_or_cookie, csrf_ok, csrf_refusal, csrf_token_of, remember_csrf

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
SHARED_TEMPLATES = HERE / "templates"
# Refusals that are about the person or the thing, not the form: shown as the refusal page.
NOT_ABOUT_THE_FORM = frozenset({Kind.FORBIDDEN, Kind.NOT_FOUND, Kind.NOT_AUTHENTICATED})
T = TypeVar("T")
# Pydantic's error types in plain Persian; anything else gets the general sentence.
FIELD_PROBLEMS = {
    "missing": "این بخش را پر کنید.",
    "string_too_short": "این بخش کوتاه‌تر از حد لازم است.",
    "string_too_long": "این بخش بلندتر از حد مجاز است.",
    "string_pattern_mismatch": "قالب این بخش درست نیست.",
    "int_parsing": "یک عدد بنویسید.",
    "greater_than_equal": "عدد کوچک‌تر از حد مجاز است.",
    "less_than_equal": "عدد بزرگ‌تر از حد مجاز است.",
    "literal_error": "یکی از گزینه‌ها را انتخاب کنید.",
    "enum": "یکی از گزینه‌ها را انتخاب کنید.",
}
GENERAL_PROBLEM = "مقدار واردشده معتبر نیست."


class SignInRequired(Exception):
    """The page needs a signed-in person and the browser has no valid session."""


def persian_number(value: object) -> str:
    """Any number or text with Persian digits, as people read it."""
    return to_persian_digits(str(value))


def jalali(value: datetime | None, with_time: bool = False) -> str:
    """A moment as a Jalali date (and Tehran time) in Persian digits; a dash when missing."""
    if value is None:
        return "—"
    return format_jalali_datetime(value) if with_time else format_jalali_date(value)


def jalali_long(value: datetime | None) -> str:
    """A moment as a Jalali date with the month's name (۶ آذر ۱۴۰۵); a dash when missing."""
    return format_jalali_long(value) if value is not None else "—"


def field_errors(error: ValidationError) -> dict[str, str]:
    """Field name -> a Persian message, from a pydantic validation error of a form's model."""
    errors: dict[str, str] = {}
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "form"
        kind = item["type"]
        if kind in ("string_too_short", "string_pattern_mismatch") and not str(item.get("input", "")).strip():
            kind = "missing"  # an empty box is a missing answer, not a short or malformed one
        message = FIELD_PROBLEMS.get(kind, GENERAL_PROBLEM)
        if kind == "string_too_long" and "max_length" in item.get("ctx", {}):
            limit = f"{item['ctx']['max_length']:,}".replace(",", "٬")  # the Persian thousands separator
            message = f"این بخش بیش از {persian_number(limit)} نویسه است."
        errors.setdefault(field, message)
    return errors


def refusal_errors(refusal: Refusal, fields: Mapping[str, str]) -> dict[str, str]:
    """A refusal from a use case placed at the field it concerns (by its code), or at the top of the form."""
    return {fields.get(refusal.code, "form"): refusal.fa}


async def in_transaction(engine: AsyncEngine, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    """Run a use case in a transaction of its own: committed when it returns, rolled back when it refuses."""
    async with engine.begin() as conn:
        return await work(conn)


def about_the_form(refusal: Refusal) -> Refusal:
    """The refusal, when the form should show it; re-raised (the refusal page) when it is about who asks."""
    if refusal.kind in NOT_ABOUT_THE_FORM:
        raise refusal
    return refusal


class Pages:
    """A service's templates (its own folder first, then the shared layout and components) and how to render
    them for a request."""

    def __init__(self, service: str, templates: Path, site_urls: Mapping[str, str], *, secure_cookies: bool,
                 verifier: Callable[[Request], TokenVerifier] | None = None) -> None:
        self.service, self.site_urls, self.secure_cookies = service, dict(site_urls), secure_cookies
        self._verifier = verifier or (lambda request: request.app.state.token_verifier)
        self.env = Environment(loader=ChoiceLoader([FileSystemLoader(templates), FileSystemLoader(SHARED_TEMPLATES)]),
                               autoescape=select_autoescape(default=True), undefined=StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True)
        self.env.filters.update(fa=persian_number, jalali=jalali, jalali_long=jalali_long)
        self.env.globals.update(url=self.url, service=service, csrf_field=CSRF_FIELD)

    def url(self, service: str, path: str = "/") -> str:
        """Where a browser finds a page of any service (one origin in compose, ports under `hami run`)."""
        return f"{self.site_urls.get(service, '').rstrip('/')}{path}"

    async def principal(self, request: Request) -> Principal | None:
        """The signed-in person of a page request, or None (no session, or it expired)."""
        token, _ = bearer_or_cookie(request)
        if not token:
            return None
        try:
            return await self._verifier(request).verify(token)
        except Refusal:
            return None

    async def person(self, request: Request) -> Principal:
        """Dependency for pages that need someone signed in: otherwise back to the sign-in page."""
        principal = await self.principal(request)
        if principal is None:
            raise SignInRequired()
        request.state.principal = principal
        return principal

    def render(self, request: Request, template: str, /, status: int = 200, **context: Any) -> HTMLResponse:
        """The page, with the person, the CSRF token and the links every template may use."""
        values = {"request": request, "principal": getattr(request.state, "principal", None),
                  "csrf_token": csrf_token_of(request), "errors": {}, "form": {}, **context}
        response = HTMLResponse(self.env.get_template(template).render(values), status_code=status)
        remember_csrf(request, response, secure=self.secure_cookies)
        return response

    def refused(self, request: Request, refusal: Refusal) -> HTMLResponse:
        """A refusal as a Persian page with its status (and Retry-After when it passes by itself)."""
        response = self.render(request, "refused.html", status=STATUS[refusal.kind], refusal=refusal)
        response.headers.update(refusal_headers(refusal))
        return response

    def sign_in_url(self, request: Request) -> str:
        """Registry's sign-in page, coming back to this page afterwards."""
        here = self.url(self.service, request.url.path) + (f"?{request.url.query}" if request.url.query else "")
        return self.url("registry", f"/sign-in?next={quote(here, safe='')}")

    def safe_next(self, target: str | None) -> str:
        """Where to go after signing in: only our own pages (never another site)."""
        # Browsers read a backslash as a slash (slash-backslash is "//", another site): such targets are refused.
        if target and not any(char in target for char in "\\\t\r\n"):
            parts = urlsplit(target)
            ours = [urlsplit(base) for base in self.site_urls.values()]
            if (not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")) \
                    or any((parts.scheme, parts.netloc) == (o.scheme, o.netloc) and o.netloc for o in ours):
                return target
        return self.url("registry", "/desk")

    async def require_csrf(self, request: Request) -> None:
        """Refuse a form post that did not come from our own page."""
        if not await csrf_ok(request):
            raise csrf_refusal()

    def router(self) -> APIRouter:
        """A router for this service's pages: refusals become Persian pages, a missing session the sign-in."""
        pages = self

        class PageRoute(APIRoute):
            def get_route_handler(self) -> Callable:
                handler = super().get_route_handler()

                async def handle(request: Request) -> Response:
                    try:
                        return await handler(request)
                    except SignInRequired:
                        return RedirectResponse(pages.sign_in_url(request), status_code=303)
                    except Refusal as refusal:
                        return pages.refused(request, refusal)
                    except UNREACHABLE_TYPES as error:
                        # The database (or broker) is away: a "try again shortly" page, as the JSON routes' 503.
                        if (refusal := unavailable_for(request, error)) is None:
                            raise
                        return pages.refused(request, refusal)
                return handle

        return APIRouter(route_class=PageRoute, include_in_schema=False)


def mount_static(app: FastAPI) -> None:
    """The shared static files (vendored libraries, the festival's stylesheet) at /static."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
