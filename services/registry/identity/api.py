"""Identity routes: sign-in, the JWKS, key rotation and staff accounts."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from services.registry.identity import usecases
from services.registry.permissions import Capability
from services.registry.web import Engine, Settings, SignedIn, allowed_to
from shared.models import StrictModel
from shared.principal import Principal, Role
from shared.web.connection import Reading, Transaction

router = APIRouter(tags=["identity"])
KeyRotator = Annotated[Principal, Depends(allowed_to(Capability.ROTATE_SIGNING_KEYS))]


class SignIn(StrictModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class KeySet(BaseModel):
    keys: list[dict]


class RotatedKey(BaseModel):
    kid: str


class RoleIn(StrictModel):
    body: str
    role: Role


class AccountIn(StrictModel):
    username: str = Field(pattern=r"^[a-z0-9._-]{3,50}$")
    password: str = Field(min_length=10, max_length=200)
    name: str = Field(min_length=2, max_length=200)
    mobile: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=200)
    memberships: list[RoleIn] = Field(default_factory=list, max_length=50)


class AccountOut(BaseModel):
    id: uuid.UUID
    username: str
    person_id: uuid.UUID


@router.post("/auth/token")
async def sign_in(body: SignIn, engine: Engine, settings: Settings) -> Token:
    """Sign in with username and password; returns a short-lived bearer token. Failures are throttled."""
    token = await usecases.sign_in(engine, username=body.username, password=body.password,
                                   issuer=settings.token_issuer, token_minutes=settings.token_minutes)
    return Token(access_token=token, expires_in=settings.token_minutes * 60)


@router.get("/.well-known/jwks.json")
async def json_web_keys(conn: Reading, settings: Settings) -> KeySet:
    """Public keys that verify registry's tokens (retired ones until their last token expires)."""
    return KeySet(**await usecases.public_keys(conn, token_minutes=settings.token_minutes))


@router.post("/auth/keys/rotate")
async def rotate_signing_key(principal: KeyRotator, conn: Transaction) -> RotatedKey:
    """Start signing with a new key; tokens signed with the old one stay valid until they expire."""
    return RotatedKey(kid=await usecases.rotate_signing_key(conn, principal))


@router.post("/accounts", status_code=201)
async def create_account(body: AccountIn, principal: SignedIn, conn: Transaction) -> AccountOut:
    """A staff account for a new person, with appointments the caller is allowed to make."""
    account_id, person_id = await usecases.create_account(
        conn, principal, username=body.username, password=body.password, name=body.name, mobile=body.mobile,
        email=body.email, memberships=[(m.body, m.role.value) for m in body.memberships])
    return AccountOut(id=account_id, username=body.username, person_id=person_id)
