"""Where the operator tools find each service's database and the broker (HAMI_* variables, and secret files in
HAMI_SECRETS_DIR named like the lower-case variable, as the services read them)."""

import os
from pathlib import Path

from services.registry.settings import DEVELOPMENT_KEY_ENCRYPTION_KEY
from shared.db import runtime_role_name
from shared.settings import with_password

LOCAL_DATABASE_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432"
LOCAL_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"


def database_prefix() -> str:
    """HAMI_DATABASE_PREFIX: the databases are <prefix><service> (default hami_)."""
    return os.environ.get("HAMI_DATABASE_PREFIX", "hami_")


def database_url(service: str) -> str:
    """HAMI_<SERVICE>_DATABASE_URL, else <prefix><service> on HAMI_DATABASE_SERVER (default: local)."""
    server = os.environ.get("HAMI_DATABASE_SERVER", LOCAL_DATABASE_SERVER)
    return os.environ.get(f"HAMI_{service.upper()}_DATABASE_URL", f"{server}/{database_prefix()}{service}")


def migration_url(service: str) -> str:
    """The owner's URL for migrations: HAMI_<SERVICE>_MIGRATION_DATABASE_URL with its password (variable or secret
    file hami_<service>_migration_database_password), else the service's database URL."""
    name = f"HAMI_{service.upper()}_MIGRATION_DATABASE_URL"
    if not (url := os.environ.get(name)):
        return database_url(service)
    password = secret(f"{name.removesuffix('_URL')}_PASSWORD")
    return with_password(url, password) if password is not None else url


def runtime_role(service: str) -> str:
    """The role the service runs as, granted its tables after migrating: HAMI_<SERVICE>_RUNTIME_ROLE, else
    hami_<service>_app (as `hami run` starts it, whatever the databases' prefix)."""
    return os.environ.get(f"HAMI_{service.upper()}_RUNTIME_ROLE", runtime_role_name(service))


def key_encryption_key() -> str:
    """What the registry's private signing keys are encrypted with (HAMI_KEY_ENCRYPTION_KEY or its secret file;
    the development key otherwise, as the registry's own default)."""
    return secret("HAMI_KEY_ENCRYPTION_KEY") or DEVELOPMENT_KEY_ENCRYPTION_KEY


def secret(variable: str) -> str | None:
    """A variable's value, else the content of its secret file in HAMI_SECRETS_DIR (stripped), else None."""
    if (value := os.environ.get(variable)) is not None:
        return value
    directory = os.environ.get("HAMI_SECRETS_DIR")
    path = Path(directory) / variable.lower() if directory else None
    return path.read_text(encoding="utf-8").strip() if path is not None and path.is_file() else None


def amqp_url() -> str:
    """HAMI_AMQP_URL, default the local broker."""
    return os.environ.get("HAMI_AMQP_URL", LOCAL_AMQP_URL)
