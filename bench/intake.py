"""Benchmark: works intake under concurrent submissions, next to a minimal baseline measured in the same run.

Starts the four services (shared.launcher) on a private RabbitMQ vhost and private databases, plus
bench/baseline_app.py, opens a call, then loads each with wrk (bench/intake.lua: a fresh valid work per
request), first with 32 concurrent clients (saturating), then with 4, then paced so that works arrive at half the
saturating run's rate (8 clients pausing a random time between requests), and reports for each run:
  (a) the HTTP response: throughput and p50/p99 latency (wrk's latency distribution);
  (b) the time until the work is in evaluation's projection: evaluation's works.projected_at minus the
      submission's created_at (the baseline: its own consumer's projection table), p50/p99.
  and the CPU each process used during the run (RabbitMQ's and PostgreSQL's include anything else using them);
  then each process's memory: resident idle (ready, before the load) and at its highest under the load (VmHWM).
Each run starts once every queue of the vhost is empty (dead letters aside): a burst's tail, drained by notifications
and the ledger after it, would otherwise share the cores with the next run. Everything it created is removed at the
end. Runs in about 2 minutes on a 2-core machine.

Usage: .venv/bin/python bench/intake.py [--duration 12] [--connections 32] [--light 4] [--json results.json]
Needs wrk (`apt-get install wrk`), RabbitMQ with rabbitmqctl, and PostgreSQL: HAMI_TEST_AMQP_URL and
HAMI_TEST_DATABASE_URL, or the local defaults.
"""

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shared.db import runtime_role_name  # noqa: E402
from shared.launcher import SERVICES, ServiceProcess, service_env  # noqa: E402
from shared.migrate import migrate  # noqa: E402
from shared.persian import format_jalali_date  # noqa: E402

