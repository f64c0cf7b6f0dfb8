"""An evaluator's pages (a district committee's member, a juror): my rounds with my progress, my works in a round
with where each sheet stands, and one work with its score sheet (draft or submit) and the declaration of a
conflict of interest, through the same use cases as `PUT /rounds/{id}/works/{work}/sheet` and `POST .../conflict`."""

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from services.evaluation.api.models import ConflictIn, SheetIn
from services.evaluation.domain import checked_scores
from services.evaluation.pages.kit import Engine, about_the_form, form_fields, in_transaction
from services.evaluation.usecases import progress, sheets
from shared.errors import STATUS
from shared.persian import to_ascii_digits, to_persian_digits
from shared.principal import Principal
from shared.refusals import Refusal
from shared.web.connection import Reading
from shared.web.pages import FIELD_PROBLEMS, Pages, field_errors

NOT_A_NUMBER = FIELD_PROBLEMS["int_parsing"]
MISSING_SCORE = "برای ثبت نهایی، این معیار را امتیاز دهید."
DONE = {"draft": "پیش‌نویس برگهٔ امتیاز ذخیره شد.", "submitted": "برگهٔ امتیاز ثبت نهایی شد.",
        "conflict": "تعارض منافع شما ثبت شد و این اثر از فهرست شما بیرون رفت."}


def field_of(code: str) -> str:
    """The form field of a criterion's score."""
    return f"score_{code}"


def shown(value: float) -> str:
    """A stored score as the form shows it: Persian digits, no needless decimals."""
    text = str(int(value)) if float(value).is_integer() else str(value)
    return to_persian_digits(text).replace(".", "٫")


def sheet_form(rubric: list[dict], sheet: dict | None) -> dict[str, str]:
    """The score sheet's fields filled from the evaluator's saved sheet."""
    if not sheet:
        return {}
    return {**{field_of(code): shown(value) for code, value in sheet["scores"].items()}, "comment": sheet["comment"]}


def typed_scores(rubric: list[dict], form: dict[str, str]) -> tuple[dict[str, float], dict[str, str]]:
    """The scores typed (Persian or ASCII digits, a Persian or Latin decimal point; empty boxes left out), and a
    message at each box that holds no number."""
    scores, errors = {}, {}
    for criterion in rubric:
        name = field_of(criterion["code"])
        text = to_ascii_digits(form.get(name, "")).strip().replace("٫", ".").replace("/", ".")
        if not text:
            continue
        try:
            scores[criterion["code"]] = float(text)
        except ValueError:
            errors[name] = NOT_A_NUMBER
    return scores, errors


def score_refusal_errors(refusal: Refusal, rubric: list[dict], scores: dict[str, float]) -> dict[str, str]:
    """A refused sheet's message at the boxes it concerns: the scores out of their range (the domain's own check,
    asked per score), the criteria a submitted sheet left empty; anything else at the top of the form."""
    if refusal.code == "sheet_incomplete" and isinstance(refusal.details, list):
        return {field_of(code): MISSING_SCORE for code in refusal.details}
    if refusal.code == "score_out_of_range":
        errors = {}
        for code, value in scores.items():
            try:
                checked_scores({code: value}, rubric, complete=False)
            except Refusal as one:
                errors[field_of(code)] = one.fa
        return errors or {"form": refusal.fa}
    return {"form": refusal.fa}


