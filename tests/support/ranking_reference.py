"""Ranking as it was before it was made fast (issue #15): its scoring, verbatim, is the reference the service's
ranking must agree with; the data classes, the reasons and the explanation are the service's own. Not used by the
service."""

import math
import statistics
from collections import defaultdict
from uuid import UUID

from services.evaluation.ranking import (  # noqa: F401 - Criterion, Sheet, Work and explanation are the reference's API
    DISAGREEMENT_POINTS,
    MIN_SHEETS_FOR_OWN_SCALE,
    Criterion,
    Placing,
    Sheet,
    Work,
    _reason,
    explanation,
)


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
