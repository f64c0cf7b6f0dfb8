"""Settings every service shares; each service's settings.py extends this and nothing else reads the environment."""

import os
from typing import Literal, Self
from urllib.parse import quote, urlsplit, urlunsplit

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
DEFAULT_PORTS = {"registry": 8001, "submissions": 8002, "evaluation": 8003, "notifications": 8004}


class ServiceSettings(BaseSettings):
    """HAMI_* variables, or files named like them in HAMI_SECRETS_DIR (e.g. /run/secrets)."""

    model_config = SettingsConfigDict(env_prefix="HAMI_", extra="ignore")

    env: Literal["development", "production"] = "development"
    database_url: str
    amqp_url: str = DEFAULT_AMQP_URL
    http_host: str = "127.0.0.1"
    http_port: int
    registry_url: str = "http://127.0.0.1:8001"
    # Where people's browsers reach each service's pages: one origin behind the reverse proxy in compose
    # ({"registry": "", "submissions": "/submissions", ...}); each service's own port under `hami run`.
    site_urls: dict[str, str] = {name: f"http://127.0.0.1:{port}" for name, port in DEFAULT_PORTS.items()}
    token_issuer: str = "hami-registry"
    log_json: bool | None = None
    log_level: str = "INFO"
    migrate_on_start: bool = True
    prefetch: int = 50
    graceful_timeout: float = 20.0
    # Passwords put into the URLs above, so they can come from secret files (hami_database_password, ...).
    database_password: SecretStr | None = None
    amqp_password: SecretStr | None = None

    @model_validator(mode="after")
    def _insert_passwords(self) -> Self:
        if self.database_password is not None:
            self.database_url = with_password(self.database_url, self.database_password.get_secret_value())
        if self.amqp_password is not None:
            self.amqp_url = with_password(self.amqp_url, self.amqp_password.get_secret_value())
        return self

    def default_secrets(self) -> list[str]:
        """Names of settings still holding a development default; refused in production."""
        return ["amqp_url"] if "guest:guest@" in self.amqp_url else []

    @model_validator(mode="after")
    def _refuse_default_secrets_in_production(self) -> Self:
        if self.env == "production" and (names := self.default_secrets()):
            raise ValueError(f"production mode refuses default secrets: {', '.join(names)}")
        return self

    @classmethod
    def load(cls) -> Self:
        """Read the environment (and the secrets directory, when one is named)."""
        secrets_dir = os.environ.get("HAMI_SECRETS_DIR")
        return cls(_secrets_dir=secrets_dir if secrets_dir and os.path.isdir(secrets_dir) else None)


def with_password(url: str, password: str) -> str:
    """The URL with its password replaced (percent-encoded), keeping user, host, port and path."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:{quote(password, safe='')}@{host}"))
