"""Settings: production mode refuses default secrets."""

import pytest
from pydantic import ValidationError

from services.evaluation.settings import EvaluationSettings
from services.registry.settings import RegistrySettings


def test_development_accepts_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HAMI_ENV", raising=False)
    assert RegistrySettings.load().http_port == 8001


def test_production_refuses_the_default_admin_password_and_broker_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAMI_ENV", "production")
    with pytest.raises(ValidationError, match="admin_password"):
        RegistrySettings.load()
    with pytest.raises(ValidationError, match="amqp_url"):
        EvaluationSettings.load()


def test_production_starts_with_real_secrets(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("HAMI_ENV", "production")
    monkeypatch.setenv("HAMI_AMQP_URL", "amqp://hami:s3cret@rabbitmq:5672/")
    monkeypatch.setenv("HAMI_DATABASE_URL", "postgresql+asyncpg://hami_registry_app@postgres:5432/hami_registry")
    (tmp_path / "hami_admin_password").write_text("from-a-secret-file")
    (tmp_path / "hami_database_password").write_text("db-secret")
    (tmp_path / "hami_key_encryption_key").write_text("a-key-encryption-key-from-a-file")
    (tmp_path / "hami_document_key").write_text("a-document-key-from-a-file")
    monkeypatch.setenv("HAMI_SECRETS_DIR", str(tmp_path))
    assert RegistrySettings.load().admin_password == "from-a-secret-file"
