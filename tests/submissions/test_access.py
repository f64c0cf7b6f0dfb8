"""Who may do what in submissions, role by role: every protected operation is called as every persona and as an
organisation's own account, and what the running service answers must be what services/submissions/permissions.py
says (the expectations come from that table, never from a list kept here). A work hidden from a caller is "not
found"; one they may see but not change is "forbidden".

Editions 1320-1349 are used by no other test; the works are district 7's, in the default edition."""

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest

from services.submissions.permissions import PERMISSIONS, Capability, may_on_work
from services.submissions.tracking.domain import new_tracking_code
from shared.principal import Principal
from tests.support.files import PDF
from tests.support.personas import PERSONAS, persona_tokens
from tests.support.submissions import (
    NEIGHBOURHOODS,
    call_body,
    ensure_open_call,
    registered_organisation,
    wait_for_neighbourhoods,
    work_body,
)
from tests.support.submissions_accounts import (
    as_organisation,
    organisation_principal,
    organisation_token,
)
from tests.support.system import System, bearer

DISTRICT = 7
OPEN_EDITION, DRAFT_EDITION = "1348", "1349"
ORGANISATION = "organisation"  # the caller that is an organisation's own account
CITIZENS, ORGANISATIONS = "a citizen's work", "an organisation's own work"
_fresh_editions = itertools.count(1320)


@dataclass(frozen=True)
class Scene:
    """Every caller's token and Principal, the organisation, and a work of each kind with a document."""

    tokens: dict[str, str]
    principals: dict[str, Principal]
    organisation: str
    works: dict[str, dict]  # CITIZENS / ORGANISATIONS -> {"id", "organisation", "document"}

    def url(self, system: System, path: str) -> str:
        return f"{system.url('submissions')}{path}"


def submit(system: System, token: str, body: dict) -> dict:
    response = httpx.post(f"{system.url('submissions')}/works", json=body, headers=bearer(token), timeout=30)
    assert response.status_code == 201, response.text
    return response.json()


def attach(system: System, token: str, work_id: str) -> dict:
    response = httpx.post(f"{system.url('submissions')}/works/{work_id}/documents", headers=bearer(token),
                          files={"file": ("گزارش.pdf", PDF, "application/pdf")}, timeout=30)
    assert response.status_code == 201, response.text
    return response.json()


def fresh_work(system: System, scene: Scene, kind: str) -> dict:
    """A new work of that kind with a document, entered by whoever enters such works."""
    if kind == CITIZENS:
        token, body = scene.tokens["staff.d07"], work_body(DISTRICT)
    else:
        token, body = scene.tokens[ORGANISATION], work_body(DISTRICT, submitter=as_organisation(scene.organisation))
    work = submit(system, token, body)
    return {"id": work["id"], "organisation": work["submitter"]["organisation_code"],
            "document": attach(system, token, work["id"])["id"]}


@pytest.fixture(scope="module")
def scene(system: System) -> Scene:
    """Every persona and an organisation's account signed in, a call open and one in draft, and a work of each
    kind with a document."""
    wait_for_neighbourhoods(system)
    ensure_open_call(system)
    admin = bearer(system.token())
    for edition in (OPEN_EDITION, DRAFT_EDITION):
        created = httpx.post(f"{system.url('submissions')}/editions", json={"code": edition}, headers=admin)
        assert created.status_code == 201, created.text
        configured = httpx.put(f"{system.url('submissions')}/editions/{edition}/call", json=call_body(), headers=admin)
        assert configured.status_code == 200, configured.text
    assert httpx.post(f"{system.url('submissions')}/editions/{OPEN_EDITION}/call/open", headers=admin).is_success
    charity = registered_organisation(system, district=DISTRICT)["code"]
    tokens = {**persona_tokens(system), ORGANISATION: organisation_token(system, charity)}
    principals = {**{u: p.principal() for u, p in PERSONAS.items()}, ORGANISATION: organisation_principal(charity)}
    scene = Scene(tokens, principals, charity, {})
    scene.works.update({kind: fresh_work(system, scene, kind) for kind in (CITIZENS, ORGANISATIONS)})
    return scene


def answer(response: httpx.Response) -> str:
    """A response as status and refusal code, e.g. '403 not_district_staff' or '200'."""
    code = response.json().get("error", {}).get("code") if response.status_code >= 400 else None
    return f"{response.status_code} {code}" if code else str(response.status_code)


# --- what the table says each caller gets ---------------------------------------------------------

Expect = Callable[[Scene, Principal], str]


def city_wide(capability: Capability, allowed: str) -> Expect:
    """An operation on no district's works: the table's holders get `allowed`, everyone else is forbidden."""
    return lambda scene, principal: allowed if PERMISSIONS.may(principal, capability) else "403 forbidden"


