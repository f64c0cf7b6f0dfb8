"""The signed-in dependency with real tokens and a real app (no server needed): who is asking, and a permissions
table deciding what they may do."""

from enum import StrEnum

from fastapi import FastAPI
from fastapi.testclient import TestClient

from shared.auth import SignedIn, TokenVerifier
from shared.errors import install_error_handlers
from shared.permissions import ANYONE_OF_THE_DISTRICT, PermissionTable, holder, rule
from shared.principal import BodyKind, Role
from tests.support.tokens import ISSUER, KeySet


class Can(StrEnum):
    SEE_DESK = "see_desk"
    JUDGE = "judge"


TABLE = PermissionTable(Can, {Can.SEE_DESK: rule(ANYONE_OF_THE_DISTRICT),
                              Can.JUDGE: rule(holder({BodyKind.JURY_COMMITTEE}, {Role.JUROR}))})


def app_with(keys: KeySet) -> TestClient:
    """A tiny app whose routes ask who is signed in and what the table allows them."""
    app = FastAPI()
    app.state.token_verifier = TokenVerifier(keys.fetch, issuer=ISSUER)
    install_error_handlers(app)

    @app.get("/me")
    async def me(principal: SignedIn) -> dict:
        return {"username": principal.username}

    @app.get("/districts/{district}/desk")
    async def desk(district: int, principal: SignedIn) -> dict:
        TABLE.require(principal, Can.SEE_DESK, district=district)
        return {"district": district}

    @app.get("/jury")
    async def jury(principal: SignedIn) -> dict:
        TABLE.require(principal, Can.JUDGE)
        return {}

    return TestClient(app)


def test_signed_in_and_the_table_decide_who_may() -> None:
    keys = KeySet()
    client = app_with(keys)
    staff = {"Authorization": f"Bearer {keys.token()}"}  # staff of district 7

    assert client.get("/me", headers=staff).json() == {"username": "staff.d07"}
    assert client.get("/districts/7/desk", headers=staff).status_code == 200
    other = client.get("/districts/12/desk", headers=staff)
    assert other.status_code == 403 and other.json()["error"]["code"] == "forbidden"
    assert client.get("/jury", headers=staff).json()["error"]["code"] == "forbidden"
    assert client.get("/me").json()["error"]["code"] == "not_authenticated"
    assert client.get("/me", headers={"Authorization": "Basic abc"}).status_code == 401
