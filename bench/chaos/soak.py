"""One soak from start to figures: the four services on a private vhost and databases, the load, the faults, a
settle period, then every accepted work and decision looked for in every place that should hold it."""

import asyncio
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bench.chaos import state
from bench.chaos.brokers import Cluster, LocalNode
from bench.chaos.faults import Faults, servers_up
from bench.chaos.load import DISTRICTS, Load
from bench.chaos.schedule import BROKER_KINDS, GLOBAL_KINDS, KINDS, PROFILES, build_schedule
from bench.chaos.tally import longest_not_ready, longest_unavailability, outages, outcome_counts, reconcile
from ops.supervisor import Supervisor
from tests.support.servers import Servers, private_vhost, provide_servers
from tests.support.submissions import ensure_open_call, wait_for_neighbourhoods
from tests.support.system import System, drop_databases, start_system


def say(line: str) -> None:
    """One progress line."""
    print(line, flush=True)


def prepare(system: System) -> dict:
    """The edition's call open, submissions knowing the neighbourhoods, and the tokens of the staff who send the
    load: each district's office staff, the council's chair, the central secretariat."""
    wait_for_neighbourhoods(system, timeout=90)
    ensure_open_call(system)
    tokens: dict = {district: system.district_staff_token(district) for district in DISTRICTS}
    tokens["chair"] = system.account_token("chair.council", "policy-council", "chair", "رئیس شورا")
    tokens["central"] = system.account_token("staff.central", "central-secretariat", "staff", "کارشناس دبیرخانه")
    deadline = time.monotonic() + 60  # notifications must know the district staff before decisions reach them
    while asyncio.run(system.fetchval("notifications", "SELECT count(*) FROM memberships WHERE active AND "
                                      "district = ANY($1::int[])", list(DISTRICTS))) < len(DISTRICTS):
        if time.monotonic() > deadline:
            raise TimeoutError("notifications never learnt the district staff")
        time.sleep(0.5)
    return tokens


def reconciled(system: System, load: Load) -> dict:
    """Lost and duplicated per kind of entity, from the services' own state."""
    found = asyncio.run(state.places(system))
    accepted = {kind: {r.entity for r in load.requests if r.kind == kind and r.entity} for kind in ("work", "decision")}
    expected = {"works": accepted["work"], "decisions": accepted["decision"],
                "relays": state.relay_entities(load.relayed, DISTRICTS)}
    sources = {"works": "submissions", "decisions": "registry", "relays": "registry outbox"}
    result = {}
    for kind, ids in expected.items():
        checked = reconcile(ids, found[kind])
        result[kind] = {"accepted": checked.accepted, "lost": checked.lost_count,
                        "duplicated": checked.duplicated_count, "lost_in": checked.lost,
                        "duplicated_in": checked.duplicated,
                        "unanswered": len(set(found[kind][sources[kind]]) - ids)}
    return result


def settle(system: System, load: Load, seconds: float) -> dict:
    """Wait (up to `seconds`) until every service is ready and nothing accepted is missing; then look once more,
    a few seconds later, so that a late duplicate is seen too."""
    deadline = time.monotonic() + seconds
    for process in system.processes.values():
        while not process.ready() and time.monotonic() < deadline:
            time.sleep(0.5)
    while time.monotonic() < deadline:
        counts = reconciled(system, load)
        if not any(counts[kind]["lost"] for kind in counts):
            break
        time.sleep(3)
    time.sleep(3)
    return reconciled(system, load)


@contextmanager
def broker_for(servers: Servers, *, cluster: bool) -> Iterator[tuple[LocalNode | Cluster, str]]:
    """The broker the soak breaks and the AMQP URL the services get: a private vhost on the machine's node, or a
    fresh three-node cluster of the soak's own behind HAProxy (removed afterwards)."""
    if cluster:
        say("[chaos] starting a three-node RabbitMQ cluster behind HAProxy")
        with Cluster() as nodes:
            yield nodes, nodes.amqp_url
    else:
        with private_vhost(servers) as amqp_url:
            yield LocalNode(), amqp_url


def soak(options) -> dict:
    """Run one soak with the parsed options; returns its summary (see tally.table)."""
    profile = PROFILES[options.profile]
    seconds = 60 * (options.minutes or profile.minutes)
    kinds = frozenset(options.faults or KINDS)
    schedule = build_schedule(profile, seconds=seconds, kinds=kinds)
    shared_faults = kinds & (GLOBAL_KINDS - BROKER_KINDS if options.cluster else GLOBAL_KINDS)
    with provide_servers() as servers:
        if shared_faults and not servers.local_broker:
            raise SystemExit("broker and PostgreSQL faults need the local servers (rabbitmqctl, pg_ctlcluster)")
        with broker_for(servers, cluster=options.cluster) as (broker, amqp_url):
            return _soak(options, servers, broker, amqp_url, schedule, seconds)


