"""The public verification page (no sign-in): is this certificate or letter genuine? A code typed in, or read from
a document's QR code, is checked against the festival ledger; a genuine one shows what it certifies and when the
ledger recorded it, anything else says plainly that the document is not genuine."""

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.registry.ledger import usecases
from shared.web.connection import Reading
from shared.web.documents import read_code
from shared.web.pages import Pages

PLACES = {"first": "رتبهٔ اول", "second": "رتبهٔ دوم", "third": "رتبهٔ سوم", "honourable_mention": "تقدیرنامه"}
CODE_PROBLEM = "کد راستی‌آزمایی ده نویسه است: حرف‌ها و رقم‌های لاتین، همان‌گونه که زیر کد QR چاپ شده است."


def document_key(request: Request) -> str:
    """The festival's document key, from the registry's settings."""
    return request.app.state.settings.document_key.get_secret_value()


def routes(pages: Pages) -> APIRouter:
    """The verification form and the verdict on a code."""
    router = pages.router()

    @router.get("/verify")
    async def verify_form(request: Request, code: str | None = None) -> Response:
        """The form to type a code; a code sent with it goes to its verdict (kept, with the problem, when it cannot
        be a code)."""
        if code is None or not code.strip():
            return pages.render(request, "verify.html", errors={"code": "کد را بنویسید."} if code is not None else {})
        found = read_code(code)
        if found is None:
            return pages.render(request, "verify.html", status=400, form={"code": code[:64]},
                                errors={"code": CODE_PROBLEM})
        return RedirectResponse(pages.url("registry", f"/verify/{quote(found)}"), status_code=303)

    @router.get("/verify/{code}")
    async def verdict(request: Request, code: str, conn: Reading) -> Response:
        """The verdict on a code: what a genuine document certifies, or that it is not genuine (404)."""
        found = read_code(code)
        certified = await usecases.certified_by(conn, document_key=document_key(request), code=found) if found else None
        return pages.render(request, "verify_result.html", status=200 if certified else 404,
                            code=found or "", certified=certified, places=PLACES)

    return router
