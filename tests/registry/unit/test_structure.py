"""The declarative structure: expansion and idempotent reload plans."""

import csv
from dataclasses import replace
from pathlib import Path

import pytest

from services.registry.structure.domain import (
    Neighbourhood,
    expand_bodies,
    neighbourhood_code,
    parse_neighbourhoods,
    plan_bodies,
    plan_neighbourhoods,
)
from services.registry.structure.file import read_structure

STRUCTURE = Path(__file__).resolve().parents[3] / "deploy" / "festival-structure.yaml"


def test_the_default_structure_has_the_whole_festival() -> None:
    structure = read_structure(STRUCTURE)
    bodies, hoods = structure.bodies, structure.neighbourhoods
    kinds = [b.kind for b in bodies]
    assert kinds.count("policy_council") == kinds.count("festival_secretary") == 1
    assert kinds.count("specialised_committee") + kinds.count("jury_committee") == 4
    assert kinds.count("jury_committee") == 1 and kinds.count("central_secretariat") == 1
    assert kinds.count("district_secretariat") == 22
    for kind in ("executive_committee", "young_citizens_committee", "scientific_committee"):
        assert kinds.count(kind) == 22
    assert len(hoods) == 349
    assert [sum(h.district == d for h in hoods) for d in (1, 9, 22)] == [27, 9, 12]
    d07 = next(b for b in bodies if b.code == "district-07-executive")
    assert d07.parent_code == "district-07" and d07.district == 7 and "۷" in d07.name_fa


def test_loading_the_same_structure_twice_plans_nothing() -> None:
    structure = read_structure(STRUCTURE)
    bodies, hoods = structure.bodies, structure.neighbourhoods
    stored_bodies = {b.code: b for b in bodies}
    stored_hoods = {h.code: h for h in hoods}
    assert plan_bodies(stored_bodies, bodies) == []
    assert plan_neighbourhoods(stored_hoods, hoods) == []


def test_a_first_load_creates_everything() -> None:
    structure = read_structure(STRUCTURE)
    bodies, hoods = structure.bodies, structure.neighbourhoods
    events = plan_bodies({}, bodies) + plan_neighbourhoods({}, hoods)
    assert len(events) == len(bodies) + 349
    assert {e.event_type() for e in events} == {"registry.body.created", "registry.neighbourhood.created"}


def test_edits_change_renames_and_deactivate_removals() -> None:
    bodies = read_structure(STRUCTURE).bodies
    stored = {b.code: b for b in bodies}
    renamed = [replace(b, name_fa="کمیته داوری جشنواره") if b.code == "jury" else b for b in bodies]
    without_d22 = [b for b in renamed if b.district != 22]

    events = plan_bodies(stored, without_d22)

    types = sorted({e.event_type() for e in events})
    assert types == ["registry.body.changed", "registry.body.deactivated"]
    assert sum(e.event_type() == "registry.body.deactivated" for e in events) == 4
    assert all(not e.active for e in events if e.event_type() == "registry.body.deactivated")


def test_a_removed_neighbourhood_is_deactivated_and_comes_back_reactivated() -> None:
    hood = Neighbourhood(code=neighbourhood_code(3, "ونک"), district=3, name_fa="ونک")
    [gone] = plan_neighbourhoods({hood.code: hood}, [])
    assert gone.event_type() == "registry.neighbourhood.deactivated" and gone.routing_key().endswith(".d03")
    [back] = plan_neighbourhoods({hood.code: replace(hood, active=False)}, [hood])
    assert back.event_type() == "registry.neighbourhood.reactivated"


def test_neighbourhood_codes_are_stable_and_district_specific() -> None:
    assert neighbourhood_code(4, "جوادیه") == neighbourhood_code(4, "جوادیه")
    assert neighbourhood_code(4, "جوادیه") != neighbourhood_code(14, "جوادیه")
    assert neighbourhood_code(3, "ونك") == neighbourhood_code(3, "ونک")  # Arabic kaf normalised


@pytest.mark.parametrize(("rows", "problem"), [
    ([{"district": "23", "neighbourhood_fa": "x"}], "not 1..22"),
    ([{"district": "3", "neighbourhood_fa": " "}], "empty"),
    ([{"district": "3", "neighbourhood_fa": "ونک"}, {"district": "3", "neighbourhood_fa": "ونك"}], "twice"),
])
def test_bad_neighbourhood_rows_are_refused_with_their_line(rows: list[dict], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_neighbourhoods(rows)


def test_a_structure_with_an_unknown_parent_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown parent"):
        expand_bodies({"bodies": [{"code": "a", "kind": "k", "name_fa": "الف", "parent": "nowhere"}]})


def test_the_shipped_csv_is_the_seed_copy() -> None:
    with (STRUCTURE.parent / "tehran_neighbourhoods.csv").open(encoding="utf-8") as handle:
        assert sum(1 for _ in csv.DictReader(handle)) == 349
