"""`hami ledger`: verify the chain against its checkpoints and witnesses, sign a checkpoint now, hand the
checkpoints to a witness, replay events."""

import argparse
import json
from pathlib import Path

from ops import bus
from ops.settings import amqp_url, database_url, key_encryption_key
from services.registry.ledger import db as ledger_db
from services.registry.ledger import usecases
from services.registry.ledger.domain import CHECKPOINT_FIELDS, as_checkpoint
from shared.contracts.registry import LedgerCheckpointed
from shared.db import make_engine
from shared.messaging.topology import service_queues

REPLAY_BATCH = 500


async def ledger(args: argparse.Namespace) -> int:
    """Dispatch `hami ledger ACTION`."""
    try:
        witnesses = [w for path in args.witness or () for w in load_witnesses(Path(path))]
    except (OSError, ValueError) as error:
        print(f"cannot read a witness file: {error}", flush=True)
        return 2
    engine = make_engine(database_url("registry"), pool_size=1, max_overflow=0)
    try:
        if args.action == "checkpoint":
            async with engine.begin() as conn:
                made = await usecases.checkpoint(conn, key_encryption_key=key_encryption_key())
            print(f"signed the head at seq {made['seq']} ({made['hash']})" if made else
                  "nothing new since the last checkpoint", flush=True)
            return 0
        async with engine.connect() as conn:
            if args.action == "verify":
                return report(await usecases.verify_chain(conn, witnesses))
            if args.action == "checkpoints":
                print(json.dumps([as_witness(c) for c in await usecases.checkpoints(conn)], indent=1), flush=True)
                return 0
            return await replay(conn, args)
    finally:
        await engine.dispose()


def report(verdict) -> int:
    """Print the verdict; 0 when the chain is intact, 1 otherwise."""
    checked = f"checked {verdict.checked} rows and {verdict.checkpoints} checkpoints"
    if verdict.ok:
        print(f"{checked}: the chain is intact", flush=True)
        return 0
    print(f"{checked}: broken from seq {verdict.first_broken_seq}: {verdict.reason}", flush=True)
    return 1


def load_witnesses(path: Path) -> list[dict]:
    """Checkpoints another system kept: a JSON list of checkpoints (as `hami ledger checkpoints` prints them), of
    registry.ledger.checkpointed events (their payloads), or a /public-events page."""
    document = json.loads(path.read_text(encoding="utf-8"))
    items = document.get("checkpoints", document.get("events", [document])) if isinstance(document, dict) \
        else document
    if not isinstance(items, list):
        raise ValueError(f"{path}: expected a list of checkpoints")
    found = []
    for item in items:
        if not isinstance(item, dict):
            raise ValueError(f"{path}: expected a list of checkpoints")
        if "payload" in item:  # an event: only checkpoints count
            if item.get("event_type", LedgerCheckpointed.event_type()) != LedgerCheckpointed.event_type():
                continue
            item = item["payload"]
        found.append(as_checkpoint(item))
    return found


def as_witness(checkpoint: dict) -> dict:
    """A checkpoint as JSON."""
    return {**{k: checkpoint[k] for k in CHECKPOINT_FIELDS}, "signed_at": checkpoint["signed_at"].isoformat()}


async def replay(conn, args: argparse.Namespace) -> int:
    """Republish events (original ids: consumers apply each at most once)."""
    sent, after = 0, args.after_seq
    queue = service_queues()[args.to].name if args.to else None
    while sent < args.limit:
        rows = await ledger_db.query(conn, event_type=args.type, after_seq=after,
                                     limit=min(REPLAY_BATCH, args.limit - sent))
        if not rows:
            break
        sent += await bus.republish(amqp_url(), rows, queue=queue)
        after = rows[-1]["seq"]
        print(f"replayed {sent} events (up to seq {after})", flush=True)
    print(f"done: {sent} events", flush=True)
    return 0
