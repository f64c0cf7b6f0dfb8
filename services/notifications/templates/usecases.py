"""Template use cases for staff: read, preview against a sample event, save (refused when broken), reset."""

from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.permissions import PERMISSIONS, Capability
from services.notifications.templates import db
from services.notifications.templates.budget import DraftRenderer
from services.notifications.templates.defaults import DEFAULTS
from services.notifications.templates.domain import effective, in_use, known, preview
from shared.principal import Principal


async def list_templates(conn: AsyncConnection, principal: Principal) -> list[dict]:
    """Every template in use: staff's version where saved, else the default."""
    PERMISSIONS.require(principal, Capability.READ_TEMPLATES)
    overrides = await db.template_overrides(conn)
    return [in_use(rule, channel, overrides) for rule, channel in DEFAULTS]


async def get_template(conn: AsyncConnection, principal: Principal, *, rule: str, channel: str) -> dict:
    """One template in use."""
    PERMISSIONS.require(principal, Capability.READ_TEMPLATES)
    known(rule, channel)
    return in_use(rule, channel, await db.template_overrides(conn, rule=rule))


async def preview_template(conn: AsyncConnection, principal: Principal, *, rule: str, channel: str,
                           draft: dict[str, str] | None, renderer: DraftRenderer) -> dict:
    """Render a draft (or, without one, the template in use) against the rule's sample event, within the
    renderer's budget (refused template_too_costly past it)."""
    PERMISSIONS.require(principal, Capability.EDIT_TEMPLATES)
    known(rule, channel)
    if draft is None:
        draft = effective(rule, channel, await db.template_overrides(conn, rule=rule))
    return preview(rule, channel, await renderer.check(rule, channel, draft))


async def save_template(conn: AsyncConnection, principal: Principal, *, rule: str, channel: str,
                        parts: dict[str, str], renderer: DraftRenderer) -> dict:
    """Save staff's version; refused (nothing saved) when it does not render against the sample event within the
    renderer's budget."""
    PERMISSIONS.require(principal, Capability.EDIT_TEMPLATES)
    known(rule, channel)
    await renderer.check(rule, channel, parts)
    await db.save_template(conn, rule=rule, channel=channel, parts=parts, by=principal.username or principal.subject)
    return in_use(rule, channel, await db.template_overrides(conn, rule=rule))


async def reset_template(conn: AsyncConnection, principal: Principal, *, rule: str, channel: str) -> dict:
    """Go back to the default template."""
    PERMISSIONS.require(principal, Capability.EDIT_TEMPLATES)
    known(rule, channel)
    await db.reset_template(conn, rule=rule, channel=channel)
    return in_use(rule, channel, {})
