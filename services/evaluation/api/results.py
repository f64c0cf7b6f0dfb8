"""The central secretariat's receipt of the districts' selections, the jury's proposed awards (for the council),
and the published results (public)."""

from fastapi import APIRouter, Depends, Path

from services.evaluation.api.models import ProposalOut, PublishedOut, ReceiptIn, ReceiptOut
from services.evaluation.domain import EDITION_CODE
from services.evaluation.usecases import council
from shared.auth import signed_in
from shared.principal import Principal
from shared.web.connection import Reading, Transaction

router = APIRouter()


@router.post("/receipts", status_code=201, response_model=ReceiptOut, tags=["rounds"])
async def confirm_receipt(body: ReceiptIn, conn: Transaction, principal: Principal = Depends(signed_in)) -> ReceiptOut:
    """The central secretariat confirms it received the districts' selections of a category, complete."""
    return ReceiptOut(works=await council.confirm_receipt(conn, principal, edition=body.edition,
                                                          category=body.category))


@router.get("/proposals/{edition}", response_model=list[ProposalOut], tags=["rounds", "results"])
async def proposals(conn: Reading, edition: str = Path(pattern=EDITION_CODE),
                    principal: Principal = Depends(signed_in)) -> list[ProposalOut]:
    """The jury's proposed awards of an edition with their scores and explanations, for the council to read
    before it approves them."""
    return [ProposalOut(**p) for p in await council.proposals(conn, principal, edition=edition)]


@router.get("/results/{edition}", response_model=list[PublishedOut], tags=["rounds", "results"])
async def results(conn: Reading, edition: str = Path(pattern=EDITION_CODE)) -> list[PublishedOut]:
    """Published results of an edition; public, nothing personal."""
    return [PublishedOut(**r) for r in await council.published_results(conn, edition=edition)]
