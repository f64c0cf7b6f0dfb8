"""Calls use cases: create an edition, set up its call, open and close it (city-wide staff), carry out the
council's decisions that open or close a call, and close calls whose closing date has passed. Each change
writes its events in the transaction it is given."""

import uuid
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.calls import db
from services.submissions.calls.domain import (
    CallState,
    announces_change,
    call_dates,
    check_call_dates,
    check_categories,
    check_categories_kept,
    check_closable,
    check_decision_authority,
    check_openable,
    default_title,
    edition_exists,
    unknown_offices,
)
from services.submissions.calls.schemas import CallIn
from services.submissions.db import outbox
from services.submissions.domain import CATEGORIES
from services.submissions.permissions import PERMISSIONS, Capability
from services.submissions.projections import db as projections_db
from shared.contracts.decisions import CloseCall, OpenCall
from shared.contracts.submissions import (
    CallChanged,
    CallClosed,
    CallOpened,
    PublicCallChanged,
    PublicCallClosed,
    PublicCallOpened,
)
from shared.messaging.outbox import add_events
from shared.persian import normalize_text
from shared.principal import Principal
from shared.refusals import not_found

log = structlog.get_logger("calls")
SCHEDULE_ACTOR = "schedule"
DECISION_ACTOR = "decision"


async def create_edition(conn: AsyncConnection, principal: Principal, *, code: str, title_fa: str | None) -> dict:
    """Add a festival edition (its title defaults to the festival's name and year); returns it."""
    PERMISSIONS.require(principal, Capability.MANAGE_CALLS)
    title = normalize_text(title_fa or "") or default_title(code)
    if not await db.insert_edition(conn, code=code, title_fa=title, created_by=principal.subject):
        raise edition_exists()
    return {"code": code, "title_fa": title}


async def read_edition(conn: AsyncConnection, edition: str) -> tuple[dict, dict | None]:
    """An edition and its call with its offices (None before one is set up); public."""
    row = await db.get_edition(conn, code=edition)
    if row is None:
        raise not_found("دوره‌ی جشنواره", "Edition")
    call = await db.get_call(conn, edition=edition)
    return row, await with_offices(conn, call) if call else None


async def set_call(conn: AsyncConnection, principal: Principal, edition: str, body: CallIn) -> dict:
    """Set up or change an edition's call: categories, Jalali dates, offices and questions; an open call
    whose categories or dates change publishes CallChanged. Returns the call with its offices."""
    PERMISSIONS.require(principal, Capability.MANAGE_CALLS)
    opens_at, closes_at = call_dates(body.opens_on, body.closes_on)
    categories = check_categories(body.categories) if body.categories is not None else None
    if await db.get_edition(conn, code=edition) is None:
        raise not_found("دوره‌ی جشنواره", "Edition")
    codes = await _office_codes(conn, body) if body.offices is not None else None
    call = await _save(conn, edition=edition, categories=categories, opens_at=opens_at, closes_at=closes_at,
                       actor=principal.subject,
                       questions=[{**q.model_dump(), "text_fa": normalize_text(q.text_fa)} for q in body.questions])
    if codes is not None:  # no offices named: each district's offices stay as its secretary prepared them
        await db.replace_call_offices(conn, edition=edition, codes=codes, actor=principal.subject)
    return await with_offices(conn, call)


async def open_call(conn: AsyncConnection, principal: Principal, edition: str, *, now: datetime) -> dict:
    """Open the call: works are taken within its dates; publishes CallOpened. Returns it with its offices."""
    PERMISSIONS.require(principal, Capability.MANAGE_CALLS)
    return await with_offices(conn, await _open(conn, edition=edition, actor=principal.subject, now=now))


async def close_call(conn: AsyncConnection, principal: Principal, edition: str, *, now: datetime) -> dict:
    """Close the call: intake and edits stop; publishes CallClosed. Returns it with its offices."""
    PERMISSIONS.require(principal, Capability.MANAGE_CALLS)
    return await with_offices(conn, await _close(conn, edition=edition, actor=principal.subject, now=now))


async def carry_out_decision(conn: AsyncConnection, *, decision_id: uuid.UUID, action: OpenCall | CloseCall,
                             issuer_kind: str | None, issuer_role: str | None, now: datetime) -> None:
    """Carry out the council's decision to open (creating the edition, setting the call up) or close a call;
    refuses, changing nothing, one issued without the council's authority or that cannot be carried out."""
    check_decision_authority(issuer_kind, issuer_role)
    actor = f"{DECISION_ACTOR}:{decision_id}"
    if isinstance(action, CloseCall):
        await _close(conn, edition=action.edition, actor=actor, now=now, decision_id=decision_id)
        return
    await db.insert_edition(conn, code=action.edition, title_fa=default_title(action.edition), created_by=actor)
    before = await db.get_call(conn, edition=action.edition)
    categories = check_categories(action.categories) if action.categories else None
    check_call_dates(action.opens_at, action.closes_at)
    await _save(conn, edition=action.edition, categories=categories, opens_at=action.opens_at,
                closes_at=action.closes_at, actor=actor, decision_id=decision_id)
    if before is None or before["state"] != CallState.OPEN:
        await _open(conn, edition=action.edition, actor=actor, now=now, decision_id=decision_id)


