"""Pure parts of tier-1 rounds opened at the call's close and of the receipt's documents check."""

import uuid
from datetime import UTC, datetime

from services.evaluation.domain import missing_documents, tier1_deadline, tier1_scopes_to_open
from services.evaluation.settings import EvaluationSettings
from shared.contracts.submissions import CallClosed, WorkChanged
from shared.messaging.topology import service_queues
from shared.persian import format_jalali_datetime


def test_every_district_and_category_with_waiting_works_gets_one_round_unless_it_has_one() -> None:
    awaiting = [(19, "welfare"), (18, "welfare"), (18, "entrepreneurship"), (18, "welfare"), (19, "participation")]

    scopes = tier1_scopes_to_open(awaiting, existing={(19, "participation"), (None, "welfare")})

    assert scopes == [(18, "entrepreneurship"), (18, "welfare"), (19, "welfare")]
    assert tier1_scopes_to_open([], existing=set()) == []
    assert tier1_scopes_to_open(awaiting, existing=set(awaiting)) == []


def test_the_deadline_is_the_end_of_a_tehran_day() -> None:
    closed = datetime(2026, 3, 20, 21, 0, tzinfo=UTC)  # 00:30 on 1405/01/01 in Tehran

    deadline = tier1_deadline(closed, 30)

    assert format_jalali_datetime(deadline, persian_digits=False) == "1405/02/01 00:00"
    assert deadline > closed
    # An hour earlier is still 1404/12/29 in Tehran (the same UTC day): its deadline is a day earlier.
    assert format_jalali_datetime(tier1_deadline(datetime(2026, 3, 20, 20, 0, tzinfo=UTC), 30),
                                  persian_digits=False) == "1405/01/31 00:00"


def test_works_without_documents_are_named_in_id_order() -> None:
    ids = sorted([uuid.uuid4() for _ in range(3)], key=str)
    works = [{"work_id": ids[2], "documents": 0}, {"work_id": ids[1], "documents": 4},
             {"work_id": ids[0], "documents": 0}]

    assert missing_documents(works) == [ids[0], ids[2]]
    assert missing_documents([{"work_id": ids[0], "documents": 1}]) == []


def test_a_work_change_says_nothing_about_documents_unless_it_carries_a_count() -> None:
    fields = {"work_id": uuid.uuid4(), "district": 18, "neighbourhood": "فردوس", "category": "welfare",
              "title": "اثر", "changed": ["title"], "submitter_name": "شهروند", "submitter_mobile": "09120000000"}

    assert WorkChanged.model_validate(fields).documents is None  # an older payload stays valid
    assert WorkChanged.model_validate({**fields, "changed": ["documents"], "documents": 2}).documents == 2


def test_evaluation_hears_the_internal_call_closed_event_and_has_defaults_for_its_rounds() -> None:
    key = CallClosed(edition="1377", closed_at=datetime.now(UTC)).routing_key()

    assert key == "submissions.call.closed.city"
    assert "submissions.call.closed.#" in service_queues()["evaluation"].bindings
    settings = EvaluationSettings()
    assert (settings.tier1_k, settings.tier1_days) == (3, 30)
