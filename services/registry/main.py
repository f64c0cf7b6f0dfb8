"""Registry composition root: builds the app from settings (no import-time globals)."""

import time

from fastapi import FastAPI

from services.registry import db
from services.registry.api import build_router
from services.registry.api_decisions import build_decisions_router
from services.registry.api_ledger import build_ledger_router
from services.registry.api_people import build_people_router
from services.registry.api_reports import build_reports_router
from services.registry.api_structure import build_structure_router
from services.registry.bootstrap import ensure_admin, ensure_signing_key
from services.registry.decisions import check_overdue
from services.registry.handlers import TABLE, record_in_ledger
from services.registry.identity import jwks
from services.registry.settings import RegistrySettings
from services.registry.structure import load_structure
from shared.auth import TokenVerifier
from shared.messaging.inbox import EventConsumer
from shared.service import ServiceParts, assemble, serve


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    """The registry app, wired to its database and broker."""
    settings = settings or RegistrySettings.load()
    parts = ServiceParts.create("registry", settings, outbox=db.outbox)

    async def own_jwks() -> dict:
        async with parts.engine.connect() as conn:
            return jwks(await db.signing_key_rows(conn), token_minutes=settings.token_minutes, now_epoch=time.time())

    async def prepare() -> None:
        if settings.load_structure_on_start:
            await load_structure(parts.engine, settings.structure_file)
        await ensure_signing_key(parts.engine)
        await ensure_admin(parts.engine, username=settings.admin_username, password=settings.admin_password,
                           name=settings.admin_name)

    async def overdue_acknowledgements() -> None:
        await check_overdue(parts.engine)

    routers = [
        build_router(parts.engine, issuer=settings.token_issuer, token_minutes=settings.token_minutes),
        build_structure_router(parts.engine, structure_file=settings.structure_file),
        build_people_router(parts.engine), build_decisions_router(parts.engine),
        build_reports_router(parts.engine), build_ledger_router(parts.engine),
    ]
    return assemble(
        parts, title="Hami registry", routers=routers, prepare=prepare,
        periodic=[(settings.overdue_check_seconds, overdue_acknowledgements)],
        consumer=EventConsumer("registry", parts.engine, db.inbox, TABLE.bind(), catch_all=record_in_ledger),
        token_verifier=TokenVerifier(own_jwks, issuer=settings.token_issuer, min_refetch_seconds=0),
        description="سازمان جشنواره، هویت کارکنان، مصوبات و گزارش‌ها — the festival's organisation and staff identity.",
    )


def run() -> None:
    """Entry point: `python -m services.registry`."""
    serve(create_app, RegistrySettings.load())
