"""Alembic environment of the registry service's migration chain."""

from services.registry.db import metadata
from shared.migrate import run_env

run_env(metadata)
