"""Works over HTTP: intake, reading, edits, withdrawal and the status history (the use cases check who may)."""

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter

from services.submissions.domain import status_fa
from services.submissions.works import usecases
from services.submissions.works.schemas import HistoryOut, SubmitterOut, WithdrawIn, WorkIn, WorkOut, WorkPatch
from shared.auth import SignedIn
from shared.web.connection import Reading, Transaction

router = APIRouter(tags=["works"])
_SHOWN = ("id", "tracking_code", "edition", "district", "neighbourhood", "office", "category", "title", "summary",
          "team", "beneficiaries", "answers", "status", "status_at", "possible_duplicate", "duplicate_of",
          "created_at", "updated_at")


@router.post("/works", status_code=201, response_model=WorkOut)
async def submit(body: WorkIn, principal: SignedIn, conn: Transaction) -> WorkOut:
    """Receive a work for a district (its staff, or an organisation's own account) in the open call; returns
    the tracking code. A probable duplicate (same submitter and title in the edition) is accepted and flagged."""
    return work_out(await usecases.submit_work(conn, principal, body, now=datetime.now(UTC)))


@router.get("/works/{work_id}", response_model=WorkOut)
async def get_work(work_id: uuid.UUID, principal: SignedIn, conn: Reading) -> WorkOut:
    """A work, for staff who may see its district; others get 404, not the work."""
    return work_out(await usecases.read_work(conn, principal, work_id))


@router.patch("/works/{work_id}", response_model=WorkOut)
async def change(work_id: uuid.UUID, body: WorkPatch, principal: SignedIn, conn: Transaction) -> WorkOut:
    """Edit a work until its call closes (its district's staff); publishes WorkChanged."""
    return work_out(await usecases.edit_work(conn, principal, work_id, body, now=datetime.now(UTC)))


@router.post("/works/{work_id}/withdraw", response_model=WorkOut)
async def withdraw(work_id: uuid.UUID, body: WithdrawIn, principal: SignedIn, conn: Transaction) -> WorkOut:
    """Withdraw a work still in the festival, in evaluation too, not once its outcome is final (its district's
    staff)."""
    return work_out(await usecases.withdraw_work(conn, principal, work_id, body.reason, now=datetime.now(UTC)))


@router.get("/works/{work_id}/history", response_model=list[HistoryOut])
async def history(work_id: uuid.UUID, principal: SignedIn, conn: Reading) -> list[HistoryOut]:
    """The work's statuses with their times, oldest first."""
    return [HistoryOut(status=r["status"], status_fa=status_fa(r["status"]), previous_status=r["previous_status"],
                       at=r["at"], actor=r["actor"], note=r["note"])
            for r in await usecases.work_history(conn, principal, work_id)]


def work_out(row: dict) -> WorkOut:
    """A work as staff see it."""
    return WorkOut(
        **{key: row[key] for key in _SHOWN}, status_fa=status_fa(row["status"]),
        submitter=SubmitterOut(kind=row["submitter_kind"], name=row["submitter_name"],
                               national_id=row["submitter_national_id"], mobile=row["submitter_mobile"],
                               organisation_code=row["organisation_code"],
                               organisation_name=row["organisation_name"],
                               organisation_legal_id=row["organisation_legal_id"]),
    )
