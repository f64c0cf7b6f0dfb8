"""Structure routes: the bodies and neighbourhoods (public to read), staff edits and reloading the file."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field, RootModel

from services.registry.fields import Code, District, DistrictInQuery, Line
from services.registry.permissions import Capability
from services.registry.structure import usecases
from services.registry.structure.domain import Body
from services.registry.web import Settings, allowed_to
from shared.contracts.registry import BodyChanged, BodyCreated, BodyDeactivated
from shared.models import StrictModel
from shared.principal import Principal
from shared.web.connection import Reading, Transaction
from shared.web.jalali import JalaliModel

router = APIRouter(tags=["structure"])
BodyManager = Annotated[Principal, Depends(allowed_to(Capability.MANAGE_BODIES))]
StructureReloader = Annotated[Principal, Depends(allowed_to(Capability.RELOAD_STRUCTURE))]


class BodyIn(StrictModel):
    code: Code
    kind: Line = Field(min_length=2, max_length=50)
    name_fa: Line = Field(min_length=2, max_length=200)
    parent_code: Code
    district: District | None = None


class BodyPatch(StrictModel):
    name_fa: Line | None = Field(default=None, min_length=2, max_length=200)
    active: bool | None = None


class BodyState(BaseModel):
    """A body as its latest event describes it."""

    code: str
    kind: str
    name_fa: str
    parent_code: str | None
    district: int | None
    active: bool

    @classmethod
    def of(cls, event: BodyCreated | BodyChanged | BodyDeactivated) -> "BodyState":
        """The state an event carries."""
        return cls(**event.model_dump(include=set(cls.model_fields)))


class BodyOut(BodyState, JalaliModel):
    managed_by: str
    updated_at: datetime


class NeighbourhoodOut(JalaliModel):
    code: str
    district: int
    name_fa: str
    active: bool
    updated_at: datetime


class ReloadCounts(RootModel[dict[str, int]]):
    """How many events of each type a reload produced ({} when nothing changed)."""


@router.get("/bodies")
async def bodies(conn: Reading, district: DistrictInQuery = None) -> list[BodyOut]:
    """The festival's bodies, optionally of one district."""
    return [BodyOut(**row) for row in await usecases.bodies(conn, district=district)]


@router.post("/bodies", status_code=201)
async def add_body(body: BodyIn, principal: BodyManager, conn: Transaction) -> BodyState:
    """Add a body under an existing one (festival secretary); the structure file's reload leaves it alone."""
    return BodyState.of(await usecases.add_body(conn, principal, Body(**body.model_dump())))


@router.patch("/bodies/{code}")
async def change_body(code: str, patch: BodyPatch, principal: BodyManager, conn: Transaction) -> BodyState:
    """Rename or (de)activate a body (festival secretary)."""
    return BodyState.of(await usecases.change_body(conn, principal, code, patch.model_dump(exclude_none=True)))


@router.get("/neighbourhoods")
async def neighbourhoods(conn: Reading, district: DistrictInQuery = None) -> list[NeighbourhoodOut]:
    """Neighbourhoods, optionally of one district."""
    return [NeighbourhoodOut(**row) for row in await usecases.neighbourhoods(conn, district=district)]


@router.post("/structure/reload")
async def reload_structure(principal: StructureReloader, conn: Transaction, settings: Settings) -> ReloadCounts:
    """Reload the structure file; returns how many events each kind of change produced."""
    return ReloadCounts(await usecases.reload_structure(conn, principal, settings.structure_file))
