"""Who may do what over HTTP, role by role, read from the permissions table: every protected notifications route
answers each persona (council, festival secretary, committees, the jury's juror and secretary, central and district
staff, another district) and an organisation's account as the table says: forbidden, or past the check to the
route's own answer. Strangers hear 401.

The calls change nothing that matters: writes aim at missing rows or carry a body refused after the check."""

import uuid

import httpx
import pytest

from services.notifications.permissions import PERMISSIONS, Capability
from shared.principal import Principal
from tests.support import notify_stack as stacks
from tests.support.notify_stack import NotifyStack
from tests.support.personas import PERSONAS, persona_tokens
from tests.support.registry_access import ORGANISATION, local_institution
from tests.support.system import STAFF_PASSWORD, bearer

notify_stack = stacks.notify_stack
MISSING = "00000000-0000-4000-8000-000000000000"
# (capability, method, path, body, what an allowed caller hears)
OPERATIONS = [
    (Capability.READ_RULES, "GET", "/rules", None, 200),
    (Capability.READ_OWN_INBOX, "GET", "/inbox", None, 200),
    (Capability.READ_OWN_INBOX, "GET", "/inbox/unread-count", None, 200),
    (Capability.READ_OWN_INBOX, "POST", f"/inbox/{MISSING}/read", None, 404),
    (Capability.READ_OWN_INBOX, "POST", "/inbox/read-all", None, 200),
    (Capability.READ_LEDGER, "GET", "/deliveries?limit=1", None, 200),
    (Capability.READ_LEDGER, "GET", "/deliveries/summary", None, 200),
    (Capability.READ_LEDGER, "GET", f"/deliveries/{MISSING}", None, 404),
    (Capability.RETRY_DELIVERY, "POST", f"/deliveries/{MISSING}/retry", None, 404),
    (Capability.READ_TEMPLATES, "GET", "/templates", None, 200),
    (Capability.READ_TEMPLATES, "GET", "/templates/work_received/sms", None, 200),
    (Capability.EDIT_TEMPLATES, "POST", "/templates/work_received/sms/preview", None, 200),
    (Capability.EDIT_TEMPLATES, "PUT", "/templates/no_such_rule/sms", {"text": "سلام"}, 404),
    (Capability.EDIT_TEMPLATES, "DELETE", "/templates/no_such_rule/sms", None, 404),
    (Capability.READ_WEBHOOKS, "GET", "/webhooks", None, 200),
    (Capability.READ_WEBHOOKS, "GET", f"/webhooks/{MISSING}", None, 404),
    (Capability.MANAGE_WEBHOOKS, "POST", "/webhooks", {"name": "x", "url": "http://127.0.0.1:1/x", "patterns": []},
     422),
    (Capability.MANAGE_WEBHOOKS, "POST", f"/webhooks/{MISSING}/resume", None, 404),
    (Capability.MANAGE_WEBHOOKS, "DELETE", f"/webhooks/{MISSING}", None, 404),
    (Capability.READ_OPT_OUTS, "GET", "/opt-outs?limit=1", None, 200),
    (Capability.MANAGE_OPT_OUTS, "PUT", "/opt-outs/sms/123", None, 422),
    (Capability.MANAGE_OPT_OUTS, "DELETE", f"/opt-outs/email/{uuid.uuid4().hex}@example.org", None, 404),
]
# Routes anyone may call: the page an opt-out link opens and its confirmation (the signed link is the proof),
# and what shared/service.py serves for every service.
UNPROTECTED = {("GET", "/opt-out"), ("POST", "/opt-out"), ("GET", "/health/live"), ("GET", "/health/ready"),
               ("GET", "/metrics")}


def _template(path: str) -> str:
    """The route's path as OpenAPI names it."""
    parts = path.split("?")[0].split("/")
    names = {"inbox": "item_id", "deliveries": "delivery_id", "webhooks": "webhook_id"}
    if len(parts) > 2 and parts[2] == MISSING:
        parts[2] = "{" + names[parts[1]] + "}"
    if parts[1] == "templates" and len(parts) > 2:
        parts[2:4] = ["{rule}", "{channel}"]
    if parts[1] == "opt-outs" and len(parts) > 2:
        parts[2:4] = ["{channel}", "{address}"]
    return "/".join(parts)