def on_work(capability: Capability, kind: str, allowed: str) -> Expect:
    """An operation on one work: hidden (not found) from those who may not see it, forbidden to those who may see
    but not do it."""
    def expected(scene: Scene, principal: Principal) -> str:
        work = scene.works[kind]
        def may(held: Capability) -> bool:
            return may_on_work(principal, held, district=DISTRICT, organisation=work["organisation"])
        if not may(Capability.SEE_WORKS):
            return "404 not_found"
        return allowed if may(capability) else "403 not_district_staff"
    return expected


def entering(scene: Scene, principal: Principal) -> str:
    """Entering a district-7 work; an organisation's account names itself as the submitter."""
    if may_on_work(principal, Capability.ENTER_WORKS, district=DISTRICT, organisation=principal.organisation):
        return "201"
    return "403 not_own_organisation" if principal.organisation else "403 not_district_staff"


def district_offices(allowed: str) -> Expect:
    """District 7's festival offices: for those the table lets manage that district's offices."""
    def expected(scene: Scene, principal: Principal) -> str:
        may = PERMISSIONS.may(principal, Capability.MANAGE_DISTRICT_OFFICES, district=DISTRICT)
        return allowed if may else "403 not_district_staff"
    return expected


def of_the_district(capability: Capability) -> Expect:
    """A view of district 7's works: for those the table lets see that district, forbidden to others (as
    "forbidden" or "not_district_staff": the status is what the table decides)."""
    def expected(scene: Scene, principal: Principal) -> str:
        return "200" if PERMISSIONS.may(principal, capability, district=DISTRICT) else "403"
    return expected


# --- the calls -------------------------------------------------------------------------------------

Call = Callable[[System, Scene, str, str], str]  # (system, scene, caller, token) -> the answer


def request(method: str, path: str, body: dict | None = None, *, status_only: bool = False) -> Call:
    """A request to a fixed path."""
    def call(system: System, scene: Scene, caller: str, token: str) -> str:
        response = httpx.request(method, scene.url(system, path), json=body, headers=bearer(token), timeout=30)
        return str(response.status_code) if status_only else answer(response)
    return call


def on(kind: str, method: str, path: str, body: dict | None = None) -> Call:
    """A request about the scene's work of that kind (path fields: {id}, {document})."""
    def call(system: System, scene: Scene, caller: str, token: str) -> str:
        filled = path.format(**scene.works[kind])
        return answer(httpx.request(method, scene.url(system, filled), json=body, headers=bearer(token), timeout=30))
    return call


def on_fresh(kind: str, method: str, path: str, body: dict | None = None) -> Call:
    """A request about a new work of that kind, for operations that change it for good (withdraw, remove)."""
    def call(system: System, scene: Scene, caller: str, token: str) -> str:
        filled = path.format(**fresh_work(system, scene, kind))
        return answer(httpx.request(method, scene.url(system, filled), json=body, headers=bearer(token), timeout=30))
    return call


def enter(system: System, scene: Scene, caller: str, token: str) -> str:
    submitter = as_organisation(scene.organisation) if scene.principals[caller].organisation else None
    body = work_body(DISTRICT, **({"submitter": submitter} if submitter else {}))
    return answer(httpx.post(scene.url(system, "/works"), json=body, headers=bearer(token), timeout=30))


def create_edition(system: System, scene: Scene, caller: str, token: str) -> str:
    body = {"code": str(next(_fresh_editions))}
    return answer(httpx.post(scene.url(system, "/editions"), json=body, headers=bearer(token), timeout=30))


def close_an_open_office(system: System, scene: Scene, caller: str, token: str) -> str:
    """Close district 7's office after city-wide staff (re)open it, so every caller finds it open."""
    path = f"/editions/{OPEN_EDITION}/districts/{DISTRICT}/offices/{NEIGHBOURHOODS[DISTRICT]}"
    reopened = httpx.put(scene.url(system, path), json={"open": True}, headers=bearer(system.token()), timeout=30)
    assert reopened.status_code == 200, reopened.text
    return answer(httpx.delete(scene.url(system, path), headers=bearer(token), timeout=30))


def upload(kind: str) -> Call:
    def call(system: System, scene: Scene, caller: str, token: str) -> str:
        response = httpx.post(scene.url(system, f"/works/{scene.works[kind]['id']}/documents"), headers=bearer(token),
                              files={"file": ("عکس.pdf", PDF, "application/pdf")}, timeout=30)
        return answer(response)
    return call


@dataclass(frozen=True)
class Operation:
    """A protected call, the capability guarding it, and what the table says each caller gets."""

    name: str
    capability: Capability
    call: Call
    expected: Expect


