"""The public lookup use case: a work's status and its Jalali date, by tracking code and the submitter's mobile.

It answers nothing personal, and a wrong code and a wrong mobile get the same refusal, so it tells nobody
whether a code exists (the routes rate limit it per client)."""

import hmac

from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.domain import STATUSES
from services.submissions.tracking import db
from services.submissions.tracking.domain import canonical_tracking_code, no_match
from shared.persian import canonical_mobile, format_jalali_date


async def track(conn: AsyncConnection, *, code: str, mobile: str) -> dict:
    """The status (code and Persian name) and its Jalali date of the work the code and mobile match."""
    work = await _matching(conn, code, mobile)
    return {"status": work["status"], "status_fa": STATUSES[work["status"]],
            "date": format_jalali_date(work["status_at"])}


async def track_with_history(conn: AsyncConnection, *, code: str, mobile: str) -> dict:
    """The lookup of `track` and the statuses the work went through, oldest first: each status (code and
    Persian name) with its Jalali date, and nothing else (no staff notes, no names)."""
    work = await _matching(conn, code, mobile)
    history = [{"status": row["status"], "status_fa": STATUSES[row["status"]], "date": format_jalali_date(row["at"])}
               for row in await db.statuses(conn, work_id=work["id"])]
    return {"status": work["status"], "status_fa": STATUSES[work["status"]],
            "date": format_jalali_date(work["status_at"]), "history": history}


async def _matching(conn: AsyncConnection, code: str, mobile: str) -> dict:
    """The work whose tracking code and submitter's mobile both match; one refusal for any mismatch."""
    tracking_code = canonical_tracking_code(code)
    try:
        mobile = canonical_mobile(mobile)
    except ValueError:
        raise no_match() from None
    work = await db.find_by_tracking_code(conn, tracking_code=tracking_code)
    if work is None or not hmac.compare_digest(work["submitter_mobile"], mobile):
        raise no_match()
    return work
