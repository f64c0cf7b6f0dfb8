"""What the registry's JSON routes share: the settings and engine as dependencies, and the signed-in principal
(refused early where the table says so)."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine

from services.registry.permissions import PERMISSIONS, Capability
from services.registry.settings import RegistrySettings
from shared.auth import SignedIn
from shared.principal import Principal
from shared.web.connection import engine_of


def _settings(request: Request) -> RegistrySettings:
    return request.app.state.settings


# The settings the composition root built the app with.
Settings = Annotated[RegistrySettings, Depends(_settings)]
# The engine itself, for the one use case that commits before it refuses (sign-in counts failures).
Engine = Annotated[AsyncEngine, Depends(engine_of)]
# The caller, who must present a valid token.


def allowed_to(capability: Capability) -> Callable[..., Awaitable[Principal]]:
    """Dependency: the caller, refused before the request body is even validated unless the permissions table lets
    them (for capabilities that concern no district; the use case checks again, so no caller can forget)."""
    async def dependency(principal: SignedIn) -> Principal:
        PERMISSIONS.require(principal, capability)
        return principal
    return dependency
