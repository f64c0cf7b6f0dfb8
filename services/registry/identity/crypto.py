"""Staff identity's cryptography: argon2 password hashes, ES256 signing keys, tokens and the JWKS."""

import json
import time
import uuid
from functools import cache

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from shared.auth import ALGORITHM, AUDIENCE

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    # Verified when the username is unknown, so both paths cost the same time.
    return _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    """True when the password matches; spends the same effort when there is no account."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_signing_key() -> tuple[str, str, dict]:
    """A fresh P-256 key: (kid, private PEM, public JWK)."""
    private = ec.generate_private_key(ec.SECP256R1())
    kid = uuid.uuid4().hex
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private.public_key()))
    return kid, pem, {**public, "kid": kid, "use": "sig", "alg": ALGORITHM}


def issue_token(
    *, kid: str, private_pem: str, issuer: str, account: dict, minutes: int, now: float | None = None
) -> str:
    """A short-lived JWT carrying the person's memberships."""
    issued = int(now if now is not None else time.time())
    claims = {
        "iss": issuer, "aud": AUDIENCE, "sub": str(account["id"]), "iat": issued, "exp": issued + minutes * 60,
        "username": account["username"], "name": account["name"],
        "memberships": [{k: m[k] for k in ("body", "kind", "role", "district")} for m in account["memberships"]],
    }
    if account.get("organisation_code"):
        claims["organisation"] = account["organisation_code"]
    return jwt.encode(claims, private_pem, algorithm=ALGORITHM, headers={"kid": kid})


def jwks(key_rows: list[dict], *, token_minutes: int, now_epoch: float) -> dict:
    """Public keys still able to verify a live token: active ones and those retired less than a token's life ago."""
    keep = [row["public_jwk"] for row in key_rows
            if row["retired_at"] is None or now_epoch - row["retired_at"].timestamp() < token_minutes * 60 + 60]
    return {"keys": keep}
