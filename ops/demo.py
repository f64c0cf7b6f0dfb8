"""`hami demo`: a whole demo festival played on a running system, from the council's first decision to the
published results, so a newcomer finds every service full of living data."""

import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ops import demo_data
from ops.festival import CATEGORIES, Cast, Festival, StepFailed
from shared.persian import format_jalali_date


@dataclass(frozen=True)
class DemoPlan:
    """How big the demo festival is."""

    districts: tuple[int, ...] = (1, 6, 7, 12, 15)
    works: int = 105
    quota: int = 2
    ack_seconds: float = 30.0  # the last district never acknowledges: it shows up overdue after this
    seed: int = 1405


class Progress:
    """Step lines, and counters that redraw in place on a terminal (a line per tenth otherwise)."""

    def __init__(self, steps: int, out=None) -> None:
        self.steps, self.done, self.out = steps, 0, out or sys.stdout
        self.started = time.monotonic()

    def step(self, label: str) -> None:
        """A new step begins."""
        self.done += 1
        print(f"[{self.done}/{self.steps}] {label}", file=self.out, flush=True)

    def count(self, label: str, done: int, total: int) -> None:
        """How far a long step has come."""
        if self.out.isatty():
            print(f"\r      {label}: {done}/{total}", end="\n" if done == total else "", file=self.out, flush=True)
        elif done == total or done % max(1, total // 10) == 0:
            print(f"      {label}: {done}/{total}", file=self.out, flush=True)

    def finish(self, text: str) -> None:
        """The closing lines."""
        print(f"{text}\n(in {time.monotonic() - self.started:.0f} s)", file=self.out, flush=True)


STEPS = 10
RELAY_NOTE = "لطفاً دفاتر جشنواره محلات را در جریان بگذارید."
REPORT_TEXT = "دفاتر جشنواره در محلات فعال بودند و داوری منطقه به موقع انجام شد."
CITY_REPORT_TEXT = "گزارش شهری جشنواره بر پایه آخرین گزارش مناطق."


def run_demo(festival: Festival, plan: DemoPlan, progress: Progress) -> dict:
    """Play the whole festival; returns a summary (works, sheets, advanced, awards)."""
    progress.step("loading the festival structure and appointing the staff, committees and jury")
    secretary = festival.festival_secretary()
    if festival.call_state(secretary) is not None:
        raise StepFailed(f"edition {festival.edition} already has a call; play another with --edition")
    festival.load_structure(secretary)
    cast = festival.cast(plan.districts, demo_data.person_names(plan.seed))
    acknowledging = {d: district_staff(festival, cast, d) for d in range(1, 22)}  # signed in before the clock runs
    progress.step("the council sets the quotas and opens the call; the central secretariat relays it")
    festival.set_quotas(cast.chair, plan.quota)
    opened = festival.open_call(cast.chair, ack_within=timedelta(seconds=plan.ack_seconds))
    festival.relay(cast.central, opened["id"], dict.fromkeys(range(1, 23), RELAY_NOTE))
    progress.step("21 districts acknowledge; district 22 does not")
    for district in range(1, 22):
        festival.acknowledge(acknowledging[district], opened["id"], district)
        progress.count("acknowledged", district, 21)
    works = submit_works(festival, cast, plan, progress)
    progress.step("the council closes the call; the districts' rounds open")
    festival.close_call(cast.chair)
    rounds = {d: festival.district_rounds(cast.district_secretaries[d], d, categories_of(works, d))
              for d in plan.districts}
    sheets, advanced = evaluate_districts(festival, cast, rounds, progress)
    jury_sheets = evaluate_jury(festival, cast, progress)
    progress.step("the council approves the results; they are published")
    results = festival.approve_results(cast.chair)
    progress.step("the districts report up; the central secretariat compiles the city report")
    festival.wait_for_ledger(cast.central, "evaluation.work.evaluated", len(works) + advanced)
    city = report_up(festival, cast)
    summary = {"works": len(works), "sheets": sheets + jury_sheets, "advanced": advanced,
               "awards": sum(len(r["awards"]) for r in results), "reporting": city["figures"]["districts_reporting"]}
    progress.finish(closing_text(festival, cast, summary))
    return summary


def district_staff(festival: Festival, cast: Cast, district: int):
    """The district's festival office if the demo appointed one, else a staff account made for acknowledging."""
    if district in cast.offices:
        return cast.offices[district]
    return festival.appoint(cast.secretary, f"d{district:02d}.staff", f"کارشناس دبیرخانه منطقه {district}",
                            f"district-{district:02d}", "staff")


def submit_works(festival: Festival, cast: Cast, plan: DemoPlan, progress: Progress) -> list[dict]:
    """Each district's festival office enters its works, each with a report attached."""
    progress.step(f"festival offices of districts {', '.join(map(str, plan.districts))} submit {plan.works} works")
    neighbourhoods = {d: [n["name_fa"] for n in festival.neighbourhoods(d)] for d in plan.districts}
    works = []
    for index, body in enumerate(demo_data.works(neighbourhoods, plan.works, plan.seed), 1):
        office = cast.offices[body["district"]]
        work = festival.submit(office, body)
        festival.attach(office, work["id"], "گزارش طرح.pdf", demo_data.pdf(f"Hami {festival.edition} work {index}"))
        works.append(work)
        progress.count("works with documents", index, plan.works)
    return works


def categories_of(works: list[dict], district: int) -> set[str]:
    """The categories a district has works in."""
    return {w["category"] for w in works if w["district"] == district}


def evaluate_districts(festival: Festival, cast: Cast, rounds: dict[int, list[dict]],
                       progress: Progress) -> tuple[int, int]:
    """Committee members score every assigned work; each district's secretary closes its rounds."""
    progress.step("district committees score the works; the district secretaries close their rounds")
    sheets = advanced = closed = 0
    total = sum(len(r) for r in rounds.values())
    for district, district_rounds in rounds.items():
        for round_ in district_rounds:
            committee = cast.committees[district]
            if round_ is district_rounds[0] and district == min(rounds):
                # One evaluator does not score: the district secretary hands their works to colleagues (any work
                # nobody else can take stays theirs, and they score it after all).
                festival.hand_over_absent(cast.district_secretaries[district], round_, committee[0], committee[1:])
            sheets += festival.score(round_, committee, demo_data.judge)
            advanced += len(festival.close_round(cast.district_secretaries[district], round_["id"])["advanced"])
            closed += 1
            progress.count("district rounds closed", closed, total)
    return sheets, advanced


def evaluate_jury(festival: Festival, cast: Cast, progress: Progress) -> int:
    """The central secretariat confirms receipt and opens the jury rounds; the jury scores; awards are proposed."""
    progress.step("the central secretariat confirms receipt of the selections and opens the jury rounds")
    rounds = []
    for category in CATEGORIES:
        festival.confirm_receipt(cast.central, category)
        rounds.append(festival.open_jury_round(cast.central, category))
    progress.step("the jury scores; the central secretariat closes the jury rounds and awards are proposed")
    sheets = 0
    for index, round_ in enumerate(rounds, 1):
        sheets += festival.score(round_, cast.jury, demo_data.judge)
        festival.close_round(cast.central, round_["id"])
        progress.count("jury rounds closed", index, len(rounds))
    return sheets


# What one district carries up to the central secretariat and the committees (issue #12: shortcomings up).
SHORTCOMINGS = [{"what": "دفتر جشنواره یکی از محله‌ها کارشناس ندارد", "since": "1405/07/01",
                 "needed": "یک کارشناس پاره‌وقت تا پایان فراخوان"}]


def report_up(festival: Festival, cast: Cast) -> dict:
    """Each district secretary reports on the last month (figures counted from the ledger); then the city report."""
    today = datetime.now(UTC)
    period = (format_jalali_date(today - timedelta(days=30), persian_digits=False),
              format_jalali_date(today, persian_digits=False))
    for district, secretary in cast.district_secretaries.items():
        shortcomings = SHORTCOMINGS if district == min(cast.district_secretaries) else None
        festival.report(secretary, district, period, REPORT_TEXT, shortcomings)
    return festival.city_report(cast.central, period, CITY_REPORT_TEXT)


def closing_text(festival: Festival, cast: Cast, summary: dict) -> str:
    """What to look at next, and as whom (each account with the password it really has)."""
    admin_username, admin_password = festival.admin_credentials()
    district = next(iter(cast.district_secretaries))
    accounts = [("festival secretary", admin_username, admin_password),
                ("council chair", cast.chair.username, festival.password),
                ("central secretariat", cast.central.username, festival.password),
                (f"district {district} secretary", cast.district_secretaries[district].username, festival.password),
                (f"district {district} festival office", cast.offices[district].username, festival.password),
                (f"district {district} committee member", cast.committees[district][0].username, festival.password),
                ("juror", cast.jury[0].username, festival.password)]
    lines = [f"Demo festival {festival.edition} is complete: {summary['works']} works, {summary['sheets']} score "
             f"sheets, {summary['advanced']} works advanced to the jury, {summary['awards']} awards published, "
             f"{summary['reporting']} districts reported.",
             f"Open {festival.urls['registry']}/sign-in in a browser and sign in as any of these:"]
    lines += [f"  {role:<34} {username:<16} password '{password}'" for role, username, password in accounts]
    lines += [f"JSON APIs: {url}/docs" for url in festival.urls.values()]
    return "\n".join(lines)
