"""Templates over HTTP (city-wide staff): read, preview against a sample event, save (refused when broken),
reset to the default."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from services.notifications.permissions import Capability
from services.notifications.templates import usecases
from services.notifications.web import Renderer, allowed
from shared.fields import Text
from shared.models import StrictModel
from shared.principal import Principal
from shared.web.connection import Reading, Transaction
from shared.web.jalali import JalaliModel

router = APIRouter(tags=["templates"])
Reader = Annotated[Principal, Depends(allowed(Capability.READ_TEMPLATES))]
Editor = Annotated[Principal, Depends(allowed(Capability.EDIT_TEMPLATES))]


class TemplateIn(StrictModel):
    subject: Text = Field(default="", max_length=1000)
    text: Text = Field(min_length=1, max_length=20_000)
    html: Text = Field(default="", max_length=20_000)


class TemplateOut(JalaliModel):
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


@router.get("/templates", response_model=list[TemplateOut])
async def list_templates(principal: Reader, conn: Reading) -> list[TemplateOut]:
    """Every template in use: staff's version where saved, else the default."""
    return [TemplateOut(**row) for row in await usecases.list_templates(conn, principal)]


@router.get("/templates/{rule}/{channel}", response_model=TemplateOut)
async def get_template(rule: str, channel: str, principal: Reader, conn: Reading) -> TemplateOut:
    """One template."""
    return TemplateOut(**await usecases.get_template(conn, principal, rule=rule, channel=channel))


@router.post("/templates/{rule}/{channel}/preview", response_model=PreviewOut)
async def preview(rule: str, channel: str, principal: Editor, conn: Reading, renderer: Renderer,
                  body: TemplateIn | None = None) -> PreviewOut:
    """Render a draft (or the template in use, without a body) against the rule's sample event, off the event
    loop within a time and size budget (template_too_costly past it)."""
    draft = body.model_dump() if body is not None else None
    return PreviewOut(**await usecases.preview_template(conn, principal, rule=rule, channel=channel, draft=draft,
                                                        renderer=renderer))


@router.put("/templates/{rule}/{channel}", response_model=TemplateOut)
async def save(rule: str, channel: str, body: TemplateIn, principal: Editor, conn: Transaction,
               renderer: Renderer) -> TemplateOut:
    """Save staff's version; refused (and nothing saved) when it does not render against the sample event within
    the same budget as a preview."""
    return TemplateOut(**await usecases.save_template(conn, principal, rule=rule, channel=channel,
                                                      parts=body.model_dump(), renderer=renderer))


@router.delete("/templates/{rule}/{channel}", response_model=TemplateOut)
async def reset(rule: str, channel: str, principal: Editor, conn: Transaction) -> TemplateOut:
    """Go back to the default template."""
    return TemplateOut(**await usecases.reset_template(conn, principal, rule=rule, channel=channel))
