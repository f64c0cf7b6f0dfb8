"""Templates over HTTP: read, preview against a sample event, save (refused when broken), reset to the default."""

from datetime import datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncEngine

from services.notifications import db_admin
from services.notifications.api import city_wide_staff
from services.notifications.domain import SMS
from services.notifications.domain_delivery import sms_parts
from services.notifications.templates import TemplateRefused, check, effective
from services.notifications.templates_default import DEFAULTS, sample_context
from shared.models import StrictModel
from shared.principal import Principal
from shared.refusals import Kind, Refusal, not_found


class TemplateIn(StrictModel):
    subject: str = Field(default="", max_length=1000)
    text: str = Field(min_length=1, max_length=20_000)
    html: str = Field(default="", max_length=20_000)


class TemplateOut(BaseModel):
    rule: str
    channel: str
    subject: str
    text: str
    html: str
    customised: bool
    updated_by: str | None = None
    updated_at: datetime | None = None


class PreviewOut(BaseModel):
    rule: str
    channel: str
    subject: str
    text: str
    html: str
    sms_parts: int | None
    sample: dict


def refused(error: TemplateRefused) -> Refusal:
    """422 with the reason the template cannot be used."""
    return Refusal(Kind.INVALID, "template_refused", "قالب قابل استفاده نیست؛ با رویداد نمونه ساخته نشد.",
                    "The template does not render against the sample event.", {"reason": str(error)})


def _known(rule: str, channel: str) -> None:
    if (rule, channel) not in DEFAULTS:
        raise not_found("قالب", "Template")


def _out(rule: str, channel: str, overrides: dict) -> TemplateOut:
    parts = effective(rule, channel, overrides)
    saved = overrides.get((rule, channel))
    return TemplateOut(rule=rule, channel=channel, subject=parts.get("subject") or "", text=parts["text"],
                       html=parts.get("html") or "", customised=saved is not None,
                       updated_by=saved and saved["updated_by"], updated_at=saved and saved["updated_at"])


def build_templates_router(engine: AsyncEngine) -> APIRouter:
    """Routes bound to this service's engine (festival secretary and central secretariat only)."""
    router = APIRouter(tags=["templates"])

    @router.get("/templates", response_model=list[TemplateOut])
    async def list_templates(_: Principal = Depends(city_wide_staff)) -> list[TemplateOut]:
        """Every template in use: staff's version where saved, else the default."""
        async with engine.connect() as conn:
            overrides = await db_admin.template_overrides(conn)
        return [_out(rule, channel, overrides) for rule, channel in DEFAULTS]

    @router.get("/templates/{rule}/{channel}", response_model=TemplateOut)
    async def get_template(rule: str, channel: str, _: Principal = Depends(city_wide_staff)) -> TemplateOut:
        """One template."""
        _known(rule, channel)
        async with engine.connect() as conn:
            return _out(rule, channel, await db_admin.template_overrides(conn, rule=rule))

    @router.post("/templates/{rule}/{channel}/preview", response_model=PreviewOut)
    async def preview(rule: str, channel: str, body: TemplateIn | None = None,
                      _: Principal = Depends(city_wide_staff)) -> PreviewOut:
        """Render a draft (or the template in use, without a body) against the rule's sample event."""
        _known(rule, channel)
        if body is None:
            async with engine.connect() as conn:
                parts = effective(rule, channel, await db_admin.template_overrides(conn, rule=rule))
        else:
            parts = body.model_dump()
        try:
            rendered = check(rule, channel, parts)
        except TemplateRefused as error:
            raise refused(error) from None
        sample = {k: v for k, v in sample_context(rule).items() if k != "unsubscribe_url"}
        return PreviewOut(rule=rule, channel=channel, subject=rendered.subject, text=rendered.text,
                          html=rendered.html, sms_parts=sms_parts(rendered.text) if channel == SMS else None,
                          sample=_jsonable(sample))

    @router.put("/templates/{rule}/{channel}", response_model=TemplateOut)
    async def save(rule: str, channel: str, body: TemplateIn,
                   principal: Principal = Depends(city_wide_staff)) -> TemplateOut:
        """Save staff's version; refused (and nothing saved) when it does not render against the sample event."""
        _known(rule, channel)
        try:
            check(rule, channel, body.model_dump())
        except TemplateRefused as error:
            raise refused(error) from None
        async with engine.begin() as conn:
            await db_admin.save_template(conn, rule=rule, channel=channel, parts=body.model_dump(),
                                         by=principal.username or principal.subject)
            return _out(rule, channel, await db_admin.template_overrides(conn, rule=rule))

    @router.delete("/templates/{rule}/{channel}", response_model=TemplateOut)
    async def reset(rule: str, channel: str, _: Principal = Depends(city_wide_staff)) -> TemplateOut:
        """Go back to the default template."""
        _known(rule, channel)
        async with engine.begin() as conn:
            await db_admin.reset_template(conn, rule=rule, channel=channel)
        return _out(rule, channel, {})

    return router


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
