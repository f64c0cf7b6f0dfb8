"""Token verification through a cached JWKS, with real ES256 keys from the registry's identity module."""

import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from services.registry.identity.crypto import hash_password, issue_token, jwks, password_matches
from shared.auth import TokenVerifier
from shared.principal import Principal
from shared.refusals import Kind, Refusal
from tests.support.tokens import ACCOUNT, ISSUER, KeySet


async def test_a_valid_token_gives_the_principal_with_memberships() -> None:
    keys = KeySet()
    principal = await TokenVerifier(keys.fetch, issuer=ISSUER).verify(keys.token())
    assert principal.username == "staff.d07" and principal.districts() == {7}
    assert principal.is_staff_of_district(7) and not principal.is_staff_of_district(12)
    assert not principal.is_city_wide()


async def test_the_key_set_is_cached() -> None:
    keys = KeySet()
    verifier = TokenVerifier(keys.fetch, issuer=ISSUER)
    for _ in range(5):
        await verifier.verify(keys.token())
    assert keys.fetches == 1


async def test_after_rotation_old_and_new_tokens_both_verify() -> None:
    keys = KeySet()
    verifier = TokenVerifier(keys.fetch, issuer=ISSUER, min_refetch_seconds=0)
    old = keys.token()
    await verifier.verify(old)
    keys.rotate()
    new = keys.token()
    assert (await verifier.verify(new)).username == "staff.d07"  # unknown kid: refetched
    assert (await verifier.verify(old)).username == "staff.d07"



async def test_while_the_registry_is_away_known_keys_still_verify_and_unknown_ones_ask_to_retry() -> None:
    keys = KeySet()
    verifier = TokenVerifier(keys.fetch, issuer=ISSUER, cache_seconds=0, min_refetch_seconds=0)
    token = keys.token()
    await verifier.verify(token)

    async def registry_away() -> dict:
        raise httpx.ConnectError("registry restarting")

    verifier._fetch = registry_away  # the same verifier, its registry now out of reach
    assert (await verifier.verify(token)).username == "staff.d07"  # the cached key, though stale
    keys.rotate()
    with pytest.raises(Refusal) as refused:
        await verifier.verify(keys.token())  # a key it never saw: not judged, 503 rather than 401
    assert refused.value.kind == Kind.UNAVAILABLE and refused.value.details["dependency"] == "registry"


@pytest.mark.parametrize("problem", ["expired", "tampered", "other issuer", "garbage"])
async def test_bad_tokens_are_refused_with_401(problem: str) -> None:
    keys = KeySet()
    token = {
        "expired": lambda: keys.token(now=time.time() - 3600),
        "tampered": lambda: keys.token()[:-4] + "AAAA",
        "other issuer": lambda: issue_token(kid=keys.rows[0]["kid"], private_pem=keys.rows[0]["private_pem"],
                                            issuer="someone-else", account=ACCOUNT, minutes=30),
        "garbage": lambda: "not.a.token",
    }[problem]()
    with pytest.raises(Refusal) as refused:
        await TokenVerifier(keys.fetch, issuer=ISSUER).verify(token)
    assert refused.value.kind == Kind.NOT_AUTHENTICATED and refused.value.code == "not_authenticated"


def test_retired_keys_leave_the_jwks_once_no_token_can_still_use_them() -> None:
    keys = KeySet()
    keys.rotate()
    keys.rows[1]["retired_at"] = datetime.now(UTC) - timedelta(hours=2)
    assert [k["kid"] for k in jwks(keys.rows, token_minutes=30, now_epoch=time.time())["keys"]] == [keys.rows[0]["kid"]]


def test_city_wide_staff_see_every_district() -> None:
    central = Principal(subject="1", username="c", name="c", memberships=[
        {"body": "central-secretariat", "kind": "central_secretariat", "role": "staff"}])
    assert central.is_city_wide() and central.may_see_district(5) and not central.is_staff_of_district(5)


def test_passwords_are_hashed_with_argon2_and_checked() -> None:
    hashed = hash_password("a long passphrase")
    assert hashed.startswith("$argon2id$")
    assert password_matches(hashed, "a long passphrase")
    assert not password_matches(hashed, "wrong")
    assert not password_matches(None, "anything")  # unknown user: same work, still no


async def test_a_token_older_than_its_holders_version_is_refused_as_revoked() -> None:
    keys = KeySet()
    lowest = {"7d1c": 0}

    async def versions(person_id: str) -> int:
        return lowest.get(person_id, 0)

    verifier = TokenVerifier(keys.fetch, issuer=ISSUER, versions=versions)
    before = keys.token()  # issued with the account's version 0 (no `tv` key in ACCOUNT: version 0)
    assert (await verifier.verify(before)).username == "staff.d07"
    lowest["7d1c"] = 1
    with pytest.raises(Refusal) as refused:
        await verifier.verify(before)
    assert refused.value.code == "access_revoked"
    after = issue_token(kid=keys.rows[0]["kid"], private_pem=keys.rows[0]["private_pem"], issuer=ISSUER,
                        account={**ACCOUNT, "token_version": 1}, minutes=30)
    assert (await verifier.verify(after)).username == "staff.d07"


async def test_a_token_verified_before_is_refused_once_it_expires() -> None:
    keys = KeySet()
    verifier = TokenVerifier(keys.fetch, issuer=ISSUER)
    token = keys.token(now=time.time() - 30 * 60 + 1)  # a second left of its 30 minutes
    assert (await verifier.verify(token)).username == "staff.d07"
    assert (await verifier.verify(token)).username == "staff.d07"  # remembered

    time.sleep(1.1)

    with pytest.raises(Refusal) as refused:
        await verifier.verify(token)
    assert refused.value.code == "not_authenticated"


async def test_a_token_verified_before_is_refused_once_its_key_left_the_key_set() -> None:
    keys = KeySet()
    verifier = TokenVerifier(keys.fetch, issuer=ISSUER, min_refetch_seconds=0)
    token = keys.token()
    assert (await verifier.verify(token)).username == "staff.d07"

    keys.rotate()
    keys.rows.pop()  # the old key withdrawn (compromised): the registry publishes only the new one
    assert (await verifier.verify(keys.token())).username == "staff.d07"  # a new key's token: the set refetched

    with pytest.raises(Refusal) as refused:
        await verifier.verify(token)
    assert refused.value.code == "not_authenticated"
