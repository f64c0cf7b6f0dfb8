"""JalaliModel: every date and datetime a response carries comes with its Jalali form, in the output and the schema."""

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Annotated

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from shared.persian import tehran_day_end_utc
from shared.web.jalali import DAY_END, JalaliModel


class Sheet(JalaliModel):
    name: str
    updated_at: datetime


class Report(JalaliModel):
    period_start: date
    filed_at: datetime
    read_at: datetime | None
    deadline: Annotated[datetime | None, DAY_END] = Field(default=None, description="end of the day")
    note: str = ""
    sheet: Sheet | None = None
    sheets: list[Sheet] = Field(default_factory=list)


class Plain(BaseModel):
    """A model without dates that holds models with them."""

    sheet: Sheet
    sheets: list[Sheet]


def report(**values: object) -> Report:
    """A report filed at noon UTC on 1405-09-06 (2026-11-27) unless told otherwise."""
    return Report(**{"period_start": date(2026, 11, 27), "filed_at": datetime(2026, 11, 27, 11, 0, tzinfo=UTC),
                     "read_at": None} | values)


def test_a_date_and_a_datetime_get_their_jalali_form_right_after_them() -> None:
    out = report().model_dump(mode="json")
    assert list(out)[:6] == ["period_start", "period_start_jalali", "filed_at", "filed_at_jalali", "read_at",
                             "read_at_jalali"]
    assert out["period_start"] == "2026-11-27" and out["period_start_jalali"] == "1405-09-06"
    assert out["filed_at_jalali"] == "1405-09-06 14:30"  # Tehran is UTC+03:30 all year since 1401
    assert out["read_at_jalali"] is None and out["deadline_jalali"] is None
    assert "note_jalali" not in out and report().model_dump()["filed_at_jalali"] == "1405-09-06 14:30"


def test_a_late_evening_in_utc_is_already_the_next_day_in_tehran() -> None:
    out = report(filed_at=datetime(2026, 11, 26, 23, 59, tzinfo=UTC)).model_dump(mode="json")
    assert out["filed_at_jalali"] == "1405-09-06 03:29"
    out = report(filed_at=datetime(2026, 11, 26, 20, 29, tzinfo=UTC)).model_dump(mode="json")
    assert out["filed_at_jalali"] == "1405-09-05 23:59"
    nowruz = report(filed_at=datetime(2026, 3, 20, 20, 30, tzinfo=UTC)).model_dump(mode="json")
    assert nowruz["filed_at_jalali"] == "1405-01-01 00:00"  # the year's first minute in Tehran
    other_zone = datetime(2026, 11, 27, 2, 0, tzinfo=timezone(timedelta(hours=-5)))  # 07:00 UTC
    assert report(filed_at=other_zone).model_dump(mode="json")["filed_at_jalali"] == "1405-09-06 10:30"


def test_a_naive_datetime_is_taken_as_utc_rather_than_failing() -> None:
    assert report(filed_at=datetime(2026, 11, 27, 11, 0)).model_dump(mode="json")["filed_at_jalali"] == (
        "1405-09-06 14:30")


def test_an_instant_past_the_calendars_range_gives_none_rather_than_failing() -> None:
    far = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
    assert report(filed_at=far, deadline=far).model_dump(mode="json")["filed_at_jalali"] is None


def test_a_deadline_at_the_end_of_a_tehran_day_reads_as_that_day() -> None:
    end_of_1405_09_06 = datetime(2026, 11, 27, 20, 30, tzinfo=UTC)  # midnight starting 1405-09-07 in Tehran
    assert report(deadline=end_of_1405_09_06).model_dump(mode="json")["deadline_jalali"] == "1405-09-06"
    dst_began = tehran_day_end_utc("1399/01/01")  # 1399-01-02 began at 01:00 (+04:30) under the old DST
    assert report(deadline=dst_began).model_dump(mode="json")["deadline_jalali"] == "1399-01-01"
    mid_day = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)
    assert report(deadline=mid_day).model_dump(mode="json")["deadline_jalali"] == "1405-09-06 14:30"


def test_nested_models_and_lists_of_models_carry_theirs_too() -> None:
    sheet = Sheet(name="a", updated_at=datetime(2026, 11, 27, 21, 0, tzinfo=UTC))
    out = report(sheet=sheet, sheets=[sheet, sheet]).model_dump(mode="json")
    assert out["sheet"]["updated_at_jalali"] == "1405-09-07 00:30"
    assert [s["updated_at_jalali"] for s in out["sheets"]] == ["1405-09-07 00:30"] * 2
    plain = Plain(sheet=sheet, sheets=[sheet]).model_dump(mode="json")
    assert plain["sheet"]["updated_at_jalali"] == plain["sheets"][0]["updated_at_jalali"] == "1405-09-07 00:30"


def test_fastapi_responses_and_the_openapi_schema_list_the_jalali_fields() -> None:
    app = FastAPI()

    @app.get("/report")
    def get_report() -> Report:
        return report()

    @app.get("/plain")
    def get_plain() -> Plain:
        return Plain(sheet=report().sheet or Sheet(name="a", updated_at=datetime(2026, 11, 27, tzinfo=UTC)),
                     sheets=[])

    client = TestClient(app)
    assert client.get("/report").json()["filed_at_jalali"] == "1405-09-06 14:30"
    assert client.get("/plain").json()["sheet"]["updated_at_jalali"] == "1405-09-06 03:30"
    schemas = app.openapi()["components"]["schemas"]
    properties, required = schemas["Report"]["properties"], schemas["Report"]["required"]
    assert list(properties)[:6] == ["period_start", "period_start_jalali", "filed_at", "filed_at_jalali",
                                    "read_at", "read_at_jalali"]
    assert properties["period_start_jalali"]["type"] == "string" and "1405-09-06" in properties[
        "period_start_jalali"]["description"]
    assert properties["read_at_jalali"]["anyOf"] == [{"type": "string"}, {"type": "null"}]
    assert properties["deadline_jalali"]["anyOf"] == [{"type": "string"}, {"type": "null"}]
    assert "last Jalali day" in properties["deadline_jalali"]["description"]
    assert {"period_start_jalali", "filed_at_jalali", "read_at_jalali"} <= set(required)
    assert "note_jalali" not in properties
    assert "updated_at_jalali" in schemas["Sheet"]["properties"]


def test_a_model_that_declares_its_own_jalali_twin_keeps_it() -> None:
    class Own(JalaliModel):
        at: datetime
        at_jalali: str

    out = Own(at=datetime(2026, 11, 27, tzinfo=UTC), at_jalali="mine").model_dump(mode="json")
    assert out["at_jalali"] == "mine"