def build_router(pages: Pages, document_key: str) -> APIRouter:
    """The evaluator's pages; the document key signs the links to a work's documents in submissions."""
    router = pages.router()
    person = Annotated[Principal, Depends(pages.person)]

    @router.get("/evaluator/rounds")
    async def my_rounds(request: Request, principal: person, conn: Reading) -> HTMLResponse:
        """The rounds I evaluate in, with my progress in each."""
        rounds = await progress.evaluator_rounds(conn, principal)
        return pages.render(request, "evaluator_rounds.html", rounds=rounds)

    @router.get("/evaluator/rounds/{round_id}")
    async def my_round(request: Request, round_id: uuid.UUID, principal: person, conn: Reading,
                       done: str = "") -> HTMLResponse:
        """My works in a round, each with where my sheet stands."""
        found = await progress.evaluator_round(conn, principal, round_id=round_id)
        return pages.render(request, "evaluator_round.html", **found, done=DONE.get(done, ""))

    async def work_page(request: Request, conn: Reading, principal: Principal, round_id: uuid.UUID,
                        work_id: uuid.UUID, status: int = 200, form: dict | None = None,
                        errors: dict | None = None, done: str = "") -> HTMLResponse:
        """One assigned work's page: the work, the reading link, the score sheet and the conflict form."""
        found = await progress.evaluator_work(conn, principal, round_id=round_id, work_id=work_id,
                                               document_key=document_key, now=datetime.now(UTC))
        rubric = found["round"]["rubric"]
        saved = sheet_form(rubric, found["work"]["sheet"])  # what a form about something else leaves as it was
        return pages.render(request, "evaluator_work.html", status=status, **found, rubric=rubric,
                            form={**saved, **form} if form is not None else saved,
                            errors=errors or {}, done=DONE.get(done, ""), field_of=field_of)

    @router.get("/evaluator/rounds/{round_id}/works/{work_id}")
    async def my_work(request: Request, round_id: uuid.UUID, work_id: uuid.UUID, principal: person,
                      conn: Reading, done: str = "") -> HTMLResponse:
        """One of my works: what it is, my score sheet, and the declaration of a conflict of interest."""
        return await work_page(request, conn, principal, round_id, work_id, done=done)

    @router.post("/evaluator/rounds/{round_id}/works/{work_id}/sheet")
    async def save_sheet(request: Request, round_id: uuid.UUID, work_id: uuid.UUID, principal: person,
                         conn: Reading, engine: Engine) -> Response:
        """Save my sheet as a draft, or submit it (the button pressed decides)."""
        await pages.require_csrf(request)
        round_ = (await progress.evaluator_work(conn, principal, round_id=round_id, work_id=work_id,
                                               document_key=document_key, now=datetime.now(UTC)))["round"]
        names = [field_of(c["code"]) for c in round_["rubric"]]
        form = await form_fields(request, "comment", "action", *names)
        scores, errors = typed_scores(round_["rubric"], form)
        submit = form["action"] == "submit"
        try:
            if errors:
                raise ValueError
            body = SheetIn(scores=scores, comment=form["comment"], submit=submit)
            state = await in_transaction(engine, lambda tx: sheets.save_sheet(
                tx, principal, round_id=round_id, work_id=work_id, scores=body.scores, comment=body.comment,
                submit=body.submit))
        except ValueError as error:  # a box without a number, or the model refused (ValidationError)
            if isinstance(error, ValidationError):
                errors = field_errors(error)
            return await work_page(request, conn, principal, round_id, work_id, status=400, form=form,
                                   errors=errors)
        except Refusal as refusal:
            about_the_form(refusal)
            return await work_page(request, conn, principal, round_id, work_id, status=STATUS[refusal.kind],
                                   form=form, errors=score_refusal_errors(refusal, round_["rubric"], scores))
        if state == "submitted":
            return RedirectResponse(pages.url("evaluation", f"/evaluator/rounds/{round_id}?done=submitted"),
                                    status_code=303)
        return RedirectResponse(pages.url("evaluation", f"/evaluator/rounds/{round_id}/works/{work_id}?done=draft"),
                                status_code=303)

    @router.post("/evaluator/rounds/{round_id}/works/{work_id}/conflict")
    async def declare_conflict(request: Request, round_id: uuid.UUID, work_id: uuid.UUID, principal: person,
                               conn: Reading, engine: Engine) -> Response:
        """Declare a conflict of interest with one of my works, with the reason: the work leaves me."""
        await pages.require_csrf(request)
        form = await form_fields(request, "reason")
        try:
            reason = ConflictIn(reason=form["reason"]).reason
            await in_transaction(engine, lambda tx: sheets.declare_conflict(
                tx, principal, round_id=round_id, work_id=work_id, reason=reason))
        except ValidationError as error:
            return await work_page(request, conn, principal, round_id, work_id, status=400, form=form,
                                   errors=field_errors(error))
        except Refusal as refusal:
            about_the_form(refusal)
            return await work_page(request, conn, principal, round_id, work_id, status=STATUS[refusal.kind],
                                   form=form, errors={"form": refusal.fa})
        return RedirectResponse(pages.url("evaluation", f"/evaluator/rounds/{round_id}?done=conflict"),
                                status_code=303)

    return router
