"""Editions and their calls: configure, open and close, with the events each change publishes (in the
caller's transaction). Used by the HTTP routes and by the consumer of registry's decisions."""

import uuid
from datetime import UTC, datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.submissions import db
from services.submissions.domain import CATEGORIES, call_accepts, last_day
from services.submissions.schemas import CallOut, OfficeOut
from shared.contracts.submissions import (
    CallChanged,
    CallClosed,
    CallOpened,
    PublicCallChanged,
    PublicCallClosed,
    PublicCallOpened,
)
from shared.messaging.outbox import add_events
from shared.persian import format_jalali_date, to_persian_digits
from shared.refusals import Kind, Refusal

log = structlog.get_logger("calls")
SCHEDULE_ACTOR = "schedule"


def default_title(edition: str) -> str:
    """The Persian title of an edition when none is given."""
    return f"جشنواره حامی {to_persian_digits(edition)}"


async def ensure_edition(conn: AsyncConnection, *, edition: str, actor: str) -> None:
    """Create the edition if it does not exist yet (a decision may open the call of a new edition)."""
    await db.insert_edition(conn, code=edition, title_fa=default_title(edition), created_by=actor)


async def save_call(conn: AsyncConnection, *, edition: str, categories: dict[str, str] | None,
                    opens_at: datetime, closes_at: datetime, actor: str, questions: list[dict] | None = None,
                    decision_id: uuid.UUID | None = None) -> dict:
    """Create or change a call's settings; an open call that changed publishes CallChanged."""
    if closes_at <= opens_at:
        raise Refusal(Kind.INVALID, "invalid_call_dates", "تاریخ پایان فراخوان پیش از تاریخ آغاز آن است.",
                       "The call's closing date is before its opening date.")
    before = await db.get_call(conn, edition=edition, for_update=True)
    categories = categories or (before["categories"] if before else dict(CATEGORIES))
    in_use = await db.categories_in_use(conn, edition=edition) - set(categories)
    if in_use:
        raise Refusal(Kind.CONFLICT, "category_in_use", "آثاری با این موضوع ثبت شده و نمی‌توان آن را حذف کرد.",
                       "Works already use this category; it cannot be removed.", sorted(in_use))
    values = {"categories": categories, "opens_at": opens_at, "closes_at": closes_at, "updated_by": actor}
    if questions is not None:
        values["questions"] = questions
    if decision_id is not None:
        values["decision_id"] = decision_id
    call = await db.save_call(conn, edition=edition, values=values)
    changed = before is not None and any(before[k] != call[k] for k in ("categories", "opens_at", "closes_at"))
    if call["state"] == "open" and changed:
        await _publish(conn, call, CallChanged, PublicCallChanged, decision_id)
    return call


async def open_call(conn: AsyncConnection, *, edition: str, actor: str, now: datetime,
                    decision_id: uuid.UUID | None = None) -> dict:
    """Open a configured call (again, if it was closed); publishes CallOpened."""
    call = await db.get_call(conn, edition=edition, for_update=True)
    if call is None:
        raise Refusal(Kind.CONFLICT, "call_not_configured", "فراخوان این دوره هنوز تنظیم نشده است.",
                       "This edition's call has not been set up yet.")
    if call["state"] == "open":
        raise Refusal(Kind.CONFLICT, "call_already_open", "فراخوان این دوره باز است.", "The call is already open.")
    if call["closes_at"] <= now:
        raise Refusal(Kind.CONFLICT, "call_dates_passed", "تاریخ پایان فراخوان گذشته است؛ نخست تاریخ‌ها را تغییر دهید.",
                       "The call's closing date has passed; change its dates first.")
    values = {"state": "open", "opened_at": now, "closed_at": None, "updated_by": actor}
    if decision_id is not None:
        values["decision_id"] = decision_id
    call = await db.update_call(conn, edition=edition, values=values)
    await _publish(conn, call, CallOpened, PublicCallOpened, decision_id)
    return call


async def close_call(conn: AsyncConnection, *, edition: str, actor: str, now: datetime,
                     decision_id: uuid.UUID | None = None) -> dict:
    """Close an open call; publishes CallClosed."""
    call = await db.get_call(conn, edition=edition, for_update=True)
    if call is None or call["state"] == "draft":
        raise Refusal(Kind.CONFLICT, "call_not_open", "فراخوان این دوره باز نشده است.", "The call has not been opened.")
    if call["state"] == "closed":
        raise Refusal(Kind.CONFLICT, "call_already_closed", "فراخوان این دوره پیش‌تر بسته شده است.",
                       "The call is already closed.")
    values = {"state": "closed", "closed_at": now, "updated_by": actor}
    if decision_id is not None:
        values["decision_id"] = decision_id
    call = await db.update_call(conn, edition=edition, values=values)
    events = [contract(edition=edition, closed_at=now, decision_id=decision_id)
              for contract in (CallClosed, PublicCallClosed)]
    await add_events(conn, db.outbox, events, correlation_id=f"call-{edition}",
                     causation_id=str(decision_id) if decision_id else None)
    return call


def deadline_closer(engine: AsyncEngine):
    """A scheduled job: close every open call whose closing date has passed, publishing CallClosed."""
    async def close_calls_past_deadline() -> list[str]:
        now = datetime.now(UTC)
        async with engine.begin() as conn:
            editions = await db.calls_past_deadline(conn, now=now)
            for edition in editions:
                await close_call(conn, edition=edition, actor=SCHEDULE_ACTOR, now=now)
        for edition in editions:
            log.info("call.closed_at_deadline", edition=edition)
        return editions
    return close_calls_past_deadline


async def _publish(conn: AsyncConnection, call: dict, internal, public, decision_id: uuid.UUID | None) -> None:
    fields = {"edition": call["edition"], "categories": call["categories"], "opens_at": call["opens_at"],
              "closes_at": call["closes_at"], "decision_id": decision_id}
    await add_events(conn, db.outbox, [internal(**fields), public(**fields)], correlation_id=f"call-{call['edition']}",
                     causation_id=str(decision_id) if decision_id else None)


async def call_out(conn: AsyncConnection, call: dict, *, now: datetime) -> CallOut:
    """A call as the API shows it, with its offices and Jalali dates."""
    offices = await db.call_offices_of(conn, edition=call["edition"])
    return CallOut(
        edition=call["edition"], state=call["state"], accepting_works=call_accepts(call, now),
        categories=call["categories"], questions=call["questions"], opens_at=call["opens_at"],
        closes_at=call["closes_at"], decision_id=call["decision_id"],
        opens_on=format_jalali_date(call["opens_at"]) if call["opens_at"] else None,
        closes_on=last_day(call["closes_at"]) if call["closes_at"] else None,
        offices=[OfficeOut(**office) for office in offices],
    )
