"""Queries behind the staff-managed parts: templates, webhook endpoints, the staff inbox and opt-outs."""

import uuid

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.db import inbox_items, opt_outs, templates, webhooks

ACTIVE, FAILING, DISABLED = "active", "failing", "disabled"
WEBHOOK_PUBLIC = [c for c in webhooks.c if c.name != "secret"]


# --- templates ----------------------------------------------------------------------------------


async def template_overrides(conn: AsyncConnection, *, rule: str | None = None) -> dict[tuple[str, str], dict]:
    """Staff's saved templates, by (rule, channel)."""
    query = select(templates)
    if rule is not None:
        query = query.where(templates.c.rule == rule)
    return {(r["rule"], r["channel"]): dict(r) for r in (await conn.execute(query)).mappings()}


async def save_template(conn: AsyncConnection, *, rule: str, channel: str, parts: dict, by: str) -> None:
    """Store (or replace) staff's version of a template."""
    values = {"rule": rule, "channel": channel, "subject": parts.get("subject") or "", "text": parts["text"],
              "html": parts.get("html") or "", "updated_by": by}
    statement = insert(templates).values(**values)
    await conn.execute(statement.on_conflict_do_update(
        index_elements=["rule", "channel"],
        set_={**{k: statement.excluded[k] for k in ("subject", "text", "html", "updated_by")},
              "updated_at": func.now()}))


async def reset_template(conn: AsyncConnection, *, rule: str, channel: str) -> bool:
    """Go back to the default template; False when none was saved."""
    result = await conn.execute(delete(templates).where(templates.c.rule == rule, templates.c.channel == channel))
    return result.rowcount > 0


# --- webhook endpoints --------------------------------------------------------------------------


async def create_webhook(conn: AsyncConnection, *, name: str, url: str, secret: str, patterns: list[str],
                         by: str) -> dict:
    """Register an endpoint."""
    result = await conn.execute(insert(webhooks).values(name=name, url=url, secret=secret, patterns=patterns,
                                                        created_by=by).returning(*WEBHOOK_PUBLIC))
    return dict(result.mappings().one())


async def list_webhooks(conn: AsyncConnection) -> list[dict]:
    """Every endpoint, without secrets."""
    query = select(*WEBHOOK_PUBLIC).order_by(webhooks.c.created_at)
    return [dict(r) for r in (await conn.execute(query)).mappings()]


async def get_webhook(conn: AsyncConnection, *, webhook_id: uuid.UUID, with_secret: bool = False) -> dict | None:
    """One endpoint."""
    columns = list(webhooks.c) if with_secret else WEBHOOK_PUBLIC
    row = (await conn.execute(select(*columns).where(webhooks.c.id == webhook_id))).mappings().first()
    return dict(row) if row else None


async def subscribed_webhooks(conn: AsyncConnection) -> list[dict]:
    """Endpoints that receive events (active or failing: a failing one's deliveries wait, dead, for a resume)."""
    query = select(webhooks.c.id, webhooks.c.patterns, webhooks.c.status).where(webhooks.c.status != DISABLED)
    return [dict(r) for r in (await conn.execute(query)).mappings()]


async def webhook_succeeded(conn: AsyncConnection, *, webhook_id: uuid.UUID) -> None:
    """A delivery went through: the failure streak ends."""
    await conn.execute(update(webhooks).where(webhooks.c.id == webhook_id, webhooks.c.consecutive_failures > 0)
                       .values(consecutive_failures=0))


async def webhook_failed(conn: AsyncConnection, *, webhook_id: uuid.UUID, error: str) -> int:
    """Count a failed attempt; returns the failure streak."""
    result = await conn.execute(update(webhooks).where(webhooks.c.id == webhook_id).values(
        consecutive_failures=webhooks.c.consecutive_failures + 1, last_error=error[:500])
        .returning(webhooks.c.consecutive_failures))
    return result.scalar_one_or_none() or 0


async def mark_failing(conn: AsyncConnection, *, webhook_id: uuid.UUID) -> dict | None:
    """Mark an active endpoint failing; the row when this call did it (so one replica raises the alert)."""
    result = await conn.execute(update(webhooks).where(webhooks.c.id == webhook_id, webhooks.c.status == ACTIVE)
                                .values(status=FAILING, failing_since=func.now()).returning(*WEBHOOK_PUBLIC))
    row = result.mappings().first()
    return dict(row) if row else None


async def set_webhook_status(conn: AsyncConnection, *, webhook_id: uuid.UUID, status: str) -> dict | None:
    """Resume (active, streak cleared) or disable an endpoint."""
    values: dict = {"status": status}
    if status == ACTIVE:
        values |= {"consecutive_failures": 0, "failing_since": None}
    result = await conn.execute(update(webhooks).where(webhooks.c.id == webhook_id).values(**values)
                                .returning(*WEBHOOK_PUBLIC))
    row = result.mappings().first()
    return dict(row) if row else None


# --- staff inbox --------------------------------------------------------------------------------


async def add_inbox_item(conn: AsyncConnection, *, values: dict) -> None:
    """Put a message in a person's inbox."""
    await conn.execute(insert(inbox_items).values(**values).on_conflict_do_nothing())


async def inbox(conn: AsyncConnection, *, person_id: uuid.UUID, unread_only: bool, limit: int,
                offset: int) -> list[dict]:
    """A person's inbox, newest first."""
    query = (select(inbox_items).where(inbox_items.c.person_id == person_id)
             .order_by(inbox_items.c.created_at.desc(), inbox_items.c.id).limit(limit).offset(offset))
    if unread_only:
        query = query.where(inbox_items.c.read_at.is_(None))
    return [dict(r) for r in (await conn.execute(query)).mappings()]


async def unread_count(conn: AsyncConnection, *, person_id: uuid.UUID) -> int:
    """How many of a person's inbox items are unread."""
    return (await conn.execute(select(func.count()).where(
        inbox_items.c.person_id == person_id, inbox_items.c.read_at.is_(None)))).scalar_one()


async def mark_read(conn: AsyncConnection, *, person_id: uuid.UUID, item_id: uuid.UUID | None = None) -> int:
    """Mark one of a person's items (or all) read; returns how many belonged to them."""
    query = update(inbox_items).where(inbox_items.c.person_id == person_id)
    if item_id is not None:
        query = query.where(inbox_items.c.id == item_id)
    else:
        query = query.where(inbox_items.c.read_at.is_(None))
    result = await conn.execute(query.values(read_at=func.coalesce(inbox_items.c.read_at, func.now())))
    return result.rowcount


# --- opt-outs -----------------------------------------------------------------------------------


async def add_opt_out(conn: AsyncConnection, *, channel: str, address: str, source: str) -> None:
    """Record that an address wants no non-essential messages on a channel."""
    await conn.execute(insert(opt_outs).values(channel=channel, address=address, source=source)
                       .on_conflict_do_nothing())


async def remove_opt_out(conn: AsyncConnection, *, channel: str, address: str) -> bool:
    """Opt back in; False when the address had not opted out."""
    result = await conn.execute(delete(opt_outs).where(opt_outs.c.channel == channel, opt_outs.c.address == address))
    return result.rowcount > 0


async def list_opt_outs(conn: AsyncConnection, *, limit: int, offset: int) -> list[dict]:
    """Opt-outs, newest first."""
    query = select(opt_outs).order_by(opt_outs.c.created_at.desc()).limit(limit).offset(offset)
    return [dict(r) for r in (await conn.execute(query)).mappings()]
