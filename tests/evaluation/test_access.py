"""Who may do what in evaluation, role by role: every protected operation is called as every persona, and what the
running service answers must be what services/evaluation/permissions.py says (the expectations come from that
table, never from a list kept here). Scoring is no role: anyone signed in is an evaluator of exactly the works a
round assigned to them, and hears "not found" about any other. A round draws the members of the district's
committees (domain.drawn_from), never a secretary; a committee member lists no district's works.

Edition 1387 and district 7's welfare round are used by no other test."""

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import jwt
import pytest

from services.evaluation.domain import drawn_from
from services.evaluation.permissions import PERMISSIONS, Capability
from shared.contracts.submissions import WorkReceived
from tests.support.bus import publish_event
from tests.support.evaluation import evaluation, projected
from tests.support.personas import PERSONAS, Persona, persona_tokens
from tests.support.submissions import registered_organisation
from tests.support.submissions_accounts import organisation_principal, organisation_token
from tests.support.system import System
from tests.support.waiting import wait_for

EDITION, DISTRICT, CATEGORY = "1387", 7, "welfare"
SCORES = ("innovation", "social_impact", "sustainability", "participation", "feasibility")


@dataclass(frozen=True)
class Scene:
    """A district-7 work in an open tier-1 round, and every persona's token."""

    tokens: dict[str, str]
    work_id: str
    round_id: str


def assigned(persona: Persona) -> bool:
    """True when the round gives the persona the work: everyone a tier-1 round of district 7 draws gets it (k = all)."""
    return persona.principal().holds(*drawn_from(1), DISTRICT)


@pytest.fixture(scope="module")
def scene(system: System) -> Scene:
    """Every persona signed in, a work of district 7 received, and its round opened by the district's manager."""
    tokens = persona_tokens(system)  # each appointed by whoever may appoint them
    for username, persona in PERSONAS.items():
        if assigned(persona):  # evaluation must know them before the round draws its evaluators
            person = uuid.UUID(jwt.decode(tokens[username], options={"verify_signature": False})["sub"])
            wait_for(lambda p=person: projected(system, "SELECT count(*) FROM memberships WHERE active AND "
                                                        "person_id = $1", p))
    work = WorkReceived(work_id=uuid.uuid4(), tracking_code="1234-5678-9012", district=DISTRICT,
                        neighbourhood="نظام آباد", category=CATEGORY, title="اثر دسترسی", submitter_name="شهروند",
                        submitter_national_id="0499370899", submitter_mobile="09357770000", edition=EDITION)
    asyncio.run(publish_event(system.amqp_url, work))
    wait_for(lambda: projected(system, "SELECT count(*) FROM works WHERE work_id = $1", work.work_id))
    kinds, roles = drawn_from(1)
    evaluators = projected(system, "SELECT count(DISTINCT person_id) FROM memberships WHERE active AND district = $1 "
                                   "AND body_kind = ANY($2) AND role = ANY($3)", DISTRICT,
                           [str(k) for k in kinds], [str(r) for r in roles])
    manager = next(u for u, p in PERSONAS.items()
                   if PERMISSIONS.may(p.principal(), Capability.MANAGE_TIER_1_ROUND, district=DISTRICT))
    opened = evaluation(system, "POST", "/rounds", tokens[manager], {
        "edition": EDITION, "tier": 1, "district": DISTRICT, "category": CATEGORY, "k": evaluators})
    assert opened.status_code == 201, opened.text
    return Scene(tokens, str(work.work_id), opened.json()["id"])


def answer(response: httpx.Response) -> str:
    """A response as status and refusal code, e.g. '409 no_works' or '200'."""
    code = response.json().get("error", {}).get("code") if response.status_code >= 400 else None
    return f"{response.status_code} {code}" if code else str(response.status_code)


@dataclass(frozen=True)
class Operation:
    """A protected call, the capability guarding it, and the answers of those who hold it and those who do not."""

    name: str
    capability: Capability
    call: Callable[[System, Scene, str], str]  # (system, scene, token) -> the answer
    allowed: str
    refused: str
    unassigned: str | None = None  # EVALUATE: the answer of a holder the round did not give the work

    def expected(self, persona: Persona) -> str:
        """What the table (and, for evaluators, the assignment) says this persona gets."""
        if not PERMISSIONS.may(persona.principal(), self.capability, district=DISTRICT):
            return self.refused
        return self.unassigned if self.unassigned and not assigned(persona) else self.allowed


def _call(method: str, path: str, body: dict | None = None) -> Callable[[System, Scene, str], str]:
    def call(system: System, scene: Scene, token: str) -> str:
        filled = path.format(round=scene.round_id, work=scene.work_id)
        return answer(evaluation(system, method, filled, token, body))
    return call


def _listed(path: str) -> Callable[[System, Scene, str], str]:
    def call(system: System, scene: Scene, token: str) -> str:
        response = evaluation(system, "GET", path.format(round=scene.round_id), token)
        if response.status_code != 200:
            return answer(response)
        return "listed" if scene.work_id in {item["work_id"] for item in response.json()} else "not listed"
    return call


