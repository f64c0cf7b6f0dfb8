"""Identity routes: sign-in, the JWKS, key rotation and staff accounts."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from services.registry.fields import Code, Line
from services.registry.identity import usecases
from services.registry.permissions import Capability
from services.registry.web import Engine, Settings, SignedIn, allowed_to
from shared.models import StrictModel
from shared.principal import Principal, Role
from shared.web.connection import Reading, Transaction

router = APIRouter(tags=["identity"])
KeyRotator = Annotated[Principal, Depends(allowed_to(Capability.ROTATE_SIGNING_KEYS))]


# A NUL, another control character or a lone surrogate is no username or password anyone types: refused (422)
# before it reaches the database (which cannot store a NUL) or the password hasher (which cannot encode a surrogate).
class SignIn(StrictModel):
    username: Line = Field(min_length=1, max_length=100)
    password: Line = Field(min_length=1, max_length=200)


class PasswordChange(StrictModel):
    current_password: Line = Field(min_length=1, max_length=200)
    new_password: Line = Field(min_length=10, max_length=200)


class PasswordReset(StrictModel):
    new_password: Line = Field(min_length=10, max_length=200)


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class KeySet(BaseModel):
    keys: list[dict]


class RotatedKey(BaseModel):
    kid: str


class RoleIn(StrictModel):
    body: Code
    role: Role


class AccountIn(StrictModel):
    username: str = Field(pattern=r"^[a-z0-9._-]{3,50}$")
    password: Line = Field(min_length=10, max_length=200)
    name: Line = Field(min_length=2, max_length=200)
    mobile: Line | None = Field(default=None, max_length=20)
    email: Line | None = Field(default=None, max_length=200)
    memberships: list[RoleIn] = Field(default_factory=list, max_length=50)


class AccountOut(BaseModel):
    id: uuid.UUID
    username: str
    person_id: uuid.UUID


class AccountState(AccountOut):
    active: bool
    organisation: str | None


def client_of(request: Request) -> str | None:
    """The client's address as uvicorn resolved it (X-Forwarded-For counts only from the configured proxies)."""
    return request.client.host if request.client else None


@router.post("/auth/token")
async def sign_in(body: SignIn, request: Request, engine: Engine, settings: Settings) -> Token:
    """Sign in with username and password; returns a short-lived bearer token. Failures are throttled per username
    and client address, and per client."""
    token = await usecases.sign_in(engine, username=body.username, password=body.password, client=client_of(request),
                                   issuer=settings.token_issuer, token_minutes=settings.token_minutes,
                                   key_encryption_key=settings.key_encryption_key.get_secret_value())
    return Token(access_token=token, expires_in=settings.token_minutes * 60)


@router.post("/auth/password")
async def change_password(body: PasswordChange, principal: SignedIn, request: Request, engine: Engine,
                          settings: Settings) -> Token:
    """Change one's own password (the current one required); earlier tokens are revoked, a fresh one returned."""
    token = await usecases.change_own_password(
        engine, principal, current_password=body.current_password, new_password=body.new_password,
        client=client_of(request), issuer=settings.token_issuer, token_minutes=settings.token_minutes,
        key_encryption_key=settings.key_encryption_key.get_secret_value())
    return Token(access_token=token, expires_in=settings.token_minutes * 60)


@router.get("/.well-known/jwks.json")
async def json_web_keys(conn: Reading, settings: Settings) -> KeySet:
    """Public keys that verify registry's tokens (retired ones until their last token expires)."""
    return KeySet(**await usecases.public_keys(conn, token_minutes=settings.token_minutes))


@router.post("/auth/keys/rotate")
async def rotate_signing_key(principal: KeyRotator, conn: Transaction, settings: Settings) -> RotatedKey:
    """Start signing with a new key; tokens signed with the old one stay valid until they expire."""
    return RotatedKey(kid=await usecases.rotate_signing_key(
        conn, principal, key_encryption_key=settings.key_encryption_key.get_secret_value()))


@router.post("/accounts", status_code=201)
async def create_account(body: AccountIn, principal: SignedIn, conn: Transaction) -> AccountOut:
    """A staff account for a new person, with appointments the caller is allowed to make."""
    account_id, person_id = await usecases.create_account(
        conn, principal, username=body.username, password=body.password, name=body.name, mobile=body.mobile,
        email=body.email, memberships=[(m.body, m.role.value) for m in body.memberships])
    return AccountOut(id=account_id, username=body.username, person_id=person_id)


@router.post("/accounts/{account_id}/deactivate")
async def deactivate_account(account_id: uuid.UUID, principal: SignedIn, conn: Transaction) -> AccountState:
    """Deactivate an account (festival secretary; a district secretary for their district's people and
    organisations): it cannot sign in, and its tokens are revoked."""
    account = await usecases.deactivate_account(conn, principal, account_id)
    return AccountState(id=account["id"], username=account["username"], person_id=account["person_id"],
                        active=account["active"], organisation=account["organisation_code"])


@router.post("/accounts/{account_id}/password", status_code=204)
async def reset_password(account_id: uuid.UUID, body: PasswordReset, principal: SignedIn, conn: Transaction) -> None:
    """Give someone's account a new password (festival secretary; a district secretary for their district's people
    and organisations); its tokens are revoked."""
    await usecases.reset_password(conn, principal, account_id, new_password=body.new_password)
