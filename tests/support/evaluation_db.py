"""Evaluation's use-case tests: a scratch database with evaluation's migrations, and the facts a use case needs
(people on committees, works received), made through the use cases that project them in production."""

import uuid

from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation.usecases import works
from shared.contracts.registry import MemberAppointed, PersonRegistered
from shared.contracts.submissions import WorkReceived
from shared.principal import Membership, Principal


async def committee_member(conn: AsyncConnection, district: int | None, *, mobile: str | None = None,
                           kind: str = "executive_committee", role: str = "member",
                           organisations: tuple[str, ...] = ()) -> Principal:
    """A person appointed to a district committee (or, with kind/role, any body; district None for the jury), as
    evaluation learns it, speaking for the given organisations; the Principal they sign in as."""
    person = uuid.uuid4()
    await works.mirror_person(conn, PersonRegistered(person_id=person, name="داور", mobile=mobile,
                                                     organisations=list(organisations)))
    body = f"district-{district:02d}-committee" if district else kind
    await works.mirror_membership(conn, MemberAppointed(appointment_id=uuid.uuid4(), person_id=person,
                                                        body_code=body, body_kind=kind, role=role, district=district))
    membership = Membership(body=body, kind=kind, role=role, district=district)
    return Principal(subject=str(person), username=f"member.{person.hex[:6]}", name="داور", memberships=[membership])


async def received(conn: AsyncConnection, district: int, category: str, edition: str, title: str,
                   mobile: str = "09350000000", work_id: uuid.UUID | None = None,
                   organisation: str | None = None) -> uuid.UUID:
    """A work received at submissions (submitted by a registered organisation, when given), as evaluation
    projects it."""
    work = WorkReceived(work_id=work_id or uuid.uuid4(), tracking_code="1234-5678-9012", district=district,
                        neighbourhood="محله", category=category, title=title, submitter_name="شهروند",
                        submitter_national_id="0499370899", submitter_mobile=mobile, edition=edition,
                        submitter_kind="organisation" if organisation else "citizen", organisation_code=organisation)
    await works.receive_work(conn, work)
    return work.work_id
