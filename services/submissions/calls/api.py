"""Editions and calls over HTTP: anyone may read them; city-wide staff set them up, open and close them (the
use cases check who may)."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path

from services.submissions.calls import usecases
from services.submissions.calls.domain import call_accepts, last_day
from services.submissions.calls.schemas import EDITION, CallIn, CallOut, EditionIn, EditionOut, OfficeOut
from shared.auth import SignedIn
from shared.persian import format_jalali_date
from shared.web.connection import Reading, Transaction

router = APIRouter(tags=["editions and calls"])
# An edition in a path is a Jalali year, checked before any query runs (a NUL byte or a page of text is no year).
Edition = Annotated[str, Path(pattern=EDITION, description="A Jalali year, e.g. 1405")]


@router.get("/editions", response_model=list[EditionOut])
async def list_editions(conn: Reading) -> list[EditionOut]:
    """Every edition, newest first (public: calls are announced to everyone)."""
    return [EditionOut(code=row["code"], title_fa=row["title_fa"]) for row in await usecases.list_editions(conn)]


@router.post("/editions", status_code=201, response_model=EditionOut)
async def create_edition(body: EditionIn, principal: SignedIn, conn: Transaction) -> EditionOut:
    """Add a festival edition (festival secretary, central secretariat)."""
    return EditionOut(**await usecases.create_edition(conn, principal, code=body.code, title_fa=body.title_fa))


@router.get("/editions/{edition}", response_model=EditionOut)
async def get_edition(edition: Edition, conn: Reading) -> EditionOut:
    """An edition with its call: categories, dates (Jalali), offices, questions, whether it takes works."""
    row, call = await usecases.read_edition(conn, edition)
    return EditionOut(code=row["code"], title_fa=row["title_fa"],
                      call=call_out(call, datetime.now(UTC)) if call else None)


@router.put("/editions/{edition}/call", response_model=CallOut)
async def set_call(edition: Edition, body: CallIn, principal: SignedIn, conn: Transaction) -> CallOut:
    """Set up or change the edition's call; an open call that changes publishes CallChanged."""
    return call_out(await usecases.set_call(conn, principal, edition, body), datetime.now(UTC))


@router.post("/editions/{edition}/call/open", response_model=CallOut)
async def open_call(edition: Edition, principal: SignedIn, conn: Transaction) -> CallOut:
    """Open the call: works are taken within its dates; publishes CallOpened."""
    now = datetime.now(UTC)
    return call_out(await usecases.open_call(conn, principal, edition, now=now), now)


@router.post("/editions/{edition}/call/close", response_model=CallOut)
async def close_call(edition: Edition, principal: SignedIn, conn: Transaction) -> CallOut:
    """Close the call: intake and edits stop; publishes CallClosed."""
    now = datetime.now(UTC)
    return call_out(await usecases.close_call(conn, principal, edition, now=now), now)


def call_out(call: dict, now: datetime) -> CallOut:
    """A call (with its offices) as the API shows it, with Jalali dates and whether it takes works at `now`."""
    return CallOut(
        edition=call["edition"], state=call["state"], accepting_works=call_accepts(call, now),
        categories=call["categories"], questions=call["questions"], opens_at=call["opens_at"],
        closes_at=call["closes_at"], decision_id=call["decision_id"],
        opens_on=format_jalali_date(call["opens_at"]) if call["opens_at"] else None,
        closes_on=last_day(call["closes_at"]) if call["closes_at"] else None,
        offices=[OfficeOut(**office) for office in call["offices"]],
    )
