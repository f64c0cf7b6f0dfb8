"""A work as its page shows it: the work, its status history, its documents, its category's Persian name, and
whether the person may still edit or withdraw it (asked of the permissions table and the domain's rules, so a
page offers only what the use cases would do)."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.calls import db as calls_db
from services.submissions.documents import db as documents_db
from services.submissions.domain import CATEGORIES
from services.submissions.permissions import Capability, may_on_work
from services.submissions.works import db
from services.submissions.works.domain import check_changeable, check_withdrawable
from services.submissions.works.usecases import check_account, read_work
from shared.principal import Principal
from shared.refusals import Refusal


@dataclass(frozen=True)
class WorkOverview:
    """What a work's page shows, for someone who may see the work."""

    work: dict
    history: list[dict]
    documents: list[dict]
    categories: dict[str, str]  # the work's call's categories (code -> Persian name)
    may_edit: bool
    may_withdraw: bool

    @property
    def category_fa(self) -> str:
        """The work's category in Persian."""
        return self.categories.get(self.work["category"], self.work["category"])


async def work_overview(conn: AsyncConnection, principal: Principal, work_id: uuid.UUID, *,
                        now: datetime) -> WorkOverview:
    """The work's page for those who may see it (not found for anyone else, so nothing leaks)."""
    work = await read_work(conn, principal, work_id)
    call = await calls_db.get_call(conn, edition=work["edition"]) if work["edition"] else None
    try:  # a deactivated organisation's account still sees its works, but changes none
        await check_account(conn, principal, work["district"])
        account_acts = True
    except Refusal:
        account_acts = False

    def may(capability: Capability, rule: Callable[[], None]) -> bool:
        allowed = may_on_work(principal, capability, district=work["district"],
                              organisation=work["organisation_code"])
        return account_acts and allowed and _passes(rule)

    return WorkOverview(
        work=work, history=await db.history(conn, work_id=work_id),
        documents=await documents_db.list_documents(conn, work_id=work_id),
        categories=call["categories"] if call else dict(CATEGORIES),
        may_edit=may(Capability.EDIT_WORKS, lambda: check_changeable(work, call, now)),
        may_withdraw=may(Capability.WITHDRAW_WORKS, lambda: check_withdrawable(work["status"])),
    )


def _passes(rule: Callable[[], None]) -> bool:
    """True when the domain's rule raises no refusal."""
    try:
        rule()
    except Refusal:
        return False
    return True
