"""The secretariat's spreadsheets of evaluation as CSV or XLSX: a round's ranking with its scores and explanations,
its score sheets (each evaluator's scores per criterion), and an edition's published results. Each asks the same
use case (and so the same permission) as the JSON route it mirrors; Persian headers, numbers as numbers."""

import re
import uuid

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.evaluation.domain import EDITION_CODE
from services.evaluation.pages.kit import PLACES, category_fa, reason_fa, round_name
from services.evaluation.usecases import exports
from shared.persian import to_ascii_digits
from shared.refusals import not_found
from shared.web.connection import Reading
from shared.web.exports import Table, export_format, export_response
from shared.web.pages import Pages

SHEET_STATES = {"draft": "پیش‌نویس", "submitted": "ثبت نهایی"}


def split_name(name: str, stems: tuple[str, ...]) -> tuple[str, str]:
    """`ranking.csv` -> ("ranking", "csv"); a stem or format this route does not serve is not found."""
    stem, _, extension = name.rpartition(".")
    if stem not in stems:
        raise not_found("این فایل", "This file")
    return stem, export_format(extension)


def round_id_of(value: str) -> uuid.UUID:
    """A round's id from the address; anything else is not found."""
    if len(value) <= 36:
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
    raise not_found("دور داوری", "Round")


def criteria_of(round_: dict) -> list[tuple[str, str]]:
    """The round's rubric criteria as (code, Persian name), in the rubric's order."""
    return [(c["code"], c.get("name_fa") or c["code"]) for c in round_["rubric"]]


def ranking_table(found: dict) -> Table:
    """A round's ranking: rank, work, raw and normalised totals and per criterion, advanced, why, disagreement."""
    round_, criteria = found["round"], criteria_of(found["round"])
    headers = ["رتبه", "عنوان اثر", "شناسهٔ اثر", "منطقه", "برگه‌های ثبت‌شده", "امتیاز خام", "امتیاز نرمال‌شده",
               *(f"خام: {name}" for _, name in criteria), *(f"نرمال‌شده: {name}" for _, name in criteria),
               "راه یافت", "توضیح", "اختلاف داوران", "نیاز به گفت‌وگو"]
    rows = [[p["rank"], p["work"].get("title", ""), str(p["work_id"]), p["work"].get("district"), p["sheets"],
             p["raw_total"], p["normalised_total"],
             *(p["raw_by_criterion"].get(code) for code, _ in criteria),
             *(p["normalised_by_criterion"].get(code) for code, _ in criteria),
             p["advanced"], reason_fa(p, round_["quota"]), p["disagreement"], p["flagged_for_discussion"]]
            for p in found["placings"]]
    return Table("رتبه‌بندی", headers, rows)


def sheets_table(found: dict) -> Table:
    """A round's score sheets: one row per evaluator and work, a column per criterion."""
    criteria = criteria_of(found["round"])
    headers = ["داور", "عنوان اثر", "شناسهٔ اثر", "وضعیت برگه", *(name for _, name in criteria), "یادداشت",
               "آخرین تغییر"]
    rows = [[s["evaluator"], s["work"].get("title", ""), str(s["work_id"]), SHEET_STATES.get(s["state"], s["state"]),
             *(s["scores"].get(code) for code, _ in criteria), s["comment"], s["updated_at"]]
            for s in found["sheets"]]
    return Table("برگه‌های داوری", headers, rows)


def results_table(awards: list[dict]) -> Table:
    """An edition's published results: category, place, work, district, when published."""
    order = list(PLACES)
    awards = sorted(awards, key=lambda a: (a["category"], order.index(a["place"]) if a["place"] in order else 9))
    headers = ["رشته", "جایگاه", "عنوان اثر", "شناسهٔ اثر", "منطقه", "تاریخ انتشار"]
    rows = [[category_fa(a["category"]), PLACES.get(a["place"], a["place"]), a["title"], a["work_id"],
             a["district"], a["published_at"]] for a in awards]
    return Table("نتایج", headers, rows)


def build_router(pages: Pages) -> APIRouter:
    """The export routes (signed in through the page session or a bearer token, except the public results)."""
    router = pages.router()

    @router.get("/exports/rounds/{round_id}/{name}")
    async def round_export(request: Request, round_id: str, name: str, conn: Reading) -> Response:
        """`ranking.{csv|xlsx}` or `sheets.{csv|xlsx}` of a round, for its managers."""
        stem, fmt = split_name(name, ("ranking", "sheets"))
        principal = await pages.person(request)
        if stem == "ranking":
            found = await exports.ranking(conn, principal, round_id=round_id_of(round_id))
            return export_response(ranking_table(found), fmt, f"رتبه‌بندی {round_name(found['round'])}")
        found = await exports.score_sheets(conn, principal, round_id=round_id_of(round_id))
        return export_response(sheets_table(found), fmt, f"برگه‌های داوری {round_name(found['round'])}")

    @router.get("/exports/results/{name}")
    async def results_export(name: str, conn: Reading) -> Response:
        """`{edition}.{csv|xlsx}`: an edition's published results (public, as the results page)."""
        stem, _, extension = name.rpartition(".")
        edition = to_ascii_digits(stem)
        if not re.fullmatch(EDITION_CODE, edition):
            raise not_found("نتایج این دوره", "Results of this edition")
        fmt = export_format(extension)
        return export_response(results_table(await exports.results(conn, edition=edition)), fmt,
                               f"نتایج جشنوارهٔ حامی {edition}")

    return router