CALLERS = {**{username: persona.principal() for username, persona in PERSONAS.items()},
           ORGANISATION: Principal(subject="", username=ORGANISATION, name="", memberships=[], organisation="any")}


def organisation_token(stack: NotifyStack) -> str:
    """A district 7 institution's own account (no role in any body), created at the registry and signed in."""
    system, admin = stack.system, bearer(stack.system.token())
    institution = httpx.post(f"{system.url('registry')}/organisations", headers=admin, json=local_institution(7))
    assert institution.status_code == 201, institution.text
    username = f"org.{uuid.uuid4().hex[:8]}"
    account = httpx.post(f"{system.url('registry')}/organisations/{institution.json()['code']}/accounts",
                         headers=admin, json={"username": username, "password": STAFF_PASSWORD,
                                              "name": "نمایندهٔ سرای محله"})
    assert account.status_code == 201, account.text
    return system.token(username, STAFF_PASSWORD)


@pytest.fixture(scope="module")
def tokens(notify_stack: NotifyStack) -> dict[str, str]:
    """A signed-in token for every persona and for an organisation's account."""
    return {**persona_tokens(notify_stack.system), ORGANISATION: organisation_token(notify_stack)}


def test_every_route_is_in_the_matrix_or_deliberately_open(notify_stack: NotifyStack) -> None:
    served = {(method.upper(), path) for path, item in httpx.get(f"{notify_stack.url}/openapi.json").json()["paths"]
              .items() for method in item}
    covered = {(method, _template(path)) for _, method, path, _, _ in OPERATIONS}
    assert served - UNPROTECTED == covered
    assert {capability for capability, *_ in OPERATIONS} == set(Capability)


@pytest.mark.parametrize("username", list(CALLERS))
def test_each_persona_gets_exactly_what_the_table_allows(notify_stack: NotifyStack, tokens: dict[str, str],
                                                         username: str) -> None:
    who = CALLERS[username]
    with httpx.Client(base_url=notify_stack.url, headers=bearer(tokens[username]), timeout=10) as client:
        for capability, method, path, body, allowed_status in OPERATIONS:
            response = client.request(method, path, json=body)
            expected = allowed_status if PERMISSIONS.may(who, capability) else 403
            assert response.status_code == expected, (username, method, path, response.text[:300])
            if expected == 403:
                assert response.json()["error"]["code"] == "forbidden"


def test_strangers_are_asked_to_sign_in_everywhere(notify_stack: NotifyStack) -> None:
    with httpx.Client(base_url=notify_stack.url, timeout=10) as client:
        for _, method, path, body, _ in OPERATIONS:
            assert client.request(method, path, json=body).status_code == 401, (method, path)


def test_the_rules_are_for_people_with_a_role_in_the_festival_not_for_organisation_accounts(
        notify_stack: NotifyStack, tokens: dict[str, str]) -> None:
    assert not PERMISSIONS.may(CALLERS[ORGANISATION], Capability.READ_RULES)
    assert all(PERMISSIONS.may(persona.principal(), Capability.READ_RULES) for persona in PERSONAS.values())
    organisation = httpx.get(f"{notify_stack.url}/rules", headers=bearer(tokens[ORGANISATION]))
    assert organisation.status_code == 403 and organisation.json()["error"]["code"] == "forbidden"
    for username in ("jury.secretary", "member.d07"):
        assert httpx.get(f"{notify_stack.url}/rules", headers=bearer(tokens[username])).status_code == 200
    assert httpx.get(f"{notify_stack.url}/inbox", headers=bearer(tokens[ORGANISATION])).status_code == 200


def test_the_jury_secretary_is_no_city_wide_staff_here(notify_stack: NotifyStack, tokens: dict[str, str]) -> None:
    jury_secretary = bearer(tokens["jury.secretary"])
    for path in ("/deliveries", "/templates", "/webhooks", "/opt-outs"):
        response = httpx.get(f"{notify_stack.url}{path}", headers=jury_secretary)
        assert response.status_code == 403, (path, response.text)
