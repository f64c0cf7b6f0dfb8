"""Evaluation settings (HAMI_* environment variables)."""

from pydantic import Field

from services.evaluation.domain import DEFAULT_K, DEFAULT_QUORUM, DEFAULT_TIER_1_DAYS
from shared.settings import DocumentKeyed


class EvaluationSettings(DocumentKeyed):
    """Evaluation: rounds, score sheets, ranking and awards."""

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/hami_evaluation"
    http_port: int = 8003
    # Tier-1 rounds opened when a call closes: evaluators per work, and days until their deadline.
    tier1_k: int = Field(default=DEFAULT_K, ge=1, le=15)
    tier1_days: int = Field(default=DEFAULT_TIER_1_DAYS, ge=1, le=365)
    # A round closed at its deadline without every sheet needs this many submitted sheets per work.
    round_quorum: int = Field(default=DEFAULT_QUORUM, ge=1, le=15)
