"""A three-node RabbitMQ cluster on one machine, fronted by HAProxy: the chaos soak's cluster, and a way to try the
services against a cluster without Docker (`python -m ops.rabbitmq_cluster`; compose's `cluster` profile is the
same shape on three hosts).

Each node has its own name, AMQP and distribution ports, data and log directories under one base directory, and
the base directory's Erlang cookie, so nothing touches the machine's own node. The nodes run from RabbitMQ's own
scripts (Debian's wrappers would switch to the `rabbitmq` user and its cookie). HAProxy balances connections over
the nodes that pass its health check; a client whose node goes away reconnects through it to another."""

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

NAMES = ("hami-a", "hami-b", "hami-c")
FIRST_PORT = 5701  # hami-a's AMQP port; hami-b's is 5702 ...; distribution ports are 20000 higher
PROXY_PORT = 5700
SCRIPTS = Path(os.environ.get("HAMI_RABBITMQ_SCRIPTS", "/usr/lib/rabbitmq/bin"))
START_TIMEOUT = 120.0


@dataclass(frozen=True)
class Node:
    """One node: its short name and AMQP port."""

    name: str
    port: int

    @property
    def full_name(self) -> str:
        """The Erlang node name, e.g. hami-a@localhost."""
        return f"{self.name}@localhost"

    @property
    def dist_port(self) -> int:
        """The port other nodes and the CLI tools reach it on."""
        return self.port + 20000


def haproxy_config(nodes: list[Node], port: int) -> str:
    """HAProxy in TCP mode (as deploy/haproxy/haproxy.cfg): one address for AMQP, nodes health-checked every second,
    connections to a node that fails its check cut at once (its clients reconnect to a live node), a connection
    meeting a node not yet marked down tried on another; long idle timeouts, AMQP heartbeats keep them alive."""
    servers = "\n".join(f"  server {n.name} 127.0.0.1:{n.port} check inter 1s fall 2 rise 2 "
                        f"on-marked-down shutdown-sessions" for n in nodes)
    return (f"global\n  maxconn 4096\n"
            f"defaults\n  mode tcp\n  timeout connect 2s\n  timeout client 3h\n  timeout server 3h\n"
            f"  option clitcpka\n  option srvtcpka\n  retries 2\n  option redispatch 1\n"
            f"frontend amqp\n  bind 127.0.0.1:{port}\n  default_backend rabbitmq\n"
            f"backend rabbitmq\n  balance leastconn\n{servers}\n")


