"""The festival ledger's hash chain: pure functions to seal and verify rows, to check the chain against its signed
checkpoints (anchors outside the database), and what the public feed shows."""

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64
SEALED_FIELDS = ("seq", "event_id", "event_type", "routing_key", "exchange", "correlation_id",
                 "causation_id", "payload", "recorded_at")


# Made once: json.dumps with options builds a new encoder on every call.
_CANONICAL_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode


def canonical(row: dict) -> bytes:
    """The bytes a row's hash covers: its sealed fields as sorted, compact JSON."""
    return _sealed_json(row).encode()


def _sealed_json(row: dict) -> str:
    sealed = {name: row[name] for name in SEALED_FIELDS}
    sealed["recorded_at"] = sealed["recorded_at"].isoformat()
    return _CANONICAL_JSON(sealed)


def seal(prev_hash: str, row: dict) -> str:
    """The row's hash, chained to the previous row's."""
    return hashlib.sha256(prev_hash.encode() + canonical(row)).hexdigest()


def unsealed(row: dict, recorded_at: datetime) -> str:
    """What `seal` covers of a row but its seq's digits and the closing brace ("seq" sorts last of the sealed fields):
    the database seals a row, once the append lock gives it its seq, as the SHA-256 of prev_hash, this text, the
    seq's digits and "}" in UTF-8 (registry migration 0012), the very hash `seal` gives."""
    return _sealed_json({**row, "seq": 0, "recorded_at": recorded_at})[:-2]


@dataclass(frozen=True)
class Verdict:
    """Outcome of a verification: how many rows were checked and the first broken one, if any."""

    checked: int
    first_broken_seq: int | None = None
    reason: str | None = None
    checkpoints: int = 0

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


# A checkpoint: the chain's head hash at a seq, signed (a compact JWS of `statement`) with a registry key.
CHECKPOINT_KIND = "hami-ledger-checkpoint"
CHECKPOINT_FIELDS = ("seq", "hash", "signed_at", "kid", "signature")
MAX_REASONS = 5  # problems a verdict spells out, the first (by seq) first


def statement(seq: int, head_hash: str, signed_at: datetime) -> bytes:
    """The bytes a checkpoint's signature covers: seq, head hash and time as sorted, compact JSON."""
    moment = signed_at.astimezone(UTC).isoformat(timespec="microseconds")
    return json.dumps({"hash": head_hash, "seq": seq, "signed_at": moment}, sort_keys=True,
                      separators=(",", ":")).encode()


def as_checkpoint(raw: Mapping) -> dict:
    """A checkpoint from a witness (a stored row, an event's payload, parsed JSON); ValueError when it is not one."""
    try:
        signed_at = raw["signed_at"]
        checkpoint = {"seq": int(raw["seq"]), "hash": str(raw["hash"]), "kid": str(raw["kid"]),
                      "signature": str(raw["signature"]),
                      "signed_at": signed_at if isinstance(signed_at, datetime) else datetime.fromisoformat(signed_at)}
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"not a ledger checkpoint: {error!r}") from error
    if checkpoint["signed_at"].tzinfo is None:
        raise ValueError("not a ledger checkpoint: signed_at has no time zone")
    return checkpoint


def check_anchors(verdict: Verdict, *, chain: Mapping[int, str], last_seq: int, stored: list[dict],
                  witnessed: list[dict], signed: Callable[[dict], bool]) -> Verdict:
    """The chain (already walked: `chain` has the hash at every checkpoint's seq) against its checkpoints, the
    stored ones and those other systems hold. A rewrite that recomputed every hash is found between the last
    checkpoint that still matches and the first that does not; removed rows, removed checkpoints and checkpoints
    whose signature does not hold are found too. The problems are reported by seq, the first one's seq as the
    first broken."""
    if not verdict.ok:
        return verdict
    stored_keys = {(c["seq"], c["signature"]) for c in stored}
    witnesses = {(c["seq"], c["signature"]): c for c in witnessed if (c["seq"], c["signature"]) not in stored_keys}
    every = sorted([*stored, *witnesses.values()], key=lambda c: c["seq"])
    holding = [c["seq"] for c in every if signed(c) and c["seq"] <= last_seq and chain.get(c["seq"]) == c["hash"]]
    problems = []
    for c in every:
        seq, when = c["seq"], c["signed_at"].isoformat()
        if not signed(c):
            problems.append((seq, f"the checkpoint at seq {seq} (key {c['kid']}) is not signed by a registry key"))
        elif seq > last_seq:
            problems.append((last_seq + 1, f"the ledger ends at seq {last_seq} but a checkpoint signed at {when} "
                                           f"covers seq {seq}: rows were removed"))
        elif chain.get(seq) != c["hash"]:
            start = max((good for good in holding if good < seq), default=0) + 1
            problems.append((start, f"a row from seq {start} to {seq} was rewritten: the chain at seq {seq} no "
                                    f"longer matches its checkpoint signed at {when}"))
        elif (seq, c["signature"]) in witnesses:
            problems.append((seq, f"the checkpoint at seq {seq} signed at {when}, held by a witness, is missing "
                                  "from the database"))
    if problems:
        problems.sort(key=lambda problem: problem[0])
        shown = [reason for _, reason in problems[:MAX_REASONS]]
        more = [f"{len(problems) - MAX_REASONS} more"] if len(problems) > MAX_REASONS else []
        return Verdict(verdict.checked, problems[0][0], "; ".join(shown + more), len(every))
    return Verdict(verdict.checked, checkpoints=len(every))


# What the public catch-up feed shows of a row (public events carry no personal data by contract).
PUBLIC_FIELDS = ("seq", "event_id", "event_type", "routing_key", "payload", "recorded_at")


def public_page(rows: list[dict], after_seq: int) -> dict:
    """A page of the public feed and the position to ask from next."""
    events = [{k: row[k] for k in PUBLIC_FIELDS} for row in rows]
    return {"events": events, "next_after_seq": events[-1]["seq"] if events else after_seq}
