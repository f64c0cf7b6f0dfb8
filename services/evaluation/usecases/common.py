"""What several use cases load: a round (or a refusal), the evaluators a round may draw on, a work as the
assignment sees it, and the manager check."""

import uuid

from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation import db, db_rounds
from services.evaluation.assignment import Candidate, Entry
from services.evaluation.domain import drawn_from
from services.evaluation.permissions import PERMISSIONS, managing
from shared.principal import Principal
from shared.refusals import not_found


async def load_round(conn: AsyncConnection, round_id: uuid.UUID, *, lock: bool = False) -> dict:
    """The round, locked for a change when asked; not found otherwise."""
    found = await db_rounds.get_round(conn, round_id=round_id, lock=lock)
    if found is None:
        raise not_found("دور داوری", "Round")
    return found


def require_manager(principal: Principal, round_: dict) -> None:
    """Refuse unless the principal manages this round (its tier, and its district at tier 1)."""
    PERMISSIONS.require(principal, managing(round_["tier"]), district=round_["district"])


async def require_assigned(conn: AsyncConnection, round_id: uuid.UUID, work_id: uuid.UUID,
                           evaluator_id: uuid.UUID) -> None:
    """Refuse, as not found (nothing leaks), unless the work is assigned to the evaluator in the round."""
    if not await db_rounds.is_assigned(conn, round_id=round_id, work_id=work_id, evaluator_id=evaluator_id):
        raise not_found("اثر واگذارشده", "Assigned work")


async def candidates(conn: AsyncConnection, tier: int, district: int | None) -> list[Candidate]:
    """Who may evaluate a round, with their ties: the members of the district's committees at tier 1, the jurors at
    tier 2 (domain.drawn_from); each with their mobile, districts and the organisations they speak for."""
    kinds, roles = drawn_from(tier)
    rows = await db.evaluators(conn, kinds=kinds, roles=roles, district=district if tier == 1 else None)
    return [Candidate(person_id=r["person_id"], mobile=r["mobile"], districts=r["districts"],
                      organisations=r["organisations"]) for r in rows]


def entry(work: dict) -> Entry:
    """A projected work as the assignment sees it."""
    return Entry(work_id=work["work_id"], district=work["district"], submitter_mobile=work["submitter_mobile"],
                 organisation=work["organisation"])