def _soak(options, servers: Servers, broker: LocalNode | Cluster, amqp_url: str, schedule: list, seconds: float,
          ) -> dict:
    """The soak proper, on servers and a broker already there."""
    kinds = frozenset(options.faults or KINDS)
    logs = Path(tempfile.mkdtemp(prefix="hami-chaos-"))
    say(f"[chaos] {options.profile} profile, {seconds:.0f} s, {len(schedule)} faults"
        f"{' on a three-node cluster' if broker.clustered else ''}; service logs in {logs}")
    stalled = {"evaluation": {"HAMI_PREFETCH": str(options.prefetch)}}
    system = start_system(servers, amqp_url, logs, settings=stalled)
    supervisor = Supervisor(list(system.processes.values()), say=lambda line: say(f"[supervisor] {line}"))
    for watched in supervisor.watched:  # start_system started them
        watched.started_at = time.monotonic()
    watcher = threading.Thread(target=supervisor.watch, args=(0.2,), daemon=True, name="chaos-supervisor")
    watcher.start()
    load = faults = None
    try:
        load = Load({name: system.url(name) for name in system.processes}, prepare(system),
                    rate=options.rate, decision_every=options.decision_every)
        vhost = unquote(urlsplit(amqp_url).path[1:]) or "/"
        faults = Faults(system, broker, vhost, broker_down=options.broker_down, stall=options.stall, say=say,
                        backlog=lambda service: state.backlog(broker, vhost, f"{service}.events"))
        origin = time.monotonic()
        load.start()
        faults.start(schedule, origin)
        while (left := origin + seconds - time.monotonic()) > 0:
            time.sleep(min(15.0, left))
            works = outcome_counts(load.requests).get("work", {})
            say(f"[chaos] {time.monotonic() - origin:6.1f} s  works: " +
                ", ".join(f"{o} {n}" for o, n in works.items() if n))
        faults.stop()
        load.stop()
        say(f"[chaos] load stopped; settling (up to {options.settle:.0f} s)")
        counts = settle(system, load, options.settle)
        summary = summarise(options, seconds, len(schedule), kinds, faults, origin, load, counts)
        summary.update(cluster=broker.clustered, dead_lettered=state.dead_lettered(broker, vhost),
                       unsent_outbox=state.unsent(system))
        if broker.clustered:
            summary["replicas"] = broker.replicas(vhost)
    finally:
        supervisor.request_stop()  # first: Ctrl-C reached the services too, and they stay stopped
        if faults is not None:
            faults.stop()
        if load is not None:
            load.stop()
        if kinds & GLOBAL_KINDS:
            servers_up(broker)
        watcher.join(5)
        system.stop()
        asyncio.run(drop_databases(servers, system.prefix))
    if summary["ok"]:
        shutil.rmtree(logs, ignore_errors=True)
    else:
        say(f"[chaos] service logs kept in {logs}")
    return summary


def summarise(options, seconds: float, planned: int, kinds: frozenset[str], faults: Faults, origin: float,
              load: Load, counts: dict) -> dict:
    """The soak's figures (see tally.table): faults injected with their targets and outages, requests by outcome,
    what was lost or applied twice, and whether the soak passed."""
    injected = [(kind, started) for kind, _, started, _ in faults.injected]
    return {
        "profile": options.profile, "seconds": seconds, "rate": options.rate, "faults_planned": planned,
        "faults": {kind: sum(1 for f in faults.injected if f[0] == kind) for kind in KINDS if kind in kinds},
        "fault_log": [{"kind": k, "target": t, "at_s": round(s - origin, 1), "took_s": round(e - s, 1),
                       "unavailable_s": outage}
                      for (k, t, s, e), outage in zip(faults.injected, outages(injected, load.requests), strict=True)],
        "requests": outcome_counts(load.requests), **counts, "stall_backlogs": faults.stall_backlogs,
        "unavailability_s": longest_unavailability(injected, load.requests),
        "not_ready_s": longest_not_ready([(kind, s, e) for kind, _, s, e in faults.injected], load.readiness),
        "fault_error": repr(faults.error) if faults.error else None,
        "ok": not faults.error and not any(counts[k]["lost"] or counts[k]["duplicated"] for k in counts),
    }
