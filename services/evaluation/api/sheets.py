"""An evaluator's works in a round, their score sheets and declared conflicts."""

import uuid

from fastapi import APIRouter, Depends

from services.evaluation.api.models import ConflictIn, ConflictOut, MyWorkOut, SheetIn, SheetSaved
from services.evaluation.usecases import sheets
from shared.auth import signed_in
from shared.principal import Principal
from shared.web.connection import Reading, Transaction

router = APIRouter(tags=["rounds"])


@router.get("/rounds/{round_id}/my-works", response_model=list[MyWorkOut])
async def my_works(round_id: uuid.UUID, conn: Reading, principal: Principal = Depends(signed_in)) -> list[MyWorkOut]:
    """The works assigned to the caller in a round, with the caller's own sheet."""
    return [MyWorkOut(**w) for w in await sheets.my_works(conn, principal, round_id=round_id)]


@router.put("/rounds/{round_id}/works/{work_id}/sheet", response_model=SheetSaved)
async def save_sheet(round_id: uuid.UUID, work_id: uuid.UUID, body: SheetIn, conn: Transaction,
                     principal: Principal = Depends(signed_in)) -> SheetSaved:
    """Save the caller's sheet for an assigned work as a draft, or submit it; frozen once the round closes."""
    state = await sheets.save_sheet(conn, principal, round_id=round_id, work_id=work_id, scores=body.scores,
                                    comment=body.comment, submit=body.submit)
    return SheetSaved(state=state)


@router.post("/rounds/{round_id}/works/{work_id}/conflict", response_model=ConflictOut)
async def declare_conflict(round_id: uuid.UUID, work_id: uuid.UUID, body: ConflictIn, conn: Transaction,
                           principal: Principal = Depends(signed_in)) -> ConflictOut:
    """An evaluator declares a conflict of interest; the work goes to another free evaluator if there is one."""
    replacement = await sheets.declare_conflict(conn, principal, round_id=round_id, work_id=work_id,
                                                reason=body.reason)
    return ConflictOut(replaced_by=replacement)
