"""What the evaluation pages read: an evaluator's rounds and works with where each sheet stands, a round's progress
by evaluator for its managers (with who may take a work over), the central secretariat's receipts and jury rounds.
Reads only: every change goes through the use cases the JSON routes call (sheets, reassigning, closing, council,
opening), with the same permissions."""

import uuid
from collections import Counter
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation import db, db_council, db_history, db_rounds
from services.evaluation.domain import ADVANCED_TIER_1, DRAFT, SUBMITTED, for_judging
from services.evaluation.permissions import PERMISSIONS, Capability, may_manage
from services.evaluation.usecases.common import candidates, load_round, require_manager
from services.evaluation.usecases.sheets import my_works
from shared.principal import Principal
from shared.reading_grants import reading_grant
from shared.refusals import not_found

NOT_STARTED, CONFLICT = "not_started", "conflict"


async def _names(conn: AsyncConnection, person_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """People's names as evaluation mirrors them (the id's start when a name never arrived)."""
    found = await db.people_names(conn, person_ids=person_ids)
    return {p: found.get(p) or f"داور {str(p)[:8]}" for p in person_ids}



def sheet_state(sheet: dict | None) -> str:
    """Where an evaluator's sheet of a work stands: not started, draft or submitted."""
    return sheet["state"] if sheet else NOT_STARTED


async def evaluator_rounds(conn: AsyncConnection, principal: Principal) -> list[dict]:
    """The rounds the principal evaluates in, newest first, each with how many of their works they submitted."""
    PERMISSIONS.require(principal, Capability.EVALUATE)
    me = uuid.UUID(principal.subject)
    rounds = []
    for round_ in await db_rounds.list_rounds(conn, evaluator=me):
        works = await my_works(conn, principal, round_id=round_["id"])
        states = Counter(sheet_state(w["sheet"]) for w in works)
        rounds.append({**round_, "assigned": len(works), "submitted": states[SUBMITTED], "drafts": states[DRAFT]})
    return rounds


async def evaluator_round(conn: AsyncConnection, principal: Principal, *, round_id: uuid.UUID) -> dict:
    """A round as one of its evaluators sees it: their works, each with its state (not started, draft, submitted),
    and the works they declared a conflict with. Not found to anyone the round never gave a work."""
    PERMISSIONS.require(principal, Capability.EVALUATE)
    me = uuid.UUID(principal.subject)
    round_ = await load_round(conn, round_id)
    works = [{**w, "state": sheet_state(w["sheet"])} for w in await my_works(conn, principal, round_id=round_id)]
    conflicted = await db_history.conflicted_works(conn, round_id=round_id, person_id=me)
    conflicts = [{**for_judging(w), "state": CONFLICT, "sheet": None}
                 for w in await db.works_by_ids(conn, work_ids=conflicted)]
    if not works and not conflicts:
        raise not_found("دور داوری", "Round")
    works.sort(key=lambda w: (w["state"] == SUBMITTED, w["title"]))
    states = Counter(w["state"] for w in works)
    return {"round": round_, "works": works + conflicts, "assigned": len(works), "submitted": states[SUBMITTED]}


async def evaluator_work(conn: AsyncConnection, principal: Principal, *, round_id: uuid.UUID,
                         work_id: uuid.UUID, document_key: str, now: datetime) -> dict:
    """One assigned work as its evaluator judges it: the work (nothing of the submitter), how many documents it
    has, the grant to read it and its documents in submissions, the round's rubric and the evaluator's own sheet.
    Not found unless the work is theirs in the round."""
    round_ = await load_round(conn, round_id)
    mine = {w["work_id"]: w for w in await my_works(conn, principal, round_id=round_id)}
    if work_id not in mine:
        raise not_found("اثر واگذارشده", "Assigned work")
    stored = await db.get_work(conn, work_id=work_id)
    return {"round": round_, "work": mine[work_id], "documents": stored["documents"] if stored else 0,
            "state": sheet_state(mine[work_id]["sheet"]),
            "reading_grant": reading_grant(document_key, work_id, principal.subject, now)}


async def managed_rounds(conn: AsyncConnection, principal: Principal) -> list[dict]:
    """The rounds the principal manages, newest first, each with its sheets submitted out of those assigned."""
    rounds = []
    for round_ in await db_rounds.list_rounds(conn):
        if not may_manage(principal, round_):
            continue
        plan = await db_rounds.round_assignments(conn, round_id=round_["id"])
        submitted = {(s["work_id"], s["evaluator_id"]) for s in
                     await db_rounds.round_sheets(conn, round_id=round_["id"], submitted_only=True)}
        expected = {(w, e) for w, people in plan.items() for e in people}
        rounds.append({**round_, "works": len(plan), "expected": len(expected),
                       "submitted": len(expected & submitted)})
    return rounds


async def round_progress(conn: AsyncConnection, principal: Principal, *, round_id: uuid.UUID) -> dict:
    """A round for its manager: each evaluator's scored, draft and remaining sheets; each work with its evaluators
    and their sheets' states; who may be given a work (the round's eligible evaluators); the reassignments made."""
    round_ = await load_round(conn, round_id)
    require_manager(principal, round_)
    plan = await db_rounds.round_assignments(conn, round_id=round_id)
    sheets = {(s["work_id"], s["evaluator_id"]): s["state"]
              for s in await db_rounds.round_sheets(conn, round_id=round_id)}
    works = {w["work_id"]: w for w in await db.works_by_ids(conn, work_ids=list(plan))}
    eligible = [c.person_id for c in await candidates(conn, round_["tier"], round_["district"])]
    ended = await db_history.ended_assignments(conn, round_id=round_id)
    people = {e for evaluators in plan.values() for e in evaluators} | set(eligible) | {
        p for row in ended for p in (row["evaluator_id"], row["replaced_by"]) if p}
    names = await _names(conn, people)
    by_evaluator: dict[uuid.UUID, Counter] = {}
    for work_id, evaluators in plan.items():
        for evaluator in evaluators:
            by_evaluator.setdefault(evaluator, Counter())[sheets.get((work_id, evaluator), NOT_STARTED)] += 1
    evaluators = sorted(({"person_id": p, "name": names[p], "assigned": sum(c.values()), "submitted": c[SUBMITTED],
                          "drafts": c[DRAFT], "remaining": sum(c.values()) - c[SUBMITTED]}
                         for p, c in by_evaluator.items()), key=lambda e: e["name"])
    rows = sorted(({"work_id": w, "title": works[w]["title"] if w in works else str(w),
                    "neighbourhood": works[w]["neighbourhood"] if w in works else "",
                    "evaluators": [{"person_id": e, "name": names[e], "state": sheets.get((w, e), NOT_STARTED)}
                                   for e in sorted(plan[w], key=lambda p: names[p])]}
                   for w in plan), key=lambda r: r["title"])
    history = [{**row, "title": works[row["work_id"]]["title"] if row["work_id"] in works else "",
                "from_name": names.get(row["evaluator_id"], ""),
                "to_name": names.get(row["replaced_by"], "") if row["replaced_by"] else ""} for row in ended]
    return {"round": round_, "evaluators": evaluators, "works": rows,
            "titles": {w: r["title"] for w, r in works.items()},
            "eligible": sorted(({"person_id": p, "name": names[p]} for p in eligible), key=lambda e: e["name"]),
            "history": history, "expected": sum(e["assigned"] for e in evaluators),
            "submitted": sum(e["submitted"] for e in evaluators)}



async def receipts_overview(conn: AsyncConnection, principal: Principal) -> list[dict]:
    """For the central secretariat: each edition and category with tier-1 rounds, how many are still open, how
    many works the districts selected, and whether the receipt was confirmed; newest edition first."""
    PERMISSIONS.require(principal, Capability.CONFIRM_RECEIPT)
    scopes: dict[tuple[str, str], Counter] = {}
    for round_ in await db_rounds.list_rounds(conn):
        if round_["tier"] == 1:
            scopes.setdefault((round_["edition"], round_["category"]), Counter())[round_["state"]] += 1
    rows = []
    for (edition, category), states in sorted(scopes.items(), key=lambda s: (s[0][0], s[0][1]), reverse=True):
        selected = await db.works_with_status(conn, edition=edition, category=category, status=ADVANCED_TIER_1)
        rows.append({"edition": edition, "category": category, "open": states["open"], "closed": states["closed"],
                     "selected": len(selected), "without_documents": sum(1 for w in selected if w["documents"] < 1),
                     "received": await db_council.receipt_exists(conn, edition=edition, category=category)})
    return rows


async def jury_rounds(conn: AsyncConnection, principal: Principal) -> list[dict]:
    """For the central secretariat: the jury's rounds with their progress, newest first."""
    PERMISSIONS.require(principal, Capability.MANAGE_TIER_2_ROUND)
    return [r for r in await managed_rounds(conn, principal) if r["tier"] == 2]
