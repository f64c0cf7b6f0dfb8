"""Pure ranking of a round: weighted totals, per-evaluator normalisation, tie-breaks, quotas, explanations.

Normalisation. For each criterion, a sheet's score becomes a z-score. An evaluator with at least
MIN_SHEETS_FOR_OWN_SCALE submitted sheets in the round is measured against their own mean and spread
(so a harsh or lenient evaluator does not decide the outcome); one with fewer sheets is measured against
the whole round's mean and spread for that criterion. A criterion an evaluator scored identically on every
sheet carries no information from them: its z-score is 0. A work's normalised score per criterion is
the mean of its sheets' z-scores; its normalised total is their weighted mean.

Tie-break chain, applied in order until two works differ:
1. higher normalised total; 2. higher raw total (weighted mean of raw scores, as a percentage of the
range); 3. more submitted sheets; 4. earlier receipt; 5. smaller work id (always decides).
"""

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import NamedTuple
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


class Sheet(NamedTuple):
    """A submitted score sheet: one evaluator's scores for one work (a tuple: a close makes 30,000)."""

    work_id: UUID
    evaluator_id: UUID
    scores: dict[str, float]


class Work(NamedTuple):
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


def _mean(values: list[float]) -> float:
    return math.fsum(values) / len(values)


def _spread(values: list[float]) -> float:
    """Population standard deviation (as statistics.pstdev, in floats: a round has tens of thousands)."""
    mean = _mean(values)
    return math.sqrt(math.fsum([(v - mean) ** 2 for v in values]) / len(values))


Scale = tuple[float, float]  # (mean, population spread) of one criterion's scores


Vector = tuple[float, ...]  # a sheet's scores in rubric order


def _sheet_scales(sheets: list[Sheet], vectors: list[Vector]) -> list[list[Scale]]:
    """Each sheet's scale per criterion (in rubric order): its evaluator's own when they scored enough sheets,
    else the round's."""
    by_evaluator: dict[UUID, list[int]] = defaultdict(list)
    for index, sheet in enumerate(sheets):
        by_evaluator[sheet.evaluator_id].append(index)

    def scale_of(group: list[Vector]) -> list[Scale]:
        return [(_mean(values), _spread(values)) for values in zip(*group, strict=True)]

    round_scale, scales = scale_of(vectors), [[]] * len(sheets)
    for indices in by_evaluator.values():
        scale = scale_of([vectors[i] for i in indices]) if len(indices) >= MIN_SHEETS_FOR_OWN_SCALE else round_scale
        for index in indices:
            scales[index] = scale
    return scales


def _weighted_percent(c: Criterion) -> Callable[[float], float]:
    """A score's weighted share of a criterion's range in percent, remembered per score: a round has few distinct
    scores and many sheets (the same arithmetic, so the same bits, as working it out each time)."""
    @cache
    def term(value: float) -> float:
        return c.weight * (100.0 * (value - c.min_score) / (c.max_score - c.min_score))
    return term


def _z_scores(vector: Vector, scale: list[Scale]) -> Vector:
    """A sheet's z-score per criterion on its scale (0 where the scale has no spread)."""
    return tuple([0.0 if spread == 0 else (value - mean) / spread
                  for value, (mean, spread) in zip(vector, scale, strict=True)])


def _score_work(placing: Placing, vectors: list[Vector], z_scores: list[Vector], rubric: list[Criterion],
                total_weight: float, terms: list[Callable[[float], float]]) -> None:
    """A work's placing from its sheets' score vectors and their z-scores, with each criterion's weighted
    percent (`terms`)."""
    count = len(vectors)
    placing.sheets = count
    for c, values, zs in zip(rubric, zip(*vectors, strict=True), zip(*z_scores, strict=True), strict=True):
        placing.raw_by_criterion[c.code] = math.fsum(values) / count
        placing.normalised_by_criterion[c.code] = math.fsum(zs) / count
    # Each sheet's weighted total in percent of the range, as statistics would have summed it (fsum: exact).
    totals = [math.fsum([term(value) for term, value in zip(terms, vector, strict=True)]) / total_weight
              for vector in vectors]
    placing.raw_total = math.fsum(totals) / count
    placing.normalised_total = math.fsum(
        [c.weight * placing.normalised_by_criterion[c.code] for c in rubric]) / total_weight
    placing.disagreement = _spread(totals) if count > 1 else 0.0
    # At 9 decimals, as totals are compared: a spread of exactly 20 points computed in floats (20.000000000000004)
    # must not call for discussion.
    placing.flagged = round(placing.disagreement, 9) > DISAGREEMENT_POINTS


def rank(works: list[Work], sheets: list[Sheet], rubric: list[Criterion], quota: int) -> list[Placing]:
    """Rank the works of a round from its submitted sheets; the top `quota` advance. Order of input is irrelevant
    (every sum is math.fsum, exact before its one rounding)."""
    received = {w.work_id: w.received_at for w in works}
    by_work: dict[UUID, list[int]] = {work_id: [] for work_id in received}  # work -> its sheets' indices
    kept: list[Sheet] = []
    for sheet in sheets:
        if (own := by_work.get(sheet.work_id)) is not None:
            own.append(len(kept))
            kept.append(sheet)
    # Each sheet's scores taken out once, in rubric order: the round's scales and the works' scores read columns.
    vectors = [tuple([s.scores[c.code] for c in rubric]) for s in kept]
    scales = _sheet_scales(kept, vectors) if kept else []
    z_scores = [_z_scores(vector, scale) for vector, scale in zip(vectors, scales, strict=True)]
    placings = [Placing(work_id=w) for w in received]
    total_weight, terms = math.fsum(c.weight for c in rubric), [_weighted_percent(c) for c in rubric]
    for placing, own in zip(placings, by_work.values(), strict=True):
        if own:
            _score_work(placing, [vectors[i] for i in own], [z_scores[i] for i in own], rubric, total_weight, terms)
    # Totals are compared at 9 decimals so float noise never decides between equal scores. Ids compare as their
    # text does (fixed-width hex), as numbers: cheaper.
    placings.sort(key=lambda p: (
        p.normalised_total is None, -round(p.normalised_total or 0.0, 9), -round(p.raw_total or 0.0, 9), -p.sheets,
        received[p.work_id], p.work_id.int))
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
