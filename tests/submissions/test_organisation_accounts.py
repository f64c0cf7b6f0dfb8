"""An organisation's own account submits its works itself, and only its own."""

import httpx
import jwt

from tests.support.submissions import ensure_open_call, registered_organisation, work_body
from tests.support.submissions_accounts import as_organisation, organisation_token
from tests.support.system import STAFF_PASSWORD, System, bearer


def test_an_organisation_submits_and_follows_its_own_work(system: System) -> None:
    ensure_open_call(system)
    charity = registered_organisation(system, district=7)
    token = organisation_token(system, charity["code"])
    assert jwt.decode(token, options={"verify_signature": False})["organisation"] == charity["code"]

    response = httpx.post(f"{system.url('submissions')}/works", headers=bearer(token),
                          json=work_body(7, submitter=as_organisation(charity["code"])))

    assert response.status_code == 201, response.text
    work = response.json()
    assert httpx.get(f"{system.url('submissions')}/works/{work['id']}", headers=bearer(token)).status_code == 200


def test_an_organisation_cannot_submit_for_others_nor_read_their_works(system: System) -> None:
    ensure_open_call(system)
    charity, other = registered_organisation(system, district=7), registered_organisation(system, district=7)
    token = organisation_token(system, charity["code"])
    for submitter in (as_organisation(other["code"]), work_body(7)["submitter"]):
        refused = httpx.post(f"{system.url('submissions')}/works", headers=bearer(token),
                             json=work_body(7, submitter=submitter))
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_own_organisation"
    staff_work = httpx.post(f"{system.url('submissions')}/works", headers=bearer(system.district_staff_token(7)),
                            json=work_body(7)).json()
    assert httpx.get(f"{system.url('submissions')}/works/{staff_work['id']}", headers=bearer(token)).status_code == 404
    staff12 = bearer(system.district_staff_token(12))
    assert httpx.post(f"{system.url('registry')}/organisations/{charity['code']}/accounts", headers=staff12, json={
        "username": "intruder.org", "password": STAFF_PASSWORD, "name": "نفوذی"}).status_code == 403
