"""Least-privilege RabbitMQ users derived from the topology, and the broker definitions built from them.

Each service's user may configure only its own queues, write only to them (bindings), to the dead-letter
exchange (its queue's DLX) and to the exchanges it publishes to, and read only its own queues and the exchanges
it binds. Topic permissions let it publish only routing keys of its own events (`<service>.`). The external
user may only declare and consume `ext.*` queues bound to the public exchange. The shared exchanges and every
queue come from the definitions the broker loads at boot (`deploy/rabbitmq/definitions.json`, generated here),
so a service never needs to declare them.

`python -m shared.messaging.permissions render` prints the committed definitions; `... build --secrets DIR
--out FILE` adds the users with password hashes from the files `rabbitmq_<user>_password` in DIR.
"""

import argparse
import base64
import hashlib
import json
import re
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

from shared.contracts import ALL_EVENTS
from shared.messaging.topology import (
    CONSUMING_SERVICES,
    DEAD_LETTER_EXCHANGE,
    INTERNAL_EXCHANGE,
    PUBLIC_EXCHANGE,
    UNROUTED_EXCHANGE,
    UNROUTED_MAX_LENGTH,
    UNROUTED_QUEUE,
    ServiceQueue,
    service_queues,
)

DEFINITIONS_FILE = Path(__file__).resolve().parents[2] / "deploy" / "rabbitmq" / "definitions.json"
VHOST = "hami"
ADMIN = "admin"
EXTERNAL = "external"
EXTERNAL_PREFIX = "ext."
USERS = (ADMIN, *CONSUMING_SERVICES, EXTERNAL)
HASHING = "rabbit_password_hashing_sha256"
_NAME = re.compile(r"^[a-z0-9.-]+$")


@dataclass(frozen=True)
class Access:
    """The resources one user may configure, write and read (RabbitMQ's three permission kinds)."""

    configure: frozenset[str]
    write: frozenset[str]
    read: frozenset[str]

    def regexes(self) -> tuple[str, str, str]:
        """(configure, write, read) as anchored regular expressions for RabbitMQ."""
        return exact(self.configure), exact(self.write), exact(self.read)


def exact(names: frozenset[str]) -> str:
    """A regex matching exactly these names; '^$' (nothing) when there are none."""
    if not names:
        return "^$"
    assert all(_NAME.match(name) for name in names), names
    return "^(" + "|".join(name.replace(".", r"\.") for name in sorted(names)) + ")$"


def publishes_to(service: str) -> frozenset[str]:
    """The exchanges a service's contracts go to."""
    return frozenset(PUBLIC_EXCHANGE if event.public else INTERNAL_EXCHANGE
                     for event in ALL_EVENTS if event.service == service)


def bound_exchanges(queue: ServiceQueue) -> frozenset[str]:
    """The exchanges a service's queues are bound to (its dead-letter queue to the dead-letter exchange)."""
    exchanges = {DEAD_LETTER_EXCHANGE}
    exchanges |= {INTERNAL_EXCHANGE} if queue.bindings else set()
    exchanges |= {PUBLIC_EXCHANGE} if queue.public_bindings else set()
    return frozenset(exchanges)


def service_access(service: str) -> Access:
    """What a service's own user needs: declare and bind its queues, consume them, publish its events."""
    queue = service_queues()[service]
    own = frozenset({queue.name, queue.dead_letter_name})
    # Declaring a queue with a dead-letter exchange needs write on that exchange and read on the queue.
    return Access(configure=own, write=own | {DEAD_LETTER_EXCHANGE} | publishes_to(service),
                  read=own | bound_exchanges(queue))


def external_access() -> tuple[str, str, str]:
    """Other municipal systems: their own `ext.*` queues, bound to the public exchange; no publishing."""
    own = "^" + EXTERNAL_PREFIX.replace(".", r"\.") + ".*"
    return own, own, f"{own}|{exact(frozenset({PUBLIC_EXCHANGE}))}"


def permissions(user: str) -> tuple[str, str, str]:
    """(configure, write, read) regexes for one of USERS."""
    if user == ADMIN:
        return ".*", ".*", ".*"
    if user == EXTERNAL:
        return external_access()
    return service_access(user).regexes()


def _exchange(name: str, kind: str, vhost: str, arguments: dict | None = None) -> dict:
    return {"name": name, "vhost": vhost, "type": kind, "durable": True, "auto_delete": False, "internal": False,
            "arguments": arguments or {}}


def _queue(name: str, vhost: str, arguments: dict) -> dict:
    return {"name": name, "vhost": vhost, "durable": True, "auto_delete": False, "arguments": arguments}


