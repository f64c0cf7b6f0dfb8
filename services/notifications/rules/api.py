"""The rules over HTTP: who hears about which event, on which channels (anyone holding a role in the festival may
read them; an organisation's account may not)."""

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from services.notifications.permissions import Capability
from services.notifications.rules.domain import DEFAULT_RULES
from services.notifications.web import allowed
from shared.principal import Principal

router = APIRouter(tags=["rules"])
Reader = Annotated[Principal, Depends(allowed(Capability.READ_RULES))]


class RuleOut(BaseModel):
    name: str
    event_type: str
    audience: str
    channels: list[str]
    essential: bool
    scope: str
    description: str


@router.get("/rules", response_model=list[RuleOut])
async def rules(_: Reader) -> list[RuleOut]:
    """Who hears about which event, on which channels; essential messages ignore opt-outs."""
    return [RuleOut(name=r.name, event_type=r.event_type, audience=r.audience.value, channels=list(r.channels),
                    essential=r.essential, scope=r.scope, description=r.description) for r in DEFAULT_RULES]
