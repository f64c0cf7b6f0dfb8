"""Jalali next to every ISO date a response carries: one base model, so no field needs code of its own.

A response model that derives from JalaliModel gives, right after each `date` or `datetime` field, the same value
as people in Tehran read it, under `<field>_jalali`: a date as "1405-09-06", an instant as its Tehran date and time
"1405-09-06 14:30" (ASCII digits, so clients can parse it), None as None. A deadline stored as the end of a Tehran
day (the next day's midnight) is marked `Annotated[datetime, DAY_END]` and reads as the last day it includes.
"""

import types
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, ClassVar, Union, get_args, get_origin

import jdatetime
from pydantic import BaseModel, SerializationInfo, SerializerFunctionWrapHandler, model_serializer
from pydantic.json_schema import GetJsonSchemaHandler, JsonSchemaValue
from pydantic_core import core_schema as cs

from shared.persian import format_jalali_date, format_jalali_datetime, tehran_day_end_utc, to_ascii_digits

SUFFIX = "_jalali"


class DayEnd:
    """Marks an instant that is the end of a Tehran day (a deadline entered as a date): read as that last day."""

    def __repr__(self) -> str:
        return "DAY_END"


DAY_END = DayEnd()

_DESCRIPTIONS = {
    date: "`{name}` in the Jalali calendar, e.g. 1405-09-06",
    datetime: "`{name}` as a Jalali date and time in Tehran, e.g. 1405-09-06 14:30",
    DayEnd: ("`{name}` as the last Jalali day it includes (Tehran), e.g. 1405-09-06; with the time, "
             "e.g. 1405-09-06 14:30, when it does not end at midnight"),
}


def jalali_date(day: date) -> str:
    """A Gregorian date as its Jalali date, e.g. 1405-09-06."""
    return to_ascii_digits(jdatetime.date.fromgregorian(date=day).strftime("%Y-%m-%d"))


def jalali_datetime(moment: datetime) -> str:
    """An instant as its Tehran Jalali date and time, e.g. 1405-09-06 14:30 (a naive one is taken as UTC)."""
    # Stored instants are UTC; a naive one must still give an answer rather than a 500.
    aware = moment if moment.utcoffset() is not None else moment.replace(tzinfo=UTC)
    return format_jalali_datetime(aware, persian_digits=False).replace("/", "-")


def jalali_day_end(moment: datetime) -> str:
    """A deadline at the end of a Tehran day as that day, e.g. 1405-09-06; otherwise its date and time."""
    aware = moment if moment.utcoffset() is not None else moment.replace(tzinfo=UTC)
    last_day = format_jalali_date(aware - timedelta(microseconds=1), persian_digits=False)
    # Compared with how deadlines are made, not with 00:00: before 1401 a day that began DST began at 01:00.
    if tehran_day_end_utc(last_day) != aware:
        return jalali_datetime(aware)
    return last_day.replace("/", "-")


def jalali_text(value: date | None, *, day_end: bool = False) -> str | None:
    """The Jalali form of a date or instant (None stays None, and so does one past the calendars' range)."""
    if value is None:
        return None
    try:
        if isinstance(value, datetime):
            return jalali_day_end(value) if day_end else jalali_datetime(value)
        return jalali_date(value)
    except (ValueError, OverflowError):  # e.g. 9999-12-31 23:00 UTC is already year 10000 in Tehran: no 500 for it
        return None


def _kind(annotation: Any, metadata: list) -> tuple[type | None, bool]:
    """The date kind a field holds (date, datetime, DayEnd or None) and whether it may be None."""
    if get_origin(annotation) is Annotated:
        annotation, *extra = get_args(annotation)
        metadata = [*metadata, *extra]
    options = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (annotation,)
    nullable = type(None) in options
    kinds = [option for option in options if isinstance(option, type) and issubclass(option, date)]
    if not kinds:
        return None, nullable
    if any(isinstance(item, DayEnd) for item in metadata):
        return DayEnd, nullable
    return (datetime if issubclass(kinds[0], datetime) else date), nullable


class JalaliModel(BaseModel):
    """A response model whose every date and datetime field is followed by its Jalali form, `<field>_jalali`."""

    _jalali_fields: ClassVar[dict[str, tuple[type, bool]]] = {}

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Find the date fields once per class (a field that already declares its `_jalali` twin keeps it)."""
        super().__pydantic_init_subclass__(**kwargs)
        found = {}
        for name, field in cls.model_fields.items():
            kind, nullable = _kind(field.annotation, field.metadata)
            if kind is not None and name + SUFFIX not in cls.model_fields:
                found[name] = (kind, nullable)
        cls._jalali_fields = found

    @model_serializer(mode="wrap")
    def _with_jalali(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo):
        # No return annotation on purpose: with one, pydantic would take it as the serialised schema and drop fields.
        data = handler(self)
        if not self._jalali_fields or not isinstance(data, dict):
            return data
        keys = {(type(self).model_fields[name].alias or name) if info.by_alias else name: name
                for name in self._jalali_fields}
        out = {}
        for key, value in data.items():
            out[key] = value
            if (name := keys.get(key)) is not None:
                out[key + SUFFIX] = jalali_text(getattr(self, name), day_end=self._jalali_fields[name][0] is DayEnd)
        return out

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: cs.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """The schema as serialised: each date field followed by its `<field>_jalali` string (nullable alike)."""
        reference = handler(core_schema)
        if handler.mode != "serialization" or not cls._jalali_fields:
            return reference
        schema = handler.resolve_ref_schema(reference)
        properties, required = schema.get("properties", {}), schema.get("required")
        by_key = {(cls.model_fields[name].alias or name) if name not in properties else name: name
                  for name in cls._jalali_fields}
        added = {}
        for key, value in properties.items():
            added[key] = value
            if (name := by_key.get(key)) is not None:
                kind, nullable = cls._jalali_fields[name]
                text: dict[str, Any] = {"type": "string"}
                added[key + SUFFIX] = {"anyOf": [text, {"type": "null"}]} if nullable else text
                added[key + SUFFIX] |= {"title": f"{key}{SUFFIX}".replace("_", " ").title(),
                                        "description": _DESCRIPTIONS[kind].format(name=key)}
                if required is not None and key in required:
                    required.insert(required.index(key) + 1, key + SUFFIX)
        schema["properties"] = added
        return reference
