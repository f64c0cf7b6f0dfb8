"""Who may do what in the registry: every protected operation x every persona (and an organisation's account and
nobody), the expectation read from the registry's permissions table, the answer from the running service."""

from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest

from services.registry.main import ROUTERS
from services.registry.permissions import (
    PERMISSIONS,
    Capability,
    may_acknowledge_for,
    may_appoint,
    may_issue_for,
    may_see_members,
)
from shared.principal import BodyKind, Principal
from tests.support.personas import PERSONAS
from tests.support.registry_access import (
    ORGANISATION,
    PERIOD,
    World,
    build_world,
    decision,
    fresh,
    local_institution,
)
from tests.support.system import ADMIN_PASSWORD, STAFF_PASSWORD, System

C = Capability
CALLERS = (*PERSONAS, ORGANISATION, "anonymous")
EXECUTIVE_7 = "district-07-executive"
# Routes anyone may call without signing in.
PUBLIC = {("POST", "/auth/token"), ("GET", "/.well-known/jwks.json"), ("GET", "/bodies"), ("GET", "/neighbourhoods"),
          ("GET", "/organisations"), ("GET", "/public-events")}


@dataclass(frozen=True)
class Operation:
    """A protected operation: its route, the capability it checks, who may (from the table), the request, and the
    answers for those who may and those who may not."""

    method: str
    route: str
    capability: Capability | None  # None: an ownership rule (a person reads their own record)
    allowed: Callable[[Principal], bool]
    request: Callable[[World], tuple[str, dict | None]]
    success: int = 200
    denied: int = 403


def may(capability: Capability, district: int | None = None) -> Callable[[Principal], bool]:
    """Expectation straight from the table."""
    return lambda principal: PERMISSIONS.may(principal, capability, district=district)


def account(body: str | None) -> dict:
    """A staff account request with a fresh username, appointed to a body (or to none)."""
    return {"username": fresh("u"), "password": STAFF_PASSWORD, "name": "کاربر تازه",
            "memberships": [{"body": body, "role": "staff"}] if body else []}


def staff_account(world: World, path: str) -> str:
    """A path about a new district 7 staff account (made by the festival secretary): /accounts/{id}<path>."""
    return f"/accounts/{world.made('POST', '/accounts', 'festival.secretary', account('district-07'))['id']}{path}"


def decision_path(suffix: str) -> Callable[[World], tuple[str, dict | None]]:
    """A request about the shared decision to district 7 (never relayed, so each district step is out of order)."""
    return lambda w: (f"/decisions/{w.ids['decision']}{suffix}", {})


