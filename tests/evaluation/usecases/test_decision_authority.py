"""Evaluation carries out an actionable decision only on the authority the decision carries (issue #11, item 2):
the policy council through its chair or its secretary. Anyone else's changes nothing."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation import db_council
from services.evaluation.usecases import council
from shared.contracts.decisions import Criterion, DecisionAction, SetQuotas, SetRubric
from shared.contracts.registry import DecisionIssued

EDITION = "1391"


def decision(parameters: DecisionAction, issuer_kind: str | None, issuer_role: str | None, *,
             kind: str = "actionable") -> DecisionIssued:
    """A decision as registry publishes it, issued with this authority."""
    return DecisionIssued(decision_id=uuid.uuid4(), title="مصوبه", text="متن", issuing_body="some-body", kind=kind,
                          all_districts=True, districts=[], committees=[],
                          ack_deadline=datetime.now(UTC) + timedelta(days=7), parameters=parameters,
                          issuer_kind=issuer_kind, issuer_role=issuer_role)


QUOTAS = SetQuotas(edition=EDITION, per_district=5)
RUBRIC = SetRubric(edition=EDITION, criteria=[Criterion(code="impact", name_fa="اثر", weight=1)])


@pytest.mark.parametrize(("issuer_kind", "issuer_role", "kind"), [
    ("festival_secretary", "secretary", "actionable"), ("specialised_committee", "chair", "actionable"),
    ("jury_committee", "chair", "actionable"), ("central_secretariat", "staff", "actionable"),
    ("policy_council", "member", "actionable"), (None, None, "actionable"), ("policy_council", "chair", "directive"),
], ids=["festival-secretary", "specialised-committee", "jury-chair", "central-staff", "council-member",
        "no-authority", "council-directive"])
async def test_a_decision_without_the_councils_authority_changes_nothing(
        conn: AsyncConnection, issuer_kind: str | None, issuer_role: str | None, kind: str) -> None:
    for parameters in (QUOTAS, RUBRIC):
        carried = await council.carry_out_decision(conn, decision=decision(parameters, issuer_kind, issuer_role,
                                                                           kind=kind))
        assert carried is False

    assert await db_council.quota_for(conn, edition=EDITION, district=7, default=-1) == -1
    assert await db_council.rubric_for(conn, edition=EDITION, category="welfare", default=[]) == []


@pytest.mark.parametrize("issuer_role", ["chair", "secretary"])
async def test_the_policy_councils_chair_or_secretary_decides(conn: AsyncConnection, issuer_role: str) -> None:
    for parameters in (QUOTAS, RUBRIC):
        assert await council.carry_out_decision(conn, decision=decision(parameters, "policy_council", issuer_role))

    assert await db_council.quota_for(conn, edition=EDITION, district=7, default=-1) == 5
    assert [c["code"] for c in await db_council.rubric_for(conn, edition=EDITION, category="welfare", default=[])] \
        == ["impact"]
