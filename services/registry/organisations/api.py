"""Organisation routes: the list (public), registering and changing organisations, representatives' accounts."""

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from services.registry.fields import DistrictInQuery, Line
from services.registry.organisations import usecases
from services.registry.organisations.domain import Organisation
from services.registry.web import SignedIn
from shared.models import StrictModel
from shared.web.connection import Reading, Transaction
from shared.web.jalali import JalaliModel

router = APIRouter(tags=["structure"])


class OrganisationIn(StrictModel):
    code: Line = Field(max_length=100)
    kind: Line = Field(max_length=50)
    name_fa: Line = Field(min_length=2, max_length=300)
    legal_entity_id: Line | None = Field(default=None, max_length=20)
    district: int | None = None
    neighbourhood_code: Line | None = Field(default=None, max_length=100)


class OrganisationPatch(StrictModel):
    name_fa: Line | None = Field(default=None, min_length=2, max_length=300)
    neighbourhood_code: Line | None = Field(default=None, max_length=100)
    active: bool | None = None


class OrganisationAccountIn(StrictModel):
    username: str = Field(pattern=r"^[a-z0-9._-]{3,50}$")
    password: Line = Field(min_length=10, max_length=200)
    name: Line = Field(min_length=2, max_length=200, description="the representative's name")
    mobile: Line | None = Field(default=None, max_length=20)
    email: Line | None = Field(default=None, max_length=200)


class OrganisationState(BaseModel):
    code: str
    kind: str
    name_fa: str
    legal_entity_id: str | None
    district: int | None
    neighbourhood_code: str | None
    active: bool

    @classmethod
    def of(cls, organisation: Organisation) -> "OrganisationState":
        """The organisation as stored."""
        return cls(**organisation.__dict__)


class OrganisationOut(OrganisationState, JalaliModel):
    managed_by: str
    updated_at: datetime


class OrganisationAccountOut(BaseModel):
    id: uuid.UUID
    username: str
    person_id: uuid.UUID
    organisation: str


@router.get("/organisations")
async def organisations(conn: Reading, district: DistrictInQuery = None,
                        kind: Annotated[Line | None, Query(max_length=50)] = None) -> list[OrganisationOut]:
    """Local institutions and partner organisations."""
    return [OrganisationOut(**row) for row in await usecases.listing(conn, district=district, kind=kind)]


@router.post("/organisations", status_code=201)
async def register(body: OrganisationIn, principal: SignedIn, conn: Transaction) -> OrganisationState:
    """Register an organisation (festival secretary, or a district secretary for their district)."""
    return OrganisationState.of(await usecases.register(conn, principal, Organisation(**body.model_dump())))


@router.post("/organisations/{code}/accounts", status_code=201)
async def organisation_account(code: str, body: OrganisationAccountIn, principal: SignedIn,
                               conn: Transaction) -> OrganisationAccountOut:
    """An account for an organisation's representative, so it submits its own works."""
    account_id, person_id = await usecases.open_account(
        conn, principal, code, username=body.username, password=body.password, name=body.name, mobile=body.mobile,
        email=body.email)
    return OrganisationAccountOut(id=account_id, username=body.username, person_id=person_id, organisation=code)


@router.patch("/organisations/{code}")
async def change(code: str, patch: OrganisationPatch, principal: SignedIn, conn: Transaction) -> OrganisationState:
    """Rename, move or (de)activate an organisation (deactivated, its accounts can no longer sign in)."""
    return OrganisationState.of(await usecases.change(conn, principal, code, patch.model_dump(exclude_unset=True)))
