"""Counting a soak (pure): each request's outcome, the longest unavailability after each kind of fault, and for
each accepted work or decision whether every place that should hold it does, once."""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

OUTCOMES = ("accepted", "refused", "unavailable", "server_error", "no_answer")


@dataclass(frozen=True)
class Request:
    """One request the load sent: what (work, decision, relay), when (monotonic seconds), its HTTP status (None:
    no answer) and the id of what it created or acted on."""

    kind: str
    sent: float
    done: float
    status: int | None
    entity: str | None = None

    @property
    def outcome(self) -> str:
        """accepted (2xx), refused (4xx), unavailable (503), server_error (any other 5xx), no_answer."""
        return classify(self.status)


def classify(status: int | None) -> str:
    """The outcome of an HTTP status (None when the request got no answer: timeout, refused connection)."""
    if status is None:
        return "no_answer"
    if 200 <= status < 300:
        return "accepted"
    if status == 503:
        return "unavailable"
    if 400 <= status < 500:
        return "refused"
    return "server_error"


def outcome_counts(requests: Iterable[Request]) -> dict[str, dict[str, int]]:
    """Per kind of request, how many ended each way (every outcome listed, zeros included)."""
    counts: dict[str, Counter] = {}
    for request in requests:
        counts.setdefault(request.kind, Counter())[request.outcome] += 1
    return {kind: {outcome: found[outcome] for outcome in OUTCOMES} for kind, found in sorted(counts.items())}


def outages(faults: Iterable[tuple[str, float]], requests: Iterable[Request]) -> list[float | None]:
    """For each fault (its kind, its start; in order of start), the time until requests were accepted again for
    good: to the answer of the first accepted request sent after the last one that failed before the next fault
    (a request slipping through just as a service is stopped does not end its outage; one that failed only once the
    next fault had begun counts against that one). None when nothing was accepted after it."""
    requests = sorted(requests, key=lambda r: r.sent)
    starts = [at for _, at in faults]
    found: list[float | None] = []
    for i, at in enumerate(starts):
        until = starts[i + 1] if i + 1 < len(starts) else float("inf")
        failed = [r.sent for r in requests if at <= r.sent < until and r.done < until and r.outcome != "accepted"]
        since = max(failed, default=at)
        first = next((r.done for r in requests if r.sent >= since and r.outcome == "accepted"), None)
        found.append(None if first is None else round(first - at, 2))
    return found


def longest_unavailability(faults: Iterable[tuple[str, float]], requests: Iterable[Request]) -> dict[str, float | None]:
    """Per fault kind, the longest of its faults' outages (see outages); None when one never ended."""
    faults = sorted(faults, key=lambda fault: fault[1])
    gaps: dict[str, list[float | None]] = {}
    for (kind, _), outage in zip(faults, outages(faults, requests), strict=True):
        gaps.setdefault(kind, []).append(outage)
    return {kind: None if None in found else max(found) for kind, found in gaps.items()}


def not_ready_spells(samples: Iterable[tuple[str, float, bool]]) -> list[tuple[str, float, float]]:
    """From readiness samples (service, when, ready), each service's spells of not being ready: (service, from the
    first failing sample, to the next ready one; or the last sample when it never came back)."""
    spells, since, last = [], {}, {}
    for service, at, ready in sorted(samples, key=lambda sample: sample[1]):
        if not ready:
            since.setdefault(service, at)
        elif service in since:
            spells.append((service, since.pop(service), at))
        last[service] = at
    spells += [(service, start, last[service]) for service, start in since.items()]
    return sorted(spells, key=lambda spell: spell[1])


def longest_not_ready(faults: Iterable[tuple[str, float, float]], samples: Iterable[tuple[str, float, bool]],
                      *, grace: float = 10.0) -> dict[str, float]:
    """Per fault kind, the longest spell of any service not being ready that began while one of its faults was in
    progress (from its start to `grace` seconds after it was undone); 0 when the services stayed ready."""
    spells = not_ready_spells(samples)
    longest: dict[str, float] = {}
    for kind, started, ended in faults:
        during = [end - start for _, start, end in spells if started <= start <= ended + grace]
        longest[kind] = round(max([longest.get(kind, 0.0), *during]), 1)
    return longest


