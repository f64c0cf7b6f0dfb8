"""The use cases behind the pages' entry of a work, on a real database: what the form offers, a draft kept only
once intake would take it (every problem at once, a document's named by its file), kept by its author only,
changed with its documents kept or dropped, and submitted through submit_work and attach_document; and the
reads the pages add (a work's page, the tracking history, the desk's works of today)."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.submissions.documents.usecases import DocumentLimits
from services.submissions.drafts.usecases import DraftProblems, entry_choices, own_draft, save_draft, submit_draft
from services.submissions.forms import form_of, invalid_fields, work_data
from services.submissions.tracking.usecases import track, track_with_history
from services.submissions.views.usecases import entered_since
from services.submissions.works.overview import work_overview
from services.submissions.works.schemas import WorkIn
from services.submissions.works.usecases import withdraw_work
from shared.refusals import Refusal
from tests.support.files import EXE, PDF, PNG
from tests.support.scratch_db import scratch_database, signed_in_as
from tests.support.servers import Servers
from tests.support.submissions_db import FESTIVAL_SECRETARY, STAFF_07, STAFF_12, festival, rows, work_in


def test_the_work_form_becomes_the_json_routes_body_and_back_and_its_problems_find_their_fields() -> None:
    fields = {"district": "۷", "neighbourhood": "بهار", "category": "welfare", "title": "کارگاه دوخت",
              "summary": "زنان محله با هم لباس می‌دوزند.", "submitter_kind": "organisation", "organisation": "charity-1",
              "name": "زهرا احمدی", "national_id": "۰۴۹۹۳۷۰۸۹۹", "mobile": "۰۹۱۲۳۴۵۶۷۸۹", "beneficiaries": "۱٬۲۰۰",
              "team": "علی رضایی\n\nمریم کاظمی", "answer_story": "از سال گذشته"}
    body = WorkIn.model_validate(work_data(fields, edition="1405", questions=[{"code": "story"}]))
    assert body.district == 7 and body.beneficiaries == 1200 and body.answers == {"story": "از سال گذشته"}
    assert body.submitter.kind == "organisation" and body.submitter.code == "charity-1"
    assert [m.name for m in body.team] == ["علی رضایی", "مریم کاظمی"]
    back = form_of(body.model_dump(mode="json"))
    assert {k: back[k] for k in ("organisation", "national_id", "mobile", "answer_story")} == {
        "organisation": "charity-1", "national_id": "۰۴۹۹۳۷۰۸۹۹", "mobile": "۰۹۱۲۳۴۵۶۷۸۹",
        "answer_story": "از سال گذشته"}
    with pytest.raises(ValidationError) as invalid:
        WorkIn.model_validate(work_data({**fields, "title": "", "name": "x" * 300, "district": ""}, edition=None,
                                        questions=[]))
    assert set(invalid_fields(invalid.value)) == {"title", "name", "district"}


LIMITS = DocumentLimits(max_bytes=64 * 1024, max_per_work=2)


@pytest.fixture(scope="module")
async def service_engine(servers: Servers) -> AsyncIterator[AsyncEngine]:
    """A scratch submissions database for this module (the `conn` fixture rolls each test back)."""
    async with scratch_database(servers, "submissions") as engine:
        yield engine


def now() -> datetime:
    return datetime.now(UTC)


async def test_the_form_offers_the_district_of_its_staff_and_refuses_those_who_enter_for_none(
        conn: AsyncConnection) -> None:
    await festival(conn)
    choices = await entry_choices(conn, STAFF_07, None, now=now())
    assert choices.districts == [7] and choices.district == 7 and choices.closed is None
    assert {n["name_fa"] for n in choices.neighbourhoods} == {"نظام آباد", "بهار"}
    assert [o["name_fa"] for o in choices.offices] == ["بهار"] and "welfare" in choices.categories
    with pytest.raises(Refusal) as refused:
        await entry_choices(conn, STAFF_07, 12, now=now())
    assert refused.value.code == "not_district_staff"
    for person in (FESTIVAL_SECRETARY, signed_in_as("jury_committee", "juror")):
        with pytest.raises(Refusal) as refused:
            await entry_choices(conn, person, None, now=now())
        assert refused.value.code == "forbidden"


async def test_a_draft_is_refused_with_every_problem_and_nothing_is_kept(conn: AsyncConnection) -> None:
    await festival(conn)
    body = work_in(submitter={"name": "زهرا احمدی", "national_id": "0000000001", "mobile": "09121234567"})
    with pytest.raises(DraftProblems) as refused:
        await save_draft(conn, STAFF_07, body, [("برنامه.pdf", EXE), ("عکس.pdf", PNG)], limits=LIMITS, now=now())
    problems = [(name, refusal.code) for name, refusal in refused.value.problems]
    assert problems == [("برنامه.pdf", "unsupported_file_type"), ("عکس.pdf", "file_type_mismatch"),
                        (None, "invalid_national_id")]
    assert await rows(conn, "SELECT count(*) FROM work_drafts") == 0
    with pytest.raises(DraftProblems) as refused:
        await save_draft(conn, STAFF_07, work_in(), [("a.pdf", PDF)] * 3, limits=LIMITS, now=now())
    assert [r.code for _, r in refused.value.problems] == ["too_many_documents"]


async def test_a_draft_is_its_authors_changed_with_its_documents_and_submitted_as_a_work(
        conn: AsyncConnection) -> None:
    await festival(conn)
    body = work_in()
    draft_id = await save_draft(conn, STAFF_07, body, [("گزارش.pdf", PDF)], limits=LIMITS, now=now())
    draft = await own_draft(conn, STAFF_07, draft_id)
    assert [d["filename"] for d in draft["documents"]] == ["گزارش.pdf"] and not draft["possible_duplicate"]
    another = signed_in_as("district_secretariat", "staff", 7)
    for stranger in (another, STAFF_12):
        with pytest.raises(Refusal) as refused:
            await own_draft(conn, stranger, draft_id)
        assert refused.value.code == "not_found"
        with pytest.raises(Refusal):
            await submit_draft(conn, stranger, draft_id, limits=LIMITS, now=now())

    kept = draft["documents"][0]["id"]
    changed = body.model_copy(update={"title": "صندوق قرض‌الحسنهٔ بانوان محله"})
    assert await save_draft(conn, STAFF_07, changed, [("عکس.png", PNG)], limits=LIMITS, now=now(),
                            draft_id=draft_id, keep=frozenset({kept})) == draft_id
    assert [d["filename"] for d in (await own_draft(conn, STAFF_07, draft_id))["documents"]] == ["گزارش.pdf", "عکس.png"]
    await save_draft(conn, STAFF_07, changed, [], limits=LIMITS, now=now(), draft_id=draft_id, keep=frozenset())
    assert (await own_draft(conn, STAFF_07, draft_id))["documents"] == []
    await save_draft(conn, STAFF_07, changed, [("گزارش.pdf", PDF)], limits=LIMITS, now=now(), draft_id=draft_id)

    work = await submit_draft(conn, STAFF_07, draft_id, limits=LIMITS, now=now())
    assert work["title"] == "صندوق قرض‌الحسنهٔ بانوان محله"
    assert await rows(conn, "SELECT count(*) FROM documents WHERE work_id = :w", w=work["id"]) == 1
    assert await rows(conn, "SELECT count(*) FROM work_drafts WHERE id = :d", d=draft_id) == 0

    # The same work again is kept, flagged as a probable duplicate before it is submitted.
    again = await save_draft(conn, STAFF_07, changed, [], limits=LIMITS, now=now())
    assert (await own_draft(conn, STAFF_07, again))["possible_duplicate"]


async def test_drafts_are_forgotten_after_a_day(conn: AsyncConnection) -> None:
    await festival(conn)
    old = await save_draft(conn, STAFF_07, work_in(), [], limits=LIMITS, now=now())
    await conn.execute(text("UPDATE work_drafts SET created_at = created_at - interval '25 hours' WHERE id = :d"),
                       {"d": old})
    await save_draft(conn, STAFF_07, work_in(), [], limits=LIMITS, now=now())
    assert await rows(conn, "SELECT count(*) FROM work_drafts WHERE id = :d", d=old) == 0


async def test_the_reads_the_pages_add(conn: AsyncConnection) -> None:
    await festival(conn)
    draft_id = await save_draft(conn, STAFF_07, work_in(), [("گزارش.pdf", PDF)], limits=LIMITS, now=now())
    work = await submit_draft(conn, STAFF_07, draft_id, limits=LIMITS, now=now())

    page = await work_overview(conn, STAFF_07, work["id"], now=now())
    assert page.may_edit and page.may_withdraw and page.category_fa == "رفاه و خدمات اجتماعی"
    assert [h["status"] for h in page.history] == ["received"] and len(page.documents) == 1
    with pytest.raises(Refusal) as refused:
        await work_overview(conn, STAFF_12, work["id"], now=now())
    assert refused.value.code == "not_found"

    today, count = await entered_since(conn, STAFF_07, now() - timedelta(hours=1))
    assert count == 1 and today[0]["id"] == work["id"]
    assert (await entered_since(conn, STAFF_12, now() - timedelta(hours=1)))[1] == 0

    await withdraw_work(conn, STAFF_07, work["id"], "ارسال‌کننده خواست.", now=now())
    page = await work_overview(conn, STAFF_07, work["id"], now=now())
    assert not page.may_edit and not page.may_withdraw
    found = await track_with_history(conn, code=work["tracking_code"], mobile=work["submitter_mobile"])
    assert [step["status"] for step in found["history"]] == ["received", "withdrawn"]
    assert set(found) == {"status", "status_fa", "date", "history"}
    assert all(set(step) == {"status", "status_fa", "date"} for step in found["history"])
    assert {k: found[k] for k in ("status", "status_fa", "date")} == await track(
        conn, code=work["tracking_code"], mobile=work["submitter_mobile"])
    with pytest.raises(Refusal):
        await track_with_history(conn, code=work["tracking_code"], mobile="09120000000")
