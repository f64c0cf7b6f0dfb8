"""`python -m bench.chaos`: run a soak, print its table, write its JSON summary; exit 1 on any loss or
duplicate."""

import argparse
import json
import sys
from pathlib import Path

from bench.chaos.schedule import KINDS, PROFILES
from bench.chaos.soak import soak
from bench.chaos.tally import table


def options(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.chaos", description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=sorted(PROFILES), default="short",
                        help="short: 2.5 min, RabbitMQ's application and a whole node each stopped twice, 2 "
                             "PostgreSQL restarts, each service killed and stopped once, one stall; long: 12 min, "
                             "15 and 5, 5, twice each, 3 stalls")
    parser.add_argument("--cluster", action="store_true",
                        help="run against a three-node RabbitMQ cluster of the soak's own behind HAProxy (needs "
                             "haproxy); broker and node faults then hit the node leading most queues")
    parser.add_argument("--minutes", type=float, help="how long the load runs (default: the profile's)")
    parser.add_argument("--faults", type=lambda text: text.split(","), default=None,
                        help=f"only these kinds, comma-separated ({','.join(KINDS)}; default all)")
    parser.add_argument("--rate", type=float, default=6.0, help="works submitted per second")
    parser.add_argument("--decision-every", type=float, default=4.0, help="seconds between decisions")
    parser.add_argument("--broker-down", type=float, default=5.0,
                        help="seconds RabbitMQ's application (or a node) stays stopped")
    parser.add_argument("--stall", type=float, default=12.0, help="seconds evaluation's consumer is stalled")
    parser.add_argument("--prefetch", type=int, default=10, help="evaluation's prefetch (the stall goes past it)")
    parser.add_argument("--settle", type=float, default=120.0, help="seconds to wait for everything to arrive")
    parser.add_argument("--json", type=Path, help="write the summary here")
    parsed = parser.parse_args(argv)
    unknown = set(parsed.faults or ()) - set(KINDS)
    if unknown:
        parser.error(f"unknown fault kinds: {', '.join(sorted(unknown))}")
    return parsed


def main(argv: list[str] | None = None) -> int:
    """Run, report, and say by the exit code whether anything was lost or applied twice."""
    parsed = options(argv)
    try:
        summary = soak(parsed)
    except KeyboardInterrupt:
        print("[chaos] interrupted: the fault in progress undone, the services stopped, their databases and vhost "
              "removed", flush=True)
        return 130
    print(table(summary), flush=True)
    if parsed.json:
        parsed.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
