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


def _mean(values: list[float]) -> float:
    return math.fsum(values) / len(values)


def _spread(values: list[float]) -> float:
    """Population standard deviation (as statistics.pstdev, in floats: a round has tens of thousands)."""
    mean = _mean(values)
    return math.sqrt(math.fsum([(v - mean) ** 2 for v in values]) / len(values))


Scale = tuple[float, float]  # (mean, population spread) of one criterion's scores


Vector = tuple[float, ...]  # a sheet's scores in rubric order


def _scales(sheets: list[Sheet], vectors: list[Vector]) -> tuple[list[Scale], dict[UUID, list[Scale]]]:
    """Per criterion (in rubric order): the round's scale, and each qualifying evaluator's own."""
    by_evaluator: dict[UUID, list[Vector]] = defaultdict(list)
    for sheet, vector in zip(sheets, vectors, strict=True):
        by_evaluator[sheet.evaluator_id].append(vector)

    def scale_of(group: list[Vector]) -> list[Scale]:
        return [(_mean(values), _spread(values)) for values in zip(*group, strict=True)]

    own = {evaluator: scale_of(group) for evaluator, group in by_evaluator.items()
           if len(group) >= MIN_SHEETS_FOR_OWN_SCALE}
    return scale_of(vectors), own


def _score_work(placing: Placing, vectors: list[Vector], rubric: list[Criterion], scales: list[list[Scale]],
                total_weight: float) -> None:
    """A work's placing from its sheets' score vectors, `scales` giving each sheet's scale per criterion."""
    count = len(vectors)
    placing.sheets = count
    for index, (c, values) in enumerate(zip(rubric, zip(*vectors, strict=True), strict=True)):
        placing.raw_by_criterion[c.code] = math.fsum(values) / count
        zs = [0.0 if scale[index][1] == 0 else (value - scale[index][0]) / scale[index][1]
              for value, scale in zip(values, scales, strict=True)]
        placing.normalised_by_criterion[c.code] = math.fsum(zs) / count
    # Each sheet's weighted total in percent of the range, as statistics would have summed it (fsum: exact).
    totals = [math.fsum([c.weight * (100.0 * (value - c.min_score) / (c.max_score - c.min_score))
                         for c, value in zip(rubric, vector, strict=True)]) / total_weight for vector in vectors]
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
    sheets = [s for s in sheets if s.work_id in received]
    # Each sheet's scores taken out once, in rubric order: the round's scales and the works' scores read columns.
    vectors = [tuple([s.scores[c.code] for c in rubric]) for s in sheets]
    round_scale, own_scales = _scales(sheets, vectors) if sheets else ([], {})
    by_work: dict[UUID, list[tuple[Sheet, Vector]]] = defaultdict(list)
    for sheet, vector in zip(sheets, vectors, strict=True):
        by_work[sheet.work_id].append((sheet, vector))
    placings = [Placing(work_id=w) for w in received]
    total_weight = math.fsum(c.weight for c in rubric)
    for placing in placings:
        if own := by_work[placing.work_id]:
            scales = [own_scales.get(sheet.evaluator_id, round_scale) for sheet, _ in own]
            _score_work(placing, [vector for _, vector in own], rubric, scales, total_weight)
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
