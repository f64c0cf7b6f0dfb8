"""Registry composition root: builds the app from settings (no import-time globals)."""

from fastapi import FastAPI

from services.registry import pages, tables
from services.registry.bootstrap import ensure_admin, ensure_signing_key
from services.registry.decisions import api as decisions_api
from services.registry.decisions.usecases import flag_overdue
from services.registry.handlers import TABLE, record_in_ledger
from services.registry.identity import api as identity_api
from services.registry.identity.usecases import lowest_accepted_version, public_keys
from services.registry.ledger import api as ledger_api
from services.registry.ledger.usecases import checkpoint
from services.registry.organisations import api as organisations_api
from services.registry.page_kit import registry_pages
from services.registry.people import api as people_api
from services.registry.reports import api as reports_api
from services.registry.settings import RegistrySettings
from services.registry.structure import api as structure_api
from services.registry.structure.usecases import load_structure
from shared.auth import TokenVerifier
from shared.messaging.inbox import EventConsumer
from shared.service import ServiceParts, assemble, serve
from shared.web.pages import mount_static

ROUTERS = (identity_api.router, structure_api.router, organisations_api.router, people_api.router,
           decisions_api.router, reports_api.router, ledger_api.router)


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    """The registry app, wired to its database and broker."""
    settings = settings or RegistrySettings.load()
    parts = ServiceParts.create("registry", settings, outbox=tables.outbox)

    async def own_jwks() -> dict:
        # The registry verifies its own tokens from its database, not over HTTP.
        async with parts.engine.connect() as conn:
            return await public_keys(conn, token_minutes=settings.token_minutes)

    async def own_token_versions(person_id: str) -> int:
        async with parts.engine.connect() as conn:
            return await lowest_accepted_version(conn, person_id)

    async def prepare() -> None:
        if settings.load_structure_on_start:
            await load_structure(parts.engine, settings.structure_file)
        await ensure_signing_key(parts.engine, key_encryption_key=settings.key_encryption_key.get_secret_value())
        await ensure_admin(parts.engine, username=settings.admin_username, password=settings.admin_password,
                           name=settings.admin_name)

    async def overdue_acknowledgements() -> None:
        async with parts.engine.begin() as conn:
            await flag_overdue(conn)

    async def ledger_checkpoint() -> None:
        async with parts.engine.begin() as conn:
            await checkpoint(conn, key_encryption_key=settings.key_encryption_key.get_secret_value())

    app = assemble(
        parts, title="Hami registry", routers=ROUTERS, prepare=prepare,
        periodic=[(settings.overdue_check_seconds, overdue_acknowledgements),
                  (settings.ledger_checkpoint_seconds, ledger_checkpoint)],
        consumer=EventConsumer("registry", parts.engine, tables.inbox, TABLE.bind(), catch_all=record_in_ledger),
        token_verifier=TokenVerifier(own_jwks, issuer=settings.token_issuer, min_refetch_seconds=0,
                                     versions=own_token_versions),
        description="سازمان جشنواره، هویت کارکنان، مصوبات و گزارش‌ها — the festival's organisation and staff identity.",
    )
    app.state.settings = settings
    mount_static(app)
    for router in pages.routers(registry_pages(settings)):  # pages for people, beside the JSON routes
        app.include_router(router)
    return app


def run() -> None:
    """Entry point: `python -m services.registry`."""
    serve(create_app, RegistrySettings.load())
