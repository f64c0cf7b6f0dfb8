"""The shared page machinery with a real app and real tokens: Persian layout, sessions by cookie, CSRF, the
sign-in redirect, refusals as Persian pages, and no open redirect after sign-in."""

from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient

from shared.auth import TokenVerifier, signed_in
from shared.errors import install_error_handlers
from shared.principal import Principal
from shared.refusals import not_found
from shared.web.pages import Pages, mount_static
from shared.web.session import CSRF_COOKIE, SESSION_COOKIE
from tests.support.tokens import ISSUER, KeySet

SITE = {"registry": "http://testserver", "submissions": "http://testserver"}


def app_with(keys: KeySet, templates: Path) -> TestClient:
    """A tiny service with one public page, one staff page, a form post and a JSON change."""
    (templates / "hello.html").write_text(
        '{% extends "layout.html" %}{% block title %}سلام{% endblock %}'
        '{% block content %}<h1>سلام {{ (12345)|fa }}</h1>'
        '<form method="post"><input type="hidden" name="{{ csrf_field }}" value="{{ csrf_token }}"></form>'
        '{% endblock %}', encoding="utf-8")
    app = FastAPI()
    app.state.token_verifier = TokenVerifier(keys.fetch, issuer=ISSUER)
    install_error_handlers(app)
    mount_static(app)
    pages = Pages("registry", templates, SITE, secure_cookies=False)
    router = pages.router()

    @router.get("/hello")
    async def hello(request: Request) -> object:
        return pages.render(request, "hello.html")

    @router.get("/desk")
    async def desk(request: Request, principal: Principal = Depends(pages.person)) -> object:
        return pages.render(request, "hello.html")

    @router.post("/desk")
    async def post(request: Request, principal: Principal = Depends(pages.person)) -> object:
        await pages.require_csrf(request)
        raise not_found("اثر", "Work")

    @app.post("/api/change")
    async def change(principal: Principal = Depends(signed_in)) -> dict:
        return {"by": principal.username}

    app.include_router(router)
    return TestClient(app, follow_redirects=False)


def test_a_public_page_is_persian_rtl_with_persian_digits_and_sets_a_csrf_cookie(tmp_path: Path) -> None:
    client = app_with(KeySet(), tmp_path)
    page = client.get("/hello")
    assert page.status_code == 200 and '<html lang="fa" dir="rtl">' in page.text
    assert "۱۲۳۴۵" in page.text and "ورود کارکنان" in page.text
    assert page.cookies.get(CSRF_COOKIE) and f'value="{page.cookies[CSRF_COOKIE]}"' in page.text
    assert "httponly" in page.headers["set-cookie"].lower() and "samesite=lax" in page.headers["set-cookie"].lower()
    assert client.get("/static/vendor/htmx-2.0.11/htmx.min.js").status_code == 200


def test_a_staff_page_without_a_session_goes_to_sign_in_and_comes_back(tmp_path: Path) -> None:
    client = app_with(KeySet(), tmp_path)
    response = client.get("/desk?tab=2")
    assert response.status_code == 303
    assert response.headers["location"] == "http://testserver/sign-in?next=http%3A%2F%2Ftestserver%2Fdesk%3Ftab%3D2"
    client.cookies.set(SESSION_COOKIE, "not-a-token")
    assert client.get("/desk").status_code == 303


def test_the_session_cookie_works_like_a_bearer_token_and_changes_need_the_csrf_token(tmp_path: Path) -> None:
    keys = KeySet()
    client = app_with(keys, tmp_path)
    client.cookies.set(SESSION_COOKIE, keys.token())
    page = client.get("/desk")
    assert page.status_code == 200 and "کارشناس منطقه ۷" in page.text  # the name in the navigation
    csrf = page.cookies[CSRF_COOKIE]
    client.cookies.set(CSRF_COOKIE, csrf)
    refused = client.post("/desk", data={"csrf_token": "forged" * 8})
    assert refused.status_code == 403 and "فرم منقضی شده است" in refused.text and "csrf_failed" in refused.text
    missing = client.post("/desk", data={"csrf_token": csrf})
    assert missing.status_code == 404 and "اثر پیدا نشد." in missing.text and "<html" in missing.text
    assert client.post("/api/change").json()["error"]["code"] == "csrf_failed"
    assert client.post("/api/change", headers={"X-CSRF-Token": csrf}).json() == {"by": "staff.d07"}
    bearer = TestClient(client.app).post("/api/change", headers={"Authorization": f"Bearer {keys.token()}"})
    assert bearer.json() == {"by": "staff.d07"}  # a bearer client needs no CSRF token


def test_after_sign_in_only_our_own_pages_are_destinations(tmp_path: Path) -> None:
    pages = Pages("registry", tmp_path, {"registry": "http://hami.example", "submissions": "/submissions"},
                  secure_cookies=True)
    assert pages.safe_next("/submissions/office/works") == "/submissions/office/works"
    assert pages.safe_next("http://hami.example/desk") == "http://hami.example/desk"
    for hostile in ("https://evil.example/", "//evil.example/x", "/\\evil.example/x", "/\t/evil.example",
                    "javascript:alert(1)", None, ""):
        assert pages.safe_next(hostile) == "http://hami.example/desk"


def test_form_problems_are_plain_persian_and_name_their_limit() -> None:
    from pydantic import BaseModel, Field, ValidationError

    from shared.web.pages import field_errors

    class Report(BaseModel):
        title: str = Field(min_length=3)
        text: str = Field(max_length=10_000)

    try:
        Report(title="  ", text="x" * 10_001)
    except ValidationError as error:
        assert field_errors(error) == {"title": "این بخش را پر کنید.", "text": "این بخش بیش از ۱۰٬۰۰۰ نویسه است."}
    else:
        raise AssertionError("the model accepted what it must refuse")
