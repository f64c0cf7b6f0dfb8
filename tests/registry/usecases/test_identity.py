"""Identity use cases on a real database: the sign-in throttle per username and client, and per client against
password spraying; cutting someone off (each way raises the account's token version, which tokens carry as `tv`).

Sign-in owns its transaction (a failure is stored though the caller is refused), so these tests commit: each uses
usernames of its own."""

import asyncio
import uuid
from collections.abc import AsyncIterator

import jwt
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.registry.bootstrap import ensure_signing_key
from services.registry.identity import usecases as identity
from services.registry.identity.domain import CLIENT_FAILURES, FREE_SIGN_IN_FAILURES
from services.registry.organisations import usecases as organisations
from services.registry.organisations.domain import Organisation
from services.registry.people import usecases as people
from services.registry.settings import DEVELOPMENT_KEY_ENCRYPTION_KEY
from services.registry.structure import usecases as structure
from services.registry.structure.domain import Body
from services.registry.tables import accounts, sign_in_clients, sign_in_failures
from shared.principal import Membership, Principal
from shared.refusals import Refusal
from tests.support.personas import PERSONAS

PASSWORD, WRONG = "the-right-password", "not-the-password"
ISSUER = {"issuer": "hami-registry", "token_minutes": 5, "key_encryption_key": DEVELOPMENT_KEY_ENCRYPTION_KEY}
SECRETARY = PERSONAS["festival.secretary"].principal()


@pytest.fixture(scope="module")
async def engine(service_engine: AsyncEngine) -> AsyncIterator[AsyncEngine]:
    """The use-case database with a signing key (sign-in signs tokens)."""
    await ensure_signing_key(service_engine, key_encryption_key=DEVELOPMENT_KEY_ENCRYPTION_KEY)
    yield service_engine


def fresh(prefix: str) -> str:
    """A username nobody used yet."""
    return f"{prefix}.{uuid.uuid4().hex[:8]}"


async def staff(engine: AsyncEngine, body: str = "district-09", role: str = "staff") -> tuple[str, Principal]:
    """A person with an account and one appointment (committed); their username and Principal."""
    username = fresh(role)
    async with engine.begin() as conn:
        await identity.create_staff(conn, username=username, password=PASSWORD, name="کارمند آزمون", body_code=body,
                                    role=role, by="test")
        person_id = (await conn.execute(select(accounts.c.person_id).where(accounts.c.username == username))).scalar()
        district = (await structure.active_body(conn, body)).district
        kind = (await structure.active_body(conn, body)).kind
    return username, Principal(subject=str(person_id), username=username, name="", memberships=[
        Membership(body=body, kind=kind, role=role, district=district)])


async def sign_in(engine: AsyncEngine, username: str, password: str = PASSWORD, client: str = "198.51.100.1") -> str:
    """A token, or the refusal's code."""
    try:
        return await identity.sign_in(engine, username=username, password=password, client=client, **ISSUER)
    except Refusal as refusal:
        return refusal.code


async def account_of(engine: AsyncEngine, username: str) -> dict:
    """The stored account."""
    async with engine.connect() as conn:
        return dict((await conn.execute(select(accounts).where(accounts.c.username == username))).mappings().one())


def tv(token: str) -> int:
    """The token version a token carries."""
    return jwt.decode(token, options={"verify_signature": False})["tv"]


