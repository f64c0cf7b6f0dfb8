"""Each handler is typed with exactly the events the table sends it (RoundClosed was once typed RoundOpened),
and only unpacks its event and calls a use case."""

import ast
import inspect
import typing

import pytest

from services.notifications import handlers as module
from services.notifications.handlers import TABLE
from shared.contracts.base import Event

ROUTES = [*TABLE.handlers.items(), *TABLE.public_handlers.items()]


def accepted(handler) -> tuple[type[Event], ...]:
    """The event types a handler's `event` parameter is annotated with (the members of a union)."""
    annotation = typing.get_type_hints(handler)["event"]
    return typing.get_args(annotation) or (annotation,)


@pytest.mark.parametrize(("contract", "handler"), ROUTES, ids=lambda value: getattr(value, "__name__", str(value)))
def test_every_handler_is_typed_with_the_event_the_table_sends_it(contract: type[Event], handler) -> None:
    assert any(issubclass(contract, declared) for declared in accepted(handler)), (
        f"{handler.__name__} receives {contract.__name__} but is typed {accepted(handler)}")


def test_no_handler_claims_a_type_the_table_does_not_send_it() -> None:
    sent: dict[str, set[type[Event]]] = {}
    for contract, handler in ROUTES:
        sent.setdefault(handler.__name__, set()).add(contract)
    for _, handler in ROUTES:
        assert set(accepted(handler)) == sent[handler.__name__], handler.__name__


def test_handlers_only_call_use_cases() -> None:
    tree = ast.parse(inspect.getsource(module.Handlers))
    for method in (node for node in ast.walk(tree) if isinstance(node, ast.AsyncFunctionDef)):
        statements = [s for s in method.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        assert len(statements) == 1 and isinstance(statements[0], ast.Expr), method.name
        call = statements[0].value
        assert isinstance(call, ast.Await) and isinstance(call.value, ast.Call), method.name
        target = call.value.func
        assert isinstance(target, ast.Attribute) and target.value.id in {"projections", "rules"}, method.name
