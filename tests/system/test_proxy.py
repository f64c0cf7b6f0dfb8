"""One address for people: the compose reverse proxy (deploy/caddy/Caddyfile, run by Debian's Caddy here) puts the
four running services behind one origin, with their JSON APIs and /docs, security headers and body limits.

The services under test were started with site URLs of their own ports, so these tests check the routing; the
compose environment's prefixed /docs links are checked in test_compose.py."""

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn

from services.submissions.settings import SubmissionsSettings
from shared.launcher import SERVICES
from tests.support.compose import load_compose
from tests.support.proxy import CADDYFILE, PREFIXES, caddy_proxy
from tests.support.submissions import ensure_open_call, wait_for_neighbourhoods, work_body
from tests.support.system import STAFF_PASSWORD, System, bearer, free_port

REQUIRED = {"HAMI_SECRETS_PATH": "/etc/hami/secrets", "HAMI_PUBLIC_URL": "https://hami.example/notifications"}
MAX_DOCUMENT_BYTES = SubmissionsSettings.model_fields["max_document_bytes"].default


@pytest.fixture(scope="module")
def proxy(system: System, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The one origin in front of the running services."""
    with caddy_proxy({name: system.url(name) for name in SERVICES}, tmp_path_factory.mktemp("caddy")) as origin:
        yield origin


def csp(response: httpx.Response) -> dict[str, list[str]]:
    """The Content-Security-Policy as directive -> sources."""
    directives = (part.split() for part in response.headers["content-security-policy"].split(";") if part.strip())
    return {name: sources for name, *sources in directives}


# --- The compose file runs this Caddyfile in front of the services -----------------------------------------------

def test_compose_runs_the_caddyfile_on_the_paths_the_services_know() -> None:
    document = load_compose(REQUIRED)
    proxy = document["services"]["proxy"]
    assert re.fullmatch(r"caddy:2\.\d+(\.\d+)?-alpine", proxy["image"]), proxy["image"]  # official, pinned
    assert "./deploy/caddy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert any(volume.endswith(":/data") for volume in proxy["volumes"])  # certificates survive a restart
    assert {port.split(":")[-1] for port in proxy["ports"]} >= {"80", "443"}
    assert proxy["restart"] == "unless-stopped"
    assert proxy["depends_on"] == {name: {"condition": "service_healthy"} for name in SERVICES}
    assert proxy["environment"]["HAMI_SITE_ADDRESS"] == ":80"
    # Each service is told the path the Caddyfile gives it (its page links, its /docs), and trusts the proxy's
    # X-Forwarded-For.
    caddyfile = CADDYFILE.read_text()
    assert set(re.findall(r"handle_path (/\w+)/\*", caddyfile)) == {p for p in PREFIXES.values() if p}
    for name in SERVICES:
        environment = document["services"][name]["environment"]
        assert json.loads(environment["HAMI_SITE_URLS"]) == PREFIXES, name
        assert environment["HAMI_TRUSTED_PROXIES"], name
        assert f"{{$HAMI_{name.upper()}_UPSTREAM:{name}:{environment['HAMI_HTTP_PORT']}}}" in caddyfile


# --- The running services through the one origin --------------------------------------------------------------------

def test_each_service_answers_under_its_path(system: System, proxy: str) -> None:
    with httpx.Client(base_url=proxy, timeout=10) as client:
        for name, prefix in PREFIXES.items():
            live = client.get(f"{prefix}/health/live")
            assert live.status_code == 200 and live.json() == {"status": "alive"}, (name, live.text)
            # The right service: its own OpenAPI document, as it serves it on its own port.
            direct = httpx.get(f"{system.url(name)}/openapi.json", timeout=10).json()
            assert client.get(f"{prefix}/openapi.json").json()["info"] == direct["info"], name
            # Metrics are scraped on the compose network, not served to the public.
            assert "/metrics" in direct["paths"] and client.get(f"{prefix}/metrics").status_code == 404, name
            if prefix:
                bare = client.get(prefix)
                assert (bare.status_code, bare.headers["location"]) == (308, f"{prefix}/"), name
        # Registry's token keys at the root, as the other services and municipal systems fetch them.
        jwks = client.get("/.well-known/jwks.json")
        assert jwks.status_code == 200 and jwks.json()["keys"]
        assert jwks.json() == httpx.get(f"{system.url('registry')}/.well-known/jwks.json", timeout=10).json()


def test_sign_in_a_work_and_the_largest_document_through_the_one_origin(system: System, proxy: str) -> None:
    system.district_staff_token(7)  # the account, made by the festival secretary
    ensure_open_call(system)
    wait_for_neighbourhoods(system)
    with httpx.Client(base_url=proxy, timeout=30) as client:
        signed_in = client.post("/auth/token", json={"username": "staff.d07", "password": STAFF_PASSWORD})
        assert signed_in.status_code == 200, signed_in.text
        staff = bearer(signed_in.json()["access_token"])
        created = client.post("/submissions/works", json=work_body(7), headers=staff)
        assert created.status_code == 201, created.text
        work = created.json()
        assert client.get(f"/submissions/works/{work['id']}", headers=staff).json()["tracking_code"] == \
            work["tracking_code"]
        # A document of the largest size submissions accepts passes the proxy's body limit...
        largest = b"%PDF-1.4\n" + b"0" * (MAX_DOCUMENT_BYTES - 16) + b"\n%%EOF\n"
        assert len(largest) == MAX_DOCUMENT_BYTES
        attached = client.post(f"/submissions/works/{work['id']}/documents", headers=staff,
                               files={"file": ("report.pdf", largest, "application/pdf")})
        assert attached.status_code == 201, attached.text
        assert attached.json()["size_bytes"] == MAX_DOCUMENT_BYTES
        # ...and one byte more is refused by submissions itself (its Persian refusal), not by the proxy.
        too_large = client.post(f"/submissions/works/{work['id']}/documents", headers=staff,
                                files={"file": ("report.pdf", largest + b"0", "application/pdf")})
        assert too_large.status_code == 413, too_large.text
        assert too_large.json()["error"]["code"] == "file_too_large"
        listed = client.get(f"/submissions/works/{work['id']}/documents", headers=staff)
        assert [d["size_bytes"] for d in listed.json()] == [MAX_DOCUMENT_BYTES]


def test_docs_and_security_headers_through_the_one_origin(proxy: str) -> None:
    with httpx.Client(base_url=proxy, timeout=10) as client:
        for prefix in ("", "/submissions"):
            docs = client.get(f"{prefix}/docs")
            assert docs.status_code == 200 and "SwaggerUIBundle" in docs.text, prefix
            # FastAPI's Swagger UI comes from jsDelivr with an inline script: allowed on /docs only.
            assert "https://cdn.jsdelivr.net" in csp(docs)["script-src"], prefix
        spec = client.get("/submissions/openapi.json")
        assert spec.status_code == 200 and "/works" in spec.json()["paths"]
        assert spec.json()["info"]["title"] != client.get("/openapi.json").json()["info"]["title"]

        for response in (client.get("/.well-known/jwks.json"), client.get("/submissions/editions/0000"),
                         client.get("/evaluation/nothing-here"), client.get("/notifications/health/ready")):
            headers = response.headers
            assert headers["x-content-type-options"] == "nosniff", response.url
            assert headers["referrer-policy"] == "same-origin"
            assert headers["x-frame-options"] == "DENY"
            assert "server" not in headers  # neither Caddy nor uvicorn is announced
            assert "strict-transport-security" not in headers  # only over TLS
            policy = csp(response)
            for directive in ("default-src", "script-src", "style-src", "font-src", "connect-src"):
                assert policy[directive] == ["'self'"], (directive, policy)
            assert policy["img-src"] == ["'self'", "data:"]  # Bootstrap's form controls are data: SVGs
            assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]


# --- What a service receives through the proxy ----------------------------------------------------------------------

@contextmanager
def recording_upstream() -> Iterator[tuple[str, list[dict]]]:
    """A tiny HTTP server that records each complete request it gets (path, query, headers, body size)."""
    seen: list[dict] = []

    async def app(scope: dict, receive, send) -> None:
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            size, more = size + len(message.get("body", b"")), message.get("more_body", False)
        seen.append({"path": scope["path"], "raw_path": scope["raw_path"].decode(),
                     "query": scope["query_string"].decode(), "size": size,
                     "headers": {k.decode(): v.decode() for k, v in scope["headers"]}})
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain"), (b"server", b"upstream"),
                                (b"content-security-policy", b"default-src *")]})
        await send({"type": "http.response.body", "body": b"ok"})

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="off",
                                           proxy_headers=False, server_header=False, date_header=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the recording upstream did not start"
        time.sleep(0.02)
    try:
        yield f"127.0.0.1:{port}", seen
    finally:
        server.should_exit = True
        thread.join(10)


def test_a_service_gets_its_own_path_the_client_address_and_bounded_bodies(tmp_path: Path) -> None:
    with recording_upstream() as (upstream, seen), \
            caddy_proxy(dict.fromkeys(SERVICES, upstream), tmp_path) as origin, \
            httpx.Client(base_url=origin, timeout=30) as client:
        # The prefix is stripped, the rest of the path and the query arrive as the client sent them.
        response = client.get("/submissions/works/%D8%A7%D8%AB%D8%B1?q=%D8%BA%D8%B0%D8%A7&page=2",
                              headers={"X-Forwarded-For": "203.0.113.9", "X-Real-IP": "203.0.113.9"})
        assert response.status_code == 200
        got = seen.pop()
        assert (got["raw_path"], got["query"]) == ("/works/%D8%A7%D8%AB%D8%B1", "q=%D8%BA%D8%B0%D8%A7&page=2")
        # The client's address, not one it made up; the proxy's own headers win over the upstream's.
        assert got["headers"]["x-forwarded-for"] == got["headers"]["x-real-ip"] == "127.0.0.1", got["headers"]
        assert got["headers"]["x-forwarded-proto"] == "http"
        assert got["headers"]["x-forwarded-host"] == origin.removeprefix("http://")
        assert "server" not in response.headers and csp(response)["default-src"] == ["'self'"]
        for prefix in ("/evaluation", "/notifications", ""):
            assert client.get(f"{prefix}/health/live").status_code == 200
            assert seen.pop()["path"] == "/health/live"

        # Bodies: a document and its form pass to submissions; elsewhere more than 2 MiB is cut off before the
        # service sees it (Caddy 2.7+ answers 413; Debian's 2.6 reports the cut-off upstream read as 502).
        document = client.post("/submissions/works/x/documents", content=b"0" * (MAX_DOCUMENT_BYTES + 64 * 1024))
        assert document.status_code == 200 and seen.pop()["size"] == MAX_DOCUMENT_BYTES + 64 * 1024

        def chunks(total: int) -> Iterator[bytes]:
            for _ in range(total // 65536):
                yield b"0" * 65536

        for body in (b"0" * (3 * 1024 * 1024), chunks(3 * 1024 * 1024)):  # with and without a Content-Length
            refused = client.post("/auth/token", content=body)
            assert refused.status_code in (413, 502), refused.status_code
        assert client.post("/auth/token", content=b"0" * (1024 * 1024)).status_code == 200
        assert [request["size"] for request in seen] == [1024 * 1024]  # the refused bodies never arrived whole
