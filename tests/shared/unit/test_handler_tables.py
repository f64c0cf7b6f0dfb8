"""Each service's queue is bound to exactly what its handler table handles, and every event type another service
publishes is either handled or deliberately ignored with a reason."""

import asyncio
import re
from importlib import import_module as _import

import pytest

from shared.contracts import ALL_EVENTS
from shared.contracts.base import Event
from shared.messaging.handlers import HandlerTable
from shared.messaging.topology import CONSUMING_SERVICES, service_queues


def table(service: str) -> HandlerTable:
    """The service's handler table, as its composition root binds it."""
    return _import(f"services.{service}.handlers").TABLE


def matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic matching: '*' one word, '#' zero or more words."""
    regex = re.escape(pattern).replace(r"\*", r"[^.]+").replace(r"\#", r".*")
    regex = regex.replace(r"\..*", r"(\..*)?").replace(r".*\.", r"(.*\.)?")
    return re.fullmatch(regex, routing_key) is not None


def sample_keys(contract: type[Event]) -> list[str]:
    """Routing keys the event type can be published with (city-wide and district scopes)."""
    return [f"{contract.event_type()}.{scope}" for scope in ("city", "d01", "d22")]


@pytest.mark.parametrize("service", CONSUMING_SERVICES)
def test_every_bound_type_has_a_handler(service: str) -> None:
    handlers = table(service)
    queue = service_queues()[service]
    for exchange_bindings, handled, catches_all in (
        (queue.bindings, handlers.handlers, handlers.every_internal),
        (queue.public_bindings, handlers.public_handlers, handlers.every_public),
    ):
        public = exchange_bindings is queue.public_bindings
        for contract in (c for c in ALL_EVENTS if c.public == public):
            bound = any(matches(p, key) for p in exchange_bindings for key in sample_keys(contract))
            if bound and not catches_all:
                assert contract in handled, f"{service} is bound to {contract.__name__} but has no handler"
            if contract in handled:
                assert bound, f"{service} handles {contract.__name__} but its queue is not bound to it"


@pytest.mark.parametrize("service", CONSUMING_SERVICES)
def test_every_foreign_event_is_handled_or_ignored_on_purpose(service: str) -> None:
    handlers = table(service)
    decided = set(handlers.handlers) | set(handlers.public_handlers) | set(handlers.ignored)
    undecided = [
        c.__name__ for c in ALL_EVENTS
        if c.service != service and c not in decided
        and not (handlers.every_public if c.public else handlers.every_internal)
    ]
    assert not undecided, f"{service} neither handles nor ignores: {undecided}"
    assert all(len(reason) > 10 for reason in handlers.ignored.values())


def test_topic_matching_used_by_these_tests() -> None:
    assert matches("#", "a.b.c") and matches("a.b.#", "a.b.city") and matches("a.b.#", "a.b")
    assert not matches("a.b.#", "a.bc.city") and matches("a.*.c", "a.b.c") and not matches("a.*.c", "a.b.b.c")


def test_a_table_refuses_an_event_both_handled_and_ignored() -> None:
    contract = next(c for c in ALL_EVENTS if not c.public)

    async def handler(conn, event) -> None: ...

    with pytest.raises(ValueError):
        HandlerTable("x", handlers={contract: handler}, ignored={contract: "because of a reason"})
    public = next(c for c in ALL_EVENTS if c.public)
    with pytest.raises(ValueError):
        HandlerTable("x", handlers={public: handler})


def test_binding_gives_methods_their_owner_and_leaves_functions_alone() -> None:
    internal = [c for c in ALL_EVENTS if not c.public][:2]
    calls = []

    async def plain(conn, event) -> None:
        calls.append(("plain", conn))

    class Owner:
        async def method(self, conn, event) -> None:
            calls.append((self, conn))

    owner = Owner()
    bound = HandlerTable("x", handlers={internal[0]: plain, internal[1]: Owner.method}).bind(owner)
    for _, handler in bound.values():
        asyncio.run(handler("conn", None))
    assert calls == [("plain", "conn"), (owner, "conn")]