async def test_passwords_are_checked_and_hashed_off_the_event_loop(engine: AsyncEngine,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # argon2 spends about 0.1 s of CPU per check on purpose: on the event loop, every sign-in (a wrong one too)
    # stalled the whole registry. The real functions run; each records whether an event loop runs where it does.
    on_loop: list[tuple[str, bool]] = []

    def where(name: str, function):
        def recorded(*args):
            on_loop.append((name, asyncio._get_running_loop() is not None))
            return function(*args)
        return recorded

    monkeypatch.setattr(identity, "password_matches", where("check", identity.password_matches))
    monkeypatch.setattr(identity, "hash_password", where("hash", identity.hash_password))
    username, _ = await staff(engine)
    assert await sign_in(engine, username, WRONG) == "bad_credentials"
    assert tv(await sign_in(engine, username)) >= 0
    assert on_loop == [("hash", False), ("check", False), ("check", False)]


async def test_a_username_locked_at_one_address_still_signs_in_from_another(engine: AsyncEngine) -> None:
    username, _ = await staff(engine)
    attacker, own_desk = "203.0.113.66", "198.51.100.7"
    assert [await sign_in(engine, username, WRONG, attacker) for _ in range(FREE_SIGN_IN_FAILURES)] == [
        "bad_credentials"] * FREE_SIGN_IN_FAILURES

    assert await sign_in(engine, username, PASSWORD, attacker) == "too_many_attempts"
    token = await sign_in(engine, f"  {username.upper()} ", PASSWORD, own_desk)

    assert jwt.decode(token, options={"verify_signature": False})["username"] == username
    assert await sign_in(engine, username, PASSWORD, attacker) == "too_many_attempts"  # still locked there


async def test_a_client_spraying_many_usernames_is_locked_for_all_of_them(engine: AsyncEngine) -> None:
    username, _ = await staff(engine)
    sprayer = "203.0.113.99"
    codes = [await sign_in(engine, fresh("guess"), "Winter1404!", sprayer) for _ in range(CLIENT_FAILURES + 1)]
    assert codes == ["bad_credentials"] * (CLIENT_FAILURES + 1)  # no username failed twice: no pair lock

    assert await sign_in(engine, username, PASSWORD, sprayer) == "too_many_attempts"  # even the right password
    assert await sign_in(engine, fresh("guess"), WRONG, sprayer) == "too_many_attempts"
    assert tv(await sign_in(engine, username, PASSWORD, "198.51.100.8")) == 0  # elsewhere, all is well
    async with engine.connect() as conn:
        locked = (await conn.execute(select(sign_in_clients).where(sign_in_clients.c.client == sprayer))).one()
        pairs = (await conn.execute(select(sign_in_failures).where(sign_in_failures.c.client == sprayer))).all()
    assert locked.failures == CLIENT_FAILURES + 1 and locked.locked_until is not None
    assert len(pairs) == CLIENT_FAILURES + 1 and all(p.locked_until is None for p in pairs)


async def test_ipv6_clients_are_counted_by_their_64(engine: AsyncEngine) -> None:
    username, _ = await staff(engine)
    for n in range(FREE_SIGN_IN_FAILURES):
        assert await sign_in(engine, username, WRONG, f"2001:db8:77:1::{n + 1}") == "bad_credentials"
    assert await sign_in(engine, username, PASSWORD, "2001:db8:77:1::ffff") == "too_many_attempts"
    assert tv(await sign_in(engine, username, PASSWORD, "2001:db8:77:2::1")) == 0


async def test_a_deactivated_account_cannot_sign_in_and_its_tokens_are_revoked(engine: AsyncEngine) -> None:
    username, person = await staff(engine, "district-09")
    _, secretary_09 = await staff(engine, "district-09", "secretary")
    _, secretary_10 = await staff(engine, "district-10", "secretary")
    account_id = (await account_of(engine, username))["id"]
    assert tv(await sign_in(engine, username)) == 0

    for who, code in ((secretary_10, "forbidden"), (person, "forbidden"), (secretary_09, None)):
        try:
            async with engine.begin() as conn:
                state = await identity.deactivate_account(conn, who, account_id)
        except Refusal as refusal:
            assert refusal.code == code
        else:
            assert code is None and state["active"] is False

    assert await sign_in(engine, username) == "bad_credentials"  # the same answer as a wrong password
    stored = await account_of(engine, username)
    assert not stored["active"] and stored["token_version"] == 1
    async with engine.begin() as conn:  # again: nothing more changes
        await identity.deactivate_account(conn, SECRETARY, account_id)
    assert (await account_of(engine, username))["token_version"] == 1
    own_account = (await account_of(engine, secretary_09.username))["id"]
    with pytest.raises(Refusal) as own:
        async with engine.begin() as conn:
            await identity.deactivate_account(conn, secretary_09, own_account)
    assert own.value.code == "cannot_deactivate_self"


async def test_a_password_reset_revokes_and_stays_inside_the_district(engine: AsyncEngine) -> None:
    username, person = await staff(engine, "district-09")
    juror, _ = await staff(engine, "jury", "juror")
    _, secretary_09 = await staff(engine, "district-09", "secretary")
    new = "a-brand-new-password"

    async def reset(who: Principal, whose: str) -> str | None:
        try:
            async with engine.begin() as conn:
                await identity.reset_password(conn, who, (await account_of(engine, whose))["id"], new_password=new)
        except Refusal as refusal:
            return refusal.code
        return None

    assert await reset(secretary_09, juror) == "forbidden"  # not one of the district's people
    assert await reset(person, username) == "forbidden"
    assert await reset(secretary_09, secretary_09.username) == "own_password"
    assert await reset(secretary_09, username) is None
    assert await sign_in(engine, username) == "bad_credentials"
    assert tv(await sign_in(engine, username, new)) == 1
    assert await reset(SECRETARY, juror) is None and tv(await sign_in(engine, juror, new)) == 1


async def test_changing_ones_password_needs_the_current_one_counts_failures_and_revokes(engine: AsyncEngine) -> None:
    username, person = await staff(engine)
    new, client = "another-long-password", "198.51.100.40"

    async def change(current: str, to: str = new) -> str:
        try:
            return await identity.change_own_password(engine, person, current_password=current, new_password=to,
                                                      client=client, **ISSUER)
        except Refusal as refusal:
            return refusal.code

    assert await change(WRONG) == "wrong_current_password"
    assert await change(PASSWORD, PASSWORD) == "same_password"
    token = await change(PASSWORD)
    assert tv(token) == 1 and jwt.decode(token, options={"verify_signature": False})["sub"] == person.subject
    assert await sign_in(engine, username) == "bad_credentials" and tv(await sign_in(engine, username, new)) == 1
    for _ in range(FREE_SIGN_IN_FAILURES):  # a stolen token cannot guess the password: failures count
        assert await change(WRONG) == "wrong_current_password"
    assert await change(new, "yet-another-password") == "too_many_attempts"


async def test_ending_an_appointment_or_deactivating_a_body_revokes_its_members(engine: AsyncEngine) -> None:
    username, person = await staff(engine, "district-09-executive", "member")
    _, secretary_09 = await staff(engine, "district-09", "secretary")
    async with engine.begin() as conn:
        appointment = next(m["appointment_id"] for m in (await people.person(conn, SECRETARY, uuid.UUID(
            person.subject)))["memberships"])
        await people.remove(conn, secretary_09, body_code="district-09-executive", appointment_id=appointment)
    assert (await account_of(engine, username))["token_version"] == 1

    code = fresh("group").replace(".", "-")
    async with engine.begin() as conn:
        await structure.add_body(conn, SECRETARY, Body(code=code, kind="specialised_committee", name_fa="کمیته",
                                                       parent_code="festival-secretary"))
        await people.appoint(conn, SECRETARY, person_id=uuid.UUID(person.subject), body_code=code, role="member")
        await structure.change_body(conn, SECRETARY, code, {"name_fa": "کارگروه تازه"})
    assert (await account_of(engine, username))["token_version"] == 1  # a rename takes nothing away
    async with engine.begin() as conn:
        await structure.change_body(conn, SECRETARY, code, {"active": False})
    assert (await account_of(engine, username))["token_version"] == 2


async def test_a_deactivated_organisations_accounts_cannot_sign_in(engine: AsyncEngine) -> None:
    code, username = fresh("sara").replace(".", "-"), fresh("sara")
    secretary_09 = PERSONAS["secretary.d07"].principal().model_copy(update={"memberships": [
        Membership(body="district-09", kind="district_secretariat", role="secretary", district=9)]})
    async with engine.begin() as conn:
        await organisations.register(conn, secretary_09, Organisation(code=code, kind="neighbourhood_centre",
                                                                      name_fa="سرای محله آزمون", district=9))
        account_id, _ = await organisations.open_account(conn, secretary_09, code, username=username,
                                                         password=PASSWORD, name="نماینده", mobile=None, email=None)
    assert jwt.decode(await sign_in(engine, username), options={"verify_signature": False})["organisation"] == code

    async with engine.begin() as conn:
        await organisations.change(conn, secretary_09, code, {"name_fa": "سرای محلهٔ آزمون"})
    assert (await account_of(engine, username))["token_version"] == 0
    async with engine.begin() as conn:
        await organisations.change(conn, secretary_09, code, {"active": False})

    assert await sign_in(engine, username) == "bad_credentials"
    assert (await account_of(engine, username))["token_version"] == 1
    async with engine.begin() as conn:  # its district's secretary manages its account too
        await identity.reset_password(conn, secretary_09, account_id, new_password="another-long-password")