OPEN_EMPTY_TIER_1 = {"edition": EDITION, "tier": 1, "district": DISTRICT, "category": "entrepreneurship"}
OPERATIONS = [
    Operation("list the district's works", Capability.SEE_WORKS, _listed("/works?limit=500"),
              "listed", "not listed"),
    Operation("read a work", Capability.SEE_WORKS, _call("GET", "/works/{work}"), "200", "404 not_found"),
    Operation("open a district round", Capability.MANAGE_TIER_1_ROUND, _call("POST", "/rounds", OPEN_EMPTY_TIER_1),
              "409 no_works", "403 forbidden"),
    Operation("preview a district round's ranking", Capability.MANAGE_TIER_1_ROUND,
              _call("GET", "/rounds/{round}/ranking"), "200", "403 forbidden"),
    Operation("close a district round", Capability.MANAGE_TIER_1_ROUND, _call("POST", "/rounds/{round}/close"),
              "409 sheets_missing", "403 forbidden"),
    Operation("reassign a work of a district round", Capability.MANAGE_TIER_1_ROUND, _call(
        "POST", "/rounds/{round}/works/{work}/reassign",
        {"from_person": str(uuid.UUID(int=1)), "to_person": str(uuid.UUID(int=2)), "reason": "غیبت داور"}),
        "409 not_assigned", "403 forbidden"),
    Operation("open the jury's round", Capability.MANAGE_TIER_2_ROUND,
              _call("POST", "/rounds", {"edition": EDITION, "tier": 2, "category": CATEGORY}),
              "409 no_works", "403 forbidden"),
    Operation("reopen a round", Capability.REOPEN_ROUND,
              _call("POST", "/rounds/{round}/reopen", {"reason": "بازبینی"}), "409 round_open", "403 forbidden"),
    Operation("confirm the receipt of selections", Capability.CONFIRM_RECEIPT,
              _call("POST", "/receipts", {"edition": EDITION, "category": CATEGORY}),
              "409 tier1_still_open", "403 forbidden"),
    Operation("read the jury's proposed awards", Capability.READ_PROPOSALS, _call("GET", f"/proposals/{EDITION}"),
              "200", "403 forbidden"),
    Operation("list one's assigned works", Capability.EVALUATE, _listed("/rounds/{round}/my-works"),
              "listed", "not listed", unassigned="not listed"),
    Operation("save a score sheet", Capability.EVALUATE, _call(
        "PUT", "/rounds/{round}/works/{work}/sheet", {"scores": dict.fromkeys(SCORES, 5), "submit": False}),
        "200", "403 forbidden", unassigned="404 not_found"),
    # Last: declaring a conflict takes the work from the evaluator who declares it.
    Operation("declare a conflict of interest", Capability.EVALUATE,
              _call("POST", "/rounds/{round}/works/{work}/conflict", {"reason": "خویشاوند ارسال‌کننده"}),
              "200", "403 forbidden", unassigned="404 not_found"),
]


# Before the table-driven tests: their last operation (declaring a conflict) takes the work from its evaluators.
def test_a_committee_member_lists_none_of_the_districts_works_only_those_assigned(system: System,
                                                                                 scene: Scene) -> None:
    member = scene.tokens["member.d07"]

    listed = evaluation(system, "GET", "/works?limit=500", member)
    read = evaluation(system, "GET", f"/works/{scene.work_id}", member)
    mine = evaluation(system, "GET", f"/rounds/{scene.round_id}/my-works", member)

    assert listed.status_code == 200 and listed.json() == []
    assert answer(read) == "404 not_found"
    assert [w["work_id"] for w in mine.json()] == [scene.work_id]
    assert set(mine.json()[0]) == {"work_id", "district", "neighbourhood", "category", "title", "sheet"}
    assert "09357770000" not in mine.text and "0499370899" not in mine.text  # nothing of the submitter


def test_the_district_office_lists_its_works_and_a_jury_secretary_none(system: System, scene: Scene) -> None:
    for office in ("staff.d07", "secretary.d07"):
        listed = evaluation(system, "GET", "/works?limit=500", scene.tokens[office]).json()
        assert scene.work_id in {w["work_id"] for w in listed}
    assert evaluation(system, "GET", "/works?limit=500", scene.tokens["jury.secretary"]).json() == []


@pytest.mark.parametrize("operation", OPERATIONS, ids=[o.name for o in OPERATIONS])
def test_each_persona_gets_what_the_permissions_table_says(system: System, scene: Scene,
                                                           operation: Operation) -> None:
    expected = {username: operation.expected(persona) for username, persona in PERSONAS.items()}

    got = {username: operation.call(system, scene, scene.tokens[username]) for username in PERSONAS}

    assert got == expected


def test_an_organisations_own_account_gets_what_the_table_says_of_someone_holding_no_role(system: System,
                                                                                          scene: Scene) -> None:
    token = organisation_token(system, registered_organisation(system)["code"])
    account = organisation_principal("charity")

    got = {o.name: o.call(system, scene, token) for o in OPERATIONS}

    assert not any(PERMISSIONS.may(account, o.capability, district=DISTRICT) for o in OPERATIONS
                   if o.capability != Capability.EVALUATE)
    assert got == {o.name: o.unassigned or o.refused for o in OPERATIONS}


@pytest.mark.parametrize("operation", OPERATIONS, ids=[o.name for o in OPERATIONS])
def test_every_protected_operation_needs_a_sign_in(system: System, scene: Scene, operation: Operation) -> None:
    assert operation.call(system, scene, "not-a-token") == "401 not_authenticated"

