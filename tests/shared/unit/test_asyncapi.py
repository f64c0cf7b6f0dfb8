"""The committed AsyncAPI document is the one the contracts generate."""

import json
import subprocess
from pathlib import Path

import jsonschema

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


PARSER = Path(__file__).resolve().parents[2] / "support" / "asyncapi"


def parser_diagnostics(document_path: Path) -> list[dict]:
    """What AsyncAPI's own parser (@asyncapi/parser, pinned in tests/support/asyncapi) says of a document."""
    assert (PARSER / "node_modules").exists(), "run `make test` (it installs the parser with `npm ci`)"
    done = subprocess.run(["node", str(PARSER / "check.mjs"), str(document_path)], capture_output=True, text=True,
                          timeout=120, check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_asyncapis_own_parser_finds_nothing_to_say_of_the_document() -> None:
    # Before issue #17 it found 252 errors (deliveryMode in message bindings, discriminator objects).
    assert parser_diagnostics(DOCUMENT) == []


def test_the_parser_check_can_fail(tmp_path: Path) -> None:
    broken = document()
    next(iter(broken["components"]["messages"].values()))["bindings"]["amqp"]["deliveryMode"] = 2
    path = tmp_path / "asyncapi.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    assert any(d["severity"] == "error" for d in parser_diagnostics(path))


def test_every_public_event_is_described_in_persian_and_english_with_a_valid_example() -> None:
    generated = document()
    schemas = generated["components"]["schemas"]
    for contract in (c for c in ALL_EVENTS if c.public):
        message = generated["components"]["messages"][f"public.{contract.event_type()}"]
        english, persian = message["description"].split("\n\n")
        assert english.isascii() and any("\u0600" <= ch <= "\u06ff" for ch in persian), contract
        [example] = message["examples"]
        jsonschema.validate(example["payload"], {**message["payload"], "components": {"schemas": schemas}})
        scopes = generated["channels"][f"public.{contract.event_type()}"]["parameters"]["scope"]["enum"]
        assert scopes[0] == "city" and len(scopes) in (1, 23)
