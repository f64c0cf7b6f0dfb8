"""Message templates as pages: every template in use by rule and channel; one template's page to edit it with a live
preview (htmx posts the draft; without JavaScript a button does) rendered against the rule's sample event, saved or
reset through the same use cases as the JSON routes. A template that does not render is refused at its field."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from services.notifications.admin.kit import form_fields, is_htmx
from services.notifications.delivery.domain import EMAIL, INBOX
from services.notifications.templates import usecases
from services.notifications.templates.api import TemplateIn
from services.notifications.web import Renderer
from shared.principal import Principal
from shared.refusals import Kind, Refusal
from shared.web.connection import Reading, Transaction, engine_of
from shared.web.pages import Pages, field_errors

PARTS = ("subject", "text", "html")
LABELS = {"subject": "عنوان", "text": "متن پیام", "html": "متن HTML ایمیل"}
ABOUT_WHO_OR_WHAT = frozenset({Kind.FORBIDDEN, Kind.NOT_FOUND, Kind.NOT_AUTHENTICATED})


def parts_of(channel: str) -> tuple[str, ...]:
    """The parts a channel's template has: a subject for email and the inbox, HTML for email only."""
    return tuple(p for p in PARTS if p == "text" or (p == "subject" and channel in (EMAIL, INBOX))
                 or (p == "html" and channel == EMAIL))


def at_its_field(refusal: Refusal) -> dict[str, str]:
    """A template's refusal at the part it concerns (the text when it names none); a refusal about the person or the
    template itself is re-raised (the refusal page)."""
    if refusal.kind in ABOUT_WHO_OR_WHAT:
        raise refusal
    return {str(refusal.details.get("part") or "text"): refusal.fa}


def sample_names(sample: dict, prefix: str = "") -> list[tuple[str, object]]:
    """The sample event's values as the names a template uses (work.title), in order."""
    names: list[tuple[str, object]] = []
    for key, value in sample.items():
        if isinstance(value, dict):
            names.extend(sample_names(value, f"{prefix}{key}."))
        else:
            names.append((f"{prefix}{key}", value))
    return names


def routes(pages: Pages) -> APIRouter:
    """The template pages."""
    router = pages.router()
    Person = Annotated[Principal, Depends(pages.person)]

    async def edit_page(request: Request, conn, principal: Principal, rule: str, channel: str, *, form: dict,
                        errors: dict, preview: dict | None, status: int = 200, notice: str = "") -> HTMLResponse:
        """A template's form with its preview and what the sample event offers."""
        template = await usecases.get_template(conn, principal, rule=rule, channel=channel)
        return pages.render(request, "template_edit.html", status=status, rule=rule, channel=channel,
                            template=template, parts=parts_of(channel), labels=LABELS, form=form, errors=errors,
                            preview=preview, samples=sample_names(preview["sample"]) if preview else [],
                            notice=notice)

    async def previewed(conn, principal: Principal, rule: str, channel: str, draft: dict | None,
                        renderer) -> tuple[dict | None, dict]:
        """The draft's preview, or the refusal at its field."""
        try:
            return await usecases.preview_template(conn, principal, rule=rule, channel=channel, draft=draft,
                                                   renderer=renderer), {}
        except Refusal as refusal:
            return None, at_its_field(refusal)

    @router.get("/admin/templates")
    async def templates(request: Request, principal: Person, conn: Reading) -> Response:
        """Every template in use, by rule, with each channel's link to edit it."""
        rows = await usecases.list_templates(conn, principal)
        by_rule: dict[str, list[dict]] = {}
        for row in rows:
            by_rule.setdefault(row["rule"], []).append(row)
        return pages.render(request, "templates.html", by_rule=by_rule)

    @router.get("/admin/templates/{rule}/{channel}")
    async def edit(request: Request, rule: str, channel: str, principal: Person, conn: Reading,
                   renderer: Renderer, done: str = "") -> Response:
        """One template's page: the form with the template in use and its preview."""
        template = await usecases.get_template(conn, principal, rule=rule, channel=channel)
        preview, errors = await previewed(conn, principal, rule, channel, None, renderer)
        notice = {"saved": "قالب ذخیره شد؛ پیام‌های تازه با آن ساخته می‌شوند.",
                  "reset": "قالب پیش‌فرض دوباره به کار رفت."}.get(done, "")
        return await edit_page(request, conn, principal, rule, channel, form={p: template[p] for p in PARTS},
                               errors=errors, preview=preview, notice=notice)

    @router.post("/admin/templates/{rule}/{channel}/preview")
    async def preview(request: Request, rule: str, channel: str, principal: Person, conn: Reading,
                      renderer: Renderer) -> Response:
        """The draft rendered against the sample event: the preview's piece for htmx, else the whole page."""
        await pages.require_csrf(request)
        form = await form_fields(request, *PARTS)
        try:
            draft = TemplateIn(**form).model_dump()
            result, errors = await previewed(conn, principal, rule, channel, draft, renderer)
        except ValidationError as error:
            result, errors = None, field_errors(error)
        if is_htmx(request):
            return pages.render(request, "template_preview.html", preview=result, errors=errors, labels=LABELS,
                                samples=sample_names(result["sample"]) if result else [])
        return await edit_page(request, conn, principal, rule, channel, form=form, errors=errors, preview=result,
                               status=400 if errors else 200)

    @router.post("/admin/templates/{rule}/{channel}")
    async def save(request: Request, rule: str, channel: str, principal: Person, conn: Reading,
                   renderer: Renderer) -> Response:
        """Save staff's version (refused at its field when it does not render), then the page again."""
        await pages.require_csrf(request)
        form = await form_fields(request, *PARTS)
        try:
            parts = TemplateIn(**form).model_dump()
            async with engine_of(request).begin() as tx:
                await usecases.save_template(tx, principal, rule=rule, channel=channel, parts=parts,
                                             renderer=renderer)
        except ValidationError as error:
            return await edit_page(request, conn, principal, rule, channel, form=form, errors=field_errors(error),
                                   preview=None, status=400)
        except Refusal as refusal:
            return await edit_page(request, conn, principal, rule, channel, form=form,
                                   errors=at_its_field(refusal), preview=None, status=422)
        return RedirectResponse(pages.url("notifications", f"/admin/templates/{rule}/{channel}?done=saved"),
                                status_code=303)

    @router.post("/admin/templates/{rule}/{channel}/reset")
    async def reset(request: Request, rule: str, channel: str, principal: Person, conn: Transaction) -> Response:
        """Go back to the default template, then its page."""
        await pages.require_csrf(request)
        await usecases.reset_template(conn, principal, rule=rule, channel=channel)
        return RedirectResponse(pages.url("notifications", f"/admin/templates/{rule}/{channel}?done=reset"),
                                status_code=303)

    return router
