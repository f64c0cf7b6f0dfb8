"""Pure opt-out rules: link tokens name the address and cannot be forged; staff-typed mobiles are canonical."""

import pytest

from services.notifications.delivery.domain import EMAIL, SMS
from services.notifications.optouts.domain import canonical, opt_out_token, read_opt_out_token
from shared.refusals import Kind, Refusal


def test_opt_out_tokens_name_the_address_and_cannot_be_forged() -> None:
    token = opt_out_token("secret", EMAIL, "maryam@example.org")
    assert read_opt_out_token("secret", token) == (EMAIL, "maryam@example.org")
    assert read_opt_out_token("other", token) is None
    forged = opt_out_token("secret", EMAIL, "someone@example.org").split(".")[0] + "." + token.split(".")[1]
    assert read_opt_out_token("secret", forged) is None
    assert read_opt_out_token("secret", "not-a-token") is None


def test_staff_typed_addresses_are_stored_canonical_and_a_bad_mobile_is_refused() -> None:
    assert canonical(SMS, "+989121234567") == "09121234567"
    assert canonical(EMAIL, " Maryam@Example.org ") == "maryam@example.org"
    with pytest.raises(Refusal) as refused:
        canonical(SMS, "12345")
    assert refused.value.kind == Kind.INVALID and refused.value.code == "invalid_mobile"
