"""Works use cases on a real database: intake loads its context, decides and stores the work with its first status
and events; a probable duplicate is flagged; edits and withdrawal change what they say and publish it; every
refusal leaves nothing behind."""

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.works import db, usecases
from services.submissions.works.schemas import WorkPatch
from services.submissions.works.status import apply_status
from tests.support.submissions_db import (
    STAFF_07,
    STAFF_12,
    charity,
    festival,
    organisation_account,
    rows,
    work_in,
)
from tests.support.submissions_db import refused as refused_leaving_nothing

COUNTS = ("SELECT (SELECT count(*) FROM works) * 10000 + (SELECT count(*) FROM status_history) * 100 "
          "+ (SELECT count(*) FROM outbox)")


async def events(conn: AsyncConnection, event_type: str, work_id: object) -> int:
    return await rows(conn, "SELECT count(*) FROM outbox WHERE event_type = :t AND payload->>'work_id' = :w",
                      t=event_type, w=str(work_id))


async def refused(conn: AsyncConnection, use_case) -> str:
    """The code of the refusal, checking that it left nothing behind."""
    return await refused_leaving_nothing(conn, use_case, COUNTS)


async def test_a_work_is_received_with_its_first_status_and_events(conn: AsyncConnection) -> None:
    await festival(conn)
    body = work_in(title="  كارگاه  خياطي محله ", office="بهار")

    work = await usecases.submit_work(conn, STAFF_07, body, now=datetime.now(UTC))

    assert work["edition"] == "1405" and work["status"] == "received" and work["title"] == "کارگاه خیاطی محله"
    assert work["office"] == "بهار" and work["neighbourhood"] == "نظام آباد" and not work["possible_duplicate"]
    stored = await db.get_work(conn, work_id=work["id"])
    assert stored["tracking_code"] == work["tracking_code"] and stored["office"] == "بهار"
    assert [h["status"] for h in await db.history(conn, work_id=work["id"])] == ["received"]
    assert await events(conn, "submissions.work.received", work["id"]) == 2  # internal and public


async def test_a_probable_duplicate_is_flagged_and_an_edit_can_clear_it(conn: AsyncConnection) -> None:
    await festival(conn)
    first = await usecases.submit_work(conn, STAFF_07, work_in(title="باغچه‌ی مشترک"), now=datetime.now(UTC))
    same = work_in(title="باغچه ي مشترك", submitter={**work_in().submitter.model_dump(exclude={"kind"}),
                                                     "national_id": first["submitter_national_id"]})

    again = await usecases.submit_work(conn, STAFF_07, same, now=datetime.now(UTC))

    assert again["possible_duplicate"] and again["duplicate_of"] == first["id"]
    edited = await usecases.edit_work(conn, STAFF_07, again["id"], WorkPatch(title="باغچه‌ی دیگر"),
                                      now=datetime.now(UTC))
    assert not edited["possible_duplicate"] and edited["duplicate_of"] is None


async def test_an_organisation_submits_through_its_own_account_only(conn: AsyncConnection) -> None:
    await festival(conn)
    found = await charity(conn)
    representative = {"name": "سارا مرادی", "national_id": "0499370899", "mobile": "09351112233"}
    own = work_in(submitter={"kind": "organisation", "code": found["code"], "representative": representative})

    work = await usecases.submit_work(conn, organisation_account(found["code"]), own, now=datetime.now(UTC))

    assert (work["submitter_kind"], work["organisation_code"], work["organisation_name"]) == (
        "organisation", found["code"], "خیریه محله")
    assert await refused(conn, usecases.submit_work(conn, organisation_account("another"), own,
                                                    now=datetime.now(UTC))) == "not_own_organisation"
    assert await refused(conn, usecases.submit_work(conn, STAFF_12, own, now=datetime.now(UTC))) == "not_district_staff"
    by_legal_id = work_in(submitter={"kind": "organisation", "legal_entity_id": found["legal_entity_id"],
                                     "representative": representative})
    assert (await usecases.submit_work(conn, STAFF_07, by_legal_id, now=datetime.now(UTC)))["organisation_code"] == \
        found["code"]


