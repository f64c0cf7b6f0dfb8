"""Pure assignment of evaluators to works: at least k each, balanced load, never a conflict of interest."""

from collections import Counter
from dataclasses import dataclass, field
from uuid import UUID


@dataclass(frozen=True)
class Candidate:
    """An evaluator and what could put them in conflict with a work."""

    person_id: UUID
    mobile: str | None = None
    districts: frozenset[int] = frozenset()
    organisations: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Entry:
    """A work and what could put an evaluator in conflict with it."""

    work_id: UUID
    district: int
    submitter_mobile: str | None = None
    organisation: str | None = None


@dataclass
class Plan:
    """Who evaluates what, and the works that could not get enough conflict-free evaluators."""

    assignments: dict[UUID, list[UUID]] = field(default_factory=dict)
    short: dict[UUID, int] = field(default_factory=dict)  # work -> how many evaluators it lacks


def conflict(candidate: Candidate, entry: Entry, declared: set[tuple[UUID, UUID]], *, tier: int) -> str | None:
    """Why the candidate may not judge the work (own submission, organisation, declared, own district), or None."""
    if candidate.mobile and candidate.mobile == entry.submitter_mobile:
        return "own_submission"
    if entry.organisation and entry.organisation in candidate.organisations:
        return "same_organisation"
    if (candidate.person_id, entry.work_id) in declared:
        return "declared"
    if tier == 2 and entry.district in candidate.districts:
        return "own_district"
    return None


def assign(entries: list[Entry], candidates: list[Candidate], declared: set[tuple[UUID, UUID]], *, k: int,
           tier: int, existing: dict[UUID, list[UUID]] | None = None) -> Plan:
    """Give every work k conflict-free evaluators, least-loaded first (ties by id); keeps existing assignments."""
    plan = Plan(assignments={e.work_id: list((existing or {}).get(e.work_id, [])) for e in entries})
    load = Counter(person for people in plan.assignments.values() for person in people)
    for entry in sorted(entries, key=lambda e: str(e.work_id)):
        chosen = plan.assignments[entry.work_id]
        free = [c for c in candidates if c.person_id not in chosen and conflict(c, entry, declared, tier=tier) is None]
        free.sort(key=lambda c: (load[c.person_id], str(c.person_id)))
        for candidate in free[:max(0, k - len(chosen))]:
            chosen.append(candidate.person_id)
            load[candidate.person_id] += 1
        if len(chosen) < k:
            plan.short[entry.work_id] = k - len(chosen)
    return plan


def pick_successor(candidates: list[Candidate], entry: Entry, declared: set[tuple[UUID, UUID]],
                   plan: dict[UUID, list[UUID]], *, tier: int) -> UUID | None:
    """Who takes a work an evaluator leaves: the least-loaded candidate (ties by id) not holding it and free of
    conflict (`declared` also carries whoever had it taken from them); None when nobody is."""
    load = Counter(person for people in plan.values() for person in people)
    held = set(plan.get(entry.work_id, []))
    free = [c for c in candidates if c.person_id not in held and conflict(c, entry, declared, tier=tier) is None]
    return min(free, key=lambda c: (load[c.person_id], str(c.person_id))).person_id if free else None
