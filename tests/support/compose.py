"""Reading docker-compose.yml the way Compose does: YAML with merge keys, then ${VAR} interpolation."""

import re
from pathlib import Path

import yaml

COMPOSE_FILE = Path(__file__).resolve().parents[2] / "docker-compose.yml"
_VARIABLE = re.compile(r"\$\{(?P<name>[A-Z0-9_]+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


class MissingVariable(ValueError):
    """A required ${VAR:?message} was not provided."""


def interpolate(value: object, env: dict[str, str]) -> object:
    """Substitute ${VAR}, ${VAR:-default} and ${VAR:?error} throughout a loaded document."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        current = env.get(name)
        if op in (":-", "-") and not current:
            return arg
        if op in (":?", "?") and not current:
            raise MissingVariable(f"{name}: {arg}")
        return current or ""

    return _VARIABLE.sub(substitute, value)


def load_compose(env: dict[str, str]) -> dict:
    """The compose document with variables substituted from env."""
    return interpolate(yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8")), env)


def env_file(path: Path) -> dict[str, str]:
    """The uncommented KEY=value lines of a compose env file."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def service_secrets(document: dict, service: str) -> dict[str, Path]:
    """A service's secrets as compose mounts them: file name in /run/secrets -> the file on the host."""
    declared = document["secrets"]
    mounts = {}
    for entry in document["services"][service].get("secrets", []):
        source, target = (entry, entry) if isinstance(entry, str) else (entry["source"], entry.get("target"))
        mounts[target or source] = Path(declared[source]["file"])
    return mounts
