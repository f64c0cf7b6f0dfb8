"""Rounds: opened, listed, ranked and closed by their managers, reopened by the festival secretary."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from services.evaluation.api.models import (
    ClosedOut,
    CloseIn,
    PlacingOut,
    ReassignedOut,
    ReassignIn,
    ReopenedOut,
    ReopenIn,
    RoundIn,
    RoundOut,
)
from services.evaluation.domain import CLOSED, OPEN
from services.evaluation.settings import EvaluationSettings
from services.evaluation.usecases import closing, opening, reassigning
from shared.auth import signed_in
from shared.persian import tehran_day_end_utc
from shared.principal import Principal
from shared.web.connection import Reading, Transaction

router = APIRouter(tags=["rounds"])


def _settings(request: Request) -> EvaluationSettings:
    return request.app.state.settings


# The settings the composition root built the app with.
Settings = Annotated[EvaluationSettings, Depends(_settings)]


@router.post("/rounds", status_code=201, response_model=RoundOut)
async def open_round(body: RoundIn, conn: Transaction, principal: Principal = Depends(signed_in)) -> RoundOut:
    """Open a round: tier 1 by the district's secretary, tier 2 by the central secretariat (after receipt)."""
    opened = await opening.open_round(
        conn, principal, edition=body.edition, tier=body.tier, district=body.district, category=body.category,
        deadline=tehran_day_end_utc(body.deadline) if body.deadline else None, k=body.k)
    return RoundOut(**opened)


@router.get("/rounds", response_model=list[RoundOut])
async def list_rounds(conn: Reading, principal: Principal = Depends(signed_in)) -> list[RoundOut]:
    """Rounds the caller manages or evaluates in."""
    return [RoundOut(**r) for r in await closing.list_rounds(conn, principal)]


@router.get("/rounds/{round_id}/ranking", response_model=list[PlacingOut])
async def ranking(round_id: uuid.UUID, conn: Reading, principal: Principal = Depends(signed_in)) -> list[PlacingOut]:
    """The ranking with an explanation per work: a live preview for managers, the stored result once closed."""
    return [PlacingOut(**row) for row in await closing.ranking_of(conn, principal, round_id=round_id)]


@router.post("/rounds/{round_id}/close", response_model=ClosedOut)
async def close(round_id: uuid.UUID, conn: Transaction, settings: Settings, body: CloseIn | None = None,
                principal: Principal = Depends(signed_in)) -> ClosedOut:
    """Close the round: final ranking, who advanced, events; refused while sheets are missing, unless closing at
    the deadline with a quorum ({"quorum": true}), the absent evaluators then recorded in the explanation."""
    quorum = settings.round_quorum if body and body.quorum else None
    return ClosedOut(state=CLOSED, advanced=await closing.close_round(conn, principal, round_id=round_id,
                                                                      quorum=quorum))


@router.post("/rounds/{round_id}/reopen", response_model=ReopenedOut)
async def reopen(round_id: uuid.UUID, body: ReopenIn, conn: Transaction,
                 principal: Principal = Depends(signed_in)) -> ReopenedOut:
    """Reopen a closed round (festival secretary only); the reopening is recorded with its reason."""
    count = await closing.reopen_round(conn, principal, round_id=round_id, reason=body.reason)
    return ReopenedOut(state=OPEN, reopenings=count)


@router.post("/rounds/{round_id}/works/{work_id}/reassign", response_model=ReassignedOut)
async def reassign(round_id: uuid.UUID, work_id: uuid.UUID, body: ReassignIn, conn: Transaction,
                   principal: Principal = Depends(signed_in)) -> ReassignedOut:
    """The round's manager gives a work from one evaluator to another eligible one, with a reason."""
    return ReassignedOut(**await reassigning.reassign(conn, principal, round_id=round_id, work_id=work_id,
                                                      from_person=body.from_person, to_person=body.to_person,
                                                      reason=body.reason))
