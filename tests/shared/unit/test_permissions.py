"""RabbitMQ permissions are derived from the topology; the committed definitions are the generated ones."""

import base64
import hashlib
import json
import re

from shared.messaging.permissions import (
    ADMIN,
    DEFINITIONS_FILE,
    EXTERNAL,
    USERS,
    definitions,
    password_hash,
    permissions,
    render,
    with_users,
)
from shared.messaging.topology import (
    DEAD_LETTER_EXCHANGE,
    INTERNAL_EXCHANGE,
    PUBLIC_EXCHANGE,
    UNROUTED_EXCHANGE,
    service_queues,
)


def _may(regex: str, name: str) -> bool:
    return re.search(regex, name) is not None  # RabbitMQ matches the same way (unanchored search)


def test_the_committed_definitions_are_not_stale() -> None:
    assert DEFINITIONS_FILE.read_text(encoding="utf-8") == render(definitions()), (
        "topology changed: run `python -m shared.messaging.permissions render > deploy/rabbitmq/definitions.json`")


def test_a_service_configures_and_reads_only_its_own_queues() -> None:
    for service, queue in service_queues().items():
        configure, write, read = permissions(service)
        assert _may(configure, queue.name) and _may(read, queue.name) and _may(write, queue.name)
        for other in service_queues().values():
            if other.service != service:
                for name in (other.name, other.dead_letter_name):
                    assert not (_may(configure, name) or _may(read, name) or _may(write, name)), (service, name)
        for exchange in (INTERNAL_EXCHANGE, PUBLIC_EXCHANGE, DEAD_LETTER_EXCHANGE, UNROUTED_EXCHANGE):
            assert not _may(configure, exchange), (service, exchange)
        assert not _may(write, UNROUTED_EXCHANGE) and not _may(write, "amq.default")


def test_a_service_publishes_only_where_its_contracts_go() -> None:
    assert not _may(permissions("notifications")[1], PUBLIC_EXCHANGE)  # notifications has no public events
    assert _may(permissions("registry")[1], PUBLIC_EXCHANGE)  # the ledger's checkpoints
    assert _may(permissions("evaluation")[1], PUBLIC_EXCHANGE)
    assert not _may(permissions("evaluation")[2], PUBLIC_EXCHANGE)  # and binds nothing there
    topics = {(row["user"], row["exchange"]): row["write"] for row in definitions()["topic_permissions"]}
    assert topics[("submissions", PUBLIC_EXCHANGE)] == r"^submissions\."


def test_the_external_user_only_reads_public_events() -> None:
    configure, write, read = permissions(EXTERNAL)
    assert _may(read, PUBLIC_EXCHANGE) and _may(read, "ext.my-system") and _may(configure, "ext.my-system")
    for exchange in (INTERNAL_EXCHANGE, PUBLIC_EXCHANGE, DEAD_LETTER_EXCHANGE, "amq.default"):
        assert not _may(write, exchange)
    assert not _may(read, INTERNAL_EXCHANGE) and not _may(read, "registry.events")
    assert not _may(read, "hami.public.unrouted") and not _may(configure, "next.queue")


def test_users_get_salted_sha256_hashes_and_no_password_in_clear() -> None:
    encoded = password_hash("s3cret", salt=b"\x01\x02\x03\x04")
    raw = base64.b64decode(encoded)
    assert raw[:4] == b"\x01\x02\x03\x04" and raw[4:] == hashlib.sha256(b"\x01\x02\x03\x04s3cret").digest()
    document = with_users(definitions(), {user: f"pw-{user}" for user in USERS})
    assert [user["name"] for user in document["users"]] == list(USERS)
    assert "pw-" not in json.dumps(document)
    assert {user["name"]: user["tags"] for user in document["users"]}[ADMIN] == "administrator"
