"""The FastAPI dependencies for who may call a route, with real tokens and a real app (no server needed)."""

from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from shared.auth import TokenVerifier, member_of, require_district_staff, signed_in
from shared.errors import install_error_handlers
from shared.principal import Principal
from tests.support.tokens import ISSUER, KeySet


def app_with(keys: KeySet) -> TestClient:
    """A tiny app whose routes use each dependency."""
    app = FastAPI()
    app.state.token_verifier = TokenVerifier(keys.fetch, issuer=ISSUER)
    install_error_handlers(app)
    juror = member_of("jury", "juror")

    @app.get("/me")
    async def me(principal: Principal = Depends(signed_in)) -> dict:
        return {"username": principal.username}

    @app.get("/districts/{district}/desk")
    async def desk(district: int, principal: Principal = Depends(signed_in)) -> dict:
        require_district_staff(principal, district)
        return {"district": district}

    @app.get("/jury")
    async def jury(_: Principal = Depends(juror)) -> dict:
        return {}

    return TestClient(app)


def test_signed_in_district_staff_and_membership_dependencies() -> None:
    keys = KeySet()
    client = app_with(keys)
    staff = {"Authorization": f"Bearer {keys.token()}"}  # staff of district 7

    assert client.get("/me", headers=staff).json() == {"username": "staff.d07"}
    assert client.get("/districts/7/desk", headers=staff).status_code == 200
    other = client.get("/districts/12/desk", headers=staff)
    assert other.status_code == 403 and other.json()["error"]["code"] == "not_district_staff"
    assert client.get("/jury", headers=staff).json()["error"]["code"] == "forbidden"
    assert client.get("/me").json()["error"]["code"] == "not_authenticated"
    assert client.get("/me", headers={"Authorization": "Basic abc"}).status_code == 401
