"""The broker a soak runs against and breaks: the machine's own RabbitMQ node, or a three-node cluster of the soak's
own (ops/rabbitmq_cluster.py). Both answer the same calls, so the faults and the counts need not know which."""

import json
import subprocess
import time

from ops.rabbitmq_cluster import LocalCluster

START_TIMEOUT = 120.0


def rabbitmqctl(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run rabbitmqctl against the machine's node."""
    # A session of its own: Ctrl-C reaches the soak, which undoes the fault, not this half-way through.
    return subprocess.run(["rabbitmqctl", *args], capture_output=True, text=True, timeout=120, check=check,
                          start_new_session=True)


class LocalNode:
    """The machine's own RabbitMQ node (the one the tests use), controlled with its CLI tools."""

    clustered = False

    def rabbitmqctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """rabbitmqctl against the node."""
        return rabbitmqctl(*args, check=check)

    def busiest(self, vhost: str = "/", *, besides: str | None = None) -> tuple[str, int]:
        """The node and how many of the vhost's queues it leads (all of them: it is the only one)."""
        listed = self.rabbitmqctl("-q", "list_queues", "-p", vhost, "name", "--formatter", "json", check=False)
        return "rabbit", len(json.loads(listed.stdout or "[]")) if listed.returncode == 0 else 0

    def stop_app(self, name: str) -> None:
        """Stop RabbitMQ's application, the Erlang VM still running."""
        self.rabbitmqctl("stop_app")

    def start_app(self, name: str) -> None:
        """Start the application again."""
        self.rabbitmqctl("start_app")

    def stop_node(self, name: str) -> None:
        """Stop and halt the whole node."""
        self.rabbitmqctl("stop", check=False)

    def start_node(self, name: str) -> None:
        """Start the node and wait until it serves AMQP."""
        subprocess.run(["rabbitmq-server", "-detached"], capture_output=True, timeout=60, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT
        while self.rabbitmqctl("-q", "ping", check=False).returncode != 0:
            if time.monotonic() > deadline:
                raise TimeoutError("the RabbitMQ node did not start again")
            time.sleep(0.5)
        self.rabbitmqctl("await_startup", "--timeout", str(int(START_TIMEOUT)))

    def ensure_up(self) -> None:
        """Undo whatever a fault may have left: the node running, its application started."""
        if self.rabbitmqctl("-q", "ping", check=False).returncode != 0:
            self.start_node("rabbit")
        self.rabbitmqctl("start_app", check=False)


class Cluster(LocalCluster):
    """The soak's own three-node cluster, behind HAProxy."""

    clustered = True

    def ensure_up(self) -> None:
        """Every node running again, its application started."""
        for node in self.nodes:
            if self.ctl(node.name, "-q", "ping", check=False).returncode != 0:
                self.start_node(node.name)
            elif self.ctl(node.name, "-q", "eval", "rabbit:is_running().", check=False).stdout.strip() != "true":
                self.start_app(node.name)
