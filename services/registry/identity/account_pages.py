"""Staff accounts in the browser, for the festival secretary: the accounts with their people's roles, a new account
for a person with an appointment, deactivating an account and giving it a new password, through the same use cases
as the JSON routes (there is no use case that re-activates an account, so no page does)."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.identity import usecases
from services.registry.identity.api import AccountIn, PasswordReset
from services.registry.page_kit import about_the_form, filled, form_fields, in_transaction
from services.registry.people.pages import DISTRICT_OPTIONS, ROLE_OPTIONS, body_groups, parsed_id, search_text
from services.registry.structure import usecases as structure
from services.registry.web import Engine
from shared.errors import STATUS
from shared.principal import Principal
from shared.refusals import Kind, Refusal
from shared.web.connection import Reading
from shared.web.pages import Pages, field_errors, refusal_errors

SHOWN = 100
ACCOUNT_FIELDS = ("username", "password", "name", "mobile", "email", "body", "role")
# A new account's refusals at their fields; «not allowed» and «not found» are about the body chosen.
ACCOUNT_REFUSALS = {"username_taken": "username", "invalid_name": "name", "invalid_mobile": "mobile",
                    "invalid_email": "email", "forbidden": "body", "not_found": "body", "office_held": "body",
                    "already_appointed": "role"}
DONE = {"created": "حساب کاربری ساخته شد.", "deactivated": "حساب غیرفعال شد؛ نشست‌های آن باطل شد.",
        "password": "گذرواژهٔ تازه ثبت شد؛ نشست‌های پیشین حساب باطل شد. آن را به صاحب حساب برسانید."}


def account_in(form: dict[str, str]) -> AccountIn:
    """The typed form as the JSON route's model: one appointment when a body or a role is chosen."""
    given = filled(form, "username", "password", "name", "mobile", "email")
    memberships = [{"body": form["body"], "role": form["role"]}] if form["body"] or form["role"] else []
    return AccountIn(**given, memberships=memberships)


def account_errors(problem: ValidationError | Refusal, form: dict[str, str]) -> dict[str, str]:
    """Where a refused account's problems belong: the membership's parts at the body and role fields."""
    if isinstance(problem, ValidationError):
        return {key.removeprefix("memberships.0."): message for key, message in field_errors(problem).items()}
    if problem.kind == Kind.NOT_AUTHENTICATED or (problem.kind == Kind.FORBIDDEN and not form["body"]):
        raise problem  # about who asks (no appointment chosen: they may not create accounts at all)
    return refusal_errors(problem, ACCOUNT_REFUSALS)


def done_redirect(pages: Pages, done: str, name: str) -> RedirectResponse:
    """Back to the accounts list, saying what was done and showing the account concerned."""
    query = urlencode({"done": done, "name": name[:200]})
    return RedirectResponse(pages.url("registry", f"/organisation/accounts?{query}"), status_code=303)


def routes(pages: Pages) -> APIRouter:
    """The accounts pages."""
    router = pages.router()
    person = Annotated[Principal, Depends(pages.person)]

    async def accounts_page(request: Request, conn: AsyncConnection, principal: Principal, *, name: str = "",
                            status: int = 200, done: str = "", **context: object) -> HTMLResponse:
        """The accounts with their filters and the new-account form."""
        context = {"open_form": False, "open_account": "", "form": {}, **context}
        text, problem = search_text(name)
        found = await usecases.account_list(conn, principal, name=text, limit=SHOWN)
        errors = {**({"search": problem} if problem else {}), **context.pop("errors", {})}
        return pages.render(request, "accounts_list.html", status=400 if problem and status == 200 else status,
                            found=found, search=name[:200], done=DONE.get(done, ""), errors=errors,
                            bodies=body_groups(await structure.bodies(conn, district=None)), role_options=ROLE_OPTIONS,
                            district_options=DISTRICT_OPTIONS, **context)

    @router.get("/organisation/accounts")
    async def accounts(request: Request, principal: person, conn: Reading, name: str = "",
                       done: str = "") -> HTMLResponse:
        """Accounts, filtered by name, body or state."""
        return await accounts_page(request, conn, principal, name=name, done=done)

    @router.post("/organisation/accounts")
    async def create(request: Request, principal: person, conn: Reading, engine: Engine) -> Response:
        """Create an account (appointed to a body when one is chosen); refusals at their fields."""
        await pages.require_csrf(request)
        form = await form_fields(request, *ACCOUNT_FIELDS)
        try:
            body = account_in(form)
            await in_transaction(engine, lambda tx: usecases.create_account(
                tx, principal, username=body.username, password=body.password, name=body.name, mobile=body.mobile,
                email=body.email, memberships=[(m.body, m.role.value) for m in body.memberships]))
        except (ValidationError, Refusal) as problem:
            status = STATUS[problem.kind] if isinstance(problem, Refusal) else 400
            kept = {key: value for key, value in form.items() if key != "password"}  # a password is not shown back
            return await accounts_page(request, conn, principal, status=status, form=kept,
                                       errors=account_errors(problem, form), open_form=True)
        return done_redirect(pages, "created", body.username)

    @router.post("/organisation/accounts/{account_id}/deactivate")
    async def deactivate(request: Request, account_id: str, principal: person, conn: Reading,
                         engine: Engine) -> Response:
        """Deactivate an account: it signs in no more and its tokens stop working."""
        await pages.require_csrf(request)
        chosen = parsed_id(account_id, "حساب کاربری", "Account")
        try:
            account = await in_transaction(engine, lambda tx: usecases.deactivate_account(tx, principal, chosen))
        except Refusal as refusal:
            return await accounts_page(request, conn, principal, status=STATUS[refusal.kind],
                                       errors=refusal_errors(about_the_form(refusal), {}))
        return done_redirect(pages, "deactivated", account["username"])

    @router.post("/organisation/accounts/{account_id}/password")
    async def new_password(request: Request, account_id: str, principal: person, conn: Reading,
                           engine: Engine) -> Response:
        """Give an account a new password (its holder's tokens stop working)."""
        await pages.require_csrf(request)
        chosen = parsed_id(account_id, "حساب کاربری", "Account")
        form = await form_fields(request, "new_password", "name")
        field = f"new_password-{chosen}"
        try:
            reset = PasswordReset(**filled(form, "new_password"))
            await in_transaction(engine, lambda tx: usecases.reset_password(
                tx, principal, chosen, new_password=reset.new_password))
        except ValidationError as error:
            return await accounts_page(request, conn, principal, name=form["name"], status=400,
                                       errors={field: next(iter(field_errors(error).values()))},
                                       open_account=str(chosen))
        except Refusal as refusal:
            return await accounts_page(request, conn, principal, name=form["name"], status=STATUS[refusal.kind],
                                       errors={field: about_the_form(refusal).fa}, open_account=str(chosen))
        return done_redirect(pages, "password", form["name"])

    return router
