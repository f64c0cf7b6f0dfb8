"""What each `hami` subcommand does."""

import argparse
import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import httpx

from ops import bus, dev_servers, preflight
from ops.demo import STEPS, DemoPlan, Progress, run_demo
from ops.festival import Festival, StepFailed, festival_client
from ops.settings import LOCAL_DATABASE_SERVER, amqp_url, database_prefix, database_url, migration_url, runtime_role
from ops.supervisor import Supervisor
from shared.db import make_engine
from shared.launcher import SERVICES, ServiceProcess, service_env
from shared.messaging.outbox import backlog
from shared.migrate import migrate
from shared.settings import DEFAULT_PORTS

STRUCTURE_FILE = Path(__file__).resolve().parent.parent / "deploy" / "festival-structure.yaml"


def run_all(_args: argparse.Namespace) -> int:
    """Check both servers, start the four services as local processes and supervise them (a service that dies is
    restarted with backoff) in the foreground until Ctrl-C."""
    server = os.environ.get("HAMI_DATABASE_SERVER", LOCAL_DATABASE_SERVER)
    ports = {name: int(os.environ.get(f"HAMI_{name.upper()}_PORT", port)) for name, port in DEFAULT_PORTS.items()}
    # The demo runs on one machine: webhooks may reach receivers on it (production refuses this setting).
    local = {"HAMI_WEBHOOK_ALLOW_PRIVATE_TARGETS": os.environ.get(
        "HAMI_WEBHOOK_ALLOW_PRIVATE_TARGETS", "false" if os.environ.get("HAMI_ENV") == "production" else "true")}
    # Each service migrates as the server's user (the owner) and then runs as hami_<service>_app, a role that owns
    # nothing (created on the first start; the local server trusts it), so the ledger holds here too.
    processes = [ServiceProcess(name, service_env(name, database_server=server, amqp_url=amqp_url(), ports=ports,
                                                  database_prefix=database_prefix(),
                                                  extra=local if name == "notifications" else None))
                 for name in SERVICES]
    # Both servers first: one line now rather than four services retrying for minutes.
    try:
        problem = _servers_missing(server)
    except KeyboardInterrupt:
        return 130  # Ctrl-C before anything started: nothing to stop
    if problem:
        print(problem, file=sys.stderr, flush=True)
        return 1
    supervisor = Supervisor(processes, say=lambda line: print(line, flush=True))
    signal.signal(signal.SIGINT, supervisor.request_stop)
    signal.signal(signal.SIGTERM, supervisor.request_stop)
    started = time.monotonic()
    supervisor.start()
    try:
        while not supervisor.stopping and not supervisor.all_ready():
            supervisor.check()  # a service that dies while starting is restarted as well
            time.sleep(0.3)
        if not supervisor.stopping:
            _say_ready(processes, time.monotonic() - started)
        supervisor.watch()
    finally:
        supervisor.stop()
    return 0


def _servers_missing(server: str) -> str | None:
    """One line saying which server cannot be reached, or None; where Docker can start the missing ones on their
    standard local ports (deploy/dev-servers.yml), it does first."""
    problem = asyncio.run(preflight.unreachable(server, amqp_url()))
    if problem and dev_servers.applies(server, amqp_url()) and dev_servers.docker_engine():
        if dev_servers.start(lambda line: print(line, flush=True)):
            problem = asyncio.run(preflight.unreachable(server, amqp_url()))
    return problem


def _say_ready(processes: list[ServiceProcess], seconds: float) -> None:
    print(f"\nHami is ready in {seconds:.1f}s. Open {processes[0].url}/ in a browser "
          "(the festival's pages; staff sign in there).", flush=True)
    print("JSON APIs for other systems:", flush=True)
    for process in processes:
        print(f"  {process.name:<14} {process.url}/docs", flush=True)
    print("Ctrl-C stops everything; a service that dies is restarted.", flush=True)


async def migrate_all(args: argparse.Namespace) -> int:
    """Create each service's database if needed, bring it to the newest migration as its owner, and grant the role
    the service runs as what it needs (compose's one-shot `migrate` step)."""
    for name in args.services or SERVICES:
        await migrate(name, migration_url(name), runtime_role=runtime_role(name))
        print(f"{name}: migrated; runs as {runtime_role(name)}", flush=True)
    return 0


