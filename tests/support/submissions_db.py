"""Submissions' use-case tests: a scratch database with submissions' migrations, and the facts a use case needs
(neighbourhoods, organisations, an open call, people of each role), made through the use cases that make them in
production."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.calls import usecases as calls
from services.submissions.calls.schemas import CallIn
from services.submissions.domain import CATEGORIES
from services.submissions.projections.usecases import record_neighbourhood, record_organisation
from services.submissions.works.schemas import WorkIn
from shared.persian import format_jalali_date
from shared.principal import Principal
from shared.refusals import Refusal
from tests.support.scratch_db import signed_in_as
from tests.support.submissions import legal_entity_id, mobile, national_id

NEIGHBOURHOODS = {7: ("نظام آباد", "بهار"), 12: ("بازار",)}






FESTIVAL_SECRETARY = signed_in_as("festival_secretary", "secretary")
STAFF_07 = signed_in_as("district_secretariat", "staff", 7)
STAFF_12 = signed_in_as("district_secretariat", "staff", 12)


def organisation_account(code: str) -> Principal:
    """An organisation's own account: no role in any body."""
    return Principal(subject=str(uuid.uuid4()), username=f"org.{code}", name="نماینده", memberships=[],
                     organisation=code)


def jalali(moment: datetime) -> str:
    return format_jalali_date(moment, persian_digits=False)


async def festival(conn: AsyncConnection, edition: str = "1405", *, open_call: bool = True) -> None:
    """Neighbourhoods of districts 7 and 12, and the edition with its call set up (and open) as the festival
    secretary would."""
    for district, names in NEIGHBOURHOODS.items():
        for index, name in enumerate(names):
            await record_neighbourhood(conn, code=f"d{district:02d}-{index}", district=district, name_fa=name,
                                       active=True)
    now = datetime.now(UTC)
    await calls.create_edition(conn, FESTIVAL_SECRETARY, code=edition, title_fa=None)
    await calls.set_call(conn, FESTIVAL_SECRETARY, edition, CallIn(
        categories=CATEGORIES, opens_on=jalali(now - timedelta(days=1)), closes_on=jalali(now + timedelta(days=30)),
        offices=[{"district": 7, "neighbourhood": "بهار"}]))
    if open_call:
        await calls.open_call(conn, FESTIVAL_SECRETARY, edition, now=now)


async def charity(conn: AsyncConnection, district: int | None = 7) -> dict:
    """A charity registered at the registry, as submissions mirrors it."""
    values = {"code": f"charity-{uuid.uuid4().hex[:6]}", "kind": "charity", "name_fa": "خیریه محله",
              "legal_entity_id": legal_entity_id(), "district": district, "active": True}
    await record_organisation(conn, **values)
    return values


def work_in(district: int = 7, **overrides: object) -> WorkIn:
    """A valid work of a district in the open call."""
    body = {"district": district, "neighbourhood": NEIGHBOURHOODS[district][0], "category": "welfare",
            "title": f"صندوق قرض‌الحسنه {uuid.uuid4().hex[:6]}", "summary": "وام‌های کوچک بی‌بهره برای همسایه‌ها.",
            "submitter": {"name": "زهرا احمدی", "national_id": national_id(), "mobile": mobile()}}
    return WorkIn.model_validate({**body, **overrides})


async def rows(conn: AsyncConnection, query: str, **params: object) -> int:
    """One number from the scratch database."""
    return (await conn.execute(text(query), params)).scalar_one()


async def refused(conn: AsyncConnection, use_case, counts: str) -> str:
    """The code of the use case's refusal, checking that it left nothing behind (the `counts` query's value)."""
    before = await rows(conn, counts)
    with pytest.raises(Refusal) as refusal:
        await use_case
    assert await rows(conn, counts) == before
    return refusal.value.code
