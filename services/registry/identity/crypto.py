"""Staff identity's cryptography: argon2 password hashes, ES256 signing keys (stored encrypted with the key from a
secret file), tokens, signed statements (the ledger's checkpoints) and the JWKS."""

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


# What stored private keys begin with: PKCS#8 encrypted (PBES2, AES-256) with the key-encryption key, or in the clear
# (keys stored before encryption; re-encrypted on the next start).
SEALED_PEM = "-----BEGIN ENCRYPTED PRIVATE KEY-----"
CLEAR_PEM = "-----BEGIN PRIVATE KEY-----"


class KeyNotReadable(ValueError):
    """A stored private key that the configured key-encryption key does not open."""


def seal_private_key(private_pem: str, key_encryption_key: str) -> str:
    """The private key as PKCS#8 PEM encrypted with the key-encryption key, for storing."""
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.BestAvailableEncryption(key_encryption_key.encode())).decode()


def open_private_key(stored_pem: str, key_encryption_key: str) -> str:
    """The usable (clear) PEM of a stored key; a key stored in the clear before encryption passes as it is."""
    if not is_sealed(stored_pem):
        return stored_pem
    try:
        key = serialization.load_pem_private_key(stored_pem.encode(), password=key_encryption_key.encode())
    except ValueError as error:
        raise KeyNotReadable("a signing key does not open with HAMI_KEY_ENCRYPTION_KEY") from error
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def is_sealed(stored_pem: str) -> bool:
    """True when a stored key is encrypted."""
    return stored_pem.startswith(SEALED_PEM)


def sign_statement(payload: bytes, *, kid: str, private_pem: str, kind: str) -> str:
    """A compact JWS (ES256) of the payload, its header naming the key and what kind of statement it is; it carries
    no token claims (aud, exp, sub), so no service would take it for a token."""
    return jwt.api_jws.encode(payload, private_pem, algorithm=ALGORITHM, headers={"kid": kid, "typ": kind})


def signed_payload(signature: str, public_jwk: dict, *, kind: str) -> bytes | None:
    """The payload a statement of this kind carries when the public key's signature holds; None otherwise."""
    try:
        if jwt.api_jws.get_unverified_header(signature).get("typ") != kind:
            return None
        return jwt.api_jws.decode_complete(signature, jwt.PyJWK(public_jwk).key, algorithms=[ALGORITHM])["payload"]
    except (jwt.PyJWTError, ValueError, TypeError, KeyError):
        return None


def issue_token(
    *, kid: str, private_pem: str, issuer: str, account: dict, minutes: int, now: float | None = None
) -> str:
    """A short-lived JWT carrying the person's memberships."""
    issued = int(now if now is not None else time.time())
    claims = {
        "iss": issuer, "aud": AUDIENCE, "sub": str(account["id"]), "iat": issued, "exp": issued + minutes * 60,
        "username": account["username"], "name": account["name"], "tv": account.get("token_version", 0),
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
