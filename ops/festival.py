"""A festival played through the four services' HTTP interfaces, each step taken by the role that takes it.

`hami demo` plays it to fill a running system; the festival scenario test plays it and checks every service.
Steps wait for what they need from the bus (a call opened by a decision, rounds opened when the call closes)
by polling the HTTP interfaces, never the databases.
"""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import jwt

CATEGORIES = {"entrepreneurship": "کارآفرینی", "welfare": "رفاه و خدمات اجتماعی",
              "participation": "مشارکت‌های مردمی"}
COMMITTEES = ("executive", "scientific", "young-citizens")
Judge = Callable[[int, dict, dict], float]  # (evaluator index, work, criterion) -> score


class StepFailed(RuntimeError):
    """A service refused a step or never reached the state the step waits for."""


@dataclass
class Person:
    """A signed-in member of the festival."""

    username: str
    name: str
    token: str
    person_id: str
    email: str
    mobile: str

    @property
    def headers(self) -> dict[str, str]:
        """Authorization header."""
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Cast:
    """Who plays which role."""

    secretary: Person
    chair: Person
    central: Person
    district_secretaries: dict[int, Person] = field(default_factory=dict)
    offices: dict[int, Person] = field(default_factory=dict)
    committees: dict[int, list[Person]] = field(default_factory=dict)
    jury: list[Person] = field(default_factory=list)


def expect(response: httpx.Response, *statuses: int) -> dict | list:
    """The response's JSON when its status is one of those expected; otherwise a StepFailed saying why."""
    if response.status_code not in statuses:
        raise StepFailed(f"{response.request.method} {response.request.url} -> {response.status_code}: "
                         f"{response.text[:500]}")
    return response.json() if response.content else {}


