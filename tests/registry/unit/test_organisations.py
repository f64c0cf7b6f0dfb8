"""Local institutions and partner organisations: validation and the structure file's organisations."""

from pathlib import Path

import pytest

from services.registry.organisations.domain import Organisation, checked, plan_organisations
from services.registry.structure.domain import neighbourhood_code
from services.registry.structure.file import read_structure
from shared.refusals import Refusal

VALID_LEGAL_ID = "10380284790"
DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


def test_a_partner_is_normalised_and_keeps_its_canonical_legal_id() -> None:
    ngo = checked(Organisation(code="mehr-ngo", kind="ngo", name_fa="انجمن  مهر", legal_entity_id="۱۰۳۸۰۲۸۴۷۹۰"),
                  None)
    assert ngo.legal_entity_id == VALID_LEGAL_ID and ngo.name_fa == "انجمن مهر"


@pytest.mark.parametrize(("organisation", "code"), [
    (Organisation(code="x-ngo", kind="ngo", name_fa="انجمن"), "invalid_legal_entity_id"),
    (Organisation(code="x-ngo", kind="ngo", name_fa="انجمن", legal_entity_id="10380284791"), "invalid_legal_entity_id"),
    (Organisation(code="x", kind="ngo", name_fa="انجمن", legal_entity_id=VALID_LEGAL_ID), "invalid_code"),
    (Organisation(code="x-house", kind="castle", name_fa="قلعه"), "unknown_organisation_kind"),
    (Organisation(code="x-sara", kind="neighbourhood_centre", name_fa="سرا"), "district_required"),
    (Organisation(code="x-sara", kind="neighbourhood_centre", name_fa="سرا", district=23), "invalid_district"),
])
def test_bad_organisations_are_refused(organisation: Organisation, code: str) -> None:
    with pytest.raises(Refusal) as refused:
        checked(organisation, None)
    assert refused.value.code == code


def test_a_neighbourhood_must_lie_in_the_organisations_district() -> None:
    sara = Organisation(code="sara-vanak", kind="neighbourhood_centre", name_fa="سرای ونک", district=7,
                        neighbourhood_code=neighbourhood_code(3, "ونک"))
    with pytest.raises(Refusal) as refused:
        checked(sara, 3)
    assert refused.value.code == "neighbourhood_outside_district"


def test_the_structure_file_can_list_organisations(tmp_path: Path) -> None:
    (tmp_path / "tehran_neighbourhoods.csv").write_text((DEPLOY / "tehran_neighbourhoods.csv").read_text())
    spec = (DEPLOY / "festival-structure.yaml").read_text().replace("organisations: []", """organisations:
  - {code: sara-nezamabad, kind: neighbourhood_centre, name_fa: سرای محله نظام آباد, district: 7,
     neighbourhood: نظام آباد}
  - {code: mehr-ngo, kind: ngo, name_fa: انجمن مهر, legal_entity_id: "10380284790"}""")
    (tmp_path / "structure.yaml").write_text(spec)

    organisations = read_structure(tmp_path / "structure.yaml").organisations

    assert [o.code for o in organisations] == ["sara-nezamabad", "mehr-ngo"]
    assert organisations[0].neighbourhood_code == neighbourhood_code(7, "نظام آباد")
    events = plan_organisations({}, organisations)
    assert [e.routing_key() for e in events] == ["registry.organisation.registered.d07",
                                                 "registry.organisation.registered.city"]
    assert plan_organisations({o.code: o for o in organisations}, organisations) == []
    [gone] = plan_organisations({o.code: o for o in organisations}, organisations[:1])
    assert gone.event_type() == "registry.organisation.changed" and gone.active is False


def test_a_bad_organisation_in_the_structure_file_names_itself(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("bodies: []\norganisations:\n  - {code: bad-ngo, kind: ngo, name_fa: بد}\n")
    with pytest.raises(ValueError, match="bad-ngo"):
        read_structure(tmp_path / "s.yaml")
