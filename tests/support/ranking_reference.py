"""Ranking as it was before it was made fast (issue #15), verbatim but for this docstring: the reference the
service's ranking must agree with. Not used by the service."""


import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

MIN_SHEETS_FOR_OWN_SCALE = 5
DISAGREEMENT_POINTS = 20.0  # spread of raw totals (percentage points) that calls for discussion


@dataclass(frozen=True)
class Criterion:
    """A weighted criterion and its score range."""

    code: str
    weight: float
    min_score: int = 0
    max_score: int = 10


@dataclass(frozen=True)
class Sheet:
    """A submitted score sheet: one evaluator's scores for one work."""

    work_id: UUID
    evaluator_id: UUID
    scores: dict[str, float]


@dataclass(frozen=True)
class Work:
    """What the ranking needs to know about a work besides its sheets."""

    work_id: UUID
    received_at: datetime


@dataclass
class Placing:
    """A work's place in the ranking, with everything needed to explain it."""

    work_id: UUID
    rank: int = 0
    advanced: bool = False
    sheets: int = 0
    raw_total: float | None = None
    normalised_total: float | None = None
    raw_by_criterion: dict[str, float] = field(default_factory=dict)
    normalised_by_criterion: dict[str, float] = field(default_factory=dict)
    disagreement: float = 0.0
    flagged: bool = False
    reason: str = ""


def _percent(value: float, criterion: Criterion) -> float:
    return 100.0 * (value - criterion.min_score) / (criterion.max_score - criterion.min_score)


def _weighted(values: dict[str, float], rubric: list[Criterion]) -> float:
    return math.fsum(c.weight * values[c.code] for c in rubric) / math.fsum(c.weight for c in rubric)


def _z(value: float, mean: float, spread: float) -> float:
    return 0.0 if spread == 0 else (value - mean) / spread


def _scales(sheets: list[Sheet], rubric: list[Criterion]) -> dict[tuple[UUID | None, str], tuple[float, float]]:
    """(mean, population spread) per criterion: for the round (key None) and each qualifying evaluator."""
    by_evaluator: dict[UUID, list[Sheet]] = defaultdict(list)
    for sheet in sheets:
        by_evaluator[sheet.evaluator_id].append(sheet)
    scales = {}
    for criterion in rubric:
        everything = [s.scores[criterion.code] for s in sheets]
        scales[(None, criterion.code)] = (statistics.fmean(everything), statistics.pstdev(everything))
        for evaluator, own in by_evaluator.items():
            if len(own) >= MIN_SHEETS_FOR_OWN_SCALE:
                values = [s.scores[criterion.code] for s in own]
                scales[(evaluator, criterion.code)] = (statistics.fmean(values), statistics.pstdev(values))
    return scales


def _score_work(placing: Placing, own: list[Sheet], rubric: list[Criterion], scales: dict) -> None:
    placing.sheets = len(own)
    for c in rubric:
        placing.raw_by_criterion[c.code] = statistics.fmean(s.scores[c.code] for s in own)
        placing.normalised_by_criterion[c.code] = statistics.fmean(
            _z(s.scores[c.code], *scales.get((s.evaluator_id, c.code), scales[(None, c.code)])) for s in own)
    raw_totals = [_weighted({c.code: _percent(s.scores[c.code], c) for c in rubric}, rubric) for s in own]
    placing.raw_total = statistics.fmean(raw_totals)
    placing.normalised_total = _weighted(placing.normalised_by_criterion, rubric)
    placing.disagreement = statistics.pstdev(raw_totals) if len(raw_totals) > 1 else 0.0
    placing.flagged = placing.disagreement > DISAGREEMENT_POINTS


def rank(works: list[Work], sheets: list[Sheet], rubric: list[Criterion], quota: int) -> list[Placing]:
    """Rank the works of a round from its submitted sheets; the top `quota` advance. Order of input is irrelevant."""
    received = {w.work_id: w.received_at for w in works}
    sheets = sorted((s for s in sheets if s.work_id in received), key=lambda s: (str(s.work_id), str(s.evaluator_id)))
    scales = _scales(sheets, rubric) if sheets else {}
    by_work: dict[UUID, list[Sheet]] = defaultdict(list)
    for sheet in sheets:
        by_work[sheet.work_id].append(sheet)
    placings = [Placing(work_id=w) for w in received]
    for placing in placings:
        if by_work[placing.work_id]:
            _score_work(placing, by_work[placing.work_id], rubric, scales)
    # Totals are compared at 9 decimals so float noise never decides between equal scores.
    placings.sort(key=lambda p: (
        p.normalised_total is None, -round(p.normalised_total or 0.0, 9), -round(p.raw_total or 0.0, 9), -p.sheets,
        received[p.work_id], str(p.work_id)))
    for position, placing in enumerate(placings, start=1):
        placing.rank = position
        placing.advanced = placing.sheets > 0 and position <= quota
        placing.reason = _reason(placing, quota)
    return placings


def _reason(placing: Placing, quota: int) -> str:
    if placing.sheets == 0:
        return "no submitted score sheets"
    if placing.advanced:
        return f"rank {placing.rank} is within the quota of {quota}"
    return f"rank {placing.rank} is outside the quota of {quota}"


def explanation(placing: Placing) -> dict:
    """The placing as a JSON-ready explanation."""
    return {
        "rank": placing.rank, "advanced": placing.advanced, "reason": placing.reason, "sheets": placing.sheets,
        "raw_total": _round(placing.raw_total), "normalised_total": _round(placing.normalised_total),
        "raw_by_criterion": {k: _round(v) for k, v in placing.raw_by_criterion.items()},
        "normalised_by_criterion": {k: _round(v) for k, v in placing.normalised_by_criterion.items()},
        "disagreement": _round(placing.disagreement), "flagged_for_discussion": placing.flagged,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
