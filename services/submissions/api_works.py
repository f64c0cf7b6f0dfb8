"""Works over HTTP: intake by district staff, reading, edits, withdrawal and the status history."""

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.submissions import db_works
from services.submissions.domain import STATUSES
from services.submissions.schemas import HistoryOut, OrganisationIn, WithdrawIn, WorkIn, WorkOut, WorkPatch
from services.submissions.works import edit_work, submit_work, withdraw_work, work_out
from shared.auth import require_district_staff, signed_in, visible_or_404
from shared.persian import format_jalali_datetime
from shared.principal import Principal
from shared.refusals import Kind, Refusal


async def work_for(conn: AsyncConnection, principal: Principal, work_id: uuid.UUID, *, change: bool = False) -> dict:
    """The work if the caller may see it (404 otherwise); to change it, its district's staff only (403),
    and the row stays locked for the caller's transaction."""
    work = await db_works.get_work(conn, work_id=work_id, for_update=change)
    if work is not None and principal.organisation and work["organisation_code"] == principal.organisation:
        return work  # an organisation sees and changes its own works
    work = visible_or_404(principal, work, "اثر", "Work")
    if change:
        require_district_staff(principal, work["district"])
    return work


def may_submit(principal: Principal, body: WorkIn) -> None:
    """District staff for their district; an organisation's account only for itself."""
    if principal.organisation is None:
        require_district_staff(principal, body.district)
    elif not (isinstance(body.submitter, OrganisationIn) and body.submitter.code == principal.organisation):
        raise Refusal(Kind.FORBIDDEN, "not_own_organisation", "حساب سازمان فقط آثار همان سازمان را ثبت می‌کند.",
                       "An organisation's account submits only its own works, naming its own code.")


def build_works_router(engine: AsyncEngine) -> APIRouter:
    """Routes of a single work."""
    router = APIRouter(tags=["works"])

    @router.post("/works", status_code=201, response_model=WorkOut)
    async def submit(body: WorkIn, principal: Principal = Depends(signed_in)) -> WorkOut:
        """Receive a work for a district (its staff only) in the open call; returns the tracking code.

        A probable duplicate (same submitter and title in the edition) is accepted and flagged."""
        may_submit(principal, body)
        async with engine.begin() as conn:
            row = await submit_work(conn, body=body, actor=principal.subject, now=datetime.now(UTC))
        return work_out(row)

    @router.get("/works/{work_id}", response_model=WorkOut)
    async def get_work(work_id: uuid.UUID, principal: Principal = Depends(signed_in)) -> WorkOut:
        """A work, for staff who may see its district; others get 404, not the work."""
        async with engine.connect() as conn:
            return work_out(await work_for(conn, principal, work_id))

    @router.patch("/works/{work_id}", response_model=WorkOut)
    async def change(work_id: uuid.UUID, body: WorkPatch, principal: Principal = Depends(signed_in)) -> WorkOut:
        """Edit a work until its call closes (its district's staff); publishes WorkChanged."""
        async with engine.begin() as conn:
            work = await work_for(conn, principal, work_id, change=True)
            row = await edit_work(conn, work=work, patch=body, actor=principal.subject, now=datetime.now(UTC))
        return work_out(row)

    @router.post("/works/{work_id}/withdraw", response_model=WorkOut)
    async def withdraw(work_id: uuid.UUID, body: WithdrawIn, principal: Principal = Depends(signed_in)) -> WorkOut:
        """Withdraw a work until its evaluation starts (its district's staff)."""
        async with engine.begin() as conn:
            work = await work_for(conn, principal, work_id, change=True)
            await withdraw_work(conn, work=work, reason=body.reason, actor=principal.subject, now=datetime.now(UTC))
            return work_out(await db_works.get_work(conn, work_id=work_id))

    @router.get("/works/{work_id}/history", response_model=list[HistoryOut])
    async def history(work_id: uuid.UUID, principal: Principal = Depends(signed_in)) -> list[HistoryOut]:
        """The work's statuses with their times, oldest first."""
        async with engine.connect() as conn:
            await work_for(conn, principal, work_id)
            rows = await db_works.history(conn, work_id=work_id)
        return [HistoryOut(status=r["status"], status_fa=STATUSES.get(r["status"], r["status"]),
                           previous_status=r["previous_status"], at=r["at"], at_jalali=format_jalali_datetime(r["at"]),
                           actor=r["actor"], note=r["note"]) for r in rows]

    return router