async def close_calls_past_deadline(conn: AsyncConnection, *, now: datetime) -> list[str]:
    """Close every open call whose closing date has passed, publishing CallClosed; returns their editions.
    Calls another replica is closing right now are skipped (it closes them)."""
    editions = await db.calls_past_deadline(conn, now=now)
    for edition in editions:
        await _close(conn, edition=edition, actor=SCHEDULE_ACTOR, now=now)
        log.info("call.closed_at_deadline", edition=edition)
    return editions


async def list_editions(conn: AsyncConnection) -> list[dict]:
    """Every edition, newest first; public."""
    return await db.list_editions(conn)


async def current_call(conn: AsyncConnection, *, now: datetime) -> dict | None:
    """The call taking works now (else the newest announced one) with its edition's title and offices; public."""
    call = await db.current_call(conn, now=now)
    return await with_offices(conn, call) if call else None


async def with_offices(conn: AsyncConnection, call: dict) -> dict:
    """The call with its festival offices (neighbourhoods' codes, districts and names)."""
    return {**call, "offices": await db.call_offices_of(conn, edition=call["edition"])}


async def _save(conn: AsyncConnection, *, edition: str, categories: dict[str, str] | None, opens_at: datetime,
                closes_at: datetime, actor: str, questions: list[dict] | None = None,
                decision_id: uuid.UUID | None = None) -> dict:
    """Create or change a call's settings; an open call that changed publishes CallChanged."""
    before = await db.get_call(conn, edition=edition, for_update=True)
    categories = categories or (before["categories"] if before else dict(CATEGORIES))
    check_categories_kept(await db.categories_in_use(conn, edition=edition) - set(categories))
    values = {"categories": categories, "opens_at": opens_at, "closes_at": closes_at, "updated_by": actor}
    if questions is not None:
        values["questions"] = questions
    if decision_id is not None:
        values["decision_id"] = decision_id
    call = await db.save_call(conn, edition=edition, values=values)
    if announces_change(before, call):
        await _publish(conn, call, CallChanged, PublicCallChanged, decision_id)
    return call


async def _open(conn: AsyncConnection, *, edition: str, actor: str, now: datetime,
                decision_id: uuid.UUID | None = None) -> dict:
    """Open a configured call (again, if it was closed); publishes CallOpened."""
    check_openable(await db.get_call(conn, edition=edition, for_update=True), now)
    values = {"state": CallState.OPEN, "opened_at": now, "closed_at": None, "updated_by": actor}
    if decision_id is not None:
        values["decision_id"] = decision_id
    call = await db.update_call(conn, edition=edition, values=values)
    await _publish(conn, call, CallOpened, PublicCallOpened, decision_id)
    return call


async def _close(conn: AsyncConnection, *, edition: str, actor: str, now: datetime,
                 decision_id: uuid.UUID | None = None) -> dict:
    """Close an open call; publishes CallClosed."""
    check_closable(await db.get_call(conn, edition=edition, for_update=True))
    values = {"state": CallState.CLOSED, "closed_at": now, "updated_by": actor}
    if decision_id is not None:
        values["decision_id"] = decision_id
    call = await db.update_call(conn, edition=edition, values=values)
    events = [contract(edition=edition, closed_at=now, decision_id=decision_id)
              for contract in (CallClosed, PublicCallClosed)]
    await add_events(conn, outbox, events, correlation_id=f"call-{edition}",
                     causation_id=str(decision_id) if decision_id else None)
    return call


async def _publish(conn: AsyncConnection, call: dict, internal, public, decision_id: uuid.UUID | None) -> None:
    fields = {"edition": call["edition"], "categories": call["categories"], "opens_at": call["opens_at"],
              "closes_at": call["closes_at"], "decision_id": decision_id}
    await add_events(conn, outbox, [internal(**fields), public(**fields)], correlation_id=f"call-{call['edition']}",
                     causation_id=str(decision_id) if decision_id else None)


async def _office_codes(conn: AsyncConnection, body: CallIn) -> list[str]:
    """Neighbourhood codes of the offices named in the body; refuses unknown ones, naming them."""
    codes, unknown = [], []
    for office in body.offices:
        hood = await projections_db.find_neighbourhood(conn, district=office.district,
                                                       name_fa=normalize_text(office.neighbourhood))
        if hood is None:
            unknown.append(f"{office.district}:{office.neighbourhood}")
        elif hood["code"] not in codes:
            codes.append(hood["code"])
    if unknown:
        raise unknown_offices(unknown)
    return codes
