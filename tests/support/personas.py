"""The people the access tests act as: one signed-in account per role, and the Principal each one is, so a test
can ask a service's permissions table what to expect and then check what the running service does."""

from dataclasses import dataclass

import httpx

from shared.principal import DISTRICT_COMMITTEE_KINDS, BodyKind, Membership, Principal
from tests.support.system import STAFF_PASSWORD, System, bearer


@dataclass(frozen=True)
class Persona:
    """An account appointed to one body with one role."""

    username: str
    body: str
    kind: str
    role: str
    district: int | None = None

    def principal(self) -> Principal:
        """What the services see once this persona signs in."""
        membership = Membership(body=self.body, kind=self.kind, role=self.role, district=self.district)
        return Principal(subject="", username=self.username, name="", memberships=[membership])


PERSONAS: dict[str, Persona] = {persona.username: persona for persona in (
    Persona("council.chair", "policy-council", "policy_council", "chair"),
    Persona("council.member", "policy-council", "policy_council", "member"),
    Persona("festival.secretary", "festival-secretary", "festival_secretary", "secretary"),
    Persona("committee.welfare.chair", "committee-welfare", "specialised_committee", "chair"),
    Persona("jury.juror", "jury", "jury_committee", "juror"),
    Persona("jury.secretary", "jury", "jury_committee", "secretary"),
    Persona("central.staff", "central-secretariat", "central_secretariat", "staff"),
    Persona("staff.d07", "district-07", "district_secretariat", "staff", 7),
    Persona("secretary.d07", "district-07", "district_secretariat", "secretary", 7),
    Persona("member.d07", "district-07-executive", "executive_committee", "member", 7),
    Persona("staff.d12", "district-12", "district_secretariat", "staff", 12),
)}


def persona_token(system: System, username: str) -> str:
    """Create (once) the persona's account, appointed by whoever may appoint it, and sign it in: the festival
    secretary is the administrator the registry creates on first start; a district committee's member is
    appointed by their district's secretary; everyone else by the festival secretary."""
    persona = PERSONAS[username]
    if persona.kind == BodyKind.FESTIVAL_SECRETARY:
        return system.token()
    appointer = system.district_secretary_token(persona.district) if persona.kind in DISTRICT_COMMITTEE_KINDS \
        else system.token()
    response = httpx.post(f"{system.url('registry')}/accounts", headers=bearer(appointer), timeout=10, json={
        "username": persona.username, "password": STAFF_PASSWORD, "name": "کارمند جشنواره",
        "memberships": [{"body": persona.body, "role": persona.role}]})
    assert response.status_code in (201, 409), response.text
    return system.token(persona.username, STAFF_PASSWORD)


def persona_tokens(system: System) -> dict[str, str]:
    """A token for every persona."""
    return {username: persona_token(system, username) for username in PERSONAS}