OPERATIONS: dict[str, Operation] = {
    "rotate the signing key": Operation("POST", "/auth/keys/rotate", C.ROTATE_SIGNING_KEYS,
                                        may(C.ROTATE_SIGNING_KEYS), lambda w: ("/auth/keys/rotate", None)),
    "create an account without appointment": Operation(
        "POST", "/accounts", C.CREATE_ACCOUNTS, may(C.CREATE_ACCOUNTS), lambda w: ("/accounts", account(None)), 201),
    "create a district 7 staff account": Operation(
        "POST", "/accounts", C.APPOINT_IN_DISTRICT,
        lambda p: may_appoint(p, kind=BodyKind.DISTRICT_SECRETARIAT, district=7),
        lambda w: ("/accounts", account("district-07")), 201),
    "deactivate a district 7 staff account": Operation(
        "POST", "/accounts/{account_id}/deactivate", C.DEACTIVATE_ACCOUNTS, may(C.DEACTIVATE_ACCOUNTS, 7),
        lambda w: (staff_account(w, "/deactivate"), None)),
    "reset a district 7 staff account's password": Operation(
        "POST", "/accounts/{account_id}/password", C.RESET_PASSWORDS, may(C.RESET_PASSWORDS, 7),
        lambda w: (staff_account(w, "/password"), {"new_password": "a-new-long-password"}), 204),
    # The current password is checked before the new one is refused for being the same: nothing changes.
    "change one's own password": Operation(
        "POST", "/auth/password", C.CHANGE_OWN_PASSWORD, may(C.CHANGE_OWN_PASSWORD),
        lambda w: ("/auth/password", {"current_password": w.ids["password"], "new_password": w.ids["password"]}),
        422),
    "register a person": Operation("POST", "/people", C.REGISTER_PEOPLE, may(C.REGISTER_PEOPLE),
                                   lambda w: ("/people", {"name": "شخص تازه"}), 201),
    "read another person": Operation("GET", "/people/{person_id}", C.READ_PEOPLE, may(C.READ_PEOPLE),
                                     lambda w: (f"/people/{w.ids['person']}", None), denied=404),
    "read oneself": Operation("GET", "/people/{person_id}", None, lambda p: True,
                              lambda w: (f"/people/{w.ids['self']}", None)),
    "see the jury's members": Operation(
        "GET", "/bodies/{code}/members", C.SEE_MEMBERS,
        lambda p: may_see_members(p, body_code="jury", district=None), lambda w: ("/bodies/jury/members", None)),
    "see district 7's executive committee's members": Operation(
        "GET", "/bodies/{code}/members", C.SEE_MEMBERS,
        lambda p: may_see_members(p, body_code="district-07-executive", district=7),
        lambda w: ("/bodies/district-07-executive/members", None)),
    "appoint to the jury": Operation(
        "POST", "/bodies/{code}/members", C.APPOINT_TO_FESTIVAL_BODIES,
        lambda p: may_appoint(p, kind=BodyKind.JURY_COMMITTEE, district=None),
        lambda w: ("/bodies/jury/members", {"person_id": w.new_person(), "role": "juror"}), 201),
    "appoint to district 7's executive committee": Operation(
        "POST", "/bodies/{code}/members", C.APPOINT_IN_DISTRICT,
        lambda p: may_appoint(p, kind=BodyKind.EXECUTIVE_COMMITTEE, district=7),
        lambda w: ("/bodies/district-07-executive/members", {"person_id": w.new_person(), "role": "member"}), 201),
    "remove from the jury": Operation(
        "DELETE", "/bodies/{code}/members/{appointment_id}", C.APPOINT_TO_FESTIVAL_BODIES,
        lambda p: may_appoint(p, kind=BodyKind.JURY_COMMITTEE, district=None),
        lambda w: (f"/bodies/jury/members/{w.new_appointment('jury', 'juror', 'festival.secretary')}", None), 204),
    "remove from district 7's executive committee": Operation(
        "DELETE", "/bodies/{code}/members/{appointment_id}", C.APPOINT_IN_DISTRICT,
        lambda p: may_appoint(p, kind=BodyKind.EXECUTIVE_COMMITTEE, district=7),
        lambda w: ("/bodies/district-07-executive/members/"
                   f"{w.new_appointment('district-07-executive', 'member', 'secretary.d07')}", None), 204),
    # Handing the festival secretary's office to the one who holds it changes nothing (409): the matrix keeps its
    # festival secretary; test_hierarchy plays a real hand-over.
    "hand the festival secretary's office over": Operation(
        "PUT", "/bodies/{code}/holders/{role}", C.APPOINT_FESTIVAL_SECRETARY,
        lambda p: may_appoint(p, kind=BodyKind.FESTIVAL_SECRETARY, district=None),
        lambda w: ("/bodies/festival-secretary/holders/secretary",
                   {"person_id": w.callers["festival.secretary"].principal.subject}), 409),
    "hand the central secretariat's head over": Operation(
        "PUT", "/bodies/{code}/holders/{role}", C.APPOINT_TO_FESTIVAL_BODIES,
        lambda p: may_appoint(p, kind=BodyKind.CENTRAL_SECRETARIAT, district=None),
        lambda w: ("/bodies/central-secretariat/holders/chair", {"person_id": w.new_person()})),
    "add a body": Operation("POST", "/bodies", C.MANAGE_BODIES, may(C.MANAGE_BODIES), lambda w: ("/bodies", {
        "code": fresh("access-"), "kind": "working_group", "name_fa": "کارگروه", "parent_code": "festival-secretary"}),
        201),
    "rename a body": Operation("PATCH", "/bodies/{code}", C.MANAGE_BODIES, may(C.MANAGE_BODIES),
                               lambda w: (f"/bodies/{w.ids['body']}", {"name_fa": "کارگروه آزمون دسترسی"})),
    "reload the structure": Operation("POST", "/structure/reload", C.RELOAD_STRUCTURE, may(C.RELOAD_STRUCTURE),
                                      lambda w: ("/structure/reload", None)),
    "register a district 7 institution": Operation(
        "POST", "/organisations", C.MANAGE_ORGANISATIONS, may(C.MANAGE_ORGANISATIONS, 7),
        lambda w: ("/organisations", local_institution(7)), 201),
    "register a district 12 institution": Operation(
        "POST", "/organisations", C.MANAGE_ORGANISATIONS, may(C.MANAGE_ORGANISATIONS, 12),
        lambda w: ("/organisations", local_institution(12)), 201),
    "change a district 7 institution": Operation(
        "PATCH", "/organisations/{code}", C.MANAGE_ORGANISATIONS, may(C.MANAGE_ORGANISATIONS, 7),
        lambda w: (f"/organisations/{w.ids['organisation']}", {"name_fa": "سرای محله آزمون"})),
    "give a district 7 institution an account": Operation(
        "POST", "/organisations/{code}/accounts", C.CREATE_ORGANISATION_ACCOUNTS,
        may(C.CREATE_ORGANISATION_ACCOUNTS, 7), lambda w: (f"/organisations/{w.ids['organisation']}/accounts", {
            "username": fresh("org"), "password": STAFF_PASSWORD, "name": "نماینده"}), 201),
    "issue a council decision": Operation(
        "POST", "/decisions", C.ISSUE_DECISIONS, lambda p: may_issue_for(p, "policy-council"),
        lambda w: ("/decisions", decision("policy-council")), 201),
    "issue a committee decision": Operation(
        "POST", "/decisions", C.ISSUE_DECISIONS, lambda p: may_issue_for(p, "committee-welfare"),
        lambda w: ("/decisions", decision("committee-welfare")), 201),
    "list district 12's decisions": Operation(
        "GET", "/decisions", C.READ_DISTRICT_DECISIONS, may(C.READ_DISTRICT_DECISIONS, 12),
        lambda w: ("/decisions?district=12", None)),
    "list district 7's decisions": Operation(
        "GET", "/decisions", C.READ_DISTRICT_DECISIONS, may(C.READ_DISTRICT_DECISIONS, 7),
        lambda w: ("/decisions?district=7", None)),
    "see a decision to district 7": Operation(
        "GET", "/decisions/{decision_id}", C.READ_ALL_DECISIONS,
        lambda p: may(C.READ_ALL_DECISIONS)(p) or may(C.READ_DISTRICT_DECISIONS, 7)(p), decision_path(""),
        denied=404),
    "relay a decision": Operation(
        "POST", "/decisions/{decision_id}/relay", C.RELAY_DECISIONS, may(C.RELAY_DECISIONS),
        lambda w: (f"/decisions/{w.new_decision()}/relay", {})),
    "acknowledge for district 7 (out of order)": Operation(
        "POST", "/decisions/{decision_id}/districts/{district}/acknowledge", C.ACKNOWLEDGE_DECISIONS,
        may(C.ACKNOWLEDGE_DECISIONS, 7), decision_path("/districts/7/acknowledge"), 409),
    "acknowledge for district 7's executive committee": Operation(
        "POST", "/decisions/{decision_id}/committees/{committee}/acknowledge", None,
        lambda p: may_acknowledge_for(p, EXECUTIVE_7),
        lambda w: (f"/decisions/{w.new_decision(committees=(EXECUTIVE_7,))}/committees/{EXECUTIVE_7}/acknowledge",
                   {})),
    "list the decisions to district 7's executive committee": Operation(
        "GET", "/decisions", None, lambda p: may(C.READ_ALL_DECISIONS)(p) or may_acknowledge_for(p, EXECUTIVE_7),
        lambda w: (f"/decisions?committee={EXECUTIVE_7}", None)),
    "report district 7 done (out of order)": Operation(
        "POST", "/decisions/{decision_id}/districts/{district}/implemented", C.REPORT_IMPLEMENTED,
        may(C.REPORT_IMPLEMENTED, 7), decision_path("/districts/7/implemented"), 409),
    "file district 7's report": Operation(
        "POST", "/districts/{district}/reports", C.FILE_DISTRICT_REPORTS, may(C.FILE_DISTRICT_REPORTS, 7),
        lambda w: ("/districts/7/reports", PERIOD), 201),
    "list district 7's reports": Operation(
        "GET", "/districts/{district}/reports", C.READ_DISTRICT_REPORTS, may(C.READ_DISTRICT_REPORTS, 7),
        lambda w: ("/districts/7/reports", None)),
    "read a district 7 report": Operation(
        "GET", "/reports/{report_id}", C.READ_DISTRICT_REPORTS, may(C.READ_DISTRICT_REPORTS, 7),
        lambda w: (f"/reports/{w.ids['district_report']}", None), denied=404),
    "compile the city report": Operation("POST", "/city-reports", C.COMPILE_CITY_REPORTS, may(C.COMPILE_CITY_REPORTS),
                                         lambda w: ("/city-reports", PERIOD), 201),
    "list the city reports": Operation("GET", "/city-reports", C.READ_CITY_REPORTS, may(C.READ_CITY_REPORTS),
                                       lambda w: ("/city-reports", None)),
    "read a city report": Operation("GET", "/reports/{report_id}", C.READ_CITY_REPORTS, may(C.READ_CITY_REPORTS),
                                    lambda w: (f"/reports/{w.ids['city_report']}", None), denied=404),
    "see the monitoring table": Operation("GET", "/monitoring", C.SEE_MONITORING, may(C.SEE_MONITORING),
                                          lambda w: ("/monitoring", None)),
    "read the ledger": Operation("GET", "/ledger", C.READ_LEDGER, may(C.READ_LEDGER), lambda w: ("/ledger", None)),
    "verify the ledger": Operation("GET", "/ledger/verify", C.READ_LEDGER, may(C.READ_LEDGER),
                                   lambda w: ("/ledger/verify", None)),
}


