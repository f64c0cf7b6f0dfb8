"""Every staff use case asks the permissions table itself: each persona is refused exactly where the table says
so, whichever caller (route, page, consumer) forgets to ask first."""

import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.delivery import usecases as deliveries
from services.notifications.inbox import usecases as inbox
from services.notifications.optouts import usecases as optouts
from services.notifications.permissions import PERMISSIONS, Capability
from services.notifications.templates import usecases as templates
from services.notifications.webhooks import usecases as webhooks
from shared.refusals import Kind, Refusal
from tests.support.notifications_db import draft_renderer, public_dns
from tests.support.personas import PERSONAS

DRAFT = {"subject": "", "text": "سلام {{ name }}", "html": ""}
# Capability -> the use cases it guards, each as a call of (conn, principal).
USE_CASES = {
    Capability.READ_OWN_INBOX: [
        lambda c, p: inbox.my_inbox(c, p, unread_only=False, limit=5, offset=0),
        lambda c, p: inbox.unread_count(c, p), lambda c, p: inbox.mark_read(c, p, uuid.uuid4()),
        lambda c, p: inbox.mark_all_read(c, p)],
    Capability.READ_LEDGER: [
        lambda c, p: deliveries.list_deliveries(c, p, limit=5, offset=0),
        lambda c, p: deliveries.delivery_summary(c, p), lambda c, p: deliveries.get_delivery(c, p, uuid.uuid4())],
    Capability.RETRY_DELIVERY: [lambda c, p: deliveries.retry_delivery(c, p, uuid.uuid4())],
    Capability.READ_TEMPLATES: [
        lambda c, p: templates.list_templates(c, p),
        lambda c, p: templates.get_template(c, p, rule="work_received", channel="sms")],
    Capability.EDIT_TEMPLATES: [
        lambda c, p: templates.preview_template(c, p, rule="work_received", channel="sms", draft=None,
                                                renderer=draft_renderer()),
        lambda c, p: templates.save_template(c, p, rule="work_received", channel="sms", parts=DRAFT,
                                             renderer=draft_renderer()),
        lambda c, p: templates.reset_template(c, p, rule="work_received", channel="sms")],
    Capability.READ_WEBHOOKS: [
        lambda c, p: webhooks.list_webhooks(c, p), lambda c, p: webhooks.get_webhook(c, p, uuid.uuid4())],
    Capability.MANAGE_WEBHOOKS: [
        lambda c, p: webhooks.register_webhook(c, p, name="آزمون", url="https://example.org/h", patterns=["#"],
                                               secret=None, targets=public_dns()),
        lambda c, p: webhooks.resume_webhook(c, p, uuid.uuid4()),
        lambda c, p: webhooks.disable_webhook(c, p, uuid.uuid4())],
    Capability.READ_OPT_OUTS: [lambda c, p: optouts.list_opt_outs(c, p, limit=5, offset=0)],
    Capability.MANAGE_OPT_OUTS: [
        lambda c, p: optouts.record_opt_out(c, p, channel="sms", address="09121234567"),
        lambda c, p: optouts.opt_back_in(c, p, channel="email", address="nobody@example.org")],
}
# Read straight from the table, no use case: the rules are constants (rules/api.py asks the table).
WITHOUT_USE_CASE = {Capability.READ_RULES}


def test_every_capability_guards_use_cases_or_is_named_as_guarding_none() -> None:
    assert set(USE_CASES) | WITHOUT_USE_CASE == set(Capability)


@pytest.mark.parametrize("capability", list(USE_CASES))
@pytest.mark.parametrize("username", list(PERSONAS))
async def test_each_persona_is_refused_exactly_where_the_table_says(conn: AsyncConnection, capability: Capability,
                                                                     username: str) -> None:
    who = PERSONAS[username].principal()
    allowed = PERMISSIONS.may(who, capability)
    for call in USE_CASES[capability]:
        try:
            await call(conn, who)
            outcome = None
        except Refusal as refusal:
            outcome = refusal.kind
        if allowed:
            assert outcome != Kind.FORBIDDEN, (username, capability)
        else:
            assert outcome == Kind.FORBIDDEN, (username, capability)
