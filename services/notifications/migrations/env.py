"""Alembic environment of the notifications service's migration chain."""

from services.notifications.db import metadata
from shared.migrate import run_env

run_env(metadata)
