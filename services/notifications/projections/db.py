"""Projections of registry, submissions and evaluation events, and the recipient look-ups built on them."""

import uuid
from collections.abc import Iterable

from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.db import bodies, decisions, memberships, people, rounds, work_rounds, works
from services.notifications.rules.domain import Contact


async def add_work_round(conn: AsyncConnection, *, work_id: uuid.UUID, round_id: uuid.UUID) -> None:
    """Remember that a work takes part in a round (which fixes its edition)."""
    await conn.execute(insert(work_rounds).values(work_id=work_id, round_id=round_id).on_conflict_do_nothing())


async def decision(conn: AsyncConnection, *, decision_id: uuid.UUID) -> dict | None:
    """A decision's title and text, when its issue has been seen."""
    row = (await conn.execute(select(decisions).where(decisions.c.decision_id == decision_id))).mappings().first()
    return dict(row) if row else None


async def body_name(conn: AsyncConnection, *, code: str) -> str | None:
    """A body's Persian name, when known."""
    return (await conn.execute(select(bodies.c.name_fa).where(bodies.c.code == code))).scalar_one_or_none()


async def work(conn: AsyncConnection, *, work_id: uuid.UUID) -> dict | None:
    """A received work as intake described it."""
    row = (await conn.execute(select(works).where(works.c.work_id == work_id))).mappings().first()
    return dict(row) if row else None


async def round_(conn: AsyncConnection, *, round_id: uuid.UUID) -> dict | None:
    """An evaluation round, when its opening has been seen."""
    row = (await conn.execute(select(rounds).where(rounds.c.round_id == round_id))).mappings().first()
    return dict(row) if row else None


async def email_for_mobile(conn: AsyncConnection, *, mobile: str) -> str | None:
    """The email of a registered person with this mobile number, if any (a citizen's known email)."""
    return (await conn.execute(
        select(people.c.email).where(people.c.mobile == mobile, people.c.email.is_not(None))
        .order_by(people.c.person_id).limit(1))).scalar_one_or_none()


async def citizen(conn: AsyncConnection, *, name: str, mobile: str, extra: dict | None = None) -> Contact:
    """A submitter as a contact: their mobile, and an email when registry knows one for that mobile."""
    return Contact(name=name, mobile=mobile, email=await email_for_mobile(conn, mobile=mobile), citizen=True,
                   extra=tuple((extra or {}).items()))


async def emails_for_mobiles(conn: AsyncConnection, mobiles: Iterable[str]) -> dict[str, str]:
    """The known email of each mobile that has one (many submitters at once)."""
    wanted = sorted(set(mobiles))
    if not wanted:
        return {}
    query = (select(people.c.mobile, people.c.email).distinct(people.c.mobile)
             .where(people.c.mobile.in_(wanted), people.c.email.is_not(None))
             .order_by(people.c.mobile, people.c.person_id))
    return {mobile: email for mobile, email in await conn.execute(query)}


async def submitters(conn: AsyncConnection, work_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, dict]:
    """Works (with their submitters) by id."""
    ids = list(work_ids)
    if not ids:
        return {}
    rows = (await conn.execute(select(works).where(works.c.work_id.in_(ids)))).mappings()
    return {row["work_id"]: dict(row) for row in rows}


async def edition_works(conn: AsyncConnection, *, edition: str, category: str) -> list[dict]:
    """Every work of the edition and category still in the festival (by intake's edition, or its rounds')."""
    in_rounds = (select(work_rounds.c.work_id).join(rounds, rounds.c.round_id == work_rounds.c.round_id)
                 .where(rounds.c.edition == edition))
    query = (select(works).where(works.c.category == category, works.c.withdrawn.is_(False),
                                 or_(works.c.edition == edition, works.c.work_id.in_(in_rounds)))
             .order_by(works.c.work_id))
    return [dict(row) for row in (await conn.execute(query)).mappings()]


async def update_work(conn: AsyncConnection, *, work_id: uuid.UUID, values: dict) -> None:
    """Apply an edit or a withdrawal to a projected work."""
    await conn.execute(update(works).where(works.c.work_id == work_id).values(**values))


def _staff(rows) -> list[Contact]:
    seen: dict[uuid.UUID, Contact] = {}
    for row in rows:
        seen.setdefault(row["person_id"], Contact(name=row["name"], person_id=row["person_id"], mobile=row["mobile"],
                                                  email=row["email"]))
    return list(seen.values())


async def members(conn: AsyncConnection, *, kinds: Iterable[str], district: int | None = None,
                  role: str | None = None) -> list[Contact]:
    """Active members of bodies of these kinds (of one district, with one role, when given)."""
    conditions = [memberships.c.active, memberships.c.body_kind.in_(sorted(str(kind) for kind in kinds))]
    if district is not None:
        conditions.append(memberships.c.district == district)
    if role is not None:
        conditions.append(memberships.c.role == str(role))
    query = (select(people.c.person_id, people.c.name, people.c.mobile, people.c.email)
             .join(memberships, memberships.c.person_id == people.c.person_id)
             .where(and_(*conditions)).order_by(people.c.person_id))
    return _staff((await conn.execute(query)).mappings())


async def members_of(conn: AsyncConnection, *, body_codes: Iterable[str]) -> list[Contact]:
    """Active members of these bodies, each person once."""
    codes = sorted(set(body_codes))
    if not codes:
        return []
    query = (select(people.c.person_id, people.c.name, people.c.mobile, people.c.email)
             .join(memberships, memberships.c.person_id == people.c.person_id)
             .where(memberships.c.active, memberships.c.body_code.in_(codes)).order_by(people.c.person_id))
    return _staff((await conn.execute(query)).mappings())


async def persons(conn: AsyncConnection, person_ids: Iterable[uuid.UUID]) -> list[Contact]:
    """People by id (those registry has told us about)."""
    ids = list(person_ids)
    if not ids:
        return []
    query = select(people).where(people.c.person_id.in_(ids)).order_by(people.c.person_id)
    return _staff((await conn.execute(query)).mappings())
