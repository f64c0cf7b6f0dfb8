"""The public events against their last release: the current contracts break nothing; each kind of breaking change,
made on purpose, is refused; adding an optional field is not."""

import copy
from typing import ClassVar, Literal

from shared.contracts import ALL_EVENTS
from shared.contracts.compatibility import compare, key, latest_release, public_schemas
from shared.contracts.submissions import PublicWorkReceived, PublicWorkStatusChanged

RECEIVED = key(PublicWorkReceived)


def released() -> dict[str, dict]:
    """The schemas of the last release, as committed."""
    found = latest_release()
    assert found is not None, "no release under docs/contracts/released: run `hami asyncapi --release 1.0.0`"
    return found[1]


def with_contract(contract) -> dict[str, dict]:
    """Today's public schemas with one contract replaced (same type and schema version)."""
    others = tuple(c for c in ALL_EVENTS if key(c) != key(contract))
    return public_schemas((*others, contract))


def test_the_public_events_break_nothing_since_their_last_release() -> None:
    changes = compare(released(), public_schemas())
    assert changes.breaking == [], changes.breaking


def test_a_field_whose_type_changes_is_a_breaking_change() -> None:
    class DistrictAsText(PublicWorkReceived):
        district: str  # type: ignore[assignment]  # was an integer

    assert compare(released(), with_contract(DistrictAsText)).breaking == [
        f"{RECEIVED}.district: type ['integer'] became ['string']"]


def test_removed_renamed_required_and_narrowed_fields_are_each_breaking() -> None:
    current = copy.deepcopy(released())
    received = current[RECEIVED]
    received["properties"]["neighbourhood_name"] = received["properties"].pop("neighbourhood")  # renamed
    received["properties"]["note"] = {"type": "string"}
    received["required"] = [*received["required"], "note"]  # a new required field
    received["required"].remove("category")  # a required field made optional
    received["properties"]["edition"] = {"type": "string"}  # was a string or null: narrowed

    breaking = compare(released(), current).breaking

    assert f"{RECEIVED}.neighbourhood: removed" in breaking
    assert f"{RECEIVED}.note: new required field" in breaking
    assert any(line.startswith(f"{RECEIVED}.category: no longer required") for line in breaking)
    assert f"{RECEIVED}.edition: type ['null', 'string'] became ['string']" in breaking
    assert len(breaking) == 4


def test_an_enum_value_removed_is_breaking() -> None:
    status = key(PublicWorkStatusChanged)
    before = copy.deepcopy(released())
    before[status]["properties"]["status"] = {"type": "string", "enum": ["received", "withdrawn"]}
    after = copy.deepcopy(before)
    after[status]["properties"]["status"] = {"type": "string", "enum": ["received"]}
    assert compare(before, after).breaking == [f"{status}.status: enum values removed ['withdrawn']"]


def test_a_released_event_no_longer_published_is_breaking_and_a_new_one_is_not() -> None:
    class ReceivedV2(PublicWorkReceived):
        schema_version: int = 2
        kind: ClassVar[Literal["v2"]] = "v2"

    others = tuple(c for c in ALL_EVENTS if key(c) != RECEIVED)
    changes = compare(released(), public_schemas((*others, ReceivedV2)))
    assert changes.breaking == [f"{RECEIVED}: no longer published"]  # v1 must stay published beside v2
    assert changes.compatible == ["submissions.work.received@2: new event"]
    both = compare(released(), public_schemas((*ALL_EVENTS, ReceivedV2)))
    assert both.breaking == []


def test_an_optional_field_added_is_compatible() -> None:
    class WithOptional(PublicWorkReceived):
        organisation_code: str | None = None

    changes = compare(released(), with_contract(WithOptional))
    assert changes.breaking == [] and changes.compatible == [f"{RECEIVED}.organisation_code: new optional field"]
