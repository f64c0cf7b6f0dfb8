"""The public events' catalogue as people read it: built from the same AsyncAPI document other systems' tooling
reads (shared/asyncapi.py), so the page can never say something the contract does not."""

import json
from functools import cache

from shared.asyncapi import document
from shared.contracts.catalogue import FIELDS, PUBLIC_EVENTS, Entry
from shared.contracts.compatibility import public_schemas


def _type_text(schema: dict, schemas: dict) -> str:
    """A field's type in a few words: string, integer, date-time, list of Award, map of string..."""
    options = [option for option in schema.get("anyOf", [schema]) if option.get("type") != "null"]
    parts = []
    for option in options:
        if "$ref" in option:
            parts.append(option["$ref"].rsplit("/", 1)[-1])
        elif option.get("type") == "array":
            parts.append(f"list of {_type_text(option.get('items', {}), schemas)}")
        elif option.get("type") == "object":
            values = option.get("additionalProperties")
            parts.append(f"map of {_type_text(values, schemas)}" if isinstance(values, dict) else "object")
        else:
            parts.append(option.get("format", option.get("type", "any")))
    return " or ".join(parts) or "any"


def _fields(payload: dict, schemas: dict) -> list[dict]:
    required = set(payload.get("required", []))
    return [{"name": name, "type": _type_text(schema, schemas), "required": name in required,
             "fa": FIELDS.get(name, ("", ""))[0], "en": FIELDS.get(name, ("", schema.get("description", "")))[1]}
            for name, schema in payload.get("properties", {}).items()]


def _view(entry: Entry, doc: dict) -> dict:
    name = f"public.{entry.contract.event_type()}"
    message, channel = doc["components"]["messages"][name], doc["channels"][name]
    scopes = channel["parameters"]["scope"]["enum"]
    return {"type": entry.contract.event_type(), "title_fa": entry.title_fa, "when_fa": entry.when_fa,
            "when_en": entry.when_en, "scopes": scopes if len(scopes) < 3 else [scopes[0], scopes[1], scopes[-1]],
            "by_district": len(scopes) > 1, "fields": _fields(message["payload"], doc["components"]["schemas"]),
            "example": json.dumps(message["examples"][0]["payload"], ensure_ascii=False, indent=2)}


@cache
def catalogue() -> dict:
    """Every public event with its description, routing keys, fields and example, and the document's version."""
    doc = document()
    return {"version": doc["info"]["version"], "asyncapi": doc["asyncapi"],
            "events": [_view(entry, doc) for entry in PUBLIC_EVENTS]}


@cache
def asyncapi_json() -> str:
    """The AsyncAPI document itself, for tooling."""
    return json.dumps(document(), ensure_ascii=False, indent=2, sort_keys=True)


def event_schema(event_type: str, version: int) -> dict | None:
    """The JSON schema a public event's `dataschema` names (its type at a schema version), or None."""
    return public_schemas().get(f"{event_type}@{version}")
