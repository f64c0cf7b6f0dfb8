"""Tokens for every persona of tests/support/personas.py on a running system, each appointed by whoever may
appoint them: the festival secretary is the first administrator itself (registry's bootstrap), a district's
committee member is appointed by that district's secretary, everyone else by the festival secretary."""

import httpx

from shared.principal import DISTRICT_COMMITTEE_KINDS, BodyKind, Role
from tests.support.personas import PERSONAS, Persona
from tests.support.system import STAFF_PASSWORD, System, bearer


def _appoint(system: System, persona: Persona, appointer: str) -> str:
    """Create (once) the persona's account with the appointer's token; sign it in."""
    response = httpx.post(f"{system.url('registry')}/accounts", headers=bearer(appointer), timeout=10, json={
        "username": persona.username, "password": STAFF_PASSWORD, "name": "کارمند جشنواره",
        "memberships": [{"body": persona.body, "role": persona.role}]})
    if response.status_code not in (201, 409):
        response.raise_for_status()
    return system.token(persona.username, STAFF_PASSWORD)


def every_persona_token(system: System) -> dict[str, str]:
    """A signed-in token for every persona (district secretaries first: they appoint their committees)."""
    administrator = system.token()
    tokens: dict[str, str] = {}
    ordered = sorted(PERSONAS.values(), key=lambda p: p.kind in DISTRICT_COMMITTEE_KINDS)
    for persona in ordered:
        if persona.kind == BodyKind.FESTIVAL_SECRETARY:
            tokens[persona.username] = administrator
        elif persona.kind in DISTRICT_COMMITTEE_KINDS:
            secretary = next(p.username for p in PERSONAS.values() if p.kind == BodyKind.DISTRICT_SECRETARIAT
                             and p.role == Role.SECRETARY and p.district == persona.district)
            tokens[persona.username] = _appoint(system, persona, tokens[secretary])
        else:
            tokens[persona.username] = _appoint(system, persona, administrator)
    return tokens
