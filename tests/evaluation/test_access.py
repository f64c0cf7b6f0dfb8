"""Who may do what in evaluation, role by role: every protected operation is called as every persona, and what the
running service answers must be what services/evaluation/permissions.py says (the expectations come from that
table, never from a list kept here). Scoring is no role: anyone signed in is an evaluator of exactly the works a
round assigned to them, and hears "not found" about any other.

Edition 1387 and district 7's welfare round are used by no other test."""

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import jwt
import pytest

from services.evaluation.domain import EVALUATING_ROLES, TIER_1_KINDS
from services.evaluation.permissions import PERMISSIONS, Capability
from shared.contracts.submissions import WorkReceived
from tests.support.bus import publish_event
from tests.support.evaluation import evaluation, projected
from tests.support.personas import PERSONAS, Persona, persona_tokens
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
    """True when the round gives the persona the work: every district-7 committee evaluator gets it (k = all)."""
    return persona.principal().holds(TIER_1_KINDS, EVALUATING_ROLES, DISTRICT)


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
    evaluators = projected(system, "SELECT count(DISTINCT person_id) FROM memberships WHERE active AND district = $1 "
                                   "AND body_kind = ANY($2) AND role = ANY($3)", DISTRICT,
                           [str(k) for k in TIER_1_KINDS], [str(r) for r in EVALUATING_ROLES])
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
    Operation("open the jury's round", Capability.MANAGE_TIER_2_ROUND,
              _call("POST", "/rounds", {"edition": EDITION, "tier": 2, "category": CATEGORY}),
              "409 no_works", "403 forbidden"),
    Operation("reopen a round", Capability.REOPEN_ROUND,
              _call("POST", "/rounds/{round}/reopen", {"reason": "بازبینی"}), "409 round_open", "403 forbidden"),
    Operation("confirm the receipt of selections", Capability.CONFIRM_RECEIPT,
              _call("POST", "/receipts", {"edition": EDITION, "category": CATEGORY}),
              "409 tier1_still_open", "403 forbidden"),
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


@pytest.mark.parametrize("operation", OPERATIONS, ids=[o.name for o in OPERATIONS])
def test_each_persona_gets_what_the_permissions_table_says(system: System, scene: Scene,
                                                           operation: Operation) -> None:
    expected = {username: operation.expected(persona) for username, persona in PERSONAS.items()}

    got = {username: operation.call(system, scene, scene.tokens[username]) for username in PERSONAS}

    assert got == expected


@pytest.mark.parametrize("operation", OPERATIONS, ids=[o.name for o in OPERATIONS])
def test_every_protected_operation_needs_a_sign_in(system: System, scene: Scene, operation: Operation) -> None:
    assert operation.call(system, scene, "not-a-token") == "401 not_authenticated"
