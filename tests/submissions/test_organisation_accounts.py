"""An organisation's own account submits its works itself, and only its own: only in the district its organisation
works in, never naming another submitter in an edit, and no more once its organisation is deactivated."""

import httpx
import jwt

from tests.support.submissions import (
    count,
    ensure_open_call,
    error_of,
    registered_organisation,
    snapshot,
    work_body,
)
from tests.support.submissions_accounts import as_organisation, organisation_token
from tests.support.system import STAFF_PASSWORD, System, bearer
from tests.support.waiting import wait_for


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


def test_an_organisation_submits_only_in_its_district_and_puts_no_other_name_on_its_work(system: System) -> None:
    ensure_open_call(system)
    charity, other = registered_organisation(system, district=7), registered_organisation(system, district=7)
    token = bearer(organisation_token(system, charity["code"]))
    before = snapshot(system)

    elsewhere = httpx.post(f"{system.url('submissions')}/works", headers=token,
                           json=work_body(12, submitter=as_organisation(charity["code"])))

    error_of(elsewhere, 403, "outside_organisation_district")
    assert snapshot(system) == before
    work = httpx.post(f"{system.url('submissions')}/works", headers=token,
                      json=work_body(7, submitter=as_organisation(charity["code"]))).json()
    url = f"{system.url('submissions')}/works/{work['id']}"
    for submitter in (as_organisation(other["code"]), work_body(7)["submitter"]):
        error_of(httpx.patch(url, headers=token, json={"submitter": submitter}), 403, "not_own_organisation")
    assert httpx.get(url, headers=token).json()["submitter"]["organisation_name"] == charity["name_fa"]


def test_a_deactivated_organisations_account_can_no_longer_submit_or_edit(system: System) -> None:
    ensure_open_call(system)
    charity = registered_organisation(system, district=7)
    token = bearer(organisation_token(system, charity["code"]))
    work = httpx.post(f"{system.url('submissions')}/works", headers=token,
                      json=work_body(7, submitter=as_organisation(charity["code"]))).json()
    deactivated = httpx.patch(f"{system.url('registry')}/organisations/{charity['code']}", json={"active": False},
                              headers=bearer(system.token()))
    assert deactivated.status_code == 200, deactivated.text
    wait_for(lambda: count(system, "SELECT count(*) FROM organisations WHERE code = $1 AND NOT active",
                           charity["code"]) == 1)
    before = snapshot(system)

    edited = httpx.patch(f"{system.url('submissions')}/works/{work['id']}", headers=token,
                         json={"title": "عنوانی پس از غیرفعال شدن سازمان"})
    submitted = httpx.post(f"{system.url('submissions')}/works", headers=token,
                           json=work_body(7, submitter=as_organisation(charity["code"])))

    # Submissions refuses on its own mirror of the organisation; registry may also have revoked the token (401).
    for response in (edited, submitted):
        assert response.status_code == 401 or error_of(response, 403, "organisation_inactive"), response.text
    assert snapshot(system) == before
