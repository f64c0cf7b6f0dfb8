"""Alembic, one chain per service: run from code (on start, `hami migrate`) and from each env.py."""

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from shared.db import ensure_database, inbox_table, outbox_table

SERVICES_DIR = Path(__file__).resolve().parent.parent / "services"


def alembic_config(service: str, database_url: str) -> Config:
    """Alembic configuration for a service's migration chain against a database."""
    config = Config()
    config.set_main_option("script_location", str(SERVICES_DIR / service / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url)
    config.attributes["configure_logging"] = False
    return config


async def migrate(service: str, database_url: str) -> None:
    """Create the service's database if needed and upgrade it to the newest revision."""
    await ensure_database(database_url)
    # Alembic's command API is synchronous and runs its own event loop inside env.py.
    await asyncio.to_thread(command.upgrade, alembic_config(service, database_url), "head")


def run_env(target_metadata: MetaData) -> None:
    """Body of every service's migrations/env.py (online mode, async engine)."""
    url = context.config.get_main_option("sqlalchemy.url")

    def run(connection: Connection) -> None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()

    async def main() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(run)
        await engine.dispose()

    asyncio.run(main())


def create_messaging_tables(connection: Connection) -> None:
    """For a service's first migration: the outbox and inbox tables as shared/db.py defines them."""
    metadata = MetaData()
    outbox_table(metadata)
    inbox_table(metadata)
    metadata.create_all(connection)
