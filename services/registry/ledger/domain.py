"""The festival ledger's hash chain: pure functions to seal and verify rows, and what the public feed shows."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS = "0" * 64
SEALED_FIELDS = ("seq", "event_id", "event_type", "routing_key", "exchange", "correlation_id",
                 "causation_id", "payload", "recorded_at")


def canonical(row: dict) -> bytes:
    """The bytes a row's hash covers: its sealed fields as sorted, compact JSON."""
    sealed = {name: row[name] for name in SEALED_FIELDS}
    sealed["recorded_at"] = sealed["recorded_at"].isoformat()
    return json.dumps(sealed, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def seal(prev_hash: str, row: dict) -> str:
    """The row's hash, chained to the previous row's."""
    return hashlib.sha256(prev_hash.encode() + canonical(row)).hexdigest()


@dataclass(frozen=True)
class Verdict:
    """Outcome of a verification: how many rows were checked and the first broken one, if any."""

    checked: int
    first_broken_seq: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        """True when every row checked out."""
        return self.first_broken_seq is None


def verify(rows: Iterable[dict], prev_hash: str = GENESIS, checked: int = 0) -> Verdict:
    """Walk rows in seq order; report the first whose link or content does not match."""
    for row in rows:
        if row["prev_hash"] != prev_hash:
            return Verdict(checked, row["seq"], "prev_hash does not match the previous row")
        if seal(prev_hash, row) != row["hash"]:
            return Verdict(checked, row["seq"], "content does not match its hash")
        prev_hash, checked = row["hash"], checked + 1
    return Verdict(checked)


# What the public catch-up feed shows of a row (public events carry no personal data by contract).
PUBLIC_FIELDS = ("seq", "event_id", "event_type", "routing_key", "payload", "recorded_at")


def public_page(rows: list[dict], after_seq: int) -> dict:
    """A page of the public feed and the position to ask from next."""
    events = [{k: row[k] for k in PUBLIC_FIELDS} for row in rows]
    return {"events": events, "next_after_seq": events[-1]["seq"] if events else after_seq}
