"""Alembic environment of the submissions service's migration chain."""

from services.submissions.db import metadata
from shared.migrate import run_env

run_env(metadata)