def write_asyncapi(args: argparse.Namespace) -> int:
    """Regenerate docs/asyncapi.json from the contracts and say what changed in the public events since their last
    release (non-zero on a breaking change); with --release VERSION, keep the current ones as that release."""
    from shared.asyncapi import DOCUMENT, render
    from shared.contracts.compatibility import compare, latest_release, public_schemas, release

    DOCUMENT.parent.mkdir(exist_ok=True)
    DOCUMENT.write_text(render(), encoding="utf-8")
    print(f"wrote {DOCUMENT}", flush=True)
    if getattr(args, "release", None):
        print(f"released the public events as {release(args.release)}", flush=True)
        return 0
    if (latest := latest_release()) is None:
        print("no release of the public events yet (hami asyncapi --release 1.0.0 makes one)", flush=True)
        return 0
    version, released = latest
    changes = compare(released, public_schemas())
    for line in changes.compatible:
        print(f"  compatible since {version}: {line}", flush=True)
    for line in changes.breaking:
        print(f"  BREAKING since {version}: {line}", flush=True)
    if not changes.breaking and not changes.compatible:
        print(f"public events: as released in {version}", flush=True)
    return 1 if changes.breaking else 0


async def load_structure(args: argparse.Namespace) -> int:
    """Load or reload the structure file into the registry; prints the changes it published."""
    from services.registry.structure.usecases import load_structure as load

    engine = make_engine(database_url("registry"))
    try:
        changes = await load(engine, Path(args.file) if args.file else STRUCTURE_FILE)
    finally:
        await engine.dispose()
    for event_type, count in sorted(changes.items()):
        print(f"{count:5d}  {event_type}")
    print("no changes" if not changes else f"{sum(changes.values())} events queued", flush=True)
    return 0


async def create_staff(args: argparse.Namespace) -> int:
    """Create a person, their account and one appointment (the registry publishes the events)."""
    from services.registry.identity.db import username_taken
    from services.registry.identity.usecases import create_staff as create

    engine = make_engine(database_url("registry"))
    try:
        async with engine.begin() as conn:
            if await username_taken(conn, username=args.username):
                print(f"username {args.username!r} is taken", flush=True)
                return 1
            await create(conn, username=args.username, password=args.password, name=args.name,
                         body_code=args.body, role=args.role, by="hami-cli", mobile=args.mobile, email=args.email)
    finally:
        await engine.dispose()
    print(f"created {args.username} as {args.role} of {args.body}", flush=True)
    return 0


async def show_outbox(args: argparse.Namespace) -> int:
    """Unsent events per service and the age of the oldest."""
    from sqlalchemy import MetaData

    from shared.db import outbox_table

    table = outbox_table(MetaData())
    for name in args.services or SERVICES:
        engine = make_engine(database_url(name))
        try:
            async with engine.connect() as conn:
                count, age = await backlog(conn, table)
            print(f"{name:<14} {count:7d} unsent   oldest {age:8.1f} s", flush=True)
        finally:
            await engine.dispose()
    return 0


async def dead_letters(args: argparse.Namespace) -> int:
    """List depths, show the first messages of a service, or replay them to its queue."""
    if args.action == "list":
        for name, depth in (await bus.dead_letter_depths(amqp_url())).items():
            print(f"{name:<14} {depth:7d}", flush=True)
        return 0
    if not args.service:
        print("name a service", flush=True)
        return 2
    if args.action == "show":
        for message in await bus.peek(amqp_url(), args.service, args.limit):
            print(message, flush=True)
        return 0
    moved = await bus.replay(amqp_url(), args.service, args.limit)
    print(f"replayed {moved} dead letters to {args.service}", flush=True)
    return 0


def demo(args: argparse.Namespace) -> int:
    """Play a whole demo festival on a running system over its HTTP interfaces, showing progress."""
    plan = DemoPlan(districts=args.districts, works=args.works, quota=args.quota, ack_seconds=args.ack_seconds)
    urls = {name: getattr(args, name).rstrip("/") for name in SERVICES}
    with festival_client() as client:
        festival = Festival(urls, admin=(args.admin_username, args.admin_password), edition=args.edition,
                            password=args.password, client=client)
        try:
            run_demo(festival, plan, Progress(STEPS))
        except (StepFailed, httpx.HTTPError) as error:
            print(f"demo stopped: {error}", file=sys.stderr)
            return 1
    return 0
