"""Benchmark: server time of every page people use, with the demo festival's data, beside a baseline in the run.

Starts the four services on a private RabbitMQ vhost and private databases, plays `hami demo` into them (105 works,
a whole festival), signs in as each role the demo prints, then asks each page many times in turn and reads the
server's own time from the Server-Timing header (the request middleware measures it around everything the
service does for the request: session check, use case, queries, template). The baseline is each service's
`/health/live` through the same middleware, and the JSON route beside a page where one exists, so the cost of
rendering is visible. Prints a Markdown table (p50 / p95 / max in ms per page) and exits non-zero when a page's
p95 reaches the budget (100 ms). About 2 minutes on a 2-core machine.

Usage: .venv/bin/python bench/pages.py [--requests 60] [--json results.json]
Needs RabbitMQ with rabbitmqctl and PostgreSQL: HAMI_TEST_AMQP_URL and HAMI_TEST_DATABASE_URL, or the local
defaults.
"""

import argparse
import asyncio
import json
import re
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.intake import AMQP, database_url, drop_databases, free_port, percentile, rabbitmqctl  # noqa: E402
from shared.launcher import SERVICES, ServiceProcess, service_env  # noqa: E402
from shared.web.session import SESSION_COOKIE  # noqa: E402

ADMIN_PASSWORD, PASSWORD, EDITION = "bench-secretary-password", "bench-demo-password", "1404"
BUDGET_MS = 100.0
TIMING = re.compile(r"app;dur=([0-9.]+)")


@dataclass(frozen=True)
class Target:
    """One page (or its baseline) and who asks for it."""

    name: str
    service: str
    path: str
    who: str | None  # a username the demo printed, or None for citizens
    baseline: bool = False


def targets(work_id: str, district: int) -> list[Target]:
    """The pages of part I, each with the role that uses it, and the baselines beside them."""
    office, secretary = f"d{district:02d}.office", f"d{district:02d}.secretary"
    pages = [
        Target("sign-in page", "registry", "/sign-in", None),
        Target("desk (district secretary)", "registry", "/desk", secretary),
        Target("desk (festival secretary)", "registry", "/desk", "secretary"),
        Target("district decisions", "registry", "/district/decisions", secretary),
        Target("file a district report", "registry", f"/district/reports/new?district={district}", secretary),
        Target("district offices", "registry", "/district/offices", secretary),
        Target("festival's public page", "submissions", "/festival", None),
        Target("tracking page", "submissions", "/track", None),
        Target("enter a work", "submissions", "/office/works/new", office),
        Target("district's works list", "submissions", "/office/works", office),
        Target("a work's page", "submissions", f"/office/works/{work_id}", office),
        Target("receipt", "submissions", f"/office/works/{work_id}/receipt", office),
        Target("desk card: works today", "submissions", "/desk/card", office),
        Target("inbox", "notifications", "/staff/inbox", secretary),
        Target("unread badge", "notifications", "/staff/inbox/count", secretary),
        Target("public results", "evaluation", f"/festival/results/{EDITION}", None),
    ]
    baselines = [Target(f"baseline: {name} /health/live", name, "/health/live", None, True) for name in SERVICES]
    baselines += [Target("baseline: JSON works list", "submissions", "/works", office, True),
                  Target("baseline: JSON results", "evaluation", f"/results/{EDITION}", None, True)]
    return pages + baselines


@dataclass
class Timing:
    """Server times of one target."""

    name: str
    requests: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    baseline: bool


def measure(client: httpx.Client, url: str, tokens: dict[str, str], target: Target, requests: int) -> Timing:
    """Ask for the page `requests` times (after three warm-ups); the server's own time of each answer."""
    cookies = {SESSION_COOKIE: tokens[target.who]} if target.who else {}
    times = []
    for attempt in range(requests + 3):
        response = client.get(f"{url}{target.path}", cookies=cookies)
        if response.status_code != 200:
            raise SystemExit(f"{target.name}: {response.status_code} {response.text[:300]}")
        if attempt >= 3:
            times.append(float(TIMING.search(response.headers["server-timing"]).group(1)))
    return Timing(target.name, requests, percentile(times, 0.5), percentile(times, 0.95), max(times), target.baseline)


