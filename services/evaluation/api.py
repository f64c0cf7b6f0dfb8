"""Evaluation HTTP interface: the works waiting for evaluation."""

import uuid
from datetime import datetime

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncEngine

from services.evaluation import db
from services.evaluation.domain import visible_districts
from shared.auth import signed_in, visible_or_404
from shared.principal import Principal


class WorkOut(BaseModel):
    work_id: uuid.UUID
    district: int
    neighbourhood: str
    category: str
    title: str
    status: str
    received_at: datetime


def build_router(engine: AsyncEngine) -> APIRouter:
    """Routes bound to this service's engine."""
    router = APIRouter(tags=["works"])

    @router.get("/works", response_model=list[WorkOut])
    async def list_works(
        principal: Principal = Depends(signed_in),
        limit: int = Query(50, ge=1, le=500),
        offset: int = Query(0, ge=0),
    ) -> list[WorkOut]:
        """Works known to evaluation, limited to the districts the caller may see."""
        async with engine.connect() as conn:
            rows = await db.list_works(conn, districts=visible_districts(principal), limit=limit, offset=offset)
        return [WorkOut(**row) for row in rows]

    @router.get("/works/{work_id}", response_model=WorkOut)
    async def get_work(work_id: uuid.UUID, principal: Principal = Depends(signed_in)) -> WorkOut:
        """One work; 404 when it is not the caller's to see."""
        async with engine.connect() as conn:
            work = await db.get_work(conn, work_id=work_id)
        return WorkOut(**visible_or_404(principal, work, "اثر", "Work"))

    return router
