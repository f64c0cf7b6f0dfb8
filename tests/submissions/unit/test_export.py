"""The CSV export: a BOM so spreadsheets read Persian, quoting, and cells a spreadsheet would run neutralised."""

import pytest

from services.submissions.views.export import BOM, HEADER, render, safe_cell


@pytest.mark.parametrize(("value", "cell"), [("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+98912", "'+98912"),
                                             ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("باغچه", "باغچه"),
                                             (None, ""), (12, "12")])
def test_cells_that_look_like_formulas_are_neutralised(value: object, cell: str) -> None:
    assert safe_cell(value) == cell


def test_the_export_starts_with_a_bom_and_quotes_what_needs_it() -> None:
    text = BOM + render([HEADER, ["a,b", 'say "hi"', "سطر\nدوم"]])
    data = text.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    assert '"a,b","say ""hi""","سطر\nدوم"\r\n' in text