@pytest.mark.parametrize(("overrides", "code"), [
    ({"neighbourhood": "بازار"}, "unknown_neighbourhood"),  # district 12's
    ({"office": "نظام آباد"}, "unknown_office"),  # no office there this edition
    ({"category": "sports"}, "unknown_category"),
    ({"edition": "1300"}, "unknown_edition"),
    ({"submitter": {"kind": "organisation", "code": "nowhere",
                    "representative": {"name": "سارا", "national_id": "0499370899", "mobile": "09121234567"}}},
     "unknown_organisation"),
    ({"title": "  ...  "}, "invalid_title"),
])
async def test_a_work_the_rules_refuse_leaves_nothing(conn: AsyncConnection, overrides: dict, code: str) -> None:
    await festival(conn)
    assert await refused(conn, usecases.submit_work(conn, STAFF_07, work_in(**overrides),
                                                    now=datetime.now(UTC))) == code


async def test_edits_publish_what_changed_and_nothing_when_nothing_did(conn: AsyncConnection) -> None:
    await festival(conn)
    work = await usecases.submit_work(conn, STAFF_07, work_in(), now=datetime.now(UTC))

    edited = await usecases.edit_work(conn, STAFF_07, work["id"],
                                      WorkPatch(neighbourhood="بهار", office="بهار", beneficiaries=30),
                                      now=datetime.now(UTC))
    unchanged = await usecases.edit_work(conn, STAFF_07, work["id"], WorkPatch(beneficiaries=30),
                                         now=datetime.now(UTC))

    assert (edited["neighbourhood"], edited["office"], edited["beneficiaries"]) == ("بهار", "بهار", 30)
    assert unchanged["updated_at"] == edited["updated_at"]
    changed = await rows(conn, "SELECT payload::jsonb->>'changed' FROM outbox "
                               "WHERE event_type = 'submissions.work.changed'")
    assert changed == '["beneficiaries", "neighbourhood", "office"]'
    assert await events(conn, "submissions.work.changed", work["id"]) == 1
    assert await refused(conn, usecases.edit_work(conn, STAFF_12, work["id"], WorkPatch(beneficiaries=1),
                                                  now=datetime.now(UTC))) == "not_found"


async def test_withdrawal_is_final_and_runs_until_the_outcome_is_final(conn: AsyncConnection) -> None:
    await festival(conn)
    kept = await usecases.submit_work(conn, STAFF_07, work_in(), now=datetime.now(UTC))
    started = await usecases.submit_work(conn, STAFF_07, work_in(), now=datetime.now(UTC))
    decided = await usecases.submit_work(conn, STAFF_07, work_in(), now=datetime.now(UTC))
    await apply_status(conn, started["id"], "in_district_evaluation", datetime.now(UTC))
    await apply_status(conn, decided["id"], "not_selected_by_district", datetime.now(UTC))

    withdrawn = await usecases.withdraw_work(conn, STAFF_07, kept["id"], "انصراف",
                                             now=datetime.now(UTC))

    assert withdrawn["status"] == "withdrawn"
    assert await events(conn, "submissions.work.withdrawn", kept["id"]) == 1
    assert await refused(conn, usecases.withdraw_work(conn, STAFF_07, kept["id"], "دوباره",
                                                      now=datetime.now(UTC))) == "already_withdrawn"
    in_evaluation = await usecases.withdraw_work(conn, STAFF_07, started["id"], "در میانهٔ داوری",
                                                 now=datetime.now(UTC))
    assert in_evaluation["status"] == "withdrawn"  # evaluation takes it out of its round
    assert await refused(conn, usecases.withdraw_work(conn, STAFF_07, decided["id"], "دیر شد",
                                                      now=datetime.now(UTC))) == "outcome_final"
