"""Conflicts of interest from relations and the authority of decisions, through the running services (issue #11,
items 1-3): an organisation's account holder appointed to a district committee is never given the organisation's
work, a committee's secretary is never drawn, and evaluation carries out a decision published on the bus only when
it carries the policy council's authority.

District 9 and editions 1391-1392 are used by no other test."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest

from shared.contracts.decisions import SetQuotas
from shared.contracts.registry import DecisionIssued
from shared.contracts.submissions import WorkReceived
from tests.support.bus import publish_event
from tests.support.evaluation import appoint_account, evaluation, projected
from tests.support.submissions import registered_organisation
from tests.support.submissions_accounts import organisation_token
from tests.support.system import System, bearer
from tests.support.waiting import wait_for

DISTRICT, EDITION, CATEGORY = 9, "1391", "participation"
QUOTA_EDITION = "1392"


def person_of(token: str) -> uuid.UUID:
    """The person a token speaks for."""
    return uuid.UUID(jwt.decode(token, options={"verify_signature": False})["sub"])


def work_of(organisation: str | None, title: str, mobile: str) -> WorkReceived:
    """A work of district 9 as submissions announces it (submitted by a registered organisation, when given)."""
    return WorkReceived(work_id=uuid.uuid4(), tracking_code="1234-5678-9012", district=DISTRICT,
                        neighbourhood="محله", category=CATEGORY, title=title, submitter_name="نماینده",
                        submitter_national_id="0499370899", submitter_mobile=mobile, edition=EDITION,
                        submitter_kind="organisation" if organisation else "citizen", organisation_code=organisation)


@pytest.fixture(scope="module")
def district_9(system: System) -> dict:
    """District 9's executive committee: a member, a charity's account holder appointed as a member too, and the
    committee's secretary; a work the charity submitted and a citizen's."""
    secretary = system.district_secretary_token(DISTRICT)
    member = appoint_account(system, secretary, "eval.d09.0", "district-09-executive", "member", "09120990000")
    committee_secretary = appoint_account(system, secretary, "eval.d09.sec", "district-09-executive", "secretary",
                                          "09120990001")
    charity = registered_organisation(system, "خیریهٔ مهر محله", DISTRICT)["code"]
    holder = person_of(organisation_token(system, charity))
    appointed = httpx.post(f"{system.url('registry')}/bodies/district-09-executive/members", headers=bearer(secretary),
                           json={"person_id": str(holder), "role": "member"}, timeout=10)
    assert appointed.status_code == 201, appointed.text
    wait_for(lambda: projected(system, "SELECT count(DISTINCT person_id) FROM memberships WHERE active AND "
                                       "district = $1 AND body_kind = 'executive_committee'", DISTRICT) == 3)
    # Registry says, in PersonRegistered, which organisation the account holder speaks for.
    wait_for(lambda: projected(system, "SELECT count(*) FROM people WHERE person_id = $1 AND $2 = ANY(organisations)",
                               holder, charity))
    works = {"charity": work_of(charity, "سفرهٔ مهربانی", "09350990000"),
             "citizen": work_of(None, "کتابخانهٔ کوچه", "09350990001")}
    for work in works.values():
        asyncio.run(publish_event(system.amqp_url, work))
    wait_for(lambda: projected(system, "SELECT count(*) FROM works WHERE district = $1", DISTRICT) == 2)
    return {"secretary": secretary, "member": person_of(member), "holder": holder,
            "committee_secretary": person_of(committee_secretary), "works": works}


def test_an_organisations_account_holder_on_a_committee_is_never_given_its_work_nor_a_secretary_any(
        system: System, district_9: dict) -> None:
    charity_work = district_9["works"]["charity"].work_id
    scope = {"edition": EDITION, "tier": 1, "district": DISTRICT, "category": CATEGORY}

    short = evaluation(system, "POST", "/rounds", district_9["secretary"], {**scope, "k": 2})
    opened = evaluation(system, "POST", "/rounds", district_9["secretary"], {**scope, "k": 1})

    # Three sit on the committee; for the charity's work only the plain member is free of conflict and judges.
    assert short.status_code == 409 and short.json()["error"]["code"] == "too_few_evaluators"
    assert short.json()["error"]["details"] == {str(charity_work): 1}
    assert opened.status_code == 201, opened.text
    round_id = uuid.UUID(opened.json()["id"])
    assert projected(system, "SELECT evaluator_id FROM assignments WHERE round_id = $1 AND work_id = $2",
                     round_id, charity_work) == district_9["member"]
    assert projected(system, "SELECT count(*) FROM assignments WHERE round_id = $1 AND evaluator_id = $2",
                     round_id, district_9["committee_secretary"]) == 0


def decision(issuer_kind: str, issuer_role: str, per_district: int) -> DecisionIssued:
    """A quotas decision as registry would publish it, with the authority it was issued with."""
    return DecisionIssued(decision_id=uuid.uuid4(), title="سهمیهٔ مناطق", text="متن", issuing_body="any",
                          kind="actionable", all_districts=True, districts=[], committees=[],
                          ack_deadline=datetime.now(UTC) + timedelta(days=7), issuer_kind=issuer_kind,
                          issuer_role=issuer_role,
                          parameters=SetQuotas(edition=QUOTA_EDITION, per_district=per_district))


def handled(system: System, event: DecisionIssued) -> bool:
    """True once evaluation applied (or declined) the message."""
    return bool(projected(system, "SELECT count(*) FROM inbox WHERE message_id = $1", str(event.event_id)))


def test_a_decision_on_the_bus_changes_evaluation_only_with_the_policy_councils_authority(system: System) -> None:
    for issuer_kind, issuer_role in (("festival_secretary", "secretary"), ("specialised_committee", "chair"),
                                     ("policy_council", "member")):
        refused = decision(issuer_kind, issuer_role, per_district=9)
        asyncio.run(publish_event(system.amqp_url, refused))
        wait_for(lambda e=refused: handled(system, e))
        assert projected(system, "SELECT count(*) FROM quotas WHERE edition = $1", QUOTA_EDITION) == 0

    council = decision("policy_council", "chair", per_district=4)
    asyncio.run(publish_event(system.amqp_url, council))

    assert wait_for(lambda: projected(system, "SELECT per_district FROM quotas WHERE edition = $1",
                                      QUOTA_EDITION)) == 4
