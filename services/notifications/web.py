"""What the notifications routes share: the caller, refused unless the permissions table lets them act; the text,
number and policy types their parameters use."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Query, Request

from services.notifications.permissions import PERMISSIONS, Capability
from services.notifications.templates.budget import DraftRenderer
from services.notifications.webhooks.targets import WebhookTargets
from shared.auth import signed_in
from shared.principal import Principal

# PostgreSQL's bigint ends here; OFFSET takes one, and paging past this is no request a person makes.
MAX_OFFSET = 2**31 - 1


def allowed(capability: Capability) -> Callable[..., Awaitable[Principal]]:
    """Dependency: the signed-in caller, refused (forbidden) unless they hold the capability.

    The use case checks the same table again; asking here too refuses a stranger before the request body is
    read, so they hear 403 rather than a 422 that would describe the body's schema (as before the table)."""
    async def dependency(principal: Annotated[Principal, Depends(signed_in)]) -> Principal:
        PERMISSIONS.require(principal, capability)
        return principal
    dependency.__name__ = f"allowed_{capability.value}"
    return dependency


Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


def _targets(request: Request) -> WebhookTargets:
    """The endpoint address policy the composition root built (main.py)."""
    return request.app.state.webhook_targets


def _renderer(request: Request) -> DraftRenderer:
    """The budgeted renderer of draft templates the composition root built (main.py)."""
    return request.app.state.draft_renderer


Targets = Annotated[WebhookTargets, Depends(_targets)]
Renderer = Annotated[DraftRenderer, Depends(_renderer)]
