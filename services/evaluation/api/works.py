"""The works evaluation knows, limited to what the caller may see."""

import uuid

from fastapi import APIRouter, Depends, Query

from services.evaluation.api.models import WorkOut
from services.evaluation.usecases import works
from shared.auth import signed_in
from shared.principal import Principal
from shared.web.connection import Reading

router = APIRouter(tags=["works"])


@router.get("/works", response_model=list[WorkOut])
async def list_works(conn: Reading, principal: Principal = Depends(signed_in), limit: int = Query(50, ge=1, le=500),
                     offset: int = Query(0, ge=0, le=1_000_000)) -> list[WorkOut]:
    """Works known to evaluation, limited to the districts the caller may see."""
    return [WorkOut(**w) for w in await works.list_works(conn, principal, limit=limit, offset=offset)]


@router.get("/works/{work_id}", response_model=WorkOut)
async def get_work(work_id: uuid.UUID, conn: Reading, principal: Principal = Depends(signed_in)) -> WorkOut:
    """One work; 404 when it is not the caller's to see."""
    return WorkOut(**await works.get_work(conn, principal, work_id=work_id))
