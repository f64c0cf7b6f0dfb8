"""Sealing a ledger row the database's way (the JSON up to the seq made by the registry, the seq's digits added under
the append lock: migration 0012) gives the very hash that sealing it whole gives, and that verification checks."""

import hashlib
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from services.registry.ledger.domain import GENESIS, SEALED_FIELDS, seal, unsealed

TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=20)
HASH = st.just(GENESIS) | st.text("0123456789abcdef", min_size=64, max_size=64)
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3), max_leaves=8)


@given(event_id=TEXT, event_type=TEXT, routing_key=TEXT, exchange=TEXT, correlation_id=st.none() | TEXT,
       causation_id=st.none() | TEXT, payload=st.dictionaries(TEXT, JSON, max_size=5),
       seq=st.integers(1, 2**62), seconds=st.integers(0, 10**9), prev_hash=HASH)
def test_sealing_the_database_s_way_gives_the_hash_of_sealing_whole(prev_hash: str, seq: int, seconds: int,
                                                                     **fields) -> None:
    recorded_at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds, microseconds=seconds % 999_983)

    # What ledger_append computes: sha256(convert_to(prev_hash || unsealed || seq || '}', 'UTF8'))
    the_database_s_way = hashlib.sha256(f"{prev_hash}{unsealed(fields, recorded_at)}{seq}}}".encode()).hexdigest()

    assert the_database_s_way == seal(prev_hash, {**fields, "seq": seq, "recorded_at": recorded_at})


def test_the_seq_comes_last_in_the_sealed_json() -> None:
    assert sorted(SEALED_FIELDS)[-1] == "seq"
