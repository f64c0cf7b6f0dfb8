"""Text a request may carry (issue #11, item 7): no NUL byte (PostgreSQL cannot store one) and no other control
character in any text field of a work, an edit, a withdrawal, an edition or a call; paragraphs keep their line
breaks. Refused by the input models, before anything is loaded."""

import pytest
from pydantic import ValidationError

from services.submissions.calls.schemas import CallIn, EditionIn
from services.submissions.works.schemas import WithdrawIn, WorkIn, WorkPatch

PERSON = {"name": "زهرا احمدی", "national_id": "0499370899", "mobile": "09121234567"}
WORK = {"district": 7, "neighbourhood": "نظام آباد", "office": "بهار", "category": "welfare",
        "title": "باغچه‌ی مشترک محله", "summary": "همسایه‌ها زمین خالی را باغچه کردند.", "submitter": PERSON,
        "team": [{"name": "علی رضایی", "role": "هماهنگ‌کننده"}], "answers": {"story": "داستان اثر"}}
ORGANISATION = {"kind": "organisation", "code": "charity-1", "legal_entity_id": "10380284790",
                "representative": PERSON}
CALL = {"categories": {"welfare": "رفاه"}, "opens_on": "1405/01/01", "closes_on": "1405/02/01",
        "offices": [{"district": 7, "neighbourhood": "بهار"}],
        "questions": [{"code": "story", "text_fa": "داستان اثر را بنویسید"}]}
HOSTILE = ["\x00", "\x01", "\x1b[31m", "\x7f", "\x85"]


def paths(value: object, prefix: tuple = ()) -> list[tuple]:
    """Every path to a string in a nested body (dict keys included, as ('key', name))."""
    if isinstance(value, str):
        return [prefix]
    if isinstance(value, dict):
        found = [(*prefix, ("key", key)) for key in value] if prefix and prefix[-1] in ("answers", "categories") \
            else []
        return found + [p for key, item in value.items() for p in paths(item, (*prefix, key))]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in paths(item, (*prefix, index))]
    return []


def spoiled(body: object, path: tuple, bad: str) -> object:
    """The body with the string at `path` (or the dict key) given a hostile character."""
    if not path:
        return body + bad
    head, rest = path[0], path[1:]
    if isinstance(head, tuple):
        return {(key + bad if key == head[1] else key): item for key, item in body.items()}
    if isinstance(body, dict):
        return {**body, head: spoiled(body[head], rest, bad)}
    return [spoiled(item, rest, bad) if index == head else item for index, item in enumerate(body)]


CASES = [(model, body, path) for model, body in (
    (WorkIn, WORK), (WorkIn, {**WORK, "submitter": ORGANISATION}),
    (WorkPatch, {key: value for key, value in WORK.items() if key != "district"}),
    (WorkPatch, {"submitter": ORGANISATION}), (WithdrawIn, {"reason": "انصراف ارسال‌کننده"}),
    (EditionIn, {"code": "1405", "title_fa": "جشنواره"}), (CallIn, CALL),
) for path in paths(body)]


@pytest.mark.parametrize(("model", "body", "path"), CASES,
                         ids=[f"{m.__name__}:{'.'.join(map(str, p))}" for m, _, p in CASES])
def test_every_text_field_refuses_control_characters(model, body: dict, path: tuple) -> None:
    model.model_validate(body)
    for bad in HOSTILE:
        with pytest.raises(ValidationError):
            model.model_validate(spoiled(body, path, bad))


def test_paragraphs_keep_their_line_breaks() -> None:
    text = "سطر نخست\r\nسطر دوم\tبا جدول"
    assert WorkIn.model_validate({**WORK, "summary": text, "answers": {"story": text}}).summary == text
    assert WithdrawIn(reason=text).reason == text
    with pytest.raises(ValidationError):
        WorkIn.model_validate({**WORK, "title": "عنوان\nدو خطی"})