def test_every_protected_route_and_every_capability_is_in_the_matrix() -> None:
    routes = {(method, route.path) for router in ROUTERS for route in router.routes for method in route.methods}
    assert routes - PUBLIC == {(op.method, op.route) for op in OPERATIONS.values()}
    assert {op.capability for op in OPERATIONS.values()} - {None} == set(Capability)


@pytest.fixture(scope="module")
def world(system: System) -> World:
    """The callers signed in and the things the operations act on."""
    with httpx.Client(timeout=30) as client:
        yield build_world(system, client)


@pytest.mark.parametrize("who", CALLERS)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_access(world: World, operation: str, who: str) -> None:
    op = OPERATIONS[operation]
    known = world.callers.get(who)
    world.ids["self"] = known.principal.subject if known else world.ids["person"]
    world.ids["password"] = ADMIN_PASSWORD if who == "festival.secretary" else STAFF_PASSWORD
    path, body = op.request(world)

    response = world.call(op.method, path, known.token if known else None, body)

    expected = 401 if known is None else op.success if op.allowed(known.principal) else op.denied
    assert response.status_code == expected, f"{who} {operation}: {response.text}"
    if expected in (401, 403, 404):
        codes = {401: {"not_authenticated"}, 403: {"forbidden", "not_district_staff", "not_district_secretary",
                                                     "not_committee_member"},
                 404: {"not_found"}}
        assert response.json()["error"]["code"] in codes[expected]
