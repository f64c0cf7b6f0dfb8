"""The shape of every service (docs/architecture.md): pure domain, and no state change in routes or consumers."""

import ast
from importlib import import_module
from pathlib import Path

import pytest

SERVICES = Path(__file__).resolve().parents[3] / "services"
WEB_OR_TOKENS = ("fastapi", "starlette", "httpx", "jwt", "faststream", "shared.auth", "shared.errors", "shared.web")
# What a state change looks like in code: writing rows or events.
WRITES = {"add_events", "insert", "update", "delete"}


def modules(*patterns: str) -> list[Path]:
    """Service modules whose path relative to services/ matches a glob."""
    found = {path for pattern in patterns for path in SERVICES.glob(pattern)}
    return sorted(path for path in found if "migrations" not in path.parts)


def imported(path: Path) -> set[str]:
    """Every module name and imported name in a file."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {alias.name for alias in node.names}
    return names


DOMAIN = modules("*/domain.py", "*/domain_*.py", "*/domain/*.py", "*/*/domain.py", "*/*/domain/*.py",
                 "*/permissions.py")
ROUTES_AND_CONSUMERS = modules("*/api.py", "*/api_*.py", "*/api/*.py", "*/*/api.py", "*/handlers.py",
                               "*/handlers_*.py", "*/pages.py", "*/*/pages.py", "*/consumer.py")


def test_every_service_has_a_domain_and_routes() -> None:
    for service in ("registry", "submissions", "evaluation", "notifications"):
        assert any(service in path.parts for path in DOMAIN), f"{service} has no domain module"
        assert any(service in path.parts for path in ROUTES_AND_CONSUMERS), f"{service} has no routes"


@pytest.mark.parametrize("path", DOMAIN, ids=lambda p: str(p.relative_to(SERVICES)))
def test_the_domain_imports_no_web_token_or_database_library(path: Path) -> None:
    bad = {name for name in imported(path) if name.split(".")[0] in ("sqlalchemy", "asyncpg")
           or any(name == web or name.startswith(f"{web}.") for web in WEB_OR_TOKENS)}
    assert not bad, f"{path.name} imports {sorted(bad)}"


@pytest.mark.parametrize("path", ROUTES_AND_CONSUMERS, ids=lambda p: str(p.relative_to(SERVICES)))
def test_routes_and_consumers_change_nothing_themselves(path: Path) -> None:
    bad = imported(path) & WRITES
    assert not bad, f"{path.name} writes ({sorted(bad)}): that belongs in a use case"


def test_no_service_file_passes_300_lines() -> None:
    long = {str(p.relative_to(SERVICES)): n for p in modules("**/*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 300}
    assert not long, long


@pytest.mark.parametrize("service", ("registry", "submissions", "evaluation", "notifications"))
def test_every_json_route_answers_with_a_response_model(service: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAMI_DATABASE_URL", "postgresql+asyncpg://nobody@127.0.0.1:1/none")  # never connected
    app = import_module(f"services.{service}.main").create_app()
    bare = []
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                content = answer.get("content", {})
                # A route that answers JSON without a model documents an empty schema; CSV, downloads and pages
                # declare their own media type.
                if status.startswith("2") and "application/json" in content and not content["application/json"].get(
                        "schema"):
                    bare.append(f"{method.upper()} {path} {status}")
    assert not bare, f"{service}: routes without a response model: {bare}"
