"""`hami`: the operators' command-line tool."""

import argparse
import asyncio
import os
import sys

from ops import ledger as ledger_tasks
from ops import tasks
from services.registry.settings import DEFAULT_ADMIN_PASSWORD
from shared.launcher import SERVICES
from shared.settings import DEFAULT_PORTS


def _add(commands, name: str, func, help_text: str) -> argparse.ArgumentParser:
    parser = commands.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(func=func)
    return parser


def parser() -> argparse.ArgumentParser:
    """Every subcommand and its options."""
    root = argparse.ArgumentParser(prog="hami", description="Hami festival platform: operator tools")
    commands = root.add_subparsers(dest="command", required=True)
    _add(commands, "run", tasks.run_all, "start all four services locally (foreground, Ctrl-C stops)")
    migrate = _add(commands, "migrate", tasks.migrate_all, "create and migrate the services' databases")
    migrate.add_argument("services", nargs="*", metavar="SERVICE", help=f"any of {', '.join(SERVICES)}")
    asyncapi = _add(commands, "asyncapi", tasks.write_asyncapi,
                    "regenerate docs/asyncapi.json and say what changed in the public events since their release")
    asyncapi.add_argument("--release", metavar="VERSION", help="keep the current public events as this release")
    structure = _add(commands, "structure", tasks.load_structure, "load or reload the festival structure file")
    structure.add_argument("file", nargs="?", help="default: deploy/festival-structure.yaml")
    staff = _add(commands, "staff", tasks.create_staff, "create a staff account appointed to a body")
    for option in ("--username", "--password", "--name", "--body", "--role"):
        staff.add_argument(option, required=True)
    staff.add_argument("--mobile")
    staff.add_argument("--email")
    outbox = _add(commands, "outbox", tasks.show_outbox, "show each service's unsent events and the oldest's age")
    outbox.add_argument("services", nargs="*", metavar="SERVICE")
    dead = _add(commands, "dead-letters", tasks.dead_letters, "list, show or replay dead letters")
    dead.add_argument("action", choices=["list", "show", "replay"])
    dead.add_argument("service", nargs="?", choices=SERVICES)
    dead.add_argument("--limit", type=int, default=20)
    ledger = _add(commands, "ledger", ledger_tasks.ledger,
                  "verify the ledger (its hash chain, signed checkpoints and witnesses), sign a checkpoint now, "
                  "print the checkpoints for a witness, or replay events from it")
    ledger.add_argument("action", choices=["verify", "checkpoint", "checkpoints", "replay"])
    ledger.add_argument("--witness", action="append", metavar="FILE",
                        help="checkpoints another system kept (JSON; repeatable): verify finds them in the chain")
    ledger.add_argument("--type", help="only this event type")
    ledger.add_argument("--after-seq", type=int, default=0)
    ledger.add_argument("--limit", type=int, default=10_000)
    ledger.add_argument("--to", choices=SERVICES, help="straight to one service's queue (rebuild its projection)")
    _demo_options(_add(commands, "demo", tasks.demo, "fill a running system with a whole demo festival"))
    return root


def _demo_options(demo: argparse.ArgumentParser) -> None:
    for name, port in DEFAULT_PORTS.items():
        demo.add_argument(f"--{name}", default=f"http://127.0.0.1:{port}", metavar="URL", help=f"{name}'s base URL")
    demo.add_argument("--admin-username", default=os.environ.get("HAMI_ADMIN_USERNAME", "secretary"))
    demo.add_argument("--admin-password", default=os.environ.get("HAMI_ADMIN_PASSWORD", DEFAULT_ADMIN_PASSWORD),
                      help="the festival secretary's password (default: HAMI_ADMIN_PASSWORD, else the development one)")
    demo.add_argument("--password", default="hami-demo-password",
                      help="password of every account the demo creates (development only)")
    demo.add_argument("--edition", default="1405", help="the edition to play (its call must not exist yet)")
    demo.add_argument("--districts", type=_districts, default="1,6,7,12,15",
                      help="districts whose festival offices submit works (comma-separated, 1-22)")
    demo.add_argument("--works", type=int, default=105)
    demo.add_argument("--quota", type=int, default=2, help="works per category advancing from each district")
    demo.add_argument("--ack-seconds", type=float, default=30.0,
                      help="acknowledgement window of the opening decision; district 22 lets it pass")


def _districts(text: str) -> tuple[int, ...]:
    """1,6,7 -> (1, 6, 7); anything else is a usage error."""
    try:
        districts = tuple(int(part) for part in text.split(","))
    except ValueError:
        districts = ()
    if not districts or not all(1 <= d <= 22 for d in districts) or len(set(districts)) != len(districts):
        raise argparse.ArgumentTypeError(f"{text!r}: give distinct district numbers 1-22, comma-separated")
    return districts


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `hami` command."""
    args = parser().parse_args(argv)
    result = args.func(args)
    return asyncio.run(result) if asyncio.iscoroutine(result) else result


if __name__ == "__main__":
    sys.exit(main())
