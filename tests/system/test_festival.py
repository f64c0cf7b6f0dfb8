"""The whole festival, end to end: `hami demo` plays it over the four services' HTTP interfaces (processes on
their own vhost and databases), from the council's first decision to the published results; then every service,
the SMTP server, the SMS gateway, a webhook receiver and an external system on the public exchange are checked."""

import asyncio
import json
import re
import subprocess
import sys
import uuid
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass

import aio_pika
import httpx
import jsonschema
import pytest

from shared.launcher import ROOT, SERVICES
from shared.messaging.topology import PUBLIC_EXCHANGE
from tests.support.external import external_user
from tests.support.notify_stack import SMS_KEY, WEBHOOK_SECRET, Double, channel_settings, start_double
from tests.support.servers import Servers, private_vhost
from tests.support.smtp_server import SmtpServer
from tests.support.system import ADMIN_PASSWORD, System, bearer, drop_databases, free_port, start_system
from tests.support.waiting import wait_for

EDITION, DISTRICTS, WORKS, QUOTA = "1405", (2, 5, 9, 14, 20), 105, 2
CATEGORIES = ("entrepreneurship", "welfare", "participation")
PASSWORD = "festival-test-password"
EXTERNAL_QUEUE = f"ext.festival.{uuid.uuid4().hex[:6]}"


@dataclass
class Played:
    """The system after the demo festival, and what the outside world saw of it."""

    system: System
    smtp: SmtpServer
    sms: Double
    hooks: Double
    output: str
    public: list[dict]

    def as_(self, username: str) -> dict[str, str]:
        """Headers of a demo account."""
        return bearer(self.system.token(username, PASSWORD))

    def get(self, service: str, path: str, headers: dict | None = None, **params) -> dict | list:
        """GET as the festival secretary (or as someone), expecting 200."""
        response = httpx.get(f"{self.system.url(service)}{path}", params=params, timeout=30,
                             headers=headers or bearer(self.system.token()))
        assert response.status_code == 200, response.text
        return response.json()

    def value(self, service: str, query: str, *args):
        """One value from a service's database."""
        return asyncio.run(self.system.fetchval(service, query, *args))


@pytest.fixture(scope="module")
def played(servers: Servers, tmp_path_factory: pytest.TempPathFactory) -> Played:
    """An SMTP server, an SMS gateway, a webhook receiver, the four services and an external subscriber, all
    started here; then `hami demo` plays the festival."""
    log_dir = tmp_path_factory.mktemp("festival-logs")
    with ExitStack() as resources:
        amqp_url = resources.enter_context(private_vhost(servers))
        smtp = SmtpServer(free_port())
        smtp.start()
        resources.callback(smtp.stop)
        sms = start_double("sms", "--key", SMS_KEY, log_dir=log_dir)
        resources.callback(sms.stop)
        hooks = start_double("webhook", "--secret", WEBHOOK_SECRET, log_dir=log_dir)
        resources.callback(hooks.stop)
        system = start_system(servers, amqp_url, log_dir, {"notifications": channel_settings(smtp, sms)})
        resources.callback(lambda: asyncio.run(drop_databases(servers, system.prefix)))
        resources.callback(system.stop)
        external = resources.enter_context(external_user(amqp_url))
        asyncio.run(_declare_external_queue(external))
        subscribe_webhook(system, hooks)
        output = play_demo(system)
        yield Played(system, smtp, sms, hooks, output, asyncio.run(_drain_external_queue(external)))


def subscribe_webhook(system: System, hooks: Double) -> None:
    """A municipal system registers a webhook for the call and the results."""
    hook = httpx.post(f"{system.url('notifications')}/webhooks", headers=bearer(system.token()), json={
        "name": "سامانه شهر هوشمند", "url": f"{hooks.url}/festival", "secret": WEBHOOK_SECRET,
        "patterns": ["evaluation.results.#", "submissions.call.#"]})
    assert hook.status_code == 201, hook.text


