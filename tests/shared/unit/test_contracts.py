"""Event contracts: routing keys, versioning, tolerance of unknown fields, no personal data in public ones."""

import uuid

import pytest

from shared.contracts import ALL_EVENTS, district_scope
from shared.contracts.registry import BodyCreated
from shared.contracts.submissions import PublicWorkReceived, WorkReceived

# Field names that would carry personal data; public contracts must have none of them.
PERSONAL = ("name", "national_id", "mobile", "phone", "email", "address", "birth", "submitter", "tracking_code")


def test_routing_keys_mirror_the_hierarchy() -> None:
    city = BodyCreated(code="jury", kind="jury_committee", name_fa="کمیته داوری")
    district = BodyCreated(code="district-07", kind="district_secretariat", name_fa="دبیرخانه", district=7)
    assert city.routing_key() == "registry.body.created.city"
    assert district.routing_key() == "registry.body.created.d07"


@pytest.mark.parametrize("district", [0, 23, -1])
def test_a_scope_outside_districts_1_to_22_is_refused(district: int) -> None:
    with pytest.raises(ValueError):
        district_scope(district)


def test_consumers_ignore_unknown_fields() -> None:
    event = PublicWorkReceived(work_id=uuid.uuid4(), district=3, neighbourhood="ونک", category="welfare")
    payload = {**event.model_dump(mode="json"), "added_in_a_later_version": 1}
    assert PublicWorkReceived.model_validate(payload) == event


def test_every_event_has_an_id_a_time_and_a_schema_version() -> None:
    event = PublicWorkReceived(work_id=uuid.uuid4(), district=3, neighbourhood="ونک", category="welfare")
    dumped = event.model_dump(mode="json")
    assert {"event_id", "occurred_at", "schema_version"} <= dumped.keys()
    assert event.occurred_at.tzinfo is not None


def field_names(schema: dict) -> set[str]:
    """Every property name in a JSON schema, nested models included."""
    names = set(schema.get("properties", {}))
    for nested in schema.get("$defs", {}).values():
        names |= field_names(nested)
    return names


@pytest.mark.parametrize("contract", [c for c in ALL_EVENTS if c.public], ids=lambda c: c.__name__)
def test_no_public_contract_has_a_personal_field(contract) -> None:
    for field in field_names(contract.model_json_schema()):
        assert not any(word in field for word in PERSONAL), f"{contract.__name__}.{field} looks personal"


def test_the_personal_field_check_looks_inside_nested_models() -> None:
    assert "place" in field_names(ALL_EVENTS[-1].model_json_schema())


def test_the_internal_work_event_carries_what_consumers_need() -> None:
    assert {"submitter_mobile", "tracking_code", "district"} <= WorkReceived.model_fields.keys()
    assert any(c.public for c in ALL_EVENTS) and any(not c.public for c in ALL_EVENTS)
