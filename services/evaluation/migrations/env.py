"""Alembic environment of the evaluation service's migration chain."""

from services.evaluation.db import metadata
from shared.migrate import run_env

run_env(metadata)
