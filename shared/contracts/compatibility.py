"""Compatibility of the public events with their last release: what a subscriber built on the released schemas would
find broken. A released event keeps its schema version's shape; a breaking change needs a new schema version, and
the old version is still published beside it until the next release drops it.

Breaking, for someone who reads the events: a field removed (or renamed), a field's type changed or narrowed, a new
required field, a required field made optional, an enum value removed. Adding an optional field is not.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from shared.contracts import ALL_EVENTS, Event

RELEASED = Path(__file__).resolve().parents[2] / "docs" / "contracts" / "released"


def key(contract: type[Event]) -> str:
    """An event's type and schema version, e.g. 'evaluation.results.published@1'."""
    return f"{contract.event_type()}@{contract.model_fields['schema_version'].default}"


def public_schemas(contracts: tuple[type[Event], ...] = ALL_EVENTS) -> dict[str, dict]:
    """Each public event's JSON schema as published, by key."""
    return {key(c): c.model_json_schema() for c in sorted(contracts, key=key) if c.public}


@dataclass
class Changes:
    """What changed from a release to now."""

    breaking: list[str] = field(default_factory=list)
    compatible: list[str] = field(default_factory=list)


def compare(released: dict[str, dict], current: dict[str, dict]) -> Changes:
    """Every difference between released and current schemas, breaking or not."""
    changes = Changes()
    for name, old in released.items():
        if name not in current:
            changes.breaking.append(f"{name}: no longer published")
            continue
        changes.breaking += _differences(name, old, current[name], old, current[name], changes.compatible)
    changes.compatible += [f"{name}: new event" for name in current if name not in released]
    return changes


def _resolve(schema: dict, root: dict) -> dict:
    """A schema with its local $ref followed (pydantic's '#/$defs/Name')."""
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _branches(schema: dict, root: dict) -> list[dict]:
    schema = _resolve(schema, root)
    options = schema.get("anyOf") or schema.get("oneOf")
    return [_resolve(option, root) for option in options] if options else [schema]


def _types(schema: dict, root: dict) -> set[str]:
    found = set()
    for branch in _branches(schema, root):
        kind = branch.get("type", "object" if "properties" in branch else "any")
        found.update(kind if isinstance(kind, list) else [kind])
    return found


def _first(schema: dict, root: dict, kind: str) -> dict | None:
    return next((b for b in _branches(schema, root) if b.get("type", "object") == kind), None)


def _differences(path: str, old: dict, new: dict, old_root: dict, new_root: dict, compatible: list[str]) -> list[str]:
    """Breaking differences of one schema (recursing into objects, arrays and maps); compatible ones noted."""
    found = []
    if lost := _types(old, old_root) - _types(new, new_root) - {"any"}:
        found.append(f"{path}: type {sorted(_types(old, old_root))} became {sorted(_types(new, new_root))}")
    old_enum, new_enum = _resolve(old, old_root).get("enum"), _resolve(new, new_root).get("enum")
    if old_enum and (removed := set(old_enum) - set(new_enum or old_enum)):
        found.append(f"{path}: enum values removed {sorted(removed)}")
    if lost:
        return found
    old_object, new_object = _first(old, old_root, "object"), _first(new, new_root, "object")
    if old_object and new_object:
        found += _object_differences(path, old_object, new_object, old_root, new_root, compatible)
    old_items, new_items = _first(old, old_root, "array"), _first(new, new_root, "array")
    if old_items and new_items and "items" in old_items and "items" in new_items:
        found += _differences(f"{path}[]", old_items["items"], new_items["items"], old_root, new_root, compatible)
    return found


def _object_differences(path: str, old: dict, new: dict, old_root: dict, new_root: dict,
                        compatible: list[str]) -> list[str]:
    found = []
    old_fields, new_fields = old.get("properties", {}), new.get("properties", {})
    old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
    for name, schema in old_fields.items():
        if name not in new_fields:
            found.append(f"{path}.{name}: removed")
            continue
        if name in old_required and name not in new_required:
            found.append(f"{path}.{name}: no longer required (subscribers may find it missing)")
        found += _differences(f"{path}.{name}", schema, new_fields[name], old_root, new_root, compatible)
    for name in new_fields.keys() - old_fields.keys():
        if name in new_required:
            found.append(f"{path}.{name}: new required field")
        else:
            compatible.append(f"{path}.{name}: new optional field")
    old_values, new_values = old.get("additionalProperties"), new.get("additionalProperties")
    if isinstance(old_values, dict) and isinstance(new_values, dict):  # a map's values, e.g. categories
        found += _differences(f"{path}{{}}", old_values, new_values, old_root, new_root, compatible)
    return found


def latest_release() -> tuple[str, dict[str, dict]] | None:
    """The newest released version and its schemas, or None before the first release."""
    files = sorted(RELEASED.glob("*.json"), key=lambda p: tuple(int(n) for n in p.stem.split(".")))
    if not files:
        return None
    return files[-1].stem, json.loads(files[-1].read_text(encoding="utf-8"))["events"]


def release(version: str) -> Path:
    """Keep the current public schemas as a release (what later changes are compared with)."""
    RELEASED.mkdir(parents=True, exist_ok=True)
    path = RELEASED / f"{version}.json"
    path.write_text(json.dumps({"version": version, "events": public_schemas()}, ensure_ascii=False, indent=2,
                               sort_keys=True) + "\n", encoding="utf-8")
    return path