def wait_until(probe: Callable[[], object], what: str, timeout: float = 60.0) -> object:
    """Poll until `probe` returns something truthy, and return it."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise StepFailed(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)


def festival_client() -> httpx.Client:
    """An HTTP client for the services that never sends on a connection a service is closing."""
    # uvicorn closes a keep-alive connection after 5 s idle, and httpx keeps one 5 s by default: a request could
    # leave on a connection as the service closed it ("Server disconnected without sending a response", seen once
    # in `hami demo`). Dropping idle connections at 2 s leaves the service's close nothing to race.
    return httpx.Client(timeout=60, limits=httpx.Limits(keepalive_expiry=2.0))


class Festival:
    """One edition of the festival, driven over HTTP."""

    def __init__(self, urls: dict[str, str], *, admin: tuple[str, str], edition: str, password: str,
                 client: httpx.Client | None = None, email_domain: str = "festival.example") -> None:
        self.urls, self.edition, self.password, self.email_domain = urls, edition, password, email_domain
        self.http = client or festival_client()
        self._admin = admin
        self._mobiles = iter(range(1_000_000))

    # --- people ---------------------------------------------------------------------------------

    def call(self, service: str, method: str, path: str, who: Person | None = None, **kwargs) -> httpx.Response:
        """One request to a service, as someone (or anonymously)."""
        headers = who.headers if who else {}
        return self.http.request(method, f"{self.urls[service]}{path}", headers=headers, **kwargs)

    def admin_credentials(self) -> tuple[str, str]:
        """The administrator's username and password (the festival secretary's account)."""
        return self._admin

    def sign_in(self, username: str, password: str) -> str:
        """A bearer token from registry."""
        body = expect(self.call("registry", "POST", "/auth/token", json={"username": username, "password": password}),
                      200)
        return body["access_token"]

    def festival_secretary(self) -> Person:
        """The first administrator, from the registry's configuration."""
        username, password = self._admin
        token = self.sign_in(username, password)
        return Person(username, "دبیر جشنواره", token, _subject(token), "", "")

    def appoint(self, by: Person, username: str, name: str, body: str, role: str) -> Person:
        """An account for someone appointed to a body with a role (kept if it already exists); signed in."""
        mobile = f"0912{7_000_000 + next(self._mobiles):07d}"
        email = f"{username}@{self.email_domain}"
        response = self.call("registry", "POST", "/accounts", by, json={
            "username": username, "password": self.password, "name": name, "mobile": mobile, "email": email,
            "memberships": [{"body": body, "role": role}]})
        expect(response, 201, 409)
        token = self.sign_in(username, self.password)
        return Person(username, name, token, _subject(token), email, mobile)

    def cast(self, districts: Iterable[int], names: Iterable[str], *, committee_size: int = 4,
             jurors: int = 5) -> Cast:
        """The festival secretary appoints the council chair, central secretariat staff, the district secretaries
        and the jury; each district secretary their festival office and committee members. `names` gives names."""
        names = iter(names)
        secretary = self.festival_secretary()
        cast = Cast(secretary, self.appoint(secretary, "council.chair", next(names), "policy-council", "chair"),
                    self.appoint(secretary, "central.staff", next(names), "central-secretariat", "staff"))
        for district in districts:
            body = f"district-{district:02d}"
            head = cast.district_secretaries[district] = self.appoint(
                secretary, f"d{district:02d}.secretary", next(names), body, "secretary")
            cast.offices[district] = self.appoint(head, f"d{district:02d}.office", next(names), body, "staff")
            cast.committees[district] = [
                self.appoint(head, f"d{district:02d}.member{i + 1}", next(names),
                             f"{body}-{COMMITTEES[i % len(COMMITTEES)]}", "member") for i in range(committee_size)]
        cast.jury = [self.appoint(secretary, f"juror{i + 1}", next(names), "jury", "juror") for i in range(jurors)]
        return cast

    # --- decisions down -------------------------------------------------------------------------

    def load_structure(self, secretary: Person) -> dict:
        """The festival secretary (re)loads the structure file."""
        return expect(self.call("registry", "POST", "/structure/reload", secretary), 200)

    def decide(self, chair: Person, title: str, text: str, parameters: dict | None, *,
               ack_within: timedelta = timedelta(days=7), districts: list[int] | None = None,
               acknowledged: bool | None = None) -> dict:
        """The council issues a decision to every district (or some) with an acknowledgement deadline (whether the
        districts must acknowledge: the registry's default by kind, unless `acknowledged` says)."""
        body = {"title": title, "text": text, "issuing_body": "policy-council",
                "kind": "actionable" if parameters else "directive",
                "all_districts": districts is None, "districts": districts or [],
                "ack_deadline_at": (datetime.now(UTC) + ack_within).isoformat(), "parameters": parameters}
        if acknowledged is not None:
            body["requires_acknowledgement"] = acknowledged
        return expect(self.call("registry", "POST", "/decisions", chair, json=body), 201)

    def relay(self, central: Person, decision_id: str, notes: dict[int, str] | None = None) -> dict:
        """The central secretariat relays a decision to its districts, with a note for each."""
        body = {"notes": {str(d): note for d, note in (notes or {}).items()}}
        return expect(self.call("registry", "POST", f"/decisions/{decision_id}/relay", central, json=body), 200)

    def acknowledge(self, staff: Person, decision_id: str, district: int, note: str = "دریافت شد") -> dict:
        """A district secretariat acknowledges a relayed decision."""
        path = f"/decisions/{decision_id}/districts/{district}/acknowledge"
        return expect(self.call("registry", "POST", path, staff, json={"note": note}), 200)

    def decision(self, who: Person, decision_id: str) -> dict:
        """A decision with its per-district status."""
        return expect(self.call("registry", "GET", f"/decisions/{decision_id}", who), 200)

    def call_state(self, who: Person) -> dict | None:
        """The edition's call as submissions sees it, or None before it exists."""
        response = self.call("submissions", "GET", f"/editions/{self.edition}", who)
        return response.json().get("call") if response.status_code == 200 else None

    def open_call(self, chair: Person, *, closes_in: timedelta = timedelta(days=30),
                  ack_within: timedelta = timedelta(days=7)) -> dict:
        """The council's decision opens the call with the three categories; returns once works are accepted."""
        now = datetime.now(UTC)
        issued = self.decide(chair, f"بازگشایی فراخوان جشنواره حامی {self.edition}",
                             "فراخوان دریافت آثار در سه محور کارآفرینی، رفاه و مشارکت مردمی باز است.",
                             {"action": "open_call", "edition": self.edition, "categories": CATEGORIES,
                              "opens_at": (now - timedelta(minutes=1)).isoformat(),
                              "closes_at": (now + closes_in).isoformat()}, ack_within=ack_within,
                             acknowledged=True)  # the districts confirm they have the call (the others inform)
        wait_until(lambda: (self.call_state(chair) or {}).get("accepting_works"), "the call to open")
        return issued

    def set_quotas(self, chair: Person, per_district: int, exceptions: dict[int, int] | None = None) -> dict:
        """The council sets how many works per category advance from each district."""
        return self.decide(chair, "سهمیه راه‌یابی آثار به داوری مرکزی",
                           f"از هر منطقه در هر محور {per_district} اثر به مرحله داوری مرکزی راه می‌یابد.",
                           {"action": "set_quotas", "edition": self.edition, "per_district": per_district,
                            "exceptions": {str(d): n for d, n in (exceptions or {}).items()}})

    def close_call(self, chair: Person) -> dict:
        """The council's decision closes the call; returns once intake has stopped."""
        issued = self.decide(chair, f"پایان مهلت دریافت آثار جشنواره {self.edition}",
                             "دریافت آثار به پایان رسید و داوری مناطق آغاز می‌شود.",
                             {"action": "close_call", "edition": self.edition})
        wait_until(lambda: (self.call_state(chair) or {}).get("state") == "closed", "the call to close")
        return issued

    def approve_results(self, chair: Person) -> list[dict]:
        """The council approves the proposed awards; returns the published results once they are public."""
        self.decide(chair, f"تأیید نتایج جشنواره {self.edition}", "نتایج داوری مرکزی تأیید و اعلام می‌شود.",
                    {"action": "approve_results", "edition": self.edition})
        return wait_until(lambda: len(found := self.results()) == len(CATEGORIES) and found,
                          "the results of every category to be published")

    def wait_for_ledger(self, who: Person, event_type: str, count: int) -> None:
        """Wait until registry's ledger holds `count` events of a type: reports count from the ledger, which
        learns each event from the bus a moment after the service that published it."""
        wait_until(lambda: len(expect(self.call("registry", "GET", "/ledger", who,
                                                 params={"event_type": event_type, "limit": 1000}), 200))
                   >= min(count, 1000),  # one page is enough to know the jury's events have arrived
                   f"the ledger to hold {count} {event_type}")

    def results(self) -> list[dict]:
        """The edition's published results (public)."""
        return expect(self.call("evaluation", "GET", f"/results/{self.edition}"), 200)

    def neighbourhoods(self, district: int) -> list[dict]:
        """A district's neighbourhoods (public)."""
        return expect(self.call("registry", "GET", "/neighbourhoods", params={"district": district}), 200)

    # --- reports up -----------------------------------------------------------------------------

    def report(self, secretary: Person, district: int, period: tuple[str, str], achievements: str,
               shortcomings: list[dict] | None = None) -> dict:
        """A district secretariat files its report for a Jalali period (and its shortcomings); registry counts the
        figures."""
        body = {"period_start": period[0], "period_end": period[1], "achievements": achievements,
                "shortcoming_items": shortcomings or []}
        return expect(self.call("registry", "POST", f"/districts/{district}/reports", secretary, json=body), 201)

    def city_report(self, central: Person, period: tuple[str, str], achievements: str) -> dict:
        """The central secretariat compiles the city report from the districts' latest reports."""
        body = {"period_start": period[0], "period_end": period[1], "achievements": achievements}
        return expect(self.call("registry", "POST", "/city-reports", central, json=body), 201)

    # --- works ----------------------------------------------------------------------------------

    def submit(self, office: Person, work: dict) -> dict:
        """A festival office enters a work for its district."""
        return expect(self.call("submissions", "POST", "/works", office, json={"edition": self.edition, **work}), 201)

    def attach(self, office: Person, work_id: str, name: str, content: bytes) -> dict:
        """A festival office attaches a document to a work."""
        files = {"file": (name, content, "application/octet-stream")}
        return expect(self.call("submissions", "POST", f"/works/{work_id}/documents", office, files=files), 201)

    # --- evaluation -----------------------------------------------------------------------------

    def rounds(self, who: Person, tier: int) -> list[dict]:
        """The edition's rounds of a tier that someone manages or evaluates in."""
        found = expect(self.call("evaluation", "GET", "/rounds", who), 200)
        return [r for r in found if r["edition"] == self.edition and r["tier"] == tier]

    def district_rounds(self, secretary: Person, district: int, categories: set[str]) -> list[dict]:
        """The district's tier-1 rounds, opened when the call closed; waits for one per category with works."""
        def opened() -> list[dict]:
            found = [r for r in self.rounds(secretary, 1) if r["district"] == district]
            return found if {r["category"] for r in found} >= categories else []
        return wait_until(opened, f"district {district}'s rounds to open")

    def score(self, round_: dict, evaluators: list[Person], judge: Judge) -> int:
        """Every evaluator submits a sheet for each work assigned to them; returns the number of sheets."""
        sheets = 0
        for index, evaluator in enumerate(evaluators):
            path = f"/rounds/{round_['id']}"
            for work in expect(self.call("evaluation", "GET", f"{path}/my-works", evaluator), 200):
                scores = {c["code"]: judge(index, work, c) for c in round_["rubric"]}
                expect(self.call("evaluation", "PUT", f"{path}/works/{work['work_id']}/sheet", evaluator,
                                 json={"scores": scores, "comment": "بررسی و امتیازدهی شد.", "submit": True}), 200)
                sheets += 1
        return sheets

    def hand_over_absent(self, manager: Person, round_: dict, absent: Person, colleagues: list[Person]) -> int:
        """The round's manager gives each work of an evaluator who does not score to a colleague who does not have
        it yet; returns how many works moved."""
        path = f"/rounds/{round_['id']}"
        moved = 0
        for work in expect(self.call("evaluation", "GET", f"{path}/my-works", absent), 200):
            for colleague in colleagues:
                response = self.call("evaluation", "POST", f"{path}/works/{work['work_id']}/reassign", manager, json={
                    "from_person": absent.person_id, "to_person": colleague.person_id,
                    "reason": "داور تا پایان مهلت امتیازی ثبت نکرد."})
                if response.status_code == 200:
                    moved += 1
                    break
                expect(response, 409)  # a colleague who already has the work: try the next
        return moved

    def close_round(self, manager: Person, round_id: str) -> dict:
        """The round's manager closes it: the final ranking and who advanced."""
        return expect(self.call("evaluation", "POST", f"/rounds/{round_id}/close", manager), 200)

    def confirm_receipt(self, central: Person, category: str) -> dict:
        """The central secretariat confirms it received the districts' selections of a category complete."""
        body = {"edition": self.edition, "category": category}
        return expect(self.call("evaluation", "POST", "/receipts", central, json=body), 201)

    def open_jury_round(self, central: Person, category: str, k: int = 3) -> dict:
        """The central secretariat opens the city-wide jury round of a category."""
        body = {"edition": self.edition, "tier": 2, "category": category, "k": k}
        return expect(self.call("evaluation", "POST", "/rounds", central, json=body), 201)


def _subject(token: str) -> str:
    """The person id a token is about (its `sub`), read without verifying: registry just issued it."""
    return jwt.decode(token, options={"verify_signature": False})["sub"]