def work_operations(kind: str) -> list[Operation]:
    """Every operation on one work of that kind."""
    see, work = Capability.SEE_WORKS, "/works/{id}"
    return [
        Operation(f"read {kind}", see, on(kind, "GET", work), on_work(see, kind, "200")),
        Operation(f"read the history of {kind}", see, on(kind, "GET", work + "/history"), on_work(see, kind, "200")),
        Operation(f"list the documents of {kind}", see, on(kind, "GET", work + "/documents"),
                  on_work(see, kind, "200")),
        Operation(f"download a document of {kind}", see, on(kind, "GET", work + "/documents/{document}"),
                  on_work(see, kind, "200")),
        Operation(f"edit {kind}", Capability.EDIT_WORKS, on(kind, "PATCH", work, {"beneficiaries": 7}),
                  on_work(Capability.EDIT_WORKS, kind, "200")),
        Operation(f"withdraw {kind}", Capability.WITHDRAW_WORKS,
                  on_fresh(kind, "POST", work + "/withdraw", {"reason": "انصراف ارسال‌کننده"}),
                  on_work(Capability.WITHDRAW_WORKS, kind, "200")),
        Operation(f"attach a document to {kind}", Capability.ATTACH_DOCUMENTS, upload(kind),
                  on_work(Capability.ATTACH_DOCUMENTS, kind, "201")),
        Operation(f"remove a document of {kind}", Capability.ATTACH_DOCUMENTS,
                  on_fresh(kind, "DELETE", work + "/documents/{document}"),
                  on_work(Capability.ATTACH_DOCUMENTS, kind, "204")),
    ]


OPERATIONS = [
    Operation("create an edition", Capability.MANAGE_CALLS, create_edition, city_wide(Capability.MANAGE_CALLS, "201")),
    Operation("set up a call", Capability.MANAGE_CALLS, request("PUT", f"/editions/{OPEN_EDITION}/call", call_body()),
              city_wide(Capability.MANAGE_CALLS, "200")),
    Operation("open a call", Capability.MANAGE_CALLS, request("POST", f"/editions/{OPEN_EDITION}/call/open"),
              city_wide(Capability.MANAGE_CALLS, "409 call_already_open")),
    Operation("close a call", Capability.MANAGE_CALLS, request("POST", f"/editions/{DRAFT_EDITION}/call/close"),
              city_wide(Capability.MANAGE_CALLS, "409 call_not_open")),
    Operation("list district 7's festival offices", Capability.MANAGE_DISTRICT_OFFICES,
              request("GET", f"/editions/{OPEN_EDITION}/districts/{DISTRICT}/offices"), district_offices("200")),
    Operation("open and staff a district-7 festival office", Capability.MANAGE_DISTRICT_OFFICES,
              request("PUT", f"/editions/{OPEN_EDITION}/districts/{DISTRICT}/offices/{NEIGHBOURHOODS[DISTRICT]}",
                      {"open": True, "staff": [{"name": "مسئول دفتر", "phone": "09121234567"}]}),
              district_offices("200")),
    Operation("close a district-7 festival office", Capability.MANAGE_DISTRICT_OFFICES, close_an_open_office,
              district_offices("200")),
    Operation("enter a district-7 work", Capability.ENTER_WORKS, enter, entering),
    *work_operations(CITIZENS),
    *work_operations(ORGANISATIONS),
    Operation("list district 7's works", Capability.LIST_WORKS,
              request("GET", f"/works?district={DISTRICT}", status_only=True), of_the_district(Capability.LIST_WORKS)),
    Operation("export district 7's works", Capability.EXPORT_WORKS,
              request("GET", f"/works/export.csv?district={DISTRICT}", status_only=True),
              of_the_district(Capability.EXPORT_WORKS)),
]
CALLERS = [*PERSONAS, ORGANISATION]


def test_every_capability_is_exercised() -> None:
    assert {operation.capability for operation in OPERATIONS} == set(Capability)


@pytest.mark.parametrize("operation", OPERATIONS, ids=[o.name for o in OPERATIONS])
def test_each_caller_gets_what_the_permissions_table_says(system: System, scene: Scene, operation: Operation) -> None:
    expected = {caller: operation.expected(scene, scene.principals[caller]) for caller in CALLERS}

    got = {caller: operation.call(system, scene, caller, scene.tokens[caller]) for caller in CALLERS}

    assert got == expected


@pytest.mark.parametrize("operation", OPERATIONS, ids=[o.name for o in OPERATIONS])
def test_every_protected_operation_needs_a_sign_in(system: System, scene: Scene, operation: Operation) -> None:
    assert operation.call(system, scene, "staff.d07", "not-a-token").startswith("401")


def test_editions_and_the_tracking_lookup_are_public(system: System, scene: Scene) -> None:
    for path in ("/editions", f"/editions/{OPEN_EDITION}"):
        assert httpx.get(scene.url(system, path)).status_code == 200
    looked_up = httpx.post(scene.url(system, "/track"), json={"code": new_tracking_code(), "mobile": "09350000000"},
                           headers={"X-Forwarded-For": "198.51.100.240"})
    assert answer(looked_up) == "404 not_found"
