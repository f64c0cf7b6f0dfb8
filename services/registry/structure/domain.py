"""Pure rules of the organisation's structure: expanding the declarative file, planning what a reload changes, and
staff edits of single bodies."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from shared.contracts.base import DISTRICTS, Event
from shared.contracts.registry import (
    BodyChanged,
    BodyCreated,
    BodyDeactivated,
    NeighbourhoodCreated,
    NeighbourhoodDeactivated,
    NeighbourhoodReactivated,
)
from shared.persian import normalize_text, to_persian_digits
from shared.refusals import Kind, Refusal, not_found

NEIGHBOURHOOD_NAMESPACE = uuid.UUID("6f1c7c2e-0d7e-4b53-9a55-1f3f8e0b2a10")
# Who manages a body or organisation: the structure file (a reload may change it) or staff (a reload leaves it).
STRUCTURE, STAFF = "structure", "staff"


@dataclass(frozen=True)
class Body:
    """A body of the organisation as the structure file describes it."""

    code: str
    kind: str
    name_fa: str
    parent_code: str | None = None
    district: int | None = None
    active: bool = True


@dataclass(frozen=True)
class Neighbourhood:
    """A neighbourhood; identified by (district, name), its code derived from both."""

    code: str
    district: int
    name_fa: str
    active: bool = True


def neighbourhood_code(district: int, name_fa: str) -> str:
    """Stable code for a neighbourhood: the same (district, name) always gives the same code."""
    return str(uuid.uuid5(NEIGHBOURHOOD_NAMESPACE, f"{district}:{normalize_text(name_fa)}"))


def expand_bodies(spec: dict) -> list[Body]:
    """Bodies from the structure file's mapping, with the district template expanded for 1..22."""
    bodies = [Body(code=b["code"], kind=b["kind"], name_fa=normalize_text(b["name_fa"]),
                   parent_code=b.get("parent")) for b in spec.get("bodies", [])]
    districts = spec.get("districts")
    if districts:
        for n in range(1, int(districts["count"]) + 1):
            secretariat = _from_template(districts["secretariat"], n, districts["secretariat"].get("parent"))
            bodies.append(secretariat)
            bodies += [_from_template(c, n, secretariat.code) for c in districts.get("committees", [])]
    _check_tree(bodies)
    return bodies


def _from_template(template: dict, n: int, parent: str | None) -> Body:
    values = {"n": to_persian_digits(str(n)), "nn": f"{n:02d}"}
    return Body(code=template["code"].format(**values), kind=template["kind"],
                name_fa=normalize_text(template["name_fa"].format(**values)),
                parent_code=parent.format(**values) if parent else None, district=n)


def _check_tree(bodies: list[Body]) -> None:
    codes = [b.code for b in bodies]
    if len(codes) != len(set(codes)):
        raise ValueError("structure file: body codes must be unique")
    unknown = {b.parent_code for b in bodies if b.parent_code and b.parent_code not in codes}
    if unknown:
        raise ValueError(f"structure file: unknown parent bodies {sorted(unknown)}")


def parse_neighbourhoods(rows: Iterable[dict]) -> list[Neighbourhood]:
    """Neighbourhoods from CSV rows (district, neighbourhood_fa); rejects bad districts and repeats."""
    seen: dict[str, Neighbourhood] = {}
    for line, row in enumerate(rows, start=2):
        district = int(row["district"])
        if district not in DISTRICTS:
            raise ValueError(f"neighbourhoods line {line}: district {district} is not 1..22")
        name = normalize_text(row["neighbourhood_fa"])
        if not name:
            raise ValueError(f"neighbourhoods line {line}: empty name")
        code = neighbourhood_code(district, name)
        if code in seen:
            raise ValueError(f"neighbourhoods line {line}: {name} appears twice in district {district}")
        seen[code] = Neighbourhood(code=code, district=district, name_fa=name)
    return list(seen.values())


def plan_bodies(current: dict[str, Body], desired: list[Body]) -> list[Event]:
    """Events that bring the stored bodies to the desired ones; removals deactivate."""
    events: list[Event] = []
    wanted = {b.code for b in desired}
    for body in desired:
        stored = current.get(body.code)
        if stored is None:
            events.append(BodyCreated(**_fields(body)))
        elif stored != body:
            events.append(BodyChanged(**_fields(body)))
    for code, stored in current.items():
        if code not in wanted and stored.active:
            events.append(BodyDeactivated(**{**_fields(stored), "active": False}))
    return events


def plan_neighbourhoods(current: dict[str, Neighbourhood], desired: list[Neighbourhood]) -> list[Event]:
    """Events that bring the stored neighbourhoods to the desired ones; removals deactivate."""
    events: list[Event] = []
    wanted = {n.code for n in desired}
    for hood in desired:
        stored = current.get(hood.code)
        if stored is None:
            events.append(NeighbourhoodCreated(**_fields(hood)))
        elif not stored.active:
            events.append(NeighbourhoodReactivated(**_fields(hood)))
    for code, stored in current.items():
        if code not in wanted and stored.active:
            events.append(NeighbourhoodDeactivated(**{**_fields(stored), "active": False}))
    return events


def _fields(item: Body | Neighbourhood) -> dict:
    return dict(item.__dict__)


def new_body(stored: dict[str, Body], body: Body) -> BodyCreated:
    """A body staff add under an existing, active one; refuses a code in use."""
    if body.code in stored:
        raise Refusal(Kind.CONFLICT, "body_exists", "نهادی با این شناسه هست.", "A body with this code exists.")
    parent = stored.get(body.parent_code)
    if parent is None or not parent.active:
        raise not_found("نهاد بالادست", "Parent body")
    return BodyCreated(**{**_fields(body), "name_fa": normalize_text(body.name_fa)})


def changed_body(stored: Body, changes: dict) -> BodyChanged | BodyDeactivated:
    """A body renamed or (de)activated by staff; deactivating says so in its event."""
    changed = Body(**{**_fields(stored), **changes})
    kind = BodyDeactivated if stored.active and not changed.active else BodyChanged
    return kind(**{**_fields(changed), "name_fa": normalize_text(changed.name_fa)})


def count_by_type(events: Iterable[Event]) -> dict[str, int]:
    """How many events of each type (what a reload reports)."""
    counts: dict[str, int] = {}
    for event in events:
        counts[event.event_type()] = counts.get(event.event_type(), 0) + 1
    return counts