def play_demo(urls: dict[str, str]) -> str:
    """`hami demo` into the private system, as an operator runs it; its closing text."""
    demo = subprocess.run([sys.executable, "-m", "ops.cli", "demo", *[f"--{n}={u}" for n, u in urls.items()],
                           f"--admin-password={ADMIN_PASSWORD}", f"--password={PASSWORD}", f"--edition={EDITION}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    if demo.returncode != 0:
        raise SystemExit(f"the demo failed:\n{demo.stdout}\n{demo.stderr}")
    return demo.stdout


def sign_in_everyone(registry: str, printed: str) -> dict[str, str]:
    """A token for every account the demo printed, with the password it printed."""
    pairs = re.findall(r"^ +.+? {2,}(\S+) +password '([^']+)'$", printed, flags=re.MULTILINE)
    return {username: httpx.post(f"{registry}/auth/token", json={"username": username, "password": password})
            .raise_for_status().json()["access_token"] for username, password in pairs}


def a_work_of(submissions: str, token: str) -> tuple[str, int]:
    """A work of the demo (its id and district), as the district office sees it."""
    page = httpx.get(f"{submissions}/works", headers={"Authorization": f"Bearer {token}"}).raise_for_status().json()
    return page["items"][0]["id"], page["items"][0]["district"]


def report(timings: list[Timing]) -> str:
    """A Markdown table, pages first, then the baselines."""
    lines = ["| page | requests | p50 (ms) | p95 (ms) | max (ms) |", "|---|---|---|---|---|"]
    for t in sorted(timings, key=lambda t: t.baseline):
        lines.append(f"| {t.name} | {t.requests} | {t.p50_ms:.1f} | {t.p95_ms:.1f} | {t.max_ms:.1f} |")
    return "\n".join(lines)


def main() -> None:
    """Start, play the demo, measure every page and its baselines, report, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60, help="measured requests per page")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    started = time.monotonic()
    prefix, vhost = f"hami_pages{uuid.uuid4().hex[:6]}_", f"hami-pages-{uuid.uuid4().hex[:6]}"
    rabbitmqctl("add_vhost", vhost)
    rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    amqp_url = f"{AMQP.rstrip('/')}/{vhost}"
    processes: list[ServiceProcess] = []
    try:
        with tempfile.TemporaryDirectory(prefix="hami-pages-") as scratch:
            ports = {name: free_port() for name in SERVICES}
            server = database_url("postgres", "postgresql+asyncpg").rsplit("/", 1)[0]
            processes = [ServiceProcess(name, service_env(name, database_server=server, amqp_url=amqp_url,
                                                          ports=ports, database_prefix=prefix,
                                                          extra={"HAMI_ADMIN_PASSWORD": ADMIN_PASSWORD}),
                                        log_path=Path(scratch) / f"{name}.log") for name in SERVICES]
            for process in processes:
                process.start()
            for process in processes:
                process.wait_ready(timeout=90)
            urls = {p.name: p.url for p in processes}
            tokens = sign_in_everyone(urls["registry"], play_demo(urls))
            print(f"[bench] demo festival ready in {time.monotonic() - started:.0f}s", flush=True)
            office = next(u for u in tokens if u.endswith(".office"))
            work_id, district = a_work_of(urls["submissions"], tokens[office])
            with httpx.Client(timeout=30) as client:
                timings = [measure(client, urls[t.service], tokens, t, args.requests)
                           for t in targets(work_id, district) if t.who is None or t.who in tokens]
    finally:
        for process in processes:
            process.stop()
        asyncio.run(drop_databases(prefix))
        subprocess.run(["rabbitmqctl", "delete_vhost", vhost], capture_output=True, timeout=120)
    print(report(timings))
    slow = [t.name for t in timings if not t.baseline and t.p95_ms >= BUDGET_MS]
    print(f"[bench] {time.monotonic() - started:.0f}s in all; budget p95 < {BUDGET_MS:.0f} ms: "
          f"{'met by every page' if not slow else 'missed by ' + ', '.join(slow)}", flush=True)
    if args.json:
        args.json.write_text(json.dumps([asdict(t) for t in timings], indent=2, ensure_ascii=False))
    sys.exit(1 if slow else 0)


if __name__ == "__main__":
    main()