@dataclass
class Reconciled:
    """Of the accepted entities of one kind: which each place lacks and which it holds more than once."""

    accepted: int
    lost: dict[str, list[str]]
    duplicated: dict[str, list[str]]

    @property
    def lost_count(self) -> int:
        """Accepted entities missing from at least one place."""
        return len(set().union(*self.lost.values())) if self.lost else 0

    @property
    def duplicated_count(self) -> int:
        """Accepted entities held more than once by at least one place."""
        return len(set().union(*self.duplicated.values())) if self.duplicated else 0


def reconcile(accepted: Iterable[str], places: Mapping[str, Mapping[str, int]]) -> Reconciled:
    """Check each accepted entity in each place: `places[place][entity]` is how many times the place applied it
    (0 or absent: lost there; more than 1: applied twice)."""
    ids = sorted(set(accepted))
    lost = {place: missing for place, held in places.items() if (missing := [i for i in ids if not held.get(i)])}
    duplicated = {place: twice for place, held in places.items() if (twice := [i for i in ids if held.get(i, 0) > 1])}
    return Reconciled(len(ids), lost, duplicated)


def times_applied(rows: Iterable[tuple[str, object]]) -> Counter:
    """From (entity, target) rows, how often the entity was applied to its most-hit target: a message delivered
    to three recipients once each counts 1, one delivered to the same recipient twice counts 2."""
    per_target = Counter(rows)
    applied: Counter = Counter()
    for (entity, _), n in per_target.items():
        applied[entity] = max(applied[entity], n)
    return applied


def queue_messages(list_queues_output: str) -> dict[str, int]:
    """Messages in each queue, from `rabbitmqctl -q list_queues name messages` (tab-separated)."""
    found = {}
    for line in list_queues_output.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            found[parts[0]] = int(parts[1])
    return found


def dead_letters(list_queues_output: str) -> dict[str, int]:
    """Messages in each dead-letter queue, from `rabbitmqctl -q list_queues name messages`."""
    return {name: n for name, n in queue_messages(list_queues_output).items() if name.endswith(".dead-letter")}


def table(summary: Mapping) -> str:
    """The soak's figures as a plain-text table."""
    where = ", three-node cluster" if summary.get("cluster") else ""
    lines = [f"chaos soak ({summary['profile']}{where}, {summary['seconds']:.0f} s of load): faults "
             + ", ".join(f"{kind} {n}" for kind, n in summary["faults"].items())]
    lines.append(f"{'requests':<10}" + "".join(f"{o:>14}" for o in OUTCOMES))
    for kind, counts in summary["requests"].items():
        lines.append(f"{kind:<10}" + "".join(f"{counts[o]:>14}" for o in OUTCOMES))
    lines.append(f"{'entities':<10}{'accepted':>14}{'lost':>14}{'duplicated':>14}  unanswered but applied")
    for kind in ("works", "decisions", "relays"):
        e = summary[kind]
        lines.append(f"{kind:<10}{e['accepted']:>14}{e['lost']:>14}{e['duplicated']:>14}  {e.get('unanswered', 0)}")
        for label in ("lost_in", "duplicated_in"):
            for place, ids in e.get(label, {}).items():
                lines.append(f"  {label.replace('_', ' ')} {place}: {len(ids)} (e.g. {', '.join(ids[:3])})")
    lines.append("dead-lettered: " + (", ".join(f"{q} {n}" for q, n in summary["dead_lettered"].items()) or "none"))
    if summary.get("stall_backlogs"):
        lines.append(f"stalled consumer's queue as each stall ended: {summary['stall_backlogs']} messages")
    if any(summary.get("unsent_outbox", {}).values()):
        lines.append(f"outbox rows never published: {summary['unsent_outbox']}")
    lines.append("longest unavailability (from a fault until requests are accepted again): " + ", ".join(
        f"{kind} {'never' if s is None else f'{s:.1f} s'}" for kind, s in summary["unavailability_s"].items()))
    if "not_ready_s" in summary:
        lines.append("longest a service was not ready (/health/ready) after a fault: " + ", ".join(
            f"{kind} {s:.1f} s" for kind, s in summary["not_ready_s"].items()))
    lines.append("RESULT: " + ("nothing lost, nothing applied twice" if summary["ok"] else "LOSS OR DUPLICATES"))
    return "\n".join(lines)
