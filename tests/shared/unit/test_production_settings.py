"""Production refuses weak settings: passwordless database URLs, a short or default administrator password, the
development key-encryption key; development accepts them all."""

import pytest
from pydantic import ValidationError

from services.evaluation.settings import EvaluationSettings
from services.registry.settings import DEFAULT_ADMIN_PASSWORD, DEVELOPMENT_KEY_ENCRYPTION_KEY, RegistrySettings
from shared.settings import DEVELOPMENT_DOCUMENT_KEY

STRONG = {"amqp_url": "amqp://registry:mq-secret@rabbitmq:5672/hami",
          "database_url": "postgresql+asyncpg://hami_registry_app:db-secret@postgres:5432/hami_registry",
          "admin_password": "a-long-admin-password", "key_encryption_key": "a-long-key-encryption-key",
          "document_key": "a-long-document-key"}


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HAMI_ENV", "HAMI_SECRETS_DIR", "HAMI_DATABASE_URL", "HAMI_AMQP_URL", "HAMI_ADMIN_PASSWORD",
                 "HAMI_KEY_ENCRYPTION_KEY", "HAMI_MIGRATION_DATABASE_URL", "HAMI_DOCUMENT_KEY"):
        monkeypatch.delenv(name, raising=False)


def refused(**settings: str) -> str:
    """The names production mode refuses for these settings (on top of strong ones)."""
    with pytest.raises(ValidationError) as error:
        RegistrySettings(env="production", **{**STRONG, **settings})
    return str(error.value)


def test_strong_settings_start_in_production() -> None:
    assert RegistrySettings(env="production", **STRONG).admin_password == STRONG["admin_password"]


def test_a_passwordless_database_url_is_refused() -> None:
    assert "database_url" in refused(database_url="postgresql+asyncpg://hami_registry_app@postgres:5432/hami_registry")
    with pytest.raises(ValidationError, match="database_url"):
        EvaluationSettings(env="production", amqp_url=STRONG["amqp_url"])  # the development default has none
    assert "migration_database_url" in refused(
        migration_database_url="postgresql+asyncpg://hami_registry@postgres:5432/hami_registry")


def test_a_password_from_a_secret_file_makes_the_urls_whole(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "hami_database_password").write_text("db-secret\n")
    (tmp_path / "hami_migration_database_password").write_text("owner-secret\n")
    settings = RegistrySettings(
        _secrets_dir=str(tmp_path), env="production", **{
            **STRONG, "database_url": "postgresql+asyncpg://hami_registry_app@postgres:5432/hami_registry",
            "migration_database_url": "postgresql+asyncpg://hami_registry@postgres:5432/hami_registry"})
    assert settings.migration_database_url == "postgresql+asyncpg://hami_registry:owner-secret@postgres:5432/hami_registry"
    assert settings.runtime_role == "hami_registry_app"


def test_the_administrators_password_needs_twelve_characters_and_not_the_default() -> None:
    assert "admin_password" in refused(admin_password="eleven-char")
    assert "admin_password" in refused(admin_password=DEFAULT_ADMIN_PASSWORD)
    assert RegistrySettings(env="production", **{**STRONG, "admin_password": "twelve-chars"})


def test_the_development_key_encryption_key_is_refused() -> None:
    assert "key_encryption_key" in refused(key_encryption_key=DEVELOPMENT_KEY_ENCRYPTION_KEY)
    assert "key_encryption_key" in refused(key_encryption_key="too-short")


def test_the_development_document_key_is_refused_where_documents_are_signed() -> None:
    assert "document_key" in refused(document_key=DEVELOPMENT_DOCUMENT_KEY)
    assert "document_key" in refused(document_key="too-short")
    with pytest.raises(ValidationError, match="document_key"):
        EvaluationSettings(env="production", **{name: STRONG[name] for name in ("amqp_url", "database_url")})


def test_development_accepts_every_default() -> None:
    settings = RegistrySettings()
    assert settings.default_secrets() == ["amqp_url", "database_url", "document_key", "admin_password",
                                          "key_encryption_key"]
    assert settings.runtime_role is None  # one role does both: nothing to grant
