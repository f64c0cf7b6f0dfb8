"""A system for the notifications tests: registry, submissions and notifications as processes on their own vhost
and databases, with a real SMTP server, an SMS gateway double and a webhook receiver (both separate processes)."""

import asyncio
import secrets
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from shared.launcher import ROOT, ServiceProcess, service_env
from tests.support.servers import Servers, private_vhost
from tests.support.smtp_server import SmtpServer
from tests.support.system import ADMIN_PASSWORD, System, drop_databases, free_port

SERVICES = ("registry", "submissions", "notifications")
SMS_KEY = "sk-test-" + secrets.token_hex(12)
WEBHOOK_SECRET = secrets.token_urlsafe(32)
REJECTED_MOBILE = "09350000000"  # the gateway refuses it (+989350000000)


@dataclass
class Double:
    """An HTTP double running as its own process."""

    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        """Base URL."""
        return f"http://127.0.0.1:{self.port}"

    def received(self) -> list[dict]:
        """What it has received so far."""
        return httpx.get(f"{self.url}/received", timeout=5).json()

    def stop(self) -> None:
        """Terminate the process."""
        self.process.terminate()
        self.process.wait(10)


def start_double(kind: str, *args: str, log_dir: Path) -> Double:
    """Start `python -m tests.support.http_doubles <kind>` and wait until it answers (a taken port: another one)."""
    for _ in range(3):
        port = free_port()
        log = (log_dir / f"{kind}-double.log").open("ab")
        process = subprocess.Popen([sys.executable, "-m", "tests.support.http_doubles", kind, "--port", str(port),
                                    *args], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        double = Double(port, process)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(f"{double.url}/health", timeout=1).status_code == 200:
                    return double
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        if process.poll() is None:
            double.stop()
    raise TimeoutError(f"{kind} double did not start; see {log_dir / f'{kind}-double.log'}")


@dataclass
class NotifyStack:
    """Handles on the running system, the SMTP server and the doubles."""

    system: System
    smtp: SmtpServer
    sms: Double
    hooks: Double
    log_dir: Path
    base_env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Base URL of the notifications service."""
        return self.system.url("notifications")

    def restart_notifications(self, **overrides: str) -> None:
        """Stop notifications and start it again on the same database, with settings changed (HAMI_* names)."""
        self.system.processes["notifications"].stop()
        env = {**self.base_env, **overrides}
        process = ServiceProcess("notifications", env, log_path=self.log_dir / "notifications.log")
        self.system.processes["notifications"] = process
        process.start()
        process.wait_ready(timeout=60)

    def log_text(self) -> str:
        """Everything notifications has logged in this run."""
        return (self.log_dir / "notifications.log").read_text(errors="replace")


def channel_settings(smtp: SmtpServer, sms: Double) -> dict[str, str]:
    """Notifications settings for the real SMTP server and the SMS gateway double, retrying quickly."""
    return {
        "HAMI_EMAIL_ADAPTER": "smtp", "HAMI_SMTP_PORT": str(smtp.port), "HAMI_SMTP_TIMEOUT": "3",
        "HAMI_SMS_ADAPTER": "http", "HAMI_SMS_GATEWAY_URL": f"{sms.url}/send", "HAMI_SMS_API_KEY": SMS_KEY,
        "HAMI_SMS_QUIET_HOURS": "00:00-00:00", "HAMI_DISPATCH_INTERVAL": "0.2", "HAMI_RETRY_BASE_SECONDS": "0.3",
        "HAMI_RETRY_MAX_SECONDS": "1.5", "HAMI_MAX_ATTEMPTS": "40", "HAMI_WEBHOOK_FAILING_AFTER": "3",
        "HAMI_LINK_SECRET": secrets.token_urlsafe(24),
        # The doubles listen on 127.0.0.1; the tests of the address check itself run without this.
        "HAMI_WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
    }


def _start(servers: Servers, amqp_url: str, log_dir: Path, smtp: SmtpServer, sms: Double, hooks: Double) -> NotifyStack:
    prefix = f"hami_n{secrets.token_hex(4)}_"
    ports = {name: free_port() for name in (*SERVICES, "evaluation")}
    server = servers.database("postgres").rsplit("/", 1)[0]
    common = {"HAMI_ADMIN_PASSWORD": ADMIN_PASSWORD, "HAMI_LOG_JSON": "true", "HAMI_GRACEFUL_TIMEOUT": "10",
              "HAMI_OVERDUE_CHECK_SECONDS": "1"}
    notifications = {**channel_settings(smtp, sms), "HAMI_LOG_LEVEL": "DEBUG",
                     "HAMI_PUBLIC_URL": f"http://127.0.0.1:{ports['notifications']}"}
    envs = {name: service_env(name, database_server=server, amqp_url=amqp_url, ports=ports, database_prefix=prefix,
                              extra={**common, **(notifications if name == "notifications" else {})})
            for name in SERVICES}
    processes = {name: ServiceProcess(name, envs[name], log_path=log_dir / f"{name}.log") for name in SERVICES}
    system = System(servers, amqp_url, prefix, processes)
    system.start()
    return NotifyStack(system, smtp, sms, hooks, log_dir, envs["notifications"])


_running: dict[str, NotifyStack] = {}


def notify_stack_fixture(request: pytest.FixtureRequest, servers: Servers,
                         tmp_path_factory: pytest.TempPathFactory) -> NotifyStack:
    """One stack per test session, shared by the notifications test modules, torn down at the session's end."""
    if "stack" in _running:
        return _running["stack"]
    resources = ExitStack()
    amqp_url = resources.enter_context(private_vhost(servers))
    log_dir = tmp_path_factory.mktemp("notify-logs")
    smtp = SmtpServer(free_port())
    smtp.start()
    resources.callback(smtp.stop)
    try:
        sms = start_double("sms", "--key", SMS_KEY, "--reject", "+98" + REJECTED_MOBILE[1:], log_dir=log_dir)
        resources.callback(sms.stop)
        hooks = start_double("webhook", f"--secret={WEBHOOK_SECRET}", log_dir=log_dir)
        resources.callback(hooks.stop)
        stack = _start(servers, amqp_url, log_dir, smtp, sms, hooks)
    except Exception:
        resources.close()
        raise

    def teardown() -> None:
        stack.system.stop()
        asyncio.run(drop_databases(servers, stack.system.prefix))
        resources.close()
        _running.clear()

    request.session.addfinalizer(teardown)
    _running["stack"] = stack
    return stack


notify_stack = pytest.fixture(scope="session")(notify_stack_fixture)
