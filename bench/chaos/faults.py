"""Injecting a soak's faults, each undone in a `finally` (Ctrl-C and errors included): RabbitMQ's application
stopped and started, a whole RabbitMQ node stopped and started (on a cluster, the node leading most queues),
PostgreSQL restarted, a service killed (SIGKILL) or stopped (SIGTERM) (ops/supervisor.py
starts it again, as `hami run` would), evaluation's consumer stalled on a locked table past its prefetch."""

import asyncio
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import asyncpg

from bench.chaos.brokers import Cluster, LocalNode
from bench.chaos.schedule import BROKER, DATABASE, NODE, SIGKILL, SIGTERM, STALL, Fault
from tests.support.system import System


def pg_cluster(action: str) -> None:
    """Start, stop or restart the local PostgreSQL cluster (the newest installed version's `main`)."""
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action], check=True,
                   capture_output=True, timeout=120, start_new_session=True)


def servers_up(broker: LocalNode | Cluster) -> None:
    """Undo whatever a fault may have left: RabbitMQ running, PostgreSQL accepting connections."""
    broker.ensure_up()
    if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], timeout=30).returncode != 0:
        try:
            pg_cluster("start")
        except subprocess.CalledProcessError:
            pass  # already starting: pg_isready answers shortly


class Faults:
    """Runs a schedule of faults against a running system from a background thread."""

    def __init__(self, system: System, broker: LocalNode | Cluster, vhost: str, *, broker_down: float, stall: float,
                 backlog: Callable[[str], int], say: Callable[[str], None] = print,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.system, self.broker, self.vhost = system, broker, vhost
        self.broker_down, self.stall, self.backlog = broker_down, stall, backlog
        self.stall_backlogs: list[int] = []  # messages in the stalled service's queue as each stall ended
        self.say, self.clock = say, clock
        # kind, target (a broker fault's node and how many queues it led), started, ended (monotonic)
        self.injected: list[tuple[str, str, float, float]] = []
        self.error: BaseException | None = None
        self._last_node: dict[str, str] = {}  # per kind of broker fault, the node it took down last
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, schedule: list[Fault], origin: float) -> None:
        """Inject each fault at `origin` + its second, in a background thread."""
        self._thread = threading.Thread(target=self._run, args=(schedule, origin), daemon=True, name="chaos-faults")
        self._thread.start()

    def stop(self) -> None:
        """Stop after the fault in progress (which is undone first)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(300)

    def _run(self, schedule: list[Fault], origin: float) -> None:
        try:
            for fault in schedule:
                if self._stop.wait(max(0.0, origin + fault.at - self.clock())):
                    return
                started = self.clock()
                target = self.inject(fault, f"[chaos] {started - origin:6.1f} s  {fault.kind}")
                self.injected.append((fault.kind, target, started, self.clock()))
        except BaseException as error:  # reported by the soak, which then fails
            self.error = error
            self.say(f"[chaos] fault injection failed: {error!r}")

    def inject(self, fault: Fault, heading: str) -> str:
        """One fault, said (the heading, then its target) and undone before returning; returns the target."""
        if fault.kind in (BROKER, NODE):
            return self._broker_down(fault.kind, heading)
        self.say(f"{heading} {fault.target}")
        if fault.kind == DATABASE:
            try:
                pg_cluster("restart")
            finally:
                servers_up(self.broker)
        elif fault.kind in (SIGKILL, SIGTERM):
            process = self.system.processes[fault.target].process
            if process is not None and process.poll() is None:  # the supervisor restarts it
                process.send_signal(signal.SIGKILL if fault.kind == SIGKILL else signal.SIGTERM)
        elif fault.kind == STALL:
            asyncio.run(self._stalled(fault.target))
        else:
            raise ValueError(f"unknown fault {fault.kind}")
        return fault.target

    def _broker_down(self, kind: str, heading: str) -> str:
        """Stop the application (broker) or the whole node (node) leading most of the services' queues, for
        `broker_down` seconds, then start it again and wait until it serves AMQP."""
        node, leads = self.broker.busiest(self.vhost, besides=self._last_node.get(kind))
        self._last_node[kind] = node
        target = f"{node} (leading {leads} queues)"
        self.say(f"{heading} {target}")
        stop, start = ((self.broker.stop_app, self.broker.start_app) if kind == BROKER
                       else (self.broker.stop_node, self.broker.start_node))
        stop(node)
        try:
            self._stop.wait(self.broker_down)
        finally:
            start(node)
        return target

    async def _stalled(self, service: str) -> None:
        """Hold an exclusive lock on the service's works table: its consumer blocks mid-message, unacknowledged,
        while the queue fills past its prefetch; the lock goes at the end, whatever happens."""
        connection = await asyncpg.connect(self.system.database(service, driver="postgresql"))
        try:
            async with connection.transaction():
                await connection.execute("LOCK TABLE works IN ACCESS EXCLUSIVE MODE")
                deadline = self.clock() + self.stall
                while self.clock() < deadline and not self._stop.is_set():
                    await asyncio.sleep(0.2)
                self.stall_backlogs.append(await asyncio.to_thread(self.backlog, service))
                self.say(f"[chaos] {service}'s queue holds {self.stall_backlogs[-1]} messages as the stall ends")
        finally:
            await connection.close()
