"""District offices use cases: a district's secretary (or city-wide staff) lists, opens, staffs and closes the
neighbourhood festival offices of their own district for an edition, without touching the rest of the call or
other districts' offices."""

from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.calls import db as calls_db
from services.submissions.offices import db
from services.submissions.offices.domain import call_not_configured, check_staff, not_in_district, office_not_open
from services.submissions.permissions import PERMISSIONS, Capability, not_district_staff
from services.submissions.projections import db as projections_db
from shared.persian import normalize_text
from shared.principal import Principal
from shared.refusals import not_found


async def list_offices(conn: AsyncConnection, principal: Principal, edition: str, district: int) -> list[dict]:
    """The district's offices in the edition, open and closed, with their staff."""
    await _allowed(conn, principal, edition, district)
    return await db.offices_of(conn, edition=edition, district=district)


async def set_office(conn: AsyncConnection, principal: Principal, edition: str, district: int, neighbourhood: str,
                     *, open_: bool, staff: list[dict]) -> dict:
    """Open (or close, with open_ False) a neighbourhood's office of the district and name its staff; returns it."""
    await _allowed(conn, principal, edition, district)
    code = await _neighbourhood_code(conn, district, neighbourhood)
    values = {"open": open_, "staff": check_staff(staff), "updated_by": principal.subject}
    await db.save_office(conn, edition=edition, neighbourhood_code=code, values=values)
    return await db.office(conn, edition=edition, neighbourhood_code=code)


async def close_office(conn: AsyncConnection, principal: Principal, edition: str, district: int,
                       neighbourhood: str) -> dict:
    """Close an open office of the district (its record and staff are kept); returns it."""
    await _allowed(conn, principal, edition, district)
    code = await _neighbourhood_code(conn, district, neighbourhood)
    office = await db.office(conn, edition=edition, neighbourhood_code=code, for_update=True)
    if office is None or not office["open"]:
        raise office_not_open()
    await db.save_office(conn, edition=edition, neighbourhood_code=code,
                         values={"open": False, "updated_by": principal.subject})
    return await db.office(conn, edition=edition, neighbourhood_code=code)


async def _allowed(conn: AsyncConnection, principal: Principal, edition: str, district: int) -> None:
    """Refuse unless the caller manages the district's offices and the edition's call is set up."""
    PERMISSIONS.require(principal, Capability.MANAGE_DISTRICT_OFFICES, district=district, refusal=not_district_staff())
    if await calls_db.get_edition(conn, code=edition) is None:
        raise not_found("دوره‌ی جشنواره", "Edition")
    if await calls_db.get_call(conn, edition=edition) is None:
        raise call_not_configured()


async def _neighbourhood_code(conn: AsyncConnection, district: int, neighbourhood: str) -> str:
    """The code of the district's neighbourhood named by its registry code or its Persian name; refuses one of
    another district or none."""
    hood = await db.neighbourhood_by_code(conn, code=neighbourhood) or await projections_db.find_neighbourhood(
        conn, district=district, name_fa=normalize_text(neighbourhood))
    if hood is None or hood["district"] != district:
        raise not_in_district(district, neighbourhood)
    return hood["code"]