class LocalCluster:
    """Three clustered nodes and HAProxy under `base`; `start()` forms the cluster, `stop()` removes it all."""

    def __init__(self, base: Path | None = None, *, first_port: int = FIRST_PORT, proxy_port: int = PROXY_PORT,
                 names: tuple[str, ...] = NAMES) -> None:
        self.base = base or Path(tempfile.mkdtemp(prefix="hami-rabbitmq-cluster-"))
        self.nodes = [Node(name, first_port + i) for i, name in enumerate(names)]
        self.proxy_port = proxy_port
        self._proxy: subprocess.Popen | None = None

    @property
    def amqp_url(self) -> str:
        """Where clients connect: the proxy, default vhost."""
        return f"amqp://guest:guest@127.0.0.1:{self.proxy_port}/"

    def node(self, name: str) -> Node:
        """A node by short name."""
        return next(n for n in self.nodes if n.name == name)

    # --- the cluster as a whole ---

    def start(self) -> None:
        """Start the nodes, cluster the second and third with the first, then the proxy; stop all on failure."""
        self._write_files()
        try:
            for node in self.nodes:
                self.start_node(node.name, wait=False)
            for node in self.nodes:
                self._await(node)
            for node in self.nodes[1:]:
                self.ctl(node.name, "stop_app")
                self.ctl(node.name, "join_cluster", self.nodes[0].full_name)
                self.ctl(node.name, "start_app")
            self._start_proxy()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the proxy and every node, and remove the base directory."""
        if self._proxy is not None:
            self._proxy.terminate()
            self._proxy.wait(10)
            self._proxy = None
        for node in self.nodes:
            self.stop_node(node.name)
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> "LocalCluster":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- one node ---

    def start_node(self, name: str, *, wait: bool = True) -> None:
        """Start a node (it rejoins the cluster from its data directory); by default wait until it serves AMQP."""
        node = self.node(name)
        subprocess.run([str(SCRIPTS / "rabbitmq-server"), "-detached"], env=self._env(node), check=True,
                       capture_output=True, timeout=60, start_new_session=True)
        if wait:
            self._await(node)

    def stop_node(self, name: str) -> None:
        """Stop and halt a node (the whole Erlang VM, as a machine going down would); no error when it is down."""
        self.ctl(name, "stop", check=False)

    def stop_app(self, name: str) -> None:
        """Stop RabbitMQ's application on a node, its Erlang VM still running."""
        self.ctl(name, "stop_app")

    def start_app(self, name: str) -> None:
        """Start RabbitMQ's application on a node again and wait until it serves AMQP."""
        self.ctl(name, "start_app")
        self._await(self.node(name))

    def running(self) -> list[str]:
        """Short names of the nodes whose application runs."""
        status = json.loads(self.rabbitmqctl("-q", "cluster_status", "--formatter", "json").stdout)
        return [name.split("@")[0] for name in status["running_nodes"]]

    def ctl(self, name: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """rabbitmqctl against one node."""
        node = self.node(name)
        return subprocess.run([str(SCRIPTS / "rabbitmqctl"), "-n", node.full_name, *args], env=self._env(node),
                              capture_output=True, text=True, timeout=120, check=check, start_new_session=True)

    def rabbitmqctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """rabbitmqctl against the first node that can answer (the cluster's view is the same from each)."""
        for node in self.nodes:
            answer = self.ctl(node.name, *args, check=False)
            if answer.returncode == 0:
                return answer
        if check:
            answer.check_returncode()
        return answer

    def leaders(self, vhost: str = "/") -> Counter:
        """How many of the vhost's queues each node leads."""
        listed = self.rabbitmqctl("-q", "list_queues", "-p", vhost, "name", "leader", "--formatter", "json").stdout
        return Counter(queue["leader"].split("@")[0] for queue in json.loads(listed or "[]") if queue.get("leader"))

    def replicas(self, vhost: str = "/") -> dict[str, int]:
        """How many nodes hold a replica of each of the vhost's queues."""
        listed = self.rabbitmqctl("-q", "list_queues", "-p", vhost, "name", "members", "--formatter", "json").stdout
        return {queue["name"]: len(queue.get("members") or []) for queue in json.loads(listed or "[]")}

    def busiest(self, vhost: str = "/", *, besides: str | None = None) -> tuple[str, int]:
        """The running node leading most of the vhost's queues, other than `besides` (the node taken down last
        time, so that losses move around the cluster), and how many it leads."""
        counts = self.leaders(vhost)
        candidates = [name for name in self.running() if name != besides] or self.running()
        name = max(candidates, key=lambda n: counts.get(n, 0))
        return name, counts.get(name, 0)

    # --- plumbing ---

    def _env(self, node: Node) -> dict[str, str]:
        base = str(self.base)
        return {**os.environ, "HOME": base, "RABBITMQ_CONF_ENV_FILE": f"{base}/rabbitmq-env.conf",
                "RABBITMQ_NODENAME": node.full_name, "RABBITMQ_NODE_PORT": str(node.port),
                "RABBITMQ_DIST_PORT": str(node.dist_port), "RABBITMQ_CONFIG_FILE": f"{base}/{node.name}.conf",
                "RABBITMQ_MNESIA_BASE": f"{base}/mnesia", "RABBITMQ_LOG_BASE": f"{base}/log",
                "RABBITMQ_ENABLED_PLUGINS_FILE": f"{base}/enabled_plugins",
                "RABBITMQ_PID_FILE": f"{base}/{node.name}.pid", "ERL_EPMD_ADDRESS": "127.0.0.1"}

    def _write_files(self) -> None:
        self.base.mkdir(parents=True, exist_ok=True)
        cookie = self.base / ".erlang.cookie"
        cookie.write_text(secrets.token_hex(20))
        cookie.chmod(0o600)
        (self.base / "enabled_plugins").write_text("[].\n")
        (self.base / "rabbitmq-env.conf").write_text("")  # not the machine's /etc/rabbitmq/rabbitmq-env.conf
        for node in self.nodes:
            (self.base / f"{node.name}.conf").write_text(f"listeners.tcp.local = 127.0.0.1:{node.port}\n")
        (self.base / "haproxy.cfg").write_text(haproxy_config(self.nodes, self.proxy_port))

    def _await(self, node: Node) -> None:
        """Until the node answers the CLI (it registers with epmd a moment after `-detached`), then serves AMQP."""
        deadline = time.monotonic() + START_TIMEOUT
        while self.ctl(node.name, "-q", "ping", check=False).returncode != 0:
            if time.monotonic() > deadline:
                raise TimeoutError(f"RabbitMQ node {node.full_name} did not start (logs in {self.base / 'log'})")
            time.sleep(0.5)
        self.ctl(node.name, "await_startup", "--timeout", str(int(START_TIMEOUT)))
        _await_port(node.port, deadline)

    def _start_proxy(self) -> None:
        haproxy = shutil.which("haproxy")
        if haproxy is None:
            raise RuntimeError("HAProxy is not installed (apt-get install haproxy)")
        with open(self.base / "haproxy.log", "wb") as log:  # the child keeps its own copy of the descriptor
            self._proxy = subprocess.Popen([haproxy, "-db", "-f", str(self.base / "haproxy.cfg")],
                                           stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
        _await_port(self.proxy_port, time.monotonic() + 30)


def _await_port(port: int, deadline: float) -> None:
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing listens on 127.0.0.1:{port}") from None
            time.sleep(0.3)


def main(argv: list[str] | None = None) -> int:
    """Start a cluster, print its address, and keep it until Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m ops.rabbitmq_cluster", description=main.__doc__)
    parser.add_argument("--base", type=Path, help="directory for the nodes' data (default: a fresh temporary one)")
    options = parser.parse_args(argv)
    cluster = LocalCluster(options.base)
    print(f"starting {', '.join(n.full_name for n in cluster.nodes)} and HAProxy ...", flush=True)
    with cluster:
        print(f"HAMI_AMQP_URL={cluster.amqp_url}  (Ctrl-C stops the cluster and removes its data)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
