"""What registry request models accept as text: nothing the database cannot store reaches it."""

import pytest
from pydantic import BaseModel, ValidationError

from services.registry.fields import Code, District, Line, Text, has_unstorable
from services.registry.page_kit import form_district


class Sample(BaseModel):
    line: Line = "x"
    text: Text = "x"
    code: Code = "jury"
    district: District = 7


@pytest.mark.parametrize("field", ["line", "text"])
@pytest.mark.parametrize("value", ["a\x00b", "a\x1bb", "a\ud800b", "\x7f"])
def test_control_characters_and_lone_surrogates_are_refused(field: str, value: str) -> None:
    with pytest.raises(ValidationError):
        Sample(**{field: value})


def test_running_text_keeps_its_line_breaks_and_persian_its_zwnj() -> None:
    assert Sample(text="بند یکم\nبند دوم\tپایان").text.count("\n") == 1
    assert Sample(line="می‌خواهم").line == "می‌خواهم"
    with pytest.raises(ValidationError):
        Sample(line="two\nlines")
    assert not has_unstorable("گزارش ماهانه\r\n", line_breaks=True)


@pytest.mark.parametrize(("field", "value"), [("code", "Jury"), ("code", "jury\x00"), ("code", "x" * 64),
                                              ("district", 0), ("district", 23), ("district", 10**20)])
def test_codes_and_districts_keep_to_their_shape(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        Sample(**{field: value})


@pytest.mark.parametrize(("value", "district"), [("7", 7), ("22", 22), ("²", 0), ("۷", 0), ("", 0),
                                                 ("99999999999999999999", 0), ("-1", 0)])
def test_a_forms_district_is_ascii_digits_or_none(value: str, district: int) -> None:
    assert form_district(value) == district
