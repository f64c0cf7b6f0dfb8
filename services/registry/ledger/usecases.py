"""Ledger use cases: keep every event, sign its head now and then (checkpoints other systems keep as witnesses),
let city-wide staff query and verify it, and feed public events out."""

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.identity import db as identity_db
from services.registry.identity.crypto import open_private_key, sign_statement, signed_payload
from services.registry.ledger import db
from services.registry.ledger.domain import (
    CHECKPOINT_KIND,
    GENESIS,
    Verdict,
    as_checkpoint,
    check_anchors,
    public_page,
    statement,
    verify,
)
from services.registry.people import db as people_db
from services.registry.permissions import PERMISSIONS, Capability
from services.registry.tables import outbox
from shared.contracts.evaluation import ResultsPublished
from shared.contracts.registry import LedgerCheckpointed, MemberAppointed, MemberRemoved
from shared.messaging.inbox import Envelope
from shared.messaging.outbox import add_events
from shared.messaging.topology import PUBLIC_EXCHANGE
from shared.principal import Principal
from shared.web.documents import (
    APPOINTMENT,
    AWARD,
    appointment_subject,
    award_subject,
    document_code,
    same_code,
)

VERIFY_BATCH = 2_000


async def record(conn: AsyncConnection, events: list[tuple[Envelope, dict]]) -> None:
    """Keep events, as they were published, in the append-only ledger (chained in the order given)."""
    await db.append_all(conn, rows=[{
        "event_id": envelope.message_id, "event_type": envelope.event_type, "routing_key": envelope.routing_key,
        "exchange": envelope.exchange, "correlation_id": envelope.correlation_id,
        "causation_id": envelope.causation_id, "payload": payload,
    } for envelope, payload in events])


async def entries(conn: AsyncConnection, principal: Principal, *, event_type: str | None, district: int | None,
                  correlation_id: str | None, since: datetime | None, until: datetime | None, after_seq: int,
                  limit: int) -> list[dict]:
    """Every event the festival has seen, filtered by type, district, correlation id and time (city-wide staff)."""
    PERMISSIONS.require(principal, Capability.READ_LEDGER)
    return await db.query(conn, event_type=event_type, district=district, correlation_id=correlation_id,
                          since=since, until=until, after_seq=after_seq, limit=limit)


async def verify_ledger(conn: AsyncConnection, principal: Principal) -> Verdict:
    """Walk the hash chain for city-wide staff."""
    PERMISSIONS.require(principal, Capability.READ_LEDGER)
    return await verify_chain(conn)


async def verify_chain(conn: AsyncConnection, witnesses: Iterable[dict] = ()) -> Verdict:
    """Verify the whole chain in batches, then against its checkpoints: the stored ones and those witnesses (other
    systems) hold, each signature checked with the registry's public keys. The first problem is reported."""
    stored, witnessed = await db.checkpoints(conn), [as_checkpoint(w) for w in witnesses]
    wanted = {c["seq"] for c in (*stored, *witnessed)}
    verdict, prev_hash, after, chain = Verdict(0), GENESIS, 0, {}
    while rows := await db.query(conn, after_seq=after, limit=VERIFY_BATCH):
        verdict = verify(rows, prev_hash, verdict.checked)
        if not verdict.ok:
            return verdict
        chain.update((row["seq"], row["hash"]) for row in rows if row["seq"] in wanted)
        prev_hash, after = rows[-1]["hash"], rows[-1]["seq"]
    keys = {row["kid"]: row["public_jwk"] for row in await identity_db.signing_key_rows(conn)}

    def signed(checkpoint: dict) -> bool:
        jwk = keys.get(checkpoint["kid"])
        return jwk is not None and signed_payload(checkpoint["signature"], jwk, kind=CHECKPOINT_KIND) == statement(
            checkpoint["seq"], checkpoint["hash"], checkpoint["signed_at"])

    return check_anchors(verdict, chain=chain, last_seq=after, stored=stored, witnessed=witnessed, signed=signed)


async def checkpoint(conn: AsyncConnection, *, key_encryption_key: str) -> dict | None:
    """Sign the ledger's head with the active signing key, keep the checkpoint and publish it (LedgerCheckpointed,
    public), unless nothing but checkpoints was recorded since the last one; returns the checkpoint made."""
    await db.lock_checkpoints(conn)
    head, last = await db.head(conn), await db.last_checkpoint(conn)
    if head is None or (last is not None and not await db.recorded_since(
            conn, after_seq=last["seq"], besides=LedgerCheckpointed.event_type())):
        return None
    key = next((k for k in await identity_db.signing_key_rows(conn) if k["retired_at"] is None), None)
    if key is None:  # the registry makes its first key on start; nothing can be signed before
        return None
    signed_at = datetime.now(UTC)
    made = {**head, "signed_at": signed_at, "kid": key["kid"], "signature": sign_statement(
        statement(head["seq"], head["hash"], signed_at), kid=key["kid"],
        private_pem=open_private_key(key["private_pem"], key_encryption_key), kind=CHECKPOINT_KIND)}
    await db.add_checkpoint(conn, checkpoint=made)
    await add_events(conn, outbox, [LedgerCheckpointed(**made)])
    return made


async def checkpoints(conn: AsyncConnection) -> list[dict]:
    """The checkpoints kept, oldest first (what an operator hands to a witness)."""
    return await db.checkpoints(conn)


async def public_events(conn: AsyncConnection, *, after_seq: int, limit: int) -> dict:
    """Public events from a position, for external systems catching up."""
    return public_page(await db.query(conn, exchange=PUBLIC_EXCHANGE, after_seq=after_seq, limit=limit), after_seq)


async def certified_by(conn: AsyncConnection, *, document_key: str, code: str) -> dict | None:
    """What a document's short code certifies, as the festival ledger recorded it: an award the council published
    (ResultsPublished) or an appointment (MemberAppointed, with its end when a MemberRemoved followed); None when
    the ledger holds nothing the code was made for. Public: the verification page asks it without a sign-in."""
    if code.startswith(AWARD):
        for row in await db.of_type(conn, event_type=ResultsPublished.event_type()):
            payload = row["payload"]
            for award in payload.get("awards", []):
                subject = award_subject(payload["edition"], payload["category"], award["work_id"], award["place"])
                if same_code(document_code(document_key, AWARD, subject), code):
                    return {"kind": "award", "seq": row["seq"], "recorded_at": row["recorded_at"],
                            "edition": payload["edition"], "category": payload["category"], **award}
    elif code.startswith(APPOINTMENT):
        for row in await db.of_type(conn, event_type=MemberAppointed.event_type()):
            payload = row["payload"]
            if same_code(document_code(document_key, APPOINTMENT, appointment_subject(payload["appointment_id"])),
                         code):
                ended = await db.first_with(conn, event_type=MemberRemoved.event_type(), field="appointment_id",
                                            value=payload["appointment_id"])
                held = await people_db.appointment(conn, appointment_id=uuid.UUID(payload["appointment_id"]))
                return {"kind": "appointment", "seq": row["seq"], "recorded_at": row["recorded_at"], **payload,
                        "person_name": held["person_name"] if held else None,
                        "body_name": held["body_name"] if held else payload["body_code"],
                        "ended_at": ended["recorded_at"] if ended else None}
    return None