def _binding(source: str, queue: str, routing_key: str, vhost: str) -> dict:
    return {"source": source, "vhost": vhost, "destination": queue, "destination_type": "queue",
            "routing_key": routing_key, "arguments": {}}


def topology_definitions(vhost: str) -> dict[str, list[dict]]:
    """Exchanges, queues and bindings exactly as shared/messaging/topology.py declares them."""
    exchanges = [
        _exchange(INTERNAL_EXCHANGE, "topic", vhost),
        _exchange(UNROUTED_EXCHANGE, "fanout", vhost),
        _exchange(PUBLIC_EXCHANGE, "topic", vhost, {"alternate-exchange": UNROUTED_EXCHANGE}),
        _exchange(DEAD_LETTER_EXCHANGE, "direct", vhost),
    ]
    queues = [_queue(UNROUTED_QUEUE, vhost, {"x-queue-type": "quorum", "x-max-length": UNROUTED_MAX_LENGTH,
                                             "x-overflow": "drop-head"})]
    bindings = [_binding(UNROUTED_EXCHANGE, UNROUTED_QUEUE, "", vhost)]
    for queue in service_queues().values():
        queues += [_queue(queue.dead_letter_name, vhost, {"x-queue-type": "quorum"}),
                   _queue(queue.name, vhost, queue.arguments())]
        bindings.append(_binding(DEAD_LETTER_EXCHANGE, queue.dead_letter_name, queue.dead_letter_name, vhost))
        bindings += [_binding(INTERNAL_EXCHANGE, queue.name, key, vhost) for key in queue.bindings]
        bindings += [_binding(PUBLIC_EXCHANGE, queue.name, key, vhost) for key in queue.public_bindings]
    return {"exchanges": exchanges, "queues": queues, "bindings": bindings}


def definitions(vhost: str = VHOST, names: dict[str, str] | None = None) -> dict:
    """The broker definitions without users (they need password hashes): vhost, permissions, topology."""
    names = names or {user: user for user in USERS}
    permission_rows = []
    for user in USERS:
        configure, write, read = permissions(user)
        permission_rows.append({"user": names[user], "vhost": vhost, "configure": configure, "write": write,
                                "read": read})
    # Only the owner publishes its events: routing keys start with the service's name.
    topic_rows = [{"user": names[service], "vhost": vhost, "exchange": exchange, "write": f"^{service}\\.",
                   "read": ".*"} for service in CONSUMING_SERVICES for exchange in sorted(publishes_to(service))]
    return {"vhosts": [{"name": vhost}], "permissions": permission_rows, "topic_permissions": topic_rows,
            **topology_definitions(vhost)}


def password_hash(password: str, salt: bytes | None = None) -> str:
    """RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password)), 4-byte salt."""
    salt = salt if salt is not None else secrets.token_bytes(4)
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def with_users(document: dict, passwords: dict[str, str], names: dict[str, str] | None = None) -> dict:
    """The definitions plus every user, each with the hash of its password."""
    names = names or {user: user for user in USERS}
    users = [{"name": names[user], "password_hash": password_hash(passwords[user]), "hashing_algorithm": HASHING,
              "tags": "administrator" if user == ADMIN else ""} for user in USERS]
    return {**document, "users": users}


def read_passwords(secrets_dir: Path) -> dict[str, str]:
    """Every user's password from `rabbitmq_<user>_password`; no defaults, an empty or missing file fails."""
    passwords = {}
    for user in USERS:
        path = secrets_dir / f"rabbitmq_{user}_password"
        password = path.read_text(encoding="utf-8").strip() if path.is_file() else ""
        if not password:
            raise SystemExit(f"missing or empty secret file {path}")
        passwords[user] = password
    return passwords


def render(document: dict) -> str:
    """Stable JSON text (the committed file is compared with this)."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> None:
    """`render` the committed definitions, or `build` them with users from secret files."""
    parser = argparse.ArgumentParser(prog="python -m shared.messaging.permissions")
    parser.add_argument("command", choices=["render", "build"])
    parser.add_argument("--secrets", type=Path, default=Path("/run/secrets"))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if args.command == "render":
        sys.stdout.write(render(definitions()))
        return
    template = json.loads(DEFINITIONS_FILE.read_text(encoding="utf-8"))
    text = render(with_users(template, read_passwords(args.secrets)))
    if args.out is None:
        sys.stdout.write(text)
        return
    args.out.write_text(text, encoding="utf-8")
    args.out.chmod(0o644)  # the broker runs as another user in its own container


if __name__ == "__main__":
    main()
