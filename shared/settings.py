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
    # Set: migrations run as this role (the owner), the service as database_url's role, which then owns nothing
    # (shared/migrate.py grants it what it needs); unset: one role does both (development defaults).
    migration_database_url: str | None = None
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
    # Reverse proxies whose X-Forwarded-For (and -Proto) uvicorn believes, comma-separated addresses or networks.
    # Nobody by default (uvicorn alone would trust 127.0.0.1): the client's address drives the sign-in throttle and
    # the tracking lookup's rate limit, so anyone able to set it could spread their tries over made-up addresses.
    trusted_proxies: str = ""
    # Passwords put into the URLs above, so they can come from secret files (hami_database_password, ...).
    database_password: SecretStr | None = None
    migration_database_password: SecretStr | None = None
    amqp_password: SecretStr | None = None

    @model_validator(mode="after")
    def _insert_passwords(self) -> Self:
        if self.database_password is not None:
            self.database_url = with_password(self.database_url, self.database_password.get_secret_value())
        if self.migration_database_password is not None and self.migration_database_url:
            self.migration_database_url = with_password(self.migration_database_url,
                                                        self.migration_database_password.get_secret_value())
        if self.amqp_password is not None:
            self.amqp_url = with_password(self.amqp_url, self.amqp_password.get_secret_value())
        return self

    def default_secrets(self) -> list[str]:
        """Names of settings still holding a development default or a weak value; refused in production."""
        names = ["amqp_url"] if "guest:guest@" in self.amqp_url else []
        # A database URL without a password only works where the server trusts every local connection.
        return names + [name for name in ("database_url", "migration_database_url")
                        if (url := getattr(self, name)) and not urlsplit(url).password]

    @property
    def runtime_role(self) -> str | None:
        """The role migrations grant the service's tables to: database_url's, when migrations run as another."""
        return urlsplit(self.database_url).username if self.migration_database_url else None

    @model_validator(mode="after")
    def _refuse_default_secrets_in_production(self) -> Self:
        if self.env == "production" and (names := self.default_secrets()):
            raise ValueError(f"production mode refuses default or weak secrets: {', '.join(names)}")
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


DEVELOPMENT_DOCUMENT_KEY = "hami-development-document-key"
MIN_DOCUMENT_KEY = 16


class DocumentKeyed(ServiceSettings):
    """Settings of a service that signs or checks what one service vouches for to another through a browser."""

    # The key of the short codes on certificates and letters (shared/web/documents.py: evaluation prints
    # certificates, the registry prints letters and checks both) and of evaluators' reading grants
    # (shared/reading_grants.py: evaluation gives them, submissions checks them). The three services need the same
    # one: the secret file hami_document_key in production.
    document_key: SecretStr = SecretStr(DEVELOPMENT_DOCUMENT_KEY)

    def default_secrets(self) -> list[str]:
        """Production also needs a document key of its own, at least 16 characters."""
        key = self.document_key.get_secret_value()
        weak = key == DEVELOPMENT_DOCUMENT_KEY or len(key) < MIN_DOCUMENT_KEY
        return super().default_secrets() + (["document_key"] if weak else [])

