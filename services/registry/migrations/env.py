"""Alembic environment of the registry service's migration chain."""

from services.registry.tables import metadata
from shared.migrate import run_env

run_env(metadata)
