"""The fault schedule of a soak: which fault at which second, spread evenly over the run (pure)."""

from dataclasses import dataclass

SERVICES = ("registry", "submissions", "evaluation", "notifications")
# broker: RabbitMQ's application stopped and started (its Erlang VM stays up); node: a whole node stopped and
# started again (on a cluster, the node leading most of the services' queues).
BROKER, NODE, DATABASE, SIGKILL, SIGTERM, STALL = "broker", "node", "postgresql", "sigkill", "sigterm", "stall"
KINDS = (BROKER, NODE, DATABASE, SIGKILL, SIGTERM, STALL)
BROKER_KINDS = frozenset({BROKER, NODE})
# Faults that touch servers other people's tests use too (the rest stay inside the soak's own processes); on the
# soak's own cluster, only PostgreSQL's.
GLOBAL_KINDS = frozenset({BROKER, NODE, DATABASE})


@dataclass(frozen=True)
class Profile:
    """How long a soak runs and how many faults of each kind it injects (kills: rounds over the four services)."""

    minutes: float
    broker: int
    nodes: int
    postgresql: int
    kill_rounds: int
    stalls: int


PROFILES = {
    "short": Profile(minutes=2.5, broker=2, nodes=2, postgresql=2, kill_rounds=1, stalls=1),
    "long": Profile(minutes=12, broker=15, nodes=5, postgresql=5, kill_rounds=2, stalls=3),
}


@dataclass(frozen=True)
class Fault:
    """One fault: when (seconds after the load started), what, and on which service (kills and stalls)."""

    at: float
    kind: str
    target: str = ""


def wanted(profile: Profile, kinds: frozenset[str] = frozenset(KINDS)) -> list[tuple[str, str]]:
    """Every (kind, target) the profile asks for, restricted to the kinds given."""
    faults = [(BROKER, "rabbitmq")] * profile.broker + [(NODE, "rabbitmq")] * profile.nodes
    faults += [(DATABASE, "postgresql")] * profile.postgresql
    for _ in range(profile.kill_rounds):
        faults += [(SIGKILL, service) for service in SERVICES] + [(SIGTERM, service) for service in SERVICES]
    faults += [(STALL, "evaluation")] * profile.stalls
    return [fault for fault in faults if fault[0] in kinds]


def build_schedule(profile: Profile, *, seconds: float, warmup: float = 10.0, quiet_end: float = 15.0,
                   kinds: frozenset[str] = frozenset(KINDS)) -> list[Fault]:
    """The profile's faults at even gaps between the warm-up and the quiet end of the load, each kind spread over
    the whole run rather than bunched (kind by kind, the n-th of N lands near (n + 1/2) / N of the way)."""
    faults = wanted(profile, kinds)
    if not faults:
        return []
    window = seconds - warmup - quiet_end
    if window <= 0:
        raise ValueError(f"a {seconds:.0f} s run leaves no time for faults after {warmup:.0f} s of warm-up "
                         f"and {quiet_end:.0f} s of quiet at the end")
    positions: dict[str, int] = {}
    totals = {kind: sum(1 for k, _ in faults if k == kind) for kind in KINDS}
    placed = []
    for order, (kind, target) in enumerate(faults):
        n = positions[kind] = positions.get(kind, -1) + 1
        placed.append(((n + 0.5) / totals[kind], KINDS.index(kind), order, kind, target))
    placed.sort()
    gap = window / len(placed)
    return [Fault(at=round(warmup + gap * (i + 0.5), 1), kind=kind, target=target)
            for i, (*_, kind, target) in enumerate(placed)]
