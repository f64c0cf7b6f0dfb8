"""Pure CSV rendering of works for staff: UTF-8 with a BOM so Excel shows Persian, Jalali dates, and cells
that a spreadsheet would run as formulas neutralised."""

import csv
import io
from collections.abc import Iterable

from services.submissions.domain import status_fa
from shared.persian import format_jalali_date, format_jalali_datetime

BOM = "\ufeff"
HEADER = (
    "کد رهگیری", "دوره", "منطقه", "محله", "دفتر جشنواره", "موضوع", "عنوان", "خلاصه", "نوع ارسال‌کننده",
    "نام ارسال‌کننده", "کد ملی", "شماره همراه", "نام سازمان", "شناسه ملی سازمان", "اعضای گروه",
    "تعداد بهره‌مندان", "وضعیت", "تاریخ وضعیت", "تاریخ دریافت", "احتمال تکراری", "تعداد پیوست‌ها",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The value as text; one that starts like a formula gets a leading apostrophe (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def work_row(work: dict, categories: dict[str, str]) -> list[str]:
    """One work as a CSV row in HEADER's order."""
    values = (
        work["tracking_code"], work["edition"], work["district"], work["neighbourhood"], work.get("office"),
        categories.get(work["category"], work["category"]), work["title"], work["summary"],
        "سازمان" if work["submitter_kind"] == "organisation" else "شهروند", work["submitter_name"],
        work["submitter_national_id"], work["submitter_mobile"], work["organisation_name"],
        work["organisation_legal_id"], "؛ ".join(m["name"] for m in work["team"]), work["beneficiaries"],
        status_fa(work["status"]), format_jalali_date(work["status_at"]),
        format_jalali_datetime(work["created_at"]), "بله" if work["possible_duplicate"] else "خیر",
        work.get("documents", 0),
    )
    return [safe_cell(value) for value in values]


def render(rows: Iterable[list[str]]) -> str:
    """CSV text of some rows (CRLF line ends, every cell quoted when needed)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()
