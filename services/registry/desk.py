"""My desk: what waits for a person in the registry, as far as the permissions table lets them see it (a read
use case over decisions and reports; other services serve their own desk cards)."""

from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.decisions import usecases as decisions
from services.registry.decisions.staff_desk import governance_links
from services.registry.permissions import PERMISSIONS, SEE_DISTRICT_OFFICES, Capability
from services.registry.reports import usecases as reports
from shared.principal import Principal

OVERVIEW_ROWS = 8


async def desk(conn: AsyncConnection, principal: Principal) -> dict:
    """Per district of the person, as far as the table lets them: decisions to acknowledge (overdue first) and to
    report implemented (the district's office), the monthly report still owed (its secretary), or only the link to
    the district's decisions (its committees); for those who watch all districts, the districts with pending
    acknowledgements."""
    districts = []
    for district in sorted(principal.districts()):
        if not PERMISSIONS.may(principal, Capability.READ_DISTRICT_DECISIONS, district=district):
            continue
        answers = PERMISSIONS.may(principal, Capability.ACKNOWLEDGE_DECISIONS, district=district)
        rows = await decisions.district_decisions(conn, principal, district) if answers else []
        waiting = sorted((r for r in rows if r["next_step"] == "acknowledge"),
                         key=lambda r: (not r["overdue"], r["ack_deadline"]))
        districts.append({"district": district, "answers": answers, "to_acknowledge": waiting,
                          "to_implement": [r for r in rows if r["next_step"] == "implement"],
                          "files_reports": PERMISSIONS.may(principal, Capability.FILE_DISTRICT_REPORTS,
                                                           district=district),
                          "report_due": await reports.report_due(conn, principal, district),
                          "sees_offices": SEE_DISTRICT_OFFICES.allows(principal, district)})
    overview = None
    if PERMISSIONS.may(principal, Capability.SEE_MONITORING):
        rows = await reports.monitoring(conn, principal)
        behind = sorted((r for r in rows if r["decisions"]["pending"]),
                        key=lambda r: (-r["decisions"]["overdue"], -r["decisions"]["pending"], r["district"]))
        overview = {"behind": behind[:OVERVIEW_ROWS], "more": max(0, len(behind) - OVERVIEW_ROWS),
                    "totals": {key: sum(r["decisions"][key] for r in rows)
                               for key in ("addressed", "acknowledged", "pending", "overdue")}}
    return {"districts": districts, "overview": overview, "organisation": organisation_card(principal),
            "governance": governance_links(principal)}


def organisation_card(principal: Principal) -> dict | None:
    """The organisation's pages (the tree, people, accounts) for those who read people's records; reloading the
    structure for whoever may."""
    if not PERMISSIONS.may(principal, Capability.READ_PEOPLE):
        return None
    return {"reloads": PERMISSIONS.may(principal, Capability.RELOAD_STRUCTURE)}
