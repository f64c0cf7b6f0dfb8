"""The festival as its people run it (issue #12), played in a row through the four services' HTTP interfaces on a
system of its own: a district secretary opens a neighbourhood office, whose staff enter the works; a decision
addressed to a district committee reaches a member's inbox, who acknowledges for the committee; in the district's
round a work is withdrawn, a member's appointment ends and an evaluator never scores (one work reassigned, the
round closed at its deadline with a quorum); the central secretariat confirms receipt and the jury judges; the
council reads the proposals, then approves; the council replaces the festival secretary; the district reports a
shortcoming, which the city report carries up to the council."""

import asyncio
import uuid
from contextlib import ExitStack
from dataclasses import dataclass

import httpx
import pytest

from ops import demo_data
from ops.festival import COMMITTEES, Cast, Festival, Person, expect, wait_until
from shared.launcher import SERVICES
from tests.support.servers import Servers, private_vhost
from tests.support.submissions import mobile, national_id
from tests.support.system import ADMIN_PASSWORD, ADMIN_USERNAME, System, drop_databases, start_system

EDITION, DISTRICT, CATEGORY, PASSWORD = "1405", 19, "welfare", "situations-test-password"
NAMES = ("مریم کاظمی", "رضا صالحی", "فاطمه نوری", "حسین کریمی", "زهرا رحیمی", "علی موسوی", "سارا جعفری",
         "محمد حسینی", "نرگس قاسمی", "امیر عباسی", "لیلا مرادی", "بهروز یوسفی", "مینا شریفی")


@dataclass
class Scene:
    """The running system, the festival driver and who plays which role."""

    system: System
    festival: Festival
    cast: Cast

    def get(self, service: str, path: str, who: Person, **params) -> dict | list:
        """GET as someone, expecting 200."""
        return expect(self.festival.call(service, "GET", path, who, params=params), 200)

    def send(self, service: str, method: str, path: str, who: Person, body: dict | None = None) -> httpx.Response:
        """Any request as someone."""
        return self.festival.call(service, method, path, who, json=body)


@pytest.fixture(scope="module")
def scene(servers: Servers, tmp_path_factory: pytest.TempPathFactory) -> Scene:
    """The four services on a vhost and databases of their own; the structure loaded and the cast appointed."""
    with ExitStack() as resources:
        amqp_url = resources.enter_context(private_vhost(servers))
        system = start_system(servers, amqp_url, tmp_path_factory.mktemp("situations-logs"))
        resources.callback(lambda: asyncio.run(drop_databases(servers, system.prefix)))
        resources.callback(system.stop)
        festival = Festival({name: system.url(name) for name in SERVICES}, admin=(ADMIN_USERNAME, ADMIN_PASSWORD),
                            edition=EDITION, password=PASSWORD)
        festival.load_structure(festival.festival_secretary())
        yield Scene(system, festival, festival.cast([DISTRICT], NAMES, committee_size=5, jurors=3))


def my_works(scene: Scene, round_id: str, who: Person) -> set[str]:
    """The works an evaluator holds in a round."""
    return {w["work_id"] for w in scene.get("evaluation", f"/rounds/{round_id}/my-works", who)}


