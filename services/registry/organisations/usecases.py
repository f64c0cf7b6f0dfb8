"""Organisation use cases: registering, changing and giving an account to local institutions and partners."""

import uuid

from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.identity import db as identity_db
from services.registry.identity import usecases as identity
from services.registry.organisations import db
from services.registry.organisations.domain import (
    Organisation,
    changed,
    check_legal_id_owner,
    checked,
    organisation_exists,
)
from services.registry.people import usecases as people
from services.registry.permissions import PERMISSIONS, Capability
from services.registry.structure.db import load_neighbourhoods
from services.registry.structure.domain import STAFF
from services.registry.tables import outbox
from shared.contracts.registry import OrganisationChanged, OrganisationRegistered
from shared.messaging.outbox import add_events
from shared.principal import Principal
from shared.refusals import not_found


async def listing(conn: AsyncConnection, *, district: int | None, kind: str | None) -> list[dict]:
    """The active organisations, optionally of a district and a kind (public)."""
    return await db.listing(conn, district=district, kind=kind)


async def register(conn: AsyncConnection, principal: Principal, organisation: Organisation) -> Organisation:
    """Register an organisation (festival secretary, or a district secretary for their district)."""
    PERMISSIONS.require(principal, Capability.MANAGE_ORGANISATIONS, district=organisation.district)
    if organisation.code in await db.load(conn):
        raise organisation_exists()
    return await _store(conn, organisation, OrganisationRegistered)


async def change(conn: AsyncConnection, principal: Principal, code: str, changes: dict) -> Organisation:
    """Rename, move or (de)activate an organisation (who may register one in its district). Deactivated, its
    accounts can no longer sign in and the tokens they hold are revoked."""
    stored = await _stored(conn, code)
    PERMISSIONS.require(principal, Capability.MANAGE_ORGANISATIONS, district=stored.district)
    organisation = await _store(conn, changed(stored, changes), OrganisationChanged)
    if stored.active and not organisation.active:
        await identity.revoke_access(conn, await identity_db.organisation_people(conn, organisation_code=code),
                                     "organisation_deactivated")
    return organisation


async def open_account(conn: AsyncConnection, principal: Principal, code: str, *, username: str, password: str,
                       name: str, mobile: str | None, email: str | None) -> tuple[uuid.UUID, uuid.UUID]:
    """An account for an active organisation's representative, so it submits its own works; (account, person)."""
    organisation = await _stored(conn, code)
    if not organisation.active:
        raise not_found("نهاد", "Organisation")
    PERMISSIONS.require(principal, Capability.CREATE_ORGANISATION_ACCOUNTS, district=organisation.district)
    await identity.claim_username(conn, username)
    # Evaluation never gives this person a work their organisation submitted (the event names it).
    person_id = await people.register_person(conn, name=name, mobile=mobile, email=email, organisations=[code])
    account_id = await identity.store_account(conn, username=username, password=password, person_id=person_id,
                                              organisation_code=code)
    return account_id, person_id


async def _stored(conn: AsyncConnection, code: str) -> Organisation:
    organisation = (await db.load(conn)).get(code)
    if organisation is None:
        raise not_found("نهاد", "Organisation")
    return organisation


async def _store(conn: AsyncConnection, organisation: Organisation,
                 event_type: type[OrganisationRegistered | OrganisationChanged]) -> Organisation:
    """Check the organisation against its neighbourhood and the legal IDs in use, store it and queue the event."""
    hood_district = None
    if organisation.neighbourhood_code:
        hood = (await load_neighbourhoods(conn)).get(organisation.neighbourhood_code)
        hood_district = hood.district if hood else -1  # an unknown neighbourhood is outside every district
    organisation = checked(organisation, hood_district)
    if organisation.legal_entity_id:
        check_legal_id_owner(organisation, await db.legal_id_owner(conn, legal_entity_id=organisation.legal_entity_id))
    await db.upsert(conn, organisation=organisation, managed_by=STAFF)
    await add_events(conn, outbox, [event_type(**organisation.__dict__)])
    return organisation
