"""The registry's sub-domains each have the same files (the rest of the shape is tests/shared/unit/test_layers.py)."""

from pathlib import Path

SERVICE = Path(__file__).resolve().parents[3] / "services" / "registry"
SUBDOMAINS = ("identity", "structure", "organisations", "people", "decisions", "reports", "ledger")


def test_each_subdomain_has_the_same_files() -> None:
    for name in SUBDOMAINS:
        assert {p.name for p in (SERVICE / name).glob("*.py")} >= {"domain.py", "db.py", "usecases.py", "api.py"}
