"""Registry HTTP interface: sign-in, JWKS, staff accounts and the structure."""

import time

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field, field_validator
from sqlalchemy.ext.asyncio import AsyncEngine

from services.registry import db
from services.registry.domain import ROLES
from services.registry.identity import hash_password, issue_token, jwks, password_matches
from services.registry.structure import load_structure
from shared.auth import Principal, member_of
from shared.errors import ApiError
from shared.models import StrictModel
from shared.persian import normalize_text

festival_secretary = member_of("festival-secretary")



class SignIn(StrictModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class RoleIn(StrictModel):
    body: str
    role: str

    @field_validator("role")
    @classmethod
    def _known_role(cls, role: str) -> str:
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        return role


class AccountIn(StrictModel):
    username: str = Field(pattern=r"^[a-z0-9._-]{3,50}$")
    password: str = Field(min_length=10, max_length=200)
    name: str = Field(min_length=2, max_length=200)
    memberships: list[RoleIn] = Field(default_factory=list, max_length=50)


class AccountOut(BaseModel):
    id: str
    username: str


def build_router(engine: AsyncEngine, *, issuer: str, token_minutes: int, structure_file) -> APIRouter:
    """Routes bound to this service's engine and settings."""
    router = APIRouter()

    @router.post("/auth/token", response_model=Token, tags=["identity"])
    async def sign_in(body: SignIn) -> Token:
        """Sign in with username and password; returns a short-lived bearer token."""
        async with engine.begin() as conn:
            account = await db.find_account(conn, username=body.username.strip().lower())
            keys = await db.signing_key_rows(conn)
        if not password_matches(account and account["password_hash"], body.password):
            raise ApiError(401, "bad_credentials", "نام کاربری یا گذرواژه درست نیست.",
                           "Wrong username or password.")
        active = next(k for k in keys if k["retired_at"] is None)
        token = issue_token(kid=active["kid"], private_pem=active["private_pem"], issuer=issuer,
                            account=account, minutes=token_minutes)
        return Token(access_token=token, expires_in=token_minutes * 60)

    @router.get("/.well-known/jwks.json", tags=["identity"])
    async def json_web_keys() -> dict:
        """Public keys that verify registry's tokens."""
        async with engine.connect() as conn:
            return jwks(await db.signing_key_rows(conn), token_minutes=token_minutes, now_epoch=time.time())

    @router.post("/accounts", status_code=201, response_model=AccountOut, tags=["identity"])
    async def create_account(body: AccountIn, _: Principal = Depends(festival_secretary)) -> AccountOut:
        """Create a staff account with its memberships (festival secretary only)."""
        roles = sorted({(m.body, m.role) for m in body.memberships})
        async with engine.begin() as conn:
            if await db.username_taken(conn, username=body.username):
                raise ApiError(409, "username_taken", "این نام کاربری قبلاً ثبت شده است.",
                               "This username is already taken.")
            missing = {b for b, _ in roles} - await db.active_body_codes(conn, codes=[b for b, _ in roles])
            if missing:
                raise ApiError(422, "unknown_body", "نهاد انتخاب‌شده وجود ندارد.", "Unknown body.",
                               sorted(missing))
            account_id = await db.create_account(conn, username=body.username, name=normalize_text(body.name),
                                                 password_hash=hash_password(body.password), roles=roles)
        return AccountOut(id=str(account_id), username=body.username)

    @router.get("/bodies", tags=["structure"])
    async def bodies(district: int | None = None) -> list[dict]:
        """The festival's bodies, optionally of one district."""
        async with engine.connect() as conn:
            return await db.list_bodies(conn, district=district)

    @router.get("/neighbourhoods", tags=["structure"])
    async def neighbourhoods(district: int | None = None) -> list[dict]:
        """Neighbourhoods, optionally of one district."""
        async with engine.connect() as conn:
            return await db.list_neighbourhoods(conn, district=district)

    @router.post("/structure/reload", tags=["structure"])
    async def reload_structure(_: Principal = Depends(festival_secretary)) -> dict[str, int]:
        """Reload the structure file; returns how many events each kind of change produced."""
        return await load_structure(engine, structure_file)

    return router