AMQP = os.environ.get("HAMI_TEST_AMQP_URL") or "amqp://guest:guest@127.0.0.1:5672/"
DATABASE = os.environ.get("HAMI_TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
ADMIN_PASSWORD, STAFF_PASSWORD = "bench-secretary-password", "bench-staff-password"
PACED_CLIENTS = 8
DISTRICTS = {3: "ونک", 7: "نظام آباد", 12: "بازار", 22: "زیبادشت"}
EDITION = "1405"


@dataclass
class Result:
    """One measured run."""

    name: str
    connections: int
    requests: int
    seconds: float
    throughput: float
    non_2xx: int
    http_p50_ms: float
    http_p99_ms: float
    http_mean_ms: float
    projected: int
    projection_p50_ms: float
    projection_p99_ms: float
    cpu_cores: dict[str, float]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", *args], capture_output=True, text=True, timeout=120, check=True)


def wait_quiet(vhost: str, timeout: float = 180.0) -> None:
    """Wait until every queue of the vhost is empty: what the previous run left (notifications and the ledger
    drain after a burst) must not share the cores with the next run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        listed = subprocess.run(["rabbitmqctl", "list_queues", "-q", "-p", vhost, "name", "messages"],
                                capture_output=True, text=True, timeout=120).stdout.splitlines()
        rows = [line.split() for line in listed]
        if all(row[1] == "0" for row in rows if len(row) == 2 and row[1].isdigit()
               and not row[0].endswith("dead-letter")):
            return
        time.sleep(1)
    print(f"[bench] queues still busy after {timeout:.0f}s", flush=True)


def database_url(name: str, driver: str = "postgresql") -> str:
    parts = urlsplit(DATABASE)
    return urlunsplit((driver, parts.netloc, f"/{name}", "", ""))


async def query(name: str, sql: str, *args: object) -> list:
    """Rows of one query on a database (waiting a little if the server is out of connections)."""
    for attempt in range(20):
        try:
            connection = await asyncpg.connect(database_url(name))
            break
        except asyncpg.TooManyConnectionsError:
            await asyncio.sleep(0.5 * (attempt + 1))
    else:
        raise RuntimeError("PostgreSQL has no free connection")
    try:
        return await connection.fetch(sql, *args)
    finally:
        await connection.close()


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def wrk(url: str, targets: Path, *, seconds: int, connections: int, pause_ms: float = 0.0) -> dict:
    """Run wrk with the intake script (each connection pausing about pause_ms between requests, when given);
    returns requests, seconds, throughput, non-2xx, p50 and p99 (ms)."""
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
         "-s", str(ROOT / "bench" / "intake.lua"), url, "--", str(targets), EDITION, f"{pause_ms:.1f}"],
        capture_output=True, text=True, check=True, timeout=seconds + 60).stdout

    def duration_ms(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    requests, elapsed = re.search(r"(\d+) requests in ([\d.]+)(m?s)", output).groups()[:2]
    unit = re.search(r"\d+ requests in [\d.]+(m?s)", output).group(1)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"requests": int(requests), "seconds": float(elapsed) * (60 if unit == "m" else 1),
            "throughput": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
            "http_p50_ms": duration_ms("50%"), "http_p99_ms": duration_ms("99%"),
            "http_mean_ms": duration_ms("Latency")}


async def projection_lags(name: str, created_sql: str, projected_db: str, projected_sql: str, since: datetime,
                          until: datetime, timeout: float = 60.0) -> list[float]:
    """Milliseconds from each work's created_at to its projected_at, once every work is projected."""
    created = {r[0]: r[1] for r in await query(name, created_sql, since, until)}
    deadline = time.monotonic() + timeout
    while True:
        projected = {r[0]: r[1] for r in await query(projected_db, projected_sql, list(created))}
        if len(projected) == len(created) or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    return [(projected[k] - created[k]).total_seconds() * 1000 for k in created if k in projected]


def cpu_seconds(pids: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds (user + system) used so far by each group of processes and their ended children: a PostgreSQL
    backend that ends moves its time to the postmaster's children's time, so no time is lost between readings."""
    tick, used = os.sysconf("SC_CLK_TCK"), {}
    for name, group in pids.items():
        used[name] = 0.0
        for pid in group:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            used[name] += sum(int(value) for value in fields[11:15]) / tick  # utime, stime, cutime, cstime
    return used


def memory_mb(pids: dict[str, int], field: str) -> dict[str, float]:
    """One memory figure of /proc/<pid>/status per process, in MB: VmRSS (resident now) or VmHWM (the most it
    has been resident since it started)."""
    found = {}
    for name, pid in pids.items():
        status = Path(f"/proc/{pid}/status").read_text()
        found[name] = round(int(re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)[1]) / 1024, 1)
    return found


def memory_report(idle: dict[str, float], peak: dict[str, float]) -> str:
    """A Markdown table of each process's memory."""
    lines = ["| process | resident idle (MB) | highest under load (MB) |", "|---|---|---|"]
    lines += [f"| {name} | {idle[name]:.0f} | {peak[name]:.0f} |" for name in idle]
    return "\n".join(lines)


def shared_servers() -> dict[str, list[int]]:
    """RabbitMQ's and PostgreSQL's processes now (shared with anything else using them). By process name: a
    command line naming postgres (the baseline's database URL) is not PostgreSQL's."""
    def pids(name: str) -> list[int]:
        found = subprocess.run(["pgrep", "-x", name], capture_output=True, text=True).stdout.split()
        return [int(pid) for pid in found]
    return {"rabbitmq": pids("beam.smp"), "postgresql": pids("postgres")}


def pause_ms(rate: float | None, connections: int, response_ms: float) -> float:
    """Each connection's mean pause between requests for works to arrive at `rate` a second (0: no pacing)."""
    return max(1.0, connections / rate * 1000 - response_ms) if rate else 0.0


def measure(name: str, url: str, targets: Path, args, connections: int, lags, pids: dict[str, list[int]],
            rate: float | None = None) -> Result:
    """Warm up, then one measured wrk run: its HTTP figures, each process's CPU, and the projection lags. With a
    rate the requests are paced to it: each connection's cycle is its pause and a response, so the warm-up's mean
    response time is taken off the pause."""
    warm = wrk(url, targets, seconds=args.warmup, connections=connections, pause_ms=pause_ms(rate, connections, 0))
    pause = pause_ms(rate, connections, warm["http_mean_ms"])
    # The servers' processes are listed at each reading: backends that start during the run count too.
    since, before = datetime.now(UTC), cpu_seconds(pids | shared_servers())
    http = wrk(url, targets, seconds=args.duration, connections=connections, pause_ms=pause)
    until, after = datetime.now(UTC), cpu_seconds(pids | shared_servers())
    elapsed = (until - since).total_seconds()
    cores = {key: round((after[key] - before[key]) / elapsed, 2) for key in after}
    values = asyncio.run(lags(since, until))
    return Result(name=name, connections=connections, **http, projected=len(values),
                  projection_p50_ms=percentile(values, 0.5), projection_p99_ms=percentile(values, 0.99),
                  cpu_cores=cores)


def prepare(urls: dict[str, str], prefix: str, targets: Path) -> None:
    """Staff accounts of four districts, their neighbourhoods known, and the edition's call open."""
    registry, submissions = urls["registry"], urls["submissions"]

    def token(username: str, password: str) -> str:
        response = httpx.post(f"{registry}/auth/token", json={"username": username, "password": password})
        response.raise_for_status()
        return response.json()["access_token"]

    admin = {"Authorization": f"Bearer {token('secretary', ADMIN_PASSWORD)}"}
    lines = []
    for district, neighbourhood in DISTRICTS.items():
        username = f"bench.d{district:02d}"
        httpx.post(f"{registry}/accounts", headers=admin, json={
            "username": username, "password": STAFF_PASSWORD, "name": f"کارشناس منطقه {district}",
            "memberships": [{"body": f"district-{district:02d}", "role": "staff"}]}).raise_for_status()
        lines.append(f"{token(username, STAFF_PASSWORD)}\t{district}\t{neighbourhood}")
    targets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    deadline = time.monotonic() + 60
    while asyncio.run(query(f"{prefix}submissions", "SELECT count(*) FROM neighbourhoods"))[0][0] < 349:
        if time.monotonic() > deadline:
            raise TimeoutError("submissions never learnt the neighbourhoods")
        time.sleep(0.2)
    now = datetime.now(UTC)
    httpx.post(f"{submissions}/editions", json={"code": EDITION}, headers=admin).raise_for_status()
    httpx.put(f"{submissions}/editions/{EDITION}/call", headers=admin, json={
        "opens_on": format_jalali_date(now, persian_digits=False),
        "closes_on": format_jalali_date(now.replace(year=now.year + 1), persian_digits=False)}).raise_for_status()
    httpx.post(f"{submissions}/editions/{EDITION}/call/open", headers=admin).raise_for_status()


def start(prefix: str, amqp_url: str, log_dir: Path) -> tuple[dict[str, ServiceProcess], ServiceProcess]:
    """The four services and the baseline, started together; waits until each answers."""
    ports = {name: free_port() for name in (*SERVICES, "baseline")}
    server = database_url("postgres", "postgresql+asyncpg").rsplit("/", 1)[0]
    # Migrated beforehand, as compose's one-shot `migrate` step does: a running service then holds no Alembic.
    extra = {"HAMI_ADMIN_PASSWORD": ADMIN_PASSWORD, "HAMI_LOG_JSON": "true", "HAMI_MIGRATE_ON_START": "false"}
    for name in SERVICES:
        asyncio.run(migrate(name, f"{server}/{prefix}{name}", runtime_role=runtime_role_name(name)))
    services = {name: ServiceProcess(name, service_env(name, database_server=server, amqp_url=amqp_url, ports=ports,
                                                       database_prefix=prefix, extra=extra),
                                     log_path=log_dir / f"{name}.log") for name in SERVICES}
    asyncio.run(create_database(f"{prefix}baseline"))
    baseline = ServiceProcess("baseline", {"HAMI_HTTP_PORT": str(ports["baseline"])}, log_path=log_dir / "baseline.log",
                              command=[sys.executable, str(ROOT / "bench" / "baseline_app.py"), "--port",
                                       str(ports["baseline"]), "--database-url", database_url(f"{prefix}baseline"),
                                       "--amqp-url", amqp_url])
    for process in (*services.values(), baseline):
        process.start()
    for process in services.values():
        process.wait_ready(timeout=90)
    deadline = time.monotonic() + 30
    while not _answers(baseline.url):
        if baseline.process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"baseline did not start\n{baseline.log_tail()}")
        time.sleep(0.2)
    return services, baseline


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/openapi.json", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


async def create_database(name: str) -> None:
    connection = await asyncpg.connect(database_url("postgres"))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def drop_databases(prefix: str) -> None:
    connection = await asyncpg.connect(database_url("postgres"))
    try:
        for name in (*SERVICES, "baseline"):
            await connection.execute(f'DROP DATABASE IF EXISTS "{prefix}{name}" WITH (FORCE)')
    finally:
        await connection.close()


def report(results: list[Result]) -> str:
    """A Markdown table of the runs, with where the CPU went."""
    lines = ["| endpoint | clients | requests | throughput (req/s) | HTTP p50 / p99 (ms) | "
             "in projection p50 / p99 (ms) | CPU (cores) |", "|---|---|---|---|---|---|---|"]
    for r in results:
        cpu = ", ".join(f"{name} {cores:.2f}" for name, cores in r.cpu_cores.items())
        lines.append(f"| {r.name} | {r.connections} | {r.requests} ({r.non_2xx} non-2xx) | {r.throughput:.0f} | "
                     f"{r.http_p50_ms:.1f} / {r.http_p99_ms:.1f} | "
                     f"{r.projection_p50_ms:.0f} / {r.projection_p99_ms:.0f} | {cpu} |")
    return "\n".join(lines)


def main() -> None:
    """Start, prepare, measure intake then the baseline, report, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=12, help="seconds of each measured run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up before each run")
    parser.add_argument("--connections", type=int, default=32, help="concurrent clients of the saturating runs")
    parser.add_argument("--light", type=int, default=4, help="concurrent clients of the lighter runs")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if shutil.which("wrk") is None or shutil.which("rabbitmqctl") is None:
        sys.exit("needs wrk (apt-get install wrk) and a local RabbitMQ with rabbitmqctl")
    started, load_before = time.monotonic(), os.getloadavg()[0]
    prefix, vhost = f"hami_bench{uuid.uuid4().hex[:6]}_", f"hami-bench-{uuid.uuid4().hex[:6]}"
    parts = urlsplit(AMQP)
    rabbitmqctl("add_vhost", vhost)
    rabbitmqctl("set_permissions", "-p", vhost, parts.username or "guest", ".*", ".*", ".*")
    amqp_url = urlunsplit((parts.scheme, parts.netloc, "/" + quote(vhost, safe=""), "", ""))
    processes: list[ServiceProcess] = []
    try:
        with tempfile.TemporaryDirectory(prefix="hami-bench-") as scratch:
            services, baseline = start(prefix, amqp_url, Path(scratch))
            processes = [*services.values(), baseline]
            targets = Path(scratch) / "targets.tsv"
            prepare({name: p.url for name, p in services.items()}, prefix, targets)
            print(f"[bench] system ready in {time.monotonic() - started:.1f}s", flush=True)
            service_pids = {name: [p.process.pid] for name, p in services.items()}
            every_pid = {name: pids[0] for name, pids in service_pids.items()} | {"baseline": baseline.process.pid}
            time.sleep(5)  # idle: ready, the preparation's events consumed
            idle = memory_mb(every_pid, "VmRSS")
            intake_lags = lambda s, u: projection_lags(  # noqa: E731
                f"{prefix}submissions", "SELECT id, created_at FROM works WHERE created_at BETWEEN $1 AND $2",
                f"{prefix}evaluation", "SELECT work_id, projected_at FROM works WHERE work_id = ANY($1::uuid[])", s, u)
            baseline_lags = lambda s, u: projection_lags(  # noqa: E731
                f"{prefix}baseline", "SELECT id, created_at FROM works WHERE created_at BETWEEN $1 AND $2",
                f"{prefix}baseline", "SELECT work_id, projected_at FROM projection WHERE work_id = ANY($1::uuid[])",
                s, u)
            results = []
            for run, connections in enumerate((args.connections, args.light, PACED_CLIENTS)):
                # The last run is paced at half the saturating run's rate: the latency target's condition.
                rate = results[0].throughput / 2 if run == 2 else None
                named = f", paced at {rate:.0f}/s" if rate else ""
                wait_quiet(vhost)
                results.append(measure(f"submissions POST /works{named}", services["submissions"].url, targets,
                                       args, connections, intake_lags, service_pids, rate))
                wait_quiet(vhost)
                results.append(measure(f"baseline{named}", baseline.url, targets, args, connections, baseline_lags,
                                       {"baseline": [baseline.process.pid]}, rate))
            peak = memory_mb(every_pid, "VmHWM")
            for process in processes:
                process.stop()
    finally:
        for process in processes:
            process.stop()
        asyncio.run(drop_databases(prefix))
        subprocess.run(["rabbitmqctl", "delete_vhost", vhost], capture_output=True, timeout=120)
    print(report(results))
    print(memory_report(idle, peak))
    print(f"[bench] {args.duration}s per run, {time.monotonic() - started:.0f}s "
          f"in all; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after (2 cores: anything "
          f"else running skews both rows)", flush=True)
    if args.json:
        args.json.write_text(json.dumps({"runs": [asdict(r) for r in results],
                                         "memory_mb": {"idle": idle, "peak": peak}}, indent=2))


if __name__ == "__main__":
    main()
