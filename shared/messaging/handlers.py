"""A service's table of typed event handlers; its queue's bindings are derived from the same table.

Handlers are plain functions `(conn, event)`, or methods of the service's handler class when they need
something (settings, a recorder...): the table names them without an instance (`{WorkReceived:
Handlers.on_received}`) and the composition root binds the table to one. The topology reads the table's types:
one list, so a queue can never be bound to an event nobody handles, nor miss one a handler waits for.
"""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from shared.contracts.base import Event

Handler = Callable[[AsyncConnection, Event], Awaitable[None]]
UnboundHandler = Handler | Callable[[Any, AsyncConnection, Event], Awaitable[None]]
EVERYTHING = "#"


def ignoring(reason: str, *contracts: type[Event]) -> dict[type[Event], str]:
    """Event types a service deliberately does not consume, with the reason (for HandlerTable.ignored)."""
    return dict.fromkeys(contracts, reason)


def binding_of(contract: type[Event]) -> str:
    """The routing-key pattern that reaches every scope of one event type, e.g. 'submissions.work.received.#'."""
    return f"{contract.event_type()}.#"


@dataclass(frozen=True)
class HandlerTable:
    """What a service consumes: internal and public event types with their handlers, the types it deliberately
    ignores (with the reason), and whether it keeps every event of an exchange (the ledger, webhooks)."""

    service: str
    handlers: Mapping[type[Event], UnboundHandler]
    public_handlers: Mapping[type[Event], UnboundHandler] = field(default_factory=dict)
    ignored: Mapping[type[Event], str] = field(default_factory=dict)
    every_internal: bool = False
    every_public: bool = False

    def __post_init__(self) -> None:
        for contract in self.handlers:
            if contract.public:
                raise ValueError(f"{contract.__name__} is public: list it in public_handlers")
        for contract in self.public_handlers:
            if not contract.public:
                raise ValueError(f"{contract.__name__} is internal: list it in handlers")
        if both := set(self.ignored) & (set(self.handlers) | set(self.public_handlers)):
            raise ValueError(f"handled and ignored at once: {sorted(c.__name__ for c in both)}")

    def bind(self, owner: object = None) -> dict[str, tuple[type[Event], Handler]]:
        """Internal event type -> (contract, handler bound to `owner` if any), as the consumer dispatches."""
        return _bound(self.handlers, owner)

    def bind_public(self, owner: object = None) -> dict[str, tuple[type[Event], Handler]]:
        """Public event type -> (contract, handler bound to `owner`)."""
        return _bound(self.public_handlers, owner)

    def internal_bindings(self) -> tuple[str, ...]:
        """Routing-key patterns on the internal exchange."""
        return (EVERYTHING,) if self.every_internal else _patterns(self.handlers)

    def public_bindings(self) -> tuple[str, ...]:
        """Routing-key patterns on the public exchange."""
        return (EVERYTHING,) if self.every_public else _patterns(self.public_handlers)

    def consumes(self) -> bool:
        """True when the service has a queue at all."""
        return bool(self.internal_bindings() or self.public_bindings())


def _bound(table: Mapping[type[Event], UnboundHandler], owner: object) -> dict[str, tuple[type[Event], Handler]]:
    return {contract.event_type(): (contract, _bind(handler, owner)) for contract, handler in table.items()}


def _bind(handler: UnboundHandler, owner: object) -> Handler:
    """The owner's method bound to it; a plain function as it is."""
    is_method = owner is not None and getattr(type(owner), handler.__name__, None) is handler
    return handler.__get__(owner) if is_method else handler


def _patterns(table: Mapping[type[Event], UnboundHandler]) -> tuple[str, ...]:
    return tuple(sorted(binding_of(contract) for contract in table))
