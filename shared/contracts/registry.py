"""Events the registry publishes: the festival's organisation."""

from typing import ClassVar

from shared.contracts.base import Event


class _Body(Event):
    service: ClassVar[str] = "registry"
    entity: ClassVar[str] = "body"

    code: str
    kind: str
    name_fa: str
    parent_code: str | None = None
    district: int | None = None
    active: bool = True


class BodyCreated(_Body):
    """A body (council, committee, secretariat...) was added to the structure."""

    action: ClassVar[str] = "created"


class BodyChanged(_Body):
    """A body's name, kind or place in the tree changed."""

    action: ClassVar[str] = "changed"


class BodyDeactivated(_Body):
    """A body left the structure; it is kept for its history."""

    action: ClassVar[str] = "deactivated"


class _Neighbourhood(Event):
    service: ClassVar[str] = "registry"
    entity: ClassVar[str] = "neighbourhood"

    code: str
    district: int
    name_fa: str
    active: bool = True


class NeighbourhoodCreated(_Neighbourhood):
    """A neighbourhood (محله) was added to a district."""

    action: ClassVar[str] = "created"


class NeighbourhoodDeactivated(_Neighbourhood):
    """A neighbourhood was removed from the structure; kept for its history."""

    action: ClassVar[str] = "deactivated"


class NeighbourhoodReactivated(_Neighbourhood):
    """A neighbourhood that had been removed is back in the structure."""

    action: ClassVar[str] = "reactivated"


EVENTS: tuple[type[Event], ...] = (
    BodyCreated, BodyChanged, BodyDeactivated,
    NeighbourhoodCreated, NeighbourhoodDeactivated, NeighbourhoodReactivated,
)