def test_the_festival_plays_through_each_situation(scene: Scene) -> None:
    festival, cast = scene.festival, scene.cast
    secretary, office = cast.district_secretaries[DISTRICT], cast.offices[DISTRICT]
    committee = cast.committees[DISTRICT]
    festival.set_quotas(cast.chair, per_district=1)
    festival.open_call(cast.chair)

    # The district's secretary opens a neighbourhood office and staffs it; its staff enter four works there.
    neighbourhood = festival.neighbourhoods(DISTRICT)[0]
    offices = f"/editions/{EDITION}/districts/{DISTRICT}/offices"
    opened = scene.send("submissions", "PUT", f"{offices}/{neighbourhood['code']}", secretary,
                        {"open": True, "staff": [{"username": office.username, "phone": "02188776655"}]})
    assert opened.status_code == 200, opened.text
    assert opened.json()["open"] and opened.json()["updated_at_jalali"]
    assert [o["code"] for o in scene.get("submissions", offices, secretary) if o["open"]] == [neighbourhood["code"]]
    works = [festival.submit(office, {
        "district": DISTRICT, "neighbourhood": neighbourhood["name_fa"], "category": CATEGORY,
        "title": f"طرح همیاری محله {i + 1}", "summary": "همسایه‌ها برای سالمندان محله غذای گرم تهیه می‌کنند.",
        "submitter": {"name": NAMES[i], "national_id": national_id(), "mobile": mobile()},
        "beneficiaries": 40 + i}) for i in range(4)]
    for work in works:  # the jury's receipt needs each selected work's documents
        festival.attach(office, work["id"], "گزارش طرح.pdf", demo_data.pdf(f"situations {work['id']}"))

    # A decision addressed to the district's executive committee reaches its members, who acknowledge for it.
    executive = committee[0]  # members are appointed round the district's three committees, the executive first
    issued = expect(scene.send("registry", "POST", "/decisions", cast.chair, {
        "title": "بازدید میدانی از آثار محله", "text": "کمیتهٔ اجرایی پیش از داوری از آثار بازدید کند.",
        "issuing_body": "policy-council", "kind": "directive", "districts": [DISTRICT],
        "committees": [f"district-{DISTRICT}-executive"], "ack_deadline": "1406/12/29"}), 201)
    item = wait_until(lambda: [i for i in scene.get("notifications", "/inbox", executive)
                               if "بازدید میدانی از آثار محله" in i["title"]], "the committee member's inbox")[0]
    assert "خطاب به کمیتهٔ شما" in item["title"]
    expect(scene.send("registry", "POST",
                      f"/decisions/{issued['id']}/committees/district-{DISTRICT}-executive/acknowledge", executive,
                      {"note": "بازدید در برنامهٔ هفتهٔ آینده است."}), 200)

    # The call closes and the district's round opens: each work goes to three of the five members.
    festival.close_call(cast.chair)
    [round_] = festival.district_rounds(secretary, DISTRICT, {CATEGORY})
    round_id = round_["id"]
    assert round_["deadline_jalali"]
    assert sum(len(my_works(scene, round_id, m)) for m in committee) == 4 * 3

    # A work is withdrawn mid-round: it leaves every evaluator's list.
    withdrawn, *in_play = [w["id"] for w in works]
    expect(scene.send("submissions", "POST", f"/works/{withdrawn}/withdraw", office,
                      {"reason": "ارسال‌کننده از شرکت در جشنواره انصراف داد."}), 200)
    wait_until(lambda: all(withdrawn not in my_works(scene, round_id, m) for m in committee), "the withdrawal")

    # A member's appointment ends mid-round: their works are handed on, three holders for each work remain.
    leaving, staying = committee[-1], committee[:-1]
    body = f"district-{DISTRICT}-{COMMITTEES[(len(committee) - 1) % len(COMMITTEES)]}"
    appointment = next(m["appointment_id"] for m in scene.get("registry", f"/bodies/{body}/members", secretary)
                       if m["person_id"] == leaving.person_id)
    assert scene.send("registry", "DELETE", f"/bodies/{body}/members/{appointment}", secretary).status_code == 204
    wait_until(lambda: sum(len(my_works(scene, round_id, m)) for m in staying) == 3 * 3, "the hand-on")

    # One evaluator never scores: one of their works is reassigned; the others' sheets come in.
    absent = max(staying, key=lambda m: len(my_works(scene, round_id, m)))
    held = sorted(my_works(scene, round_id, absent))
    assert len(held) >= 2  # nine holdings among four members: at least one holds three
    taker = next(m for m in staying if held[0] not in my_works(scene, round_id, m))
    moved = scene.send("evaluation", "POST", f"/rounds/{round_id}/works/{held[0]}/reassign", secretary, {
        "from_person": absent.person_id, "to_person": taker.person_id, "reason": "داور در دسترس نیست."})
    assert moved.status_code == 200, moved.text
    festival.score(round_, [m for m in staying if m is not absent], lambda i, work, c: 5 + (i + len(work["title"])) % 5)
    refused = scene.send("evaluation", "POST", f"/rounds/{round_id}/close", secretary)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "sheets_missing"

    # The deadline passes (the clock moved on in the database) and the round closes with a quorum.
    asyncio.run(scene.system.fetchval("evaluation", "UPDATE rounds SET deadline = now() - interval '1 minute' "
                                                    "WHERE id = $1 RETURNING id", uuid.UUID(round_id)))
    closed = scene.send("evaluation", "POST", f"/rounds/{round_id}/close", secretary, {"quorum": True})
    assert closed.status_code == 200, closed.text
    [advanced] = closed.json()["advanced"]
    ranking = scene.get("evaluation", f"/rounds/{round_id}/ranking", secretary)
    assert {r["work_id"] for r in ranking} == set(in_play)
    assert any(absent.person_id in r["absent_evaluators"] for r in ranking)

    # Receipt, the jury, the council's reading of the proposals, then its approval.
    festival.confirm_receipt(cast.central, CATEGORY)
    jury_round = festival.open_jury_round(cast.central, CATEGORY)
    festival.score(jury_round, cast.jury, lambda i, work, c: 7 + i % 3)
    festival.close_round(cast.central, jury_round["id"])
    [proposal] = wait_until(lambda: scene.get("evaluation", f"/proposals/{EDITION}", cast.chair), "the proposal")
    assert proposal["category"] == CATEGORY and proposal["published_at"] is None
    assert [a["work_id"] for a in proposal["awards"]] == [advanced] and proposal["awards"][0]["explanation"]
    festival.decide(cast.chair, "تأیید نتایج", "نتایج داوری مرکزی تأیید شد.",
                    {"action": "approve_results", "edition": EDITION})
    [result] = wait_until(lambda: festival.results(), "the results")
    assert [a["work_id"] for a in result["awards"]] == [advanced]

    # The council replaces the festival secretary; the one replaced is signed out everywhere.
    old = festival.festival_secretary()
    successor = festival.appoint(old, "festival.successor", "دبیر تازهٔ جشنواره", "central-secretariat", "staff")
    handed = scene.send("registry", "PUT", "/bodies/festival-secretary/holders/secretary", cast.chair,
                        {"person_id": successor.person_id})
    assert handed.status_code == 200 and handed.json()["replaced"] == [old.person_id], handed.text
    assert scene.send("registry", "GET", "/ledger", old).status_code == 401
    successor = Person(successor.username, successor.name, festival.sign_in(successor.username, PASSWORD),
                       successor.person_id, successor.email, successor.mobile)  # a token with the new office
    assert scene.send("registry", "POST", "/people", successor, {"name": "شخص تازه"}).status_code == 201

    # The district reports a shortcoming; the city report carries it up to the council.
    gap = {"what": "کمبود داور در کمیتهٔ اجرایی", "since": "1405/07/01", "needed": "انتصاب دو عضو تازه"}
    period = ("1405/07/01", "1405/12/29")
    festival.report(secretary, DISTRICT, period, "داوری منطقه با حد نصاب بسته شد.", [gap])
    city = festival.city_report(cast.central, period, "گزارش شهری")
    row = city["figures"]["districts"][DISTRICT - 1]
    assert [(s["what"], s["since_jalali"].replace("-", "/")) for s in row["shortcomings"]] == [
        (gap["what"], "1405/07/01")]
    wait_until(lambda: [i for i in scene.get("notifications", "/inbox", cast.chair)
                        if i["event_type"] == "registry.report.filed"], "the city report in the council's inbox")
