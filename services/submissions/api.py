"""Submissions HTTP interface: works intake by district staff."""

import uuid
from datetime import datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncEngine

from services.submissions import db
from services.submissions.domain import canonical_submitter, check_category, new_tracking_code
from shared.auth import Principal, require_district_staff, signed_in, visible_or_404
from shared.contracts.submissions import PublicWorkReceived, WorkReceived
from shared.errors import ApiError
from shared.messaging.outbox import add_events
from shared.models import StrictModel
from shared.persian import normalize_text

RECEIVED = "received"



class SubmitterIn(StrictModel):
    name: str = Field(max_length=200)
    national_id: str = Field(max_length=20)
    mobile: str = Field(max_length=20)


class WorkIn(StrictModel):
    district: int = Field(ge=1, le=22)
    neighbourhood: str = Field(min_length=1, max_length=200)
    category: str
    title: str = Field(min_length=3, max_length=300)
    summary: str = Field(min_length=10, max_length=5000)
    submitter: SubmitterIn


class WorkOut(BaseModel):
    id: uuid.UUID
    tracking_code: str
    district: int
    neighbourhood: str
    category: str
    title: str
    summary: str
    status: str
    created_at: datetime


def build_router(engine: AsyncEngine) -> APIRouter:
    """Routes bound to this service's engine."""
    router = APIRouter(tags=["works"])

    @router.post("/works", status_code=201, response_model=WorkOut)
    async def submit_work(body: WorkIn, principal: Principal = Depends(signed_in)) -> WorkOut:
        """Receive a work for a district (its staff only); returns the tracking code."""
        require_district_staff(principal, body.district)
        submitter = canonical_submitter(body.submitter.name, body.submitter.national_id, body.submitter.mobile)
        category = check_category(body.category)
        work_id = uuid.uuid4()
        async with engine.begin() as conn:
            hood = await db.find_neighbourhood(conn, district=body.district,
                                               name_fa=normalize_text(body.neighbourhood))
            if hood is None:
                raise ApiError(422, "unknown_neighbourhood", "این محله در این منطقه ثبت نشده است.",
                               "This neighbourhood is not in the district.")
            values = {
                "id": work_id, "tracking_code": new_tracking_code(), "district": body.district,
                "neighbourhood_code": hood["code"], "category": category,
                "title": normalize_text(body.title), "summary": normalize_text(body.summary),
                "submitter_name": submitter.name, "submitter_national_id": submitter.national_id,
                "submitter_mobile": submitter.mobile, "status": RECEIVED, "created_by": principal.subject,
            }
            await db.insert_work(conn, values=values)
            common = {"work_id": work_id, "district": body.district, "neighbourhood": hood["name_fa"],
                      "category": category}
            await add_events(conn, db.outbox, [
                WorkReceived(**common, tracking_code=values["tracking_code"], title=values["title"],
                             submitter_name=submitter.name, submitter_national_id=submitter.national_id,
                             submitter_mobile=submitter.mobile),
                PublicWorkReceived(**common),
            ], correlation_id=str(work_id))
            work = await db.get_work(conn, work_id=work_id)
        return WorkOut(**work)

    @router.get("/works/{work_id}", response_model=WorkOut)
    async def get_work(work_id: uuid.UUID, principal: Principal = Depends(signed_in)) -> WorkOut:
        """A work, for staff who may see its district; others get 404, not the work."""
        async with engine.connect() as conn:
            work = await db.get_work(conn, work_id=work_id)
        return WorkOut(**visible_or_404(principal, work, "اثر", "Work"))

    return router
