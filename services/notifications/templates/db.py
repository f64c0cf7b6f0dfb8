"""Queries of staff's saved templates (the defaults live in templates/defaults.py)."""

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.db import templates


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
