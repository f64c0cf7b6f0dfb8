"""An external municipal system's RabbitMQ account: read-only on the public exchange, its own `ext.*` queues."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from shared.messaging.permissions import external_access
from tests.support.servers import rabbitmqctl


@contextmanager
def external_user(amqp_url: str) -> Iterator[str]:
    """A user on the vhost of `amqp_url` that may only declare and read `ext.*` queues bound to hami.public;
    yields its AMQP URL and removes it afterwards."""
    user, password = f"ext-{uuid.uuid4().hex[:6]}", uuid.uuid4().hex
    parts = urlsplit(amqp_url)
    vhost = parts.path.lstrip("/") or "/"
    rabbitmqctl("add_user", user, password)
    try:
        rabbitmqctl("set_permissions", "-p", vhost, user, *external_access())  # as the compose definitions grant
        yield urlunsplit((parts.scheme, f"{user}:{password}@{parts.hostname}:{parts.port or 5672}", parts.path, "", ""))
    finally:
        rabbitmqctl("delete_user", user, check=False)
