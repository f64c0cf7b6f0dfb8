"""`hami run`'s supervision: a service process that dies is started again after a growing pause (as compose's
restart policy does for operators), said on the console in one line; nothing is restarted once stopping began."""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from shared.launcher import ServiceProcess

FIRST_DELAY = 1.0
MAX_DELAY = 30.0
# A run this long counts as healthy: the next crash starts the pauses over from FIRST_DELAY.
STEADY_AFTER = 60.0


@dataclass
class Backoff:
    """The pause before each restart: 1 s, 2 s, 4 s ... capped at 30 s; back to 1 s after a run of a minute."""

    first: float = FIRST_DELAY
    cap: float = MAX_DELAY
    steady_after: float = STEADY_AFTER
    _next: float = field(default=0.0, init=False)

    def after_exit(self, ran_for: float) -> float:
        """The pause before the next start, given how long the run that just ended lasted."""
        if not self._next or ran_for >= self.steady_after:
            self._next = self.first
        delay, self._next = self._next, min(self._next * 2, self.cap)
        return delay


@dataclass
class Watched:
    """One service under supervision: when it started, when it is due to start again."""

    service: ServiceProcess
    backoff: Backoff = field(default_factory=Backoff)
    started_at: float = 0.0
    restart_at: float | None = None
    restarts: int = 0
    ready: bool = False


class Supervisor:
    """Starts the services, restarts the ones that die, and stops them all (in reverse order) on request."""

    def __init__(self, services: Sequence[ServiceProcess], *, say: Callable[[str], None] = print,
                 clock: Callable[[], float] = time.monotonic, backoff: Callable[[], Backoff] = Backoff) -> None:
        self.watched = [Watched(service, backoff()) for service in services]
        self._say, self._clock = say, clock
        self.stopping = False

    def start(self) -> None:
        """Start every service (they come up in the background)."""
        for watched in self.watched:
            watched.service.start()
            watched.started_at = self._clock()

    def all_ready(self) -> bool:
        """True once every service has answered /health/ready with 200 (each is asked until it has)."""
        for watched in self.watched:
            watched.ready = watched.ready or (watched.restart_at is None and watched.service.ready())
        return all(watched.ready for watched in self.watched)

    def check(self) -> None:
        """One look at every service: note the ones that died, start the ones whose pause is over, say when a
        restarted one is ready again."""
        for watched in self.watched:
            if self.stopping:
                return
            self._check(watched)

    def _check(self, watched: Watched) -> None:
        service, now = watched.service, self._clock()
        if watched.restart_at is None and service.process is not None and service.process.poll() is not None:
            ran_for = now - watched.started_at
            delay = watched.backoff.after_exit(ran_for)
            watched.restart_at, watched.ready = now + delay, False
            watched.restarts += 1
            self._say(f"{service.name} exited with code {service.process.returncode} after {ran_for:.0f} s; "
                      f"restarting in {delay:.0f} s (restart {watched.restarts})")
        elif watched.restart_at is not None and now >= watched.restart_at:
            service.start()
            watched.started_at, watched.restart_at = now, None
        elif watched.restarts and not watched.ready and watched.restart_at is None and service.ready():
            watched.ready = True
            self._say(f"{service.name} is ready again at {service.url}")

    def watch(self, interval: float = 0.5) -> None:
        """Check the services until a stop is requested."""
        while not self.stopping:
            self.check()
            time.sleep(interval)

    def request_stop(self, *_: object) -> None:
        """From a signal handler: stop restarting (the services are stopped by stop())."""
        self.stopping = True

    def stop(self) -> None:
        """Stop every service, the last started first; none is restarted from now on."""
        self.stopping = True
        for watched in reversed(self.watched):
            watched.service.stop()
