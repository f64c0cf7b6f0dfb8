"""The committed AsyncAPI document is the one the contracts generate."""

import json

from shared.asyncapi import DOCUMENT, document, render
from shared.contracts import ALL_EVENTS


def test_the_committed_asyncapi_document_is_not_stale() -> None:
    assert DOCUMENT.exists(), "run `hami asyncapi` and commit docs/asyncapi.json"
    assert DOCUMENT.read_text(encoding="utf-8") == render(), "contracts changed: run `hami asyncapi` and commit"


def test_every_contract_has_a_channel_on_its_exchange() -> None:
    generated = document()
    assert len(generated["channels"]) == len(ALL_EVENTS)
    public = [c for c in generated["channels"].values() if c["bindings"]["amqp"]["exchange"]["name"] == "hami.public"]
    assert len(public) == sum(c.public for c in ALL_EVENTS) > 0
    assert json.loads(render()) == generated
