"""A reading grant opens one work's documents to one person until it expires, and nothing else."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from shared.reading_grants import GRANT_HOURS, check_reading_grant, reading_grant
from shared.refusals import Refusal

KEY, NOW, WORK, PERSON = "a-document-key-for-tests", datetime(2026, 11, 27, 9, tzinfo=UTC), uuid.uuid4(), "juror-1"


def test_the_grant_opens_the_work_to_its_person_until_it_expires() -> None:
    grant = reading_grant(KEY, WORK, PERSON, NOW)
    check_reading_grant(KEY, grant, WORK, PERSON, NOW + timedelta(hours=GRANT_HOURS))


@pytest.mark.parametrize("changed", ["work", "person", "key", "later", "expiry", "signature"])
def test_anything_else_is_refused(changed: str) -> None:
    grant = reading_grant(KEY, WORK, PERSON, NOW)
    expires, signature = grant.split(".")
    key, work, person, when = KEY, WORK, PERSON, NOW
    if changed == "work":
        work = uuid.uuid4()
    elif changed == "person":
        person = "juror-2"
    elif changed == "key":
        key = "another-document-key"
    elif changed == "later":
        when = NOW + timedelta(hours=GRANT_HOURS, seconds=1)
    elif changed == "expiry":
        grant = f"{int(expires) + 86400}.{signature}"  # a longer life needs a new signature
    else:
        grant = f"{expires}.{signature[:-1]}{'0' if signature[-1] != '0' else '1'}"
    with pytest.raises(Refusal) as refused:
        check_reading_grant(key, grant, work, person, when)
    assert refused.value.code == "reading_grant_invalid" and refused.value.fa and refused.value.en


@pytest.mark.parametrize("grant", ["", ".", "abc.def", "1" * 40 + ".x", "١٢٣.abc", "9999999999.\x00", "-1.ab"])
def test_malformed_grants_are_refused_not_crashed_on(grant: str) -> None:
    with pytest.raises(Refusal):
        check_reading_grant(KEY, grant, WORK, PERSON, NOW)
