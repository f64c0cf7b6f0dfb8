"""An organisation's own account on a real database (issue #11, item 4): it submits only for itself and only in the
district its organisation works in, an edit cannot put another submitter on its work, and once its organisation is
deactivated it can neither submit nor change anything (it still sees its works). Every refusal leaves nothing."""

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.documents.usecases import DocumentLimits, attach_document
from services.submissions.projections.usecases import record_organisation
from services.submissions.works import db, usecases
from services.submissions.works.schemas import WorkPatch
from tests.support.files import PDF
from tests.support.submissions_db import STAFF_07, charity, festival, organisation_account, work_in
from tests.support.submissions_db import refused as refused_leaving_nothing

COUNTS = ("SELECT (SELECT count(*) FROM works) * 1000000 + (SELECT count(*) FROM status_history) * 10000 "
          "+ (SELECT count(*) FROM outbox) * 100 + (SELECT count(*) FROM documents)")
REPRESENTATIVE = {"name": "سارا مرادی", "national_id": "0499370899", "mobile": "09351112233"}
LIMITS = DocumentLimits(max_bytes=1024 * 1024, max_per_work=10)


def by(code: str, **naming: str) -> dict:
    """The submitter block naming an organisation (by its code unless told otherwise)."""
    return {"kind": "organisation", **(naming or {"code": code}), "representative": REPRESENTATIVE}


async def refused(conn: AsyncConnection, use_case) -> str:
    """The code of the refusal, checking that it left nothing behind."""
    return await refused_leaving_nothing(conn, use_case, COUNTS)


async def test_an_organisation_submits_only_in_the_district_it_works_in(conn: AsyncConnection) -> None:
    await festival(conn)
    of_7, city_wide = await charity(conn, district=7), await charity(conn, district=None)
    now = datetime.now(UTC)

    in_12 = usecases.submit_work(conn, organisation_account(of_7["code"]), work_in(12, submitter=by(of_7["code"])),
                                 now=now)
    assert await refused(conn, in_12) == "outside_organisation_district"
    checked = usecases.check_work(conn, organisation_account(of_7["code"]), work_in(12, submitter=by(of_7["code"])),
                                  now=now)
    assert await refused(conn, checked) == "outside_organisation_district"
    in_7 = await usecases.submit_work(conn, organisation_account(of_7["code"]), work_in(7, submitter=by(of_7["code"])),
                                      now=now)
    anywhere = await usecases.submit_work(conn, organisation_account(city_wide["code"]),
                                          work_in(12, submitter=by(city_wide["code"])), now=now)
    assert (in_7["district"], anywhere["district"]) == (7, 12)


async def test_an_edit_by_an_organisations_account_cannot_name_another_submitter(conn: AsyncConnection) -> None:
    await festival(conn)
    own, other = await charity(conn), await charity(conn)
    account = organisation_account(own["code"])
    work = await usecases.submit_work(conn, account, work_in(submitter=by(own["code"])), now=datetime.now(UTC))

    for submitter in (by(other["code"]), by("", legal_entity_id=other["legal_entity_id"]),
                      {"kind": "citizen", **REPRESENTATIVE}):
        patch = WorkPatch.model_validate({"submitter": submitter})
        assert await refused(conn, usecases.edit_work(conn, account, work["id"], patch,
                                                      now=datetime.now(UTC))) == "not_own_organisation", submitter
    stored = await db.get_work(conn, work_id=work["id"])
    assert (stored["organisation_code"], stored["organisation_name"]) == (own["code"], own["name_fa"])
    renamed = WorkPatch.model_validate({"submitter": by("", legal_entity_id=own["legal_entity_id"]),
                                        "title": "عنوان تازه‌ی سازمان"})
    edited = await usecases.edit_work(conn, account, work["id"], renamed, now=datetime.now(UTC))
    assert (edited["title"], edited["organisation_code"]) == ("عنوان تازه‌ی سازمان", own["code"])
    moved = await usecases.edit_work(conn, STAFF_07, work["id"], WorkPatch.model_validate(
        {"submitter": by(other["code"])}), now=datetime.now(UTC))  # the district's office may correct it
    assert moved["organisation_code"] == other["code"]


async def test_a_deactivated_organisations_account_can_no_longer_submit_or_change_its_works(
        conn: AsyncConnection) -> None:
    await festival(conn)
    found = await charity(conn)
    account = organisation_account(found["code"])
    work = await usecases.submit_work(conn, account, work_in(submitter=by(found["code"])), now=datetime.now(UTC))

    await record_organisation(conn, **{**found, "active": False})  # registry's OrganisationChanged, mirrored

    now = datetime.now(UTC)
    for use_case in (
        usecases.submit_work(conn, account, work_in(submitter=by(found["code"])), now=now),
        usecases.edit_work(conn, account, work["id"], WorkPatch(title="عنوانی پس از غیرفعال شدن"), now=now),
        usecases.withdraw_work(conn, account, work["id"], "انصراف سازمان", now=now),
        attach_document(conn, account, work["id"], filename="گزارش.pdf", content=PDF, limits=LIMITS, now=now),
    ):
        assert await refused(conn, use_case) == "organisation_inactive"
    assert (await usecases.read_work(conn, account, work["id"]))["title"] == work["title"]  # still sees it
    assert (await usecases.edit_work(conn, STAFF_07, work["id"], WorkPatch(beneficiaries=3), now=now))[
        "beneficiaries"] == 3  # the district's office still may


async def test_an_account_whose_organisation_is_unknown_here_acts_for_nothing(conn: AsyncConnection) -> None:
    await festival(conn)
    body = work_in(submitter=by("charity-unheard-of"))
    assert await refused(conn, usecases.submit_work(conn, organisation_account("charity-unheard-of"), body,
                                                    now=datetime.now(UTC))) == "organisation_inactive"
