"""What the notifications routes share: the caller, refused unless the permissions table lets them act."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends

from services.notifications.permissions import PERMISSIONS, Capability
from shared.auth import signed_in
from shared.principal import Principal


def allowed(capability: Capability) -> Callable[..., Awaitable[Principal]]:
    """Dependency: the signed-in caller, refused (forbidden) unless they hold the capability.

    The use case checks the same table again; asking here too refuses a stranger before the request body is
    read, so they hear 403 rather than a 422 that would describe the body's schema (as before the table)."""
    async def dependency(principal: Annotated[Principal, Depends(signed_in)]) -> Principal:
        PERMISSIONS.require(principal, capability)
        return principal
    dependency.__name__ = f"allowed_{capability.value}"
    return dependency

