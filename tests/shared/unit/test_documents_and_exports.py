"""Short codes of certificates and letters, and the spreadsheets' cells, without any service running."""

import csv
import io
from datetime import UTC, datetime

import openpyxl

from shared.web.documents import (
    APPOINTMENT,
    AWARD,
    award_subject,
    disposition,
    document_code,
    read_code,
)
from shared.web.exports import Table, cell, to_csv, to_xlsx

SUBJECT = award_subject("1405", "welfare", "7d1e2c9a-0000-4000-8000-000000000001", "first")


def test_a_code_depends_on_the_key_and_the_subject_and_names_its_kind() -> None:
    code = document_code("key", AWARD, SUBJECT)
    assert code == document_code("key", AWARD, SUBJECT) and code[0] == "A" and len(code) == 11 and code[5] == "-"
    assert code != document_code("another key", AWARD, SUBJECT)
    assert code != document_code("key", AWARD, SUBJECT.replace("first", "second"))
    assert document_code("key", APPOINTMENT, "x").startswith("M")


def test_a_code_typed_loosely_is_read_and_anything_else_is_not_a_code() -> None:
    code = document_code("key", AWARD, SUBJECT)
    assert read_code(code.lower().replace("-", " ")) == code
    assert read_code(f"  {code[:5]}\u200c{code[6:]} ") == code
    assert read_code("AOOOO-ILLLL") == "A0000-11111"  # O read as 0, I and L as 1
    for typed in ("", "A", "AAAAA-AAAAU", "X0000-00000", "۱۲۳۴۵-۶۷۸۹۰", "\x00" * 10, "A" * 10_000, "A0000-0000٠"):
        assert read_code(typed) in (None, "A0000-00000"), typed
    assert read_code("X0000-00000") is None and read_code("A" * 10_000) is None


def test_a_persian_filename_survives_in_content_disposition() -> None:
    header = disposition("رتبه‌بندی منطقه ۷.xlsx")
    assert header.startswith('attachment; filename="') and "filename*=UTF-8''%D8%B1" in header
    assert header.isascii()


def test_cells_keep_numbers_as_numbers_and_defuse_formulas() -> None:
    assert cell(3) == 3 and cell(2.5) == 2.5 and cell(None) == "" and cell(True) == "بله"
    assert cell("=SUM(A1:A9)") == "'=SUM(A1:A9)" and cell("@cmd") == "'@cmd" and cell("متن") == "متن"
    assert cell("a\x00b\x1fc") == "abc"
    assert cell(datetime(2026, 11, 27, 8, 30, tzinfo=UTC))[:4] == "۱۴۰۵"


def test_csv_has_a_byte_order_mark_and_xlsx_reads_right_to_left_with_numbers() -> None:
    table = Table("نتایج: آزمون/یک", ["منطقه", "عنوان"], [[7, "باغچهٔ مشترک"], [13, "=1+1"]])
    raw = to_csv(table)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(raw.decode("utf-8-sig")))) == [["منطقه", "عنوان"], ["7", "باغچهٔ مشترک"],
                                                                       ["13", "'=1+1"]]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(table))).active
    assert sheet.sheet_view.rightToLeft and "/" not in sheet.title
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [["منطقه", "عنوان"], [7, "باغچهٔ مشترک"],
                                                                   [13, "'=1+1"]]
