"""Start the services as local processes (for `make run` and the end-to-end tests)."""

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

from shared.db import runtime_role_name, with_user

SERVICES = ("registry", "submissions", "evaluation", "notifications")
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class ServiceProcess:
    """One service running as `python -m services.<name>`."""

    name: str
    env: dict[str, str]
    log_path: Path | None = None
    command: list[str] | None = None
    process: subprocess.Popen | None = None
    _log: IO | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """Base URL of its HTTP interface."""
        return f"http://127.0.0.1:{self.env['HAMI_HTTP_PORT']}"

    def start(self) -> None:
        """Start the process (output to the log file when one is set, else inherited); again after it ended."""
        if self.log_path is not None:
            if self._log is not None:
                self._log.close()  # a restart: the previous run's handle, left open when it died by itself
            self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command or [sys.executable, "-m", f"services.{self.name}"], cwd=ROOT, env={**os.environ, **self.env},
            stdout=self._log, stderr=subprocess.STDOUT if self._log else None,
        )

    def ready(self) -> bool:
        """True when /health/ready answers 200."""
        try:
            return httpx.get(f"{self.url}/health/ready", timeout=2.0).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Block until ready; raise with the log's tail if it exits or takes too long."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}\n{self.log_tail()}")
            if self.ready():
                return
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} not ready after {timeout}s\n{self.log_tail()}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int | None:
        """Send a signal and wait for the exit; returns the exit code."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()
        finally:
            if self._log:
                self._log.close()

    def log_tail(self, lines: int = 40) -> str:
        """The last lines the process wrote."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def service_env(name: str, *, database_server: str, amqp_url: str, ports: dict[str, int],
                database_prefix: str = "hami_", extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for one service: its own database (migrated as the server URL's role, the owner; used as a role
    that owns nothing, created by the migration), the broker, its port and registry's URL."""
    owner = f"{database_server.rstrip('/')}/{database_prefix}{name}"
    return {
        "HAMI_MIGRATION_DATABASE_URL": owner,
        "HAMI_DATABASE_URL": with_user(owner, runtime_role_name(name)),
        "HAMI_AMQP_URL": amqp_url,
        "HAMI_HTTP_PORT": str(ports[name]),
        "HAMI_REGISTRY_URL": f"http://127.0.0.1:{ports['registry']}",
        "HAMI_SITE_URLS": json.dumps({service: f"http://127.0.0.1:{port}" for service, port in ports.items()}),
        **(extra or {}),
    }
