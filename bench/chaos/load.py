"""The steady load of a soak: works submitted by district staff at a fixed rate, and every few seconds a decision
issued by the council's chair and relayed to its districts by the central secretariat; every request recorded, and
each service's readiness sampled twice a second."""

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from itertools import count, cycle

import httpx

from bench.chaos.tally import Request
from tests.support.submissions import work_body

DISTRICTS = (3, 7, 12, 22)
TIMEOUT = 10.0
# A relay refused or unanswered is tried again on the next round, this many times in all.
RELAY_ATTEMPTS = 20
READINESS_EVERY = 0.5


def decision_body(number: int) -> dict:
    """A notice of the council to the soak's districts, informing them (nothing waits for an acknowledgement)."""
    return {"title": f"ابلاغیهٔ آزمون پایداری شمارهٔ {number}", "text": "این ابلاغیه در آزمون پایداری صادر شد.",
            "issuing_body": "policy-council", "kind": "notice", "districts": list(DISTRICTS),
            "requires_acknowledgement": False,
            "ack_deadline_at": (datetime.now(UTC) + timedelta(days=30)).isoformat()}


class Load:
    """Sends the load from background threads until stopped; `requests` holds every outcome so far."""

    def __init__(self, urls: dict[str, str], tokens: dict, *, rate: float, decision_every: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.urls, self.tokens, self.rate, self.decision_every, self.clock = urls, tokens, rate, decision_every, clock
        self.requests: list[Request] = []
        self.relayed: set[str] = set()  # decisions whose relay was accepted (or confirmed by a refused repeat)
        self.readiness: list[tuple[str, float, bool]] = []  # service, when (monotonic), /health/ready said 200
        self._pending: dict[str, list] = {}  # decision id -> [attempts, answered-uncertainly]
        self._lock, self._stop = threading.Lock(), threading.Event()
        self._client = httpx.Client(timeout=TIMEOUT, limits=httpx.Limits(max_connections=64))
        self._pool = ThreadPoolExecutor(max_workers=32, thread_name_prefix="chaos-load")
        self._threads = [threading.Thread(target=self._works, daemon=True, name="chaos-works"),
                         threading.Thread(target=self._decisions, daemon=True, name="chaos-decisions"),
                         threading.Thread(target=self._readiness, daemon=True, name="chaos-readiness")]

    def start(self) -> None:
        """Start sending."""
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Stop sending and wait for the requests in flight."""
        self._stop.set()
        for thread in self._threads:
            thread.join(TIMEOUT * 3)
        self._pool.shutdown(wait=True)
        self._client.close()

    def _readiness(self) -> None:
        while not self._stop.wait(READINESS_EVERY):
            for service, url in self.urls.items():
                try:
                    ready = self._client.get(f"{url}/health/ready", timeout=1.0).status_code == 200
                except httpx.HTTPError:
                    ready = False
                self.readiness.append((service, self.clock(), ready))

    def _post(self, kind: str, url: str, token: str, body: dict, entity: Callable[[httpx.Response], str | None]
              ) -> Request:
        sent = self.clock()
        try:
            response = self._client.post(url, json=body, headers={"Authorization": f"Bearer {token}"})
        except httpx.HTTPError:
            request = Request(kind, sent, self.clock(), None)
        else:
            request = Request(kind, sent, self.clock(), response.status_code,
                              entity(response) if response.is_success else None)
        with self._lock:
            self.requests.append(request)
        return request

    def _works(self) -> None:
        due, districts = self.clock(), cycle(DISTRICTS)
        while not self._stop.is_set():
            district = next(districts)
            self._pool.submit(self._post, "work", f"{self.urls['submissions']}/works", self.tokens[district],
                              work_body(district), lambda r: r.json()["id"])
            due += 1 / self.rate
            self._stop.wait(max(0.0, due - self.clock()))

    def _decisions(self) -> None:
        for number in count(1):
            if self._stop.wait(self.decision_every):
                return
            issued = self._post("decision", f"{self.urls['registry']}/decisions", self.tokens["chair"],
                                decision_body(number), lambda r: r.json()["id"])
            if issued.entity:
                self._pending[issued.entity] = [0, False]
            self._relay_pending()

    def _relay_pending(self) -> None:
        for decision_id, state in list(self._pending.items()):
            relay = self._post("relay", f"{self.urls['registry']}/decisions/{decision_id}/relay",
                               self.tokens["central"], {"notes": {}}, lambda r, d=decision_id: d)
            state[0] += 1
            # A repeat is refused (409) only once a relay went through: an earlier unanswered one did.
            if relay.outcome == "accepted" or (relay.status == 409 and state[1]):
                self.relayed.add(decision_id)
            elif relay.outcome != "refused" and state[0] < RELAY_ATTEMPTS:
                state[1] = state[1] or relay.outcome in ("no_answer", "unavailable", "server_error")
                continue
            del self._pending[decision_id]
