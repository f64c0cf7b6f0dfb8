"""Accounts in the submissions tests: every persona signed in, and a registered organisation's own representative
account, the Principal it signs in as, and the submitter block that names the organisation."""

import uuid

import httpx

from shared.principal import Principal
from tests.support.submissions import mobile, national_id
from tests.support.system import STAFF_PASSWORD, System, bearer


def organisation_token(system: System, code: str) -> str:
    """Create the organisation's representative account (festival secretary) and sign it in."""
    username = f"org.{uuid.uuid4().hex[:8]}"
    created = httpx.post(f"{system.url('registry')}/organisations/{code}/accounts", headers=bearer(system.token()),
                         json={"username": username, "password": STAFF_PASSWORD, "name": "نمایندهٔ خیریه",
                               "mobile": mobile()})
    assert created.status_code == 201, created.text
    return system.token(username, STAFF_PASSWORD)


def organisation_principal(code: str) -> Principal:
    """What submissions sees once an organisation's account signs in: no role in any body, its organisation."""
    return Principal(subject="", username="organisation", name="", memberships=[], organisation=code)


def as_organisation(code: str) -> dict:
    """The submitter block naming a registered organisation and its representative."""
    return {"kind": "organisation", "code": code,
            "representative": {"name": "نمایندهٔ خیریه", "national_id": national_id(), "mobile": mobile()}}
