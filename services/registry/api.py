"""Registry HTTP interface: sign-in (throttled), JWKS, key rotation and staff accounts."""

import time
from datetime import UTC, datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncEngine

from services.registry import db, db_people, people
from services.registry.domain import Role, is_festival_secretary, sign_in_lock
from services.registry.identity import hash_password, issue_token, jwks, new_signing_key, password_matches
from shared.auth import member_of, signed_in
from shared.models import StrictModel
from shared.principal import Principal
from shared.refusals import Kind, Refusal, forbidden

festival_secretary = member_of("festival-secretary", "secretary")


class SignIn(StrictModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class RoleIn(StrictModel):
    body: str
    role: Role


class PersonIn(StrictModel):
    name: str = Field(min_length=2, max_length=200)
    mobile: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=200)


class AccountIn(StrictModel):
    username: str = Field(pattern=r"^[a-z0-9._-]{3,50}$")
    password: str = Field(min_length=10, max_length=200)
    name: str = Field(min_length=2, max_length=200)
    mobile: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=200)
    memberships: list[RoleIn] = Field(default_factory=list, max_length=50)


class AccountOut(BaseModel):
    id: str
    username: str
    person_id: str


def too_many_attempts(until: datetime) -> Refusal:
    """429 while a username is locked after repeated failures."""
    seconds = max(1, int((until - datetime.now(UTC)).total_seconds()))
    return Refusal(Kind.TOO_MANY, "too_many_attempts",
                   f"تلاش‌های ناموفق زیاد بود؛ {seconds} ثانیه دیگر دوباره تلاش کنید.",
                    f"Too many failed sign-ins; try again in {seconds} seconds.", {"retry_after": seconds})


def build_router(engine: AsyncEngine, *, issuer: str, token_minutes: int) -> APIRouter:
    """Routes bound to this service's engine and settings."""
    router = APIRouter()

    @router.post("/auth/token", response_model=Token, tags=["identity"])
    async def sign_in(body: SignIn) -> Token:
        """Sign in with username and password; returns a short-lived bearer token. Failures are throttled."""
        username, now = body.username.strip().lower(), datetime.now(UTC)
        async with engine.begin() as conn:
            state = await db_people.sign_in_state(conn, username=username)
            if state and state["locked_until"] and state["locked_until"] > now:
                locked = state["locked_until"]
            else:
                locked = None
                account = await db_people.find_account(conn, username=username)
                if password_matches(account and account["password_hash"], body.password):
                    await db_people.clear_failures(conn, username=username)
                    key = next(k for k in await db.signing_key_rows(conn) if k["retired_at"] is None)
                    token = issue_token(kid=key["kid"], private_pem=key["private_pem"], issuer=issuer,
                                        account={**account, "id": account["person_id"]}, minutes=token_minutes)
                    return Token(access_token=token, expires_in=token_minutes * 60)
                failures = (state["failures"] if state else 0) + 1
                lock = sign_in_lock(failures)
                await db_people.record_failure(conn, username=username, failures=failures, at=now,
                                               locked_until=now + lock if lock else None)
        if locked:
            raise too_many_attempts(locked)
        raise Refusal(Kind.NOT_AUTHENTICATED, "bad_credentials", "نام کاربری یا گذرواژه درست نیست.",
                      "Wrong username or password.")

    @router.get("/.well-known/jwks.json", tags=["identity"])
    async def json_web_keys() -> dict:
        """Public keys that verify registry's tokens (retired ones until their last token expires)."""
        async with engine.connect() as conn:
            return jwks(await db.signing_key_rows(conn), token_minutes=token_minutes, now_epoch=time.time())

    @router.post("/auth/keys/rotate", tags=["identity"])
    async def rotate_signing_key(_: Principal = Depends(festival_secretary)) -> dict:
        """Start signing with a new key; tokens signed with the old one stay valid until they expire."""
        kid, pem, jwk = new_signing_key()
        async with engine.begin() as conn:
            await db.retire_signing_keys(conn)
            await db.add_signing_key(conn, kid=kid, private_pem=pem, public_jwk=jwk)
        return {"kid": kid}

    @router.post("/accounts", status_code=201, response_model=AccountOut, tags=["identity"])
    async def create_account(body: AccountIn, principal: Principal = Depends(signed_in)) -> AccountOut:
        """A staff account for a new person, with appointments the caller is allowed to make."""
        if not body.memberships and not is_festival_secretary(principal):
            raise forbidden()
        async with engine.begin() as conn:
            if await db_people.username_taken(conn, username=body.username):
                raise Refusal(Kind.CONFLICT, "username_taken", "این نام کاربری قبلاً ثبت شده است.",
                               "This username is already taken.")
            person_id = await people.register_person(conn, name=body.name, mobile=body.mobile, email=body.email)
            for membership in {(m.body, m.role) for m in body.memberships}:
                await people.appoint(conn, principal, person_id=person_id, body_code=membership[0],
                                     role=membership[1])
            account_id = await db_people.create_account(conn, username=body.username, person_id=person_id,
                                                        password_hash=hash_password(body.password))
        return AccountOut(id=str(account_id), username=body.username, person_id=str(person_id))

    return router
