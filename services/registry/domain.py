"""Pure registry rules: expanding the declarative structure and planning what a reload changes."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal, get_args

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
from shared.principal import Principal

NEIGHBOURHOOD_NAMESPACE = uuid.UUID("6f1c7c2e-0d7e-4b53-9a55-1f3f8e0b2a10")
Role = Literal["chair", "secretary", "member", "evaluator", "juror", "staff"]
ROLES: tuple[str, ...] = get_args(Role)
# Bodies whose members the festival secretary records (the council's members are named by the
# municipality; the secretary enters them); district bodies are their district secretary's.
FESTIVAL_SECRETARY_APPOINTS = frozenset(
    {"policy_council", "specialised_committee", "jury_committee", "central_secretariat", "district_secretariat"})
FREE_SIGN_IN_FAILURES = 5
MAX_SIGN_IN_LOCK = timedelta(minutes=30)


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


def is_festival_secretary(principal: Principal) -> bool:
    """The festival secretary (دبیر جشنواره)."""
    return principal.is_member("festival-secretary", "secretary")


def is_district_secretary(principal: Principal, district: int) -> bool:
    """The secretary of a district's lead secretariat."""
    return any(m.kind == "district_secretariat" and m.district == district and m.role == "secretary"
               for m in principal.memberships)


def may_appoint(principal: Principal, body: Body) -> bool:
    """Festival secretary: specialised committees, jury and secretariats; district secretary: own district's bodies."""
    if body.district is not None and is_district_secretary(principal, body.district):
        return True
    return is_festival_secretary(principal) and body.kind in FESTIVAL_SECRETARY_APPOINTS


def sign_in_lock(failures: int) -> timedelta | None:
    """How long a username is locked after this many consecutive failures (doubling, capped)."""
    if failures < FREE_SIGN_IN_FAILURES:
        return None
    return min(MAX_SIGN_IN_LOCK, timedelta(minutes=2 ** (failures - FREE_SIGN_IN_FAILURES)))
