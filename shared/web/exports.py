"""Tables for the secretariat's spreadsheets: the same rows as CSV (UTF-8 with a byte-order mark, so Excel reads the
Persian) or XLSX (openpyxl: numbers stay numbers, the sheet reads right to left, Persian headers in bold)."""

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from fastapi.responses import Response

from shared.persian import format_jalali_datetime
from shared.refusals import not_found
from shared.web.documents import disposition

Format = Literal["csv", "xlsx"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters a spreadsheet would read as the start of a formula: a cell beginning with one is kept as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 forbids these control characters; openpyxl refuses a cell holding one.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Table:
    """A sheet: its Persian title, its Persian column headers and its rows (text, numbers, booleans, dates, None)."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]


def export_format(value: str) -> Format:
    """The format an address asks for (csv or xlsx); anything else is not found."""
    if value not in FORMATS:
        raise not_found("این قالب", "This format")
    return value  # type: ignore[return-value]


def cell(value: Any) -> Any:
    """A value as a spreadsheet should hold it: numbers as numbers, yes/no in Persian, moments as Jalali text,
    text that could start a formula kept as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "بله" if value else "خیر"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return format_jalali_datetime(value)
    text = ILLEGAL_XML.sub("", str(value))
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(table: Table) -> bytes:
    """The table as CSV in UTF-8 with a byte-order mark."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows([cell(v) for v in row] for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    """The table as an XLSX workbook of one right-to-left sheet."""
    from openpyxl import Workbook  # imported when first used: it takes seconds, and most starts never export
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = re.sub(r"[\\/*?:\[\]]", " ", table.title)[:31] or "Sheet"
    sheet.sheet_view.rightToLeft = True
    sheet.append(list(table.headers))
    for header in sheet[1]:
        header.font = Font(bold=True)
        header.alignment = Alignment(horizontal="center", wrap_text=True)
    for row in table.rows:
        sheet.append([cell(v) for v in row])
    sheet.freeze_panes = "A2"
    for column, header in zip(sheet.columns, table.headers, strict=False):
        width = max([len(str(header)), *(len(str(c.value)) for c in column[1:200] if c.value is not None)])
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_response(table: Table, fmt: Format, filename: str) -> Response:
    """The table as a download (CSV or XLSX) named in Persian (filename without its extension)."""
    body, media = (to_csv(table), "text/csv; charset=utf-8") if fmt == "csv" else (to_xlsx(table), XLSX_TYPE)
    return Response(body, media_type=media, headers={
        "Content-Disposition": disposition(f"{filename}.{fmt}"), "Cache-Control": "private, no-store"})
