"""Test helpers moved out of test_auth.py so no test module imports another."""

import time
from datetime import UTC, datetime

from services.registry.identity.crypto import issue_token, jwks, new_signing_key

ISSUER = "hami-registry"


class KeySet:
    """A registry stand-in that counts JWKS fetches (plain data, no network)."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.fetches = 0
        self.rotate()

    def rotate(self) -> tuple[str, str]:
        for row in self.rows:
            row["retired_at"] = row["retired_at"] or datetime.now(UTC)
        kid, pem, jwk = new_signing_key()
        self.rows.insert(0, {"kid": kid, "private_pem": pem, "public_jwk": jwk, "retired_at": None})
        return kid, pem

    async def fetch(self) -> dict:
        self.fetches += 1
        return jwks(self.rows, token_minutes=30, now_epoch=time.time())

    def token(self, **overrides) -> str:
        active = self.rows[0]
        return issue_token(kid=active["kid"], private_pem=active["private_pem"], issuer=ISSUER,
                           account=ACCOUNT, minutes=30, **overrides)


ACCOUNT = {"id": "7d1c", "username": "staff.d07", "name": "کارشناس منطقه ۷",
           "memberships": [{"body": "district-07", "kind": "district_secretariat", "role": "staff", "district": 7}]}
