"""Editing the organisation over HTTP: bodies and organisations, with their events; reloads leave staff edits."""

import asyncio

import httpx

from tests.support.system import System, bearer

LEGAL_ID = "10380284790"


def events_of(system: System, event_type: str, key: str, value: str) -> int:
    """How many events of a type about one thing the registry has archived."""
    return asyncio.run(system.fetchval(
        "registry", "SELECT count(*) FROM outbox WHERE event_type = $1 AND payload->>$2 = $3", event_type, key, value))


def test_staff_add_and_rename_bodies_and_a_reload_keeps_them(system: System) -> None:
    admin = bearer(system.token())
    added = httpx.post(f"{system.url('registry')}/bodies", headers=admin, json={
        "code": "committee-media", "kind": "working_group", "name_fa": "کارگروه رسانه",
        "parent_code": "festival-secretary"})
    assert added.status_code == 201, added.text
    renamed = httpx.patch(f"{system.url('registry')}/bodies/committee-media", headers=admin,
                          json={"name_fa": "کارگروه رسانه و اطلاع‌رسانی"})
    assert renamed.status_code == 200

    assert httpx.post(f"{system.url('registry')}/structure/reload", headers=admin).json() == {}
    codes = {b["code"]: b for b in httpx.get(f"{system.url('registry')}/bodies").json()}
    assert codes["committee-media"]["name_fa"] == "کارگروه رسانه و اطلاع‌رسانی"
    assert events_of(system, "registry.body.created", "code", "committee-media") == 1
    assert events_of(system, "registry.body.changed", "code", "committee-media") == 1

    duplicate = httpx.post(f"{system.url('registry')}/bodies", headers=admin, json={
        "code": "committee-media", "kind": "working_group", "name_fa": "تکراری", "parent_code": "festival-secretary"})
    assert duplicate.status_code == 409 and duplicate.json()["error"]["code"] == "body_exists"
    staff = bearer(system.district_staff_token(7))
    assert httpx.patch(f"{system.url('registry')}/bodies/jury", headers=staff, json={"name_fa": "x"}).status_code == 403


def test_district_secretaries_register_their_own_institutions_only(system: System) -> None:
    secretary = bearer(system.district_secretary_token(7))
    hood = next(h for h in httpx.get(f"{system.url('registry')}/neighbourhoods", params={"district": 7}).json()
                if h["name_fa"] == "نظام آباد")
    sara = {"code": "sara-nezamabad", "kind": "neighbourhood_centre", "name_fa": "سرای محله نظام آباد",
            "district": 7, "neighbourhood_code": hood["code"]}

    created = httpx.post(f"{system.url('registry')}/organisations", headers=secretary, json=sara)

    assert created.status_code == 201, created.text
    assert events_of(system, "registry.organisation.registered", "code", "sara-nezamabad") == 1
    elsewhere = httpx.post(f"{system.url('registry')}/organisations", headers=secretary,
                           json={**sara, "code": "sara-vanak", "district": 3})
    assert elsewhere.status_code == 403
    moved = httpx.patch(f"{system.url('registry')}/organisations/sara-nezamabad", headers=secretary,
                        json={"neighbourhood_code": next(h["code"] for h in httpx.get(
                            f"{system.url('registry')}/neighbourhoods", params={"district": 3}).json())})
    assert moved.status_code == 422 and moved.json()["error"]["code"] == "neighbourhood_outside_district"
    closed = httpx.patch(f"{system.url('registry')}/organisations/sara-nezamabad", headers=secretary,
                         json={"active": False})
    assert closed.status_code == 200 and closed.json()["active"] is False
    assert "sara-nezamabad" not in {o["code"] for o in httpx.get(f"{system.url('registry')}/organisations").json()}


def test_partner_legal_entity_ids_are_validated_and_unique(system: System) -> None:
    admin = bearer(system.token())
    ngo = {"code": "mehr-ngo", "kind": "ngo", "name_fa": "انجمن مهر", "legal_entity_id": "۱۰۳۸۰۲۸۴۷۹۰"}
    assert httpx.post(f"{system.url('registry')}/organisations", headers=admin, json=ngo).status_code == 201
    again = httpx.post(f"{system.url('registry')}/organisations", headers=admin, json={**ngo, "code": "mehr-2"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "legal_entity_id_taken"
    bad = httpx.post(f"{system.url('registry')}/organisations", headers=admin,
                     json={**ngo, "code": "bad-ngo", "legal_entity_id": "10380284791"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_legal_entity_id"
    assert asyncio.run(system.fetchval("registry", "SELECT count(*) FROM organisations WHERE code LIKE 'mehr%' "
                                       "OR code = 'bad-ngo'")) == 1
