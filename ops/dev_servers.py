"""`hami run` on a machine where RabbitMQ or PostgreSQL does not answer: where a Docker engine does, start the two
development servers of deploy/dev-servers.yml and wait until both are healthy."""

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

COMPOSE_FILE = Path(__file__).resolve().parent.parent / "deploy" / "dev-servers.yml"
PROJECT = "hami-dev-servers"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
ENGINE_TIMEOUT = 5.0
START_TIMEOUT = 180.0


def applies(database_server: str, amqp_url: str) -> bool:
    """Whether both servers are expected on this machine's standard ports, where deploy/dev-servers.yml puts them."""
    database = make_url(f"{database_server.rstrip('/')}/postgres")
    broker = urlsplit(amqp_url)
    return ((database.host or "127.0.0.1") in LOCAL_HOSTS and (database.port or 5432) == 5432
            and (broker.hostname or "127.0.0.1") in LOCAL_HOSTS and (broker.port or 5672) == 5672)


def docker_engine() -> bool:
    """Whether a Docker engine answers (not only the docker command being installed)."""
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=ENGINE_TIMEOUT).returncode == 0
    except subprocess.TimeoutExpired:
        return False


def start(say: Callable[[str], None]) -> bool:
    """Start both servers with compose and wait until they are healthy; True when they are."""
    say(f"RabbitMQ و PostgreSQL با Docker راه می‌افتند ({COMPOSE_FILE.name}) ... / "
        f"Starting RabbitMQ and PostgreSQL with Docker ({COMPOSE_FILE.name}) ...")
    try:
        started = subprocess.run(["docker", "compose", "-p", PROJECT, "-f", str(COMPOSE_FILE), "up", "-d", "--wait"],
                                 capture_output=True, text=True, timeout=START_TIMEOUT)
    except subprocess.TimeoutExpired:
        say(f"Docker did not bring them up within {START_TIMEOUT:.0f} s.")
        return False
    if started.returncode != 0:
        last = (started.stderr.strip().splitlines() or ["no output"])[-1]
        say(f"راه‌اندازی با Docker نشد. / Docker could not start them: {last}")
        return False
    return True