def play_demo(system: System) -> str:
    """`hami demo` against the running services, as an operator runs it; returns what it printed."""
    demo = subprocess.run(
        [sys.executable, "-m", "ops.cli", "demo", *[f"--{name}={system.url(name)}" for name in SERVICES],
         f"--admin-password={ADMIN_PASSWORD}", f"--password={PASSWORD}", f"--edition={EDITION}",
         f"--districts={','.join(map(str, DISTRICTS))}", f"--works={WORKS}", f"--quota={QUOTA}", "--ack-seconds=15"],
        cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    return demo.stdout


async def _declare_external_queue(url: str) -> None:
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(EXTERNAL_QUEUE, durable=True)
        await queue.bind(await channel.get_exchange(PUBLIC_EXCHANGE, ensure=False), routing_key="#")


async def _drain_external_queue(url: str, timeout: float = 60.0) -> list[dict]:
    """Every message the external system's queue receives until the results of every category have come
    (the demo returns once results are visible; their public event may still be on its way)."""
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.get_queue(EXTERNAL_QUEUE, ensure=False)
        received, deadline = [], asyncio.get_running_loop().time() + timeout
        while sum(m["type"] == "evaluation.results.published" for m in received) < len(CATEGORIES):
            message = await queue.get(fail=False)
            if message is None:
                assert asyncio.get_running_loop().time() < deadline, f"results never came: {len(received)}"
                await asyncio.sleep(0.2)
                continue
            received.append({"type": message.type, "routing_key": message.routing_key, "id": message.message_id,
                             "body": json.loads(message.body)})
            await message.ack()
        await queue.delete(if_unused=False, if_empty=False)
        return received


def works_of(played: Played) -> list[dict]:
    """Every work of the edition, as the festival secretary lists them."""
    page = played.get("submissions", "/works", edition=EDITION, page_size=200)
    assert page["total"] == len(page["items"])
    return page["items"]


def test_the_demo_shows_each_step_and_its_progress(played: Played) -> None:
    for step in range(1, 11):
        assert f"[{step}/10] " in played.output
    assert "acknowledged: 21/21" in played.output and f"works with documents: {WORKS}/{WORKS}" in played.output
    advanced = QUOTA * len(DISTRICTS) * len(CATEGORIES)
    assert f"{WORKS} works" in played.output and f"{advanced} works advanced to the jury" in played.output


def test_every_account_the_demo_prints_signs_in_with_the_password_it_prints(played: Played) -> None:
    system = played.system
    assert f"Open {system.url('registry')}/sign-in" in played.output
    printed = re.findall(r"^ +.+? {2,}(\S+) +password '([^']+)'$", played.output, flags=re.MULTILINE)
    assert len(printed) == 7 and {"secretary", "council.chair"} <= {username for username, _ in printed}
    for username, password in printed:
        response = httpx.post(f"{system.url('registry')}/auth/token", json={"username": username, "password": password})
        assert response.status_code == 200, f"{username}: {response.text}"


def test_decisions_flowed_down_and_the_silent_district_is_reported_overdue(played: Played) -> None:
    decisions = played.get("registry", "/decisions")
    actions = [d["parameters"]["action"] for d in reversed(decisions) if d["parameters"]]
    assert actions == ["set_quotas", "open_call", "close_call", "approve_results"]
    opening = next(d for d in decisions if d["parameters"] and d["parameters"]["action"] == "open_call")
    status = wait_for(lambda: (s := played.get("registry", f"/decisions/{opening['id']}"))["summary"]["overdue"]
                      and s, timeout=30)
    assert status["summary"] == {"counts": {"acknowledged": 21, "relayed": 1}, "overdue": [22]}
    overdue = played.get("registry", "/ledger", event_type="registry.decision.overdue", district=22)
    assert [e["payload"]["decision_id"] for e in overdue].count(opening["id"]) == 1


def test_districts_reported_up_with_figures_counted_from_the_ledger_and_the_city_report_cites_them(
        played: Played) -> None:
    per_district, advanced = WORKS // len(DISTRICTS), QUOTA * len(CATEGORIES)
    cited = set()
    for district in DISTRICTS:
        reports = played.get("registry", f"/districts/{district}/reports", played.as_(f"d{district:02d}.secretary"))
        assert len(reports) == 1
        # Every work is evaluated in its district; those advancing are evaluated again by the jury.
        assert reports[0]["figures"]["totals"] == {"received": per_district, "evaluated": per_district + advanced,
                                                   "advanced": advanced}
        cited.add(reports[0]["id"])
    city = played.get("registry", "/city-reports", played.as_("central.staff"))
    assert len(city) == 1 and set(city[0]["cites"]) == cited
    carried_up = [row["shortcomings"] for row in city[0]["figures"]["districts"] if row["shortcomings"]]
    assert len(carried_up) == 1 and carried_up[0][0]["since_jalali"]  # one district reported a shortcoming
    assert city[0]["figures"]["districts_reporting"] == len(DISTRICTS)
    assert city[0]["figures"]["totals"]["received"] == WORKS
    heard = wait_for(lambda: len(found := played.get("notifications", "/deliveries", rule="report_filed",
                                                     channel="email", status="sent")) == len(DISTRICTS) and found)
    assert {d["recipient"] for d in heard} == {"central.staff@festival.example"}  # the central secretariat hears


def test_the_ledger_recorded_the_festival_and_its_hash_chain_holds(played: Played) -> None:
    verdict = played.get("registry", "/ledger/verify")
    assert verdict["ok"] and verdict["first_broken_seq"] is None
    recorded = played.value("registry", "SELECT count(*) FROM ledger")
    assert verdict["checked"] == recorded > 2 * WORKS  # every work's internal and public event at least
    for event_type in ("evaluation.awards.proposed", "evaluation.results.published"):
        assert len(played.get("registry", "/ledger", event_type=event_type, limit=100)) == len(CATEGORIES)


def test_every_work_is_stored_with_its_document_and_ends_in_its_final_status(played: Played) -> None:
    works = works_of(played)
    assert len(works) == WORKS
    assert set(Counter(w["category"] for w in works).values()) == {WORKS // len(CATEGORIES)}
    assert set(Counter(w["district"] for w in works).values()) == {WORKS // len(DISTRICTS)}
    assert played.value("submissions", "SELECT count(DISTINCT work_id) FROM documents") == WORKS
    awarded = sum(len(r["awards"]) for r in played.get("evaluation", f"/results/{EDITION}"))
    advanced = QUOTA * len(DISTRICTS) * len(CATEGORIES)
    assert Counter(w["status"] for w in works) == {"awarded": awarded, "not_awarded": advanced - awarded,
                                                   "not_selected_by_district": WORKS - advanced}
    winner = next(w for w in works if w["status"] == "awarded")
    history = played.get("submissions", f"/works/{winner['id']}/history")
    assert [h["status"] for h in history] == ["received", "in_district_evaluation", "selected_by_district",
                                              "with_jury", "awarded"]
    tracked = httpx.post(f"{played.system.url('submissions')}/track", timeout=10, json={
        "code": winner["tracking_code"], "mobile": winner["submitter"]["mobile"]})
    assert tracked.status_code == 200 and tracked.json()["status_fa"] == "برگزیده‌ی جشنواره"


def test_evaluation_advanced_each_districts_quota_and_published_the_approved_awards(played: Played) -> None:
    rounds = json.loads(played.value("evaluation", "SELECT json_agg(json_build_array(tier, state)) FROM rounds"))
    assert Counter(map(tuple, rounds)) == {(1, "closed"): len(DISTRICTS) * len(CATEGORIES),
                                           (2, "closed"): len(CATEGORIES)}
    assert played.value("evaluation", "SELECT count(*) FROM sheets WHERE state <> 'submitted'") == 0
    # Every current assignment has its sheet; the absent evaluator's works were handed to colleagues.
    assert played.value("evaluation", "SELECT count(*) FROM assignments WHERE ended_at IS NULL") == played.value(
        "evaluation", "SELECT count(*) FROM sheets")
    assert played.value("evaluation", "SELECT count(*) FROM assignments WHERE ended_reason IS NOT NULL "
                                      "AND replaced_by IS NOT NULL") > 0
    district = DISTRICTS[0]
    secretary = played.as_(f"d{district:02d}.secretary")
    for round_ in played.get("evaluation", "/rounds", secretary):
        ranking = played.get("evaluation", f"/rounds/{round_['id']}/ranking", secretary)
        assert [w["advanced"] for w in ranking] == [True] * QUOTA + [False] * (len(ranking) - QUOTA)
        assert [w["rank"] for w in ranking] == list(range(1, len(ranking) + 1))
    results = played.get("evaluation", f"/results/{EDITION}")
    assert sorted(r["category"] for r in results) == sorted(CATEGORIES)
    for result in results:
        assert [a["place"] for a in result["awards"]] == ["first", "second", "third", "honourable_mention",
                                                         "honourable_mention"]


def test_people_heard_by_email_and_sms_and_the_municipal_system_by_webhook(played: Played) -> None:
    works = works_of(played)
    submitters = {"+98" + w["submitter"]["mobile"][1:] for w in works}
    texts = wait_for(lambda: _sms_by_recipient(played, submitters), timeout=60)
    assert all(len(texts[m]) >= 2 for m in submitters)  # the tracking code, then the results
    district = DISTRICTS[0]
    secretary = f"d{district:02d}.secretary@festival.example"
    assert wait_for(lambda: played.smtp.messages_to(secretary))  # the relayed decisions
    assert wait_for(lambda: played.smtp.messages_to("central.staff@festival.example"))  # district 22 is overdue
    assert wait_for(lambda: played.smtp.messages_to(f"d{district:02d}.member1@festival.example"))  # round opened
    hooks = wait_for(lambda: [h for h in played.hooks.received()
                              if h["event_type"] == "evaluation.results.published"], timeout=30)
    assert len(hooks) == len(CATEGORIES) and all(h["verified"] for h in hooks)
    inbox = wait_for(lambda: played.get("notifications", "/inbox", played.as_("central.staff")))
    assert "registry.decision.overdue" in {item["event_type"] for item in inbox}  # the staff inbox, in Persian
    summary = played.get("notifications", "/deliveries/summary")
    assert not [row for row in summary if row["status"] in ("failed", "dead")], summary


def _sms_by_recipient(played: Played, submitters: set[str]) -> dict[str, list[str]] | None:
    """SMS texts per submitter once every submitter has both of theirs."""
    texts: dict[str, list[str]] = {}
    for message in played.sms.received():
        texts.setdefault(message["to"], []).append(message["text"])
    return texts if all(len(texts.get(m, [])) >= 2 for m in submitters) else None


def test_an_external_system_followed_the_public_story_without_personal_data(played: Played) -> None:
    kinds = Counter(m["type"] for m in played.public)
    assert kinds["submissions.work.received"] == WORKS
    assert kinds["submissions.call.opened"] == kinds["submissions.call.closed"] == 1
    assert kinds["evaluation.results.published"] == len(CATEGORIES)
    assert all(m["id"] and m["routing_key"].startswith(m["type"]) for m in played.public)
    received = [m for m in played.public if m["type"] == "submissions.work.received"]
    assert {m["routing_key"].rsplit(".", 1)[1] for m in received} == {f"d{d:02d}" for d in DISTRICTS}
    documented = json.loads((ROOT / "docs" / "asyncapi.json").read_text())
    for message in played.public:  # each in the shape docs/asyncapi.json documents, and nothing more
        payload = documented["components"]["messages"][f"public.{message['type']}"]["payload"]
        jsonschema.Draft202012Validator({**documented, **payload}).validate(message["body"])
        assert set(message["body"]) <= set(payload["properties"]), message["type"]
    text = json.dumps([m["body"] for m in played.public], ensure_ascii=False)
    for work in works_of(played):
        for personal in (work["submitter"]["name"], work["submitter"]["national_id"], work["submitter"]["mobile"],
                         work["tracking_code"]):
            assert personal not in text
