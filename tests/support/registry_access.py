"""What the registry's access test acts on: the personas signed in (plus an organisation's account), and the things
each protected operation needs (a decision to district 7, a district 7 organisation, reports, a person...)."""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import jwt

from shared.principal import Principal
from tests.support.personas import PERSONAS, persona_token
from tests.support.system import STAFF_PASSWORD, System, bearer

ORGANISATION = "organisation.d07"  # the representative of a district 7 institution: no membership at all
PERIOD = {"period_start": "1405/08/01", "period_end": "1405/08/30"}


@dataclass
class Caller:
    """Someone the access test acts as: their token and the Principal the registry sees."""

    name: str
    token: str
    principal: Principal


@dataclass
class World:
    """The running registry, the callers, and what the operations act on."""

    system: System
    client: httpx.Client
    callers: dict[str, Caller] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)

    def call(self, method: str, path: str, token: str | None, body: dict | None = None) -> httpx.Response:
        """One request to the registry as someone (nobody when the token is None)."""
        return self.client.request(method, f"{self.system.url('registry')}{path}", json=body,
                                   headers=bearer(token) if token else {})

    def made(self, method: str, path: str, as_whom: str, body: dict | None = None) -> dict:
        """Set something up as a caller who may; fails loudly when that does not work."""
        response = self.call(method, path, self.callers[as_whom].token, body)
        assert response.status_code in (200, 201), response.text
        return response.json()

    def new_person(self) -> str:
        """A person registered by the festival secretary."""
        return self.made("POST", "/people", "festival.secretary", {"name": "داوطلب آزمون دسترسی"})["id"]

    def new_appointment(self, body: str, role: str, as_whom: str) -> str:
        """A new person appointed to a body by someone who may."""
        return self.made("POST", f"/bodies/{body}/members", as_whom,
                         {"person_id": self.new_person(), "role": role})["appointment_id"]

    def new_decision(self, issuing_body: str = "policy-council", as_whom: str = "council.chair",
                     committees: tuple[str, ...] = ()) -> str:
        """A decision to district 7 (and to these committees) that nobody relayed or acknowledged yet."""
        body = {**decision(issuing_body), "committees": list(committees)}
        return self.made("POST", "/decisions", as_whom, body)["id"]


def decision(issuing_body: str) -> dict:
    """A notice to district 7, due in three days."""
    return {"title": "دستورالعمل آزمایشی", "text": "متن", "issuing_body": issuing_body, "kind": "notice",
            "districts": [7], "ack_deadline_at": (datetime.now(UTC) + timedelta(days=3)).isoformat()}


def fresh(prefix: str) -> str:
    """A code or username nobody used yet."""
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def caller(name: str, token: str, principal: Principal) -> Caller:
    """A caller whose principal carries the person id the token is about."""
    subject = jwt.decode(token, options={"verify_signature": False})["sub"]
    return Caller(name, token, principal.model_copy(update={"subject": subject}))


def build_world(system: System, client: httpx.Client) -> World:
    """Every persona signed in, an organisation's representative, and the things the operations act on."""
    world = World(system, client)
    for username, persona in PERSONAS.items():
        world.callers[username] = caller(username, persona_token(system, username), persona.principal())
    world.ids["decision"] = world.new_decision()
    world.ids["person"] = world.new_person()
    world.ids["body"] = world.made("POST", "/bodies", "festival.secretary", {
        "code": fresh("access-"), "kind": "working_group", "name_fa": "کارگروه آزمون دسترسی",
        "parent_code": "festival-secretary"})["code"]
    world.ids["organisation"] = world.made("POST", "/organisations", "festival.secretary", local_institution(7))["code"]
    world.ids["district_report"] = world.made("POST", "/districts/7/reports", "secretary.d07", PERIOD)["id"]
    world.ids["city_report"] = world.made("POST", "/city-reports", "central.staff", PERIOD)["id"]
    username = fresh("org")
    world.made("POST", f"/organisations/{world.ids['organisation']}/accounts", "festival.secretary", {
        "username": username, "password": STAFF_PASSWORD, "name": "نمایندهٔ سرای محله"})
    token = world.system.token(username, STAFF_PASSWORD)
    world.callers[ORGANISATION] = caller(ORGANISATION, token, Principal(
        subject="", username=username, name="", memberships=[], organisation=world.ids["organisation"]))
    return world


def local_institution(district: int) -> dict:
    """A neighbourhood centre of a district, with a fresh code."""
    return {"code": fresh("sara-"), "kind": "neighbourhood_centre", "name_fa": "سرای محله آزمون",
            "district": district}
