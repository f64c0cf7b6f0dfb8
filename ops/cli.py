"""`hami`: the operators' command-line tool."""

import argparse
import asyncio
import os
import signal
import sys
import time

from shared.launcher import DEFAULT_PORTS, SERVICES, ServiceProcess, service_env

LOCAL_DATABASE_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432"
LOCAL_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"


def run_all(_args: argparse.Namespace) -> int:
    """Start the four services as local processes and stay in the foreground until Ctrl-C."""
    server = os.environ.get("HAMI_DATABASE_SERVER", LOCAL_DATABASE_SERVER)
    amqp = os.environ.get("HAMI_AMQP_URL", LOCAL_AMQP_URL)
    ports = {name: int(os.environ.get(f"HAMI_{name.upper()}_PORT", port)) for name, port in DEFAULT_PORTS.items()}
    processes = [ServiceProcess(name, service_env(name, database_server=server, amqp_url=amqp, ports=ports))
                 for name in SERVICES]
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    started = time.monotonic()
    for process in processes:
        process.start()
    try:
        for process in processes:
            process.wait_ready(timeout=120)
        print(f"\nHami is ready in {time.monotonic() - started:.1f}s:", flush=True)
        for process in processes:
            print(f"  {process.name:<14} {process.url}/docs", flush=True)
        print("Ctrl-C stops everything.", flush=True)
        while not stopping and all(p.process.poll() is None for p in processes):
            time.sleep(0.5)
    finally:
        for process in reversed(processes):
            process.stop()
    return 0


def migrate_all(args: argparse.Namespace) -> int:
    """Create each service's database if needed and bring it to the newest migration."""
    from shared.migrate import migrate

    server = os.environ.get("HAMI_DATABASE_SERVER", LOCAL_DATABASE_SERVER)
    for name in args.services or SERVICES:
        url = os.environ.get(f"HAMI_{name.upper()}_DATABASE_URL", f"{server}/hami_{name}")
        asyncio.run(migrate(name, url))
        print(f"{name}: migrated", flush=True)
    return 0


def write_asyncapi(_args: argparse.Namespace) -> int:
    """Regenerate docs/asyncapi.json from the contracts."""
    from shared.asyncapi import DOCUMENT, render

    DOCUMENT.parent.mkdir(exist_ok=True)
    DOCUMENT.write_text(render(), encoding="utf-8")
    print(f"wrote {DOCUMENT}", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `hami` command."""
    parser = argparse.ArgumentParser(prog="hami", description="Hami festival platform: operator tools")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start all four services locally (foreground)").set_defaults(func=run_all)
    migrate = commands.add_parser("migrate", help="create and migrate the services' databases")
    migrate.add_argument("services", nargs="*", metavar="SERVICE", help=f"any of {', '.join(SERVICES)}")
    migrate.set_defaults(func=migrate_all)
    commands.add_parser("asyncapi", help="regenerate docs/asyncapi.json from the contracts").set_defaults(
        func=write_asyncapi)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
