"""Evaluation settings (HAMI_* environment variables)."""

from shared.settings import ServiceSettings


class EvaluationSettings(ServiceSettings):
    """Evaluation: rounds, score sheets, ranking and awards."""

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/hami_evaluation"
    http_port: int = 8003
