"""Who may do what in notifications: each capability and the bodies and roles that hold it.

Routes, pages and use cases ask this one table; tests/notifications/test_access.py reads it to know what to expect.
Every staff-managed part (the ledger names recipients; templates, webhooks and opt-outs speak for the festival)
belongs to city-wide staff. The rules say which bodies and roles hear of what: part of the festival's organisation,
so they are for people who hold a role in it, not for organisation accounts (which see nothing of the organisation
chart but their own). Everyone signed in has an inbox of their own.
"""

from enum import StrEnum

from shared.permissions import CITY_WIDE_STAFF, PermissionTable, holder, rule


class Capability(StrEnum):
    """What a signed-in person may ask of the notifications service."""

    READ_RULES = "read_rules"  # who hears about which event, on which channels
    READ_OWN_INBOX = "read_own_inbox"  # one's own inbox: list, count, mark read
    READ_LEDGER = "read_ledger"  # the delivery ledger: every message, its recipient and outcome
    RETRY_DELIVERY = "retry_delivery"  # send a failed or dead message again
    READ_TEMPLATES = "read_templates"
    EDIT_TEMPLATES = "edit_templates"  # preview, save and reset templates
    READ_WEBHOOKS = "read_webhooks"
    MANAGE_WEBHOOKS = "manage_webhooks"  # register, resume (and resend what it missed), disable
    READ_OPT_OUTS = "read_opt_outs"
    MANAGE_OPT_OUTS = "manage_opt_outs"  # record or withdraw an opt-out a citizen asked for by phone or in person


CITY_WIDE = rule(CITY_WIDE_STAFF)
ANY_FESTIVAL_ROLE = rule(holder(None))  # any role in any body; an organisation's account holds none

PERMISSIONS = PermissionTable(Capability, {
    Capability.READ_RULES: ANY_FESTIVAL_ROLE,
    Capability.READ_OWN_INBOX: rule(anyone_signed_in=True),
    Capability.READ_LEDGER: CITY_WIDE,
    Capability.RETRY_DELIVERY: CITY_WIDE,
    Capability.READ_TEMPLATES: CITY_WIDE,
    Capability.EDIT_TEMPLATES: CITY_WIDE,
    Capability.READ_WEBHOOKS: CITY_WIDE,
    Capability.MANAGE_WEBHOOKS: CITY_WIDE,
    Capability.READ_OPT_OUTS: CITY_WIDE,
    Capability.MANAGE_OPT_OUTS: CITY_WIDE,
})
