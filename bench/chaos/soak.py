"""One soak from start to figures: the four services on a private vhost and databases, the load, the faults, a
settle period, then every accepted work and decision looked for in every place that should hold it."""

import asyncio
import shutil
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bench.chaos import state
from bench.chaos.faults import Faults, servers_up
from bench.chaos.load import DISTRICTS, Load
from bench.chaos.schedule import GLOBAL_KINDS, KINDS, PROFILES, build_schedule
from bench.chaos.tally import longest_unavailability, outages, outcome_counts, reconcile
from ops.supervisor import Supervisor
from tests.support.servers import private_vhost, provide_servers
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


def soak(options) -> dict:
    """Run one soak with the parsed options; returns its summary (see tally.table)."""
    profile = PROFILES[options.profile]
    seconds = 60 * (options.minutes or profile.minutes)
    kinds = frozenset(options.faults or KINDS)
    schedule = build_schedule(profile, seconds=seconds, kinds=kinds)
    logs = Path(tempfile.mkdtemp(prefix="hami-chaos-"))
    with provide_servers() as servers, private_vhost(servers) as amqp_url:
        if kinds & GLOBAL_KINDS and not servers.local_broker:
            raise SystemExit("broker and PostgreSQL faults need the local servers (rabbitmqctl, pg_ctlcluster)")
        say(f"[chaos] {options.profile} profile, {seconds:.0f} s, {len(schedule)} faults; service logs in {logs}")
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
            faults = Faults(system, broker_down=options.broker_down, stall=options.stall, say=say,
                            backlog=lambda service: state.backlog(vhost, f"{service}.events"))
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
            summary = {
                "profile": options.profile, "seconds": seconds, "rate": options.rate,
                "faults_planned": len(schedule),
                "faults": {kind: sum(1 for f in faults.injected if f[0] == kind) for kind in KINDS if kind in kinds},
                "fault_log": [{"kind": k, "target": t, "at_s": round(s - origin, 1), "took_s": round(e - s, 1),
                               "unavailable_s": outage} for (k, t, s, e), outage in
                              zip(faults.injected, outages([(f[0], f[2]) for f in faults.injected], load.requests),
                                  strict=True)],
                "requests": outcome_counts(load.requests), **counts,
                "dead_lettered": state.dead_lettered(vhost), "stall_backlogs": faults.stall_backlogs,
                "unsent_outbox": state.unsent(system),
                "unavailability_s": longest_unavailability([(f[0], f[2]) for f in faults.injected], load.requests),
                "fault_error": repr(faults.error) if faults.error else None,
            }
            summary["ok"] = not faults.error and not any(counts[k]["lost"] or counts[k]["duplicated"] for k in counts)
        finally:
            supervisor.request_stop()  # first: Ctrl-C reached the services too, and they stay stopped
            if faults is not None:
                faults.stop()
            if load is not None:
                load.stop()
            if kinds & GLOBAL_KINDS:
                servers_up()
            watcher.join(5)
            system.stop()
            asyncio.run(drop_databases(servers, system.prefix))
    if summary["ok"]:
        shutil.rmtree(logs, ignore_errors=True)
    else:
        say(f"[chaos] service logs kept in {logs}")
    return summary
