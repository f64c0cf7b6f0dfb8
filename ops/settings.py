"""Where the operator tools find each service's database and the broker (HAMI_* variables)."""

import os

LOCAL_DATABASE_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432"
LOCAL_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"


def database_url(service: str) -> str:
    """HAMI_<SERVICE>_DATABASE_URL, else hami_<service> on HAMI_DATABASE_SERVER (default: local)."""
    server = os.environ.get("HAMI_DATABASE_SERVER", LOCAL_DATABASE_SERVER)
    return os.environ.get(f"HAMI_{service.upper()}_DATABASE_URL", f"{server}/hami_{service}")


def amqp_url() -> str:
    """HAMI_AMQP_URL, default the local broker."""
    return os.environ.get("HAMI_AMQP_URL", LOCAL_AMQP_URL)
