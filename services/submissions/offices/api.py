"""A district's neighbourhood festival offices over HTTP: its secretary (and city-wide staff) list, open, staff
and close them for an edition (the use cases check who may). The public sees open offices in the edition."""

from typing import Annotated

from fastapi import APIRouter, Path

from services.submissions.calls.api import Edition
from services.submissions.fields import LINE_PATTERN
from services.submissions.offices import usecases
from services.submissions.offices.schemas import DistrictOfficeIn, DistrictOfficeOut
from shared.auth import SignedIn
from shared.web.connection import Reading, Transaction

router = APIRouter(tags=["district festival offices"])
District = Annotated[int, Path(ge=1, le=22, description="The district, 1 to 22")]
Neighbourhood = Annotated[str, Path(min_length=1, max_length=200, pattern=LINE_PATTERN,
                                    description="The neighbourhood's registry code or Persian name")]
OFFICES = "/editions/{edition}/districts/{district}/offices"


@router.get(OFFICES, response_model=list[DistrictOfficeOut])
async def list_offices(edition: Edition, district: District, principal: SignedIn,
                       conn: Reading) -> list[DistrictOfficeOut]:
    """The district's offices in the edition, open and closed, with their staff."""
    return [DistrictOfficeOut(**office) for office in await usecases.list_offices(conn, principal, edition, district)]


@router.put(OFFICES + "/{neighbourhood}", response_model=DistrictOfficeOut)
async def set_office(edition: Edition, district: District, neighbourhood: Neighbourhood, body: DistrictOfficeIn,
                     principal: SignedIn, conn: Transaction) -> DistrictOfficeOut:
    """Open (or close, with "open": false) a neighbourhood's office and name its staff."""
    staff = [person.model_dump() for person in body.staff]
    return DistrictOfficeOut(**await usecases.set_office(conn, principal, edition, district, neighbourhood,
                                                         open_=body.open, staff=staff))


@router.delete(OFFICES + "/{neighbourhood}", response_model=DistrictOfficeOut)
async def close_office(edition: Edition, district: District, neighbourhood: Neighbourhood, principal: SignedIn,
                       conn: Transaction) -> DistrictOfficeOut:
    """Close a neighbourhood's open office; its record and staff are kept."""
    return DistrictOfficeOut(**await usecases.close_office(conn, principal, edition, district, neighbourhood))
