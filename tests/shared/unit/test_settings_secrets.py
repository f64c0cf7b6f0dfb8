"""Passwords from secret files are put into the database and broker URLs."""

import pytest

from services.evaluation.settings import EvaluationSettings
from shared.settings import with_password


def test_a_password_is_percent_encoded_into_the_url() -> None:
    url = with_password("postgresql+asyncpg://hami_evaluation@postgres:5432/hami_evaluation", "p@ss/w:rd")
    assert url == "postgresql+asyncpg://hami_evaluation:p%40ss%2Fw%3Ard@postgres:5432/hami_evaluation"
    assert with_password("amqp://evaluation:old@rabbitmq:5672/hami", "new") == "amqp://evaluation:new@rabbitmq:5672/hami"


def test_password_files_complete_the_urls_in_production(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("HAMI_ENV", "production")
    monkeypatch.setenv("HAMI_DATABASE_URL", "postgresql+asyncpg://hami_evaluation@postgres:5432/hami_evaluation")
    monkeypatch.setenv("HAMI_AMQP_URL", "amqp://evaluation@rabbitmq:5672/hami")
    (tmp_path / "hami_database_password").write_text("db-secret\n")
    (tmp_path / "hami_amqp_password").write_text("mq-secret\n")
    (tmp_path / "hami_document_key").write_text("a-document-key-from-a-file\n")
    monkeypatch.setenv("HAMI_SECRETS_DIR", str(tmp_path))
    settings = EvaluationSettings.load()
    assert settings.database_url == "postgresql+asyncpg://hami_evaluation:db-secret@postgres:5432/hami_evaluation"
    assert settings.amqp_url == "amqp://evaluation:mq-secret@rabbitmq:5672/hami"


def test_a_guest_password_file_does_not_pass_as_a_real_broker_user(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("HAMI_ENV", "production")
    monkeypatch.setenv("HAMI_AMQP_URL", "amqp://guest@127.0.0.1:5672/")
    monkeypatch.setenv("HAMI_AMQP_PASSWORD", "guest")
    with pytest.raises(ValueError, match="amqp_url"):
        EvaluationSettings.load()
