"""Reading the declarative festival structure file (YAML, with the neighbourhoods' CSV beside it)."""

import csv
from dataclasses import dataclass
from pathlib import Path

import yaml

from services.registry.organisations.domain import Organisation, checked
from services.registry.structure.domain import (
    Body,
    Neighbourhood,
    expand_bodies,
    neighbourhood_code,
    parse_neighbourhoods,
)
from shared.refusals import Refusal


@dataclass(frozen=True)
class Structure:
    """Everything the structure file describes."""

    bodies: list[Body]
    neighbourhoods: list[Neighbourhood]
    organisations: list[Organisation]


def read_structure(path: Path) -> Structure:
    """Bodies, neighbourhoods (from the CSV it names) and organisations described by the structure file."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    hoods = []
    if spec.get("neighbourhoods"):
        with (path.parent / spec["neighbourhoods"]).open(encoding="utf-8", newline="") as handle:
            hoods = parse_neighbourhoods(csv.DictReader(handle))
    districts_of = {h.code: h.district for h in hoods}
    organisations = []
    for entry in spec.get("organisations") or []:
        hood = neighbourhood_code(entry["district"], entry["neighbourhood"]) if entry.get("neighbourhood") else None
        organisation = Organisation(code=entry["code"], kind=entry["kind"], name_fa=entry["name_fa"],
                                    legal_entity_id=entry.get("legal_entity_id"), district=entry.get("district"),
                                    neighbourhood_code=hood)
        try:
            organisations.append(checked(organisation, districts_of.get(hood)))
        except Refusal as error:
            raise ValueError(f"structure file: organisation {entry['code']}: {error.en}") from None
    return Structure(expand_bodies(spec), hoods, organisations)
