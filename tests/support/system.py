"""The four services as real processes on a private vhost and private databases, for end-to-end tests."""

import asyncio
import socket
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx

from shared.launcher import SERVICES, ServiceProcess, service_env
from tests.support.servers import Servers

ADMIN_USERNAME = "secretary"
ADMIN_PASSWORD = "test-secretary-password"
STAFF_PASSWORD = "district-staff-password"
# Signing in hashes with argon2, slow on purpose: on a loaded 2-core machine httpx's default 5 s ran out.
SIGN_IN_TIMEOUT = 60.0


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class System:
    """Handles on the running services and their databases."""

    servers: Servers
    amqp_url: str
    prefix: str
    processes: dict[str, ServiceProcess]

    def url(self, service: str) -> str:
        """Base URL of a service."""
        return self.processes[service].url

    def database(self, service: str, *, driver: str = "postgresql+asyncpg") -> str:
        """URL of a service's own database."""
        return self.servers.database(f"{self.prefix}{service}", driver=driver)

    def restart(self, service: str) -> None:
        """Start a stopped service again and wait until it is ready."""
        process = self.processes[service]
        process.start()
        process.wait_ready()

    def token(self, username: str = ADMIN_USERNAME, password: str = ADMIN_PASSWORD) -> str:
        """Sign in at registry; returns the bearer token."""
        response = httpx.post(f"{self.url('registry')}/auth/token", timeout=SIGN_IN_TIMEOUT,
                              json={"username": username, "password": password})
        response.raise_for_status()
        return response.json()["access_token"]

    def account_token(self, username: str, body: str, role: str, name: str = "کارمند جشنواره") -> str:
        """Create (once) an account appointed to a body with a role, by the festival secretary; sign it in."""
        response = httpx.post(
            f"{self.url('registry')}/accounts", headers=bearer(self.token()), timeout=SIGN_IN_TIMEOUT,
            json={"username": username, "password": STAFF_PASSWORD, "name": name,
                  "memberships": [{"body": body, "role": role}]},
        )
        if response.status_code not in (201, 409):
            response.raise_for_status()
        return self.token(username, STAFF_PASSWORD)

    def district_staff_token(self, district: int) -> str:
        """Create (once) a staff account of a district secretariat and sign it in."""
        return self.account_token(f"staff.d{district:02d}", f"district-{district:02d}", "staff",
                                  f"کارشناس منطقه {district}")

    def district_secretary_token(self, district: int) -> str:
        """Create (once) the secretary of a district's lead secretariat and sign it in."""
        return self.account_token(f"secretary.d{district:02d}", f"district-{district:02d}", "secretary",
                                  f"دبیر منطقه {district}")

    async def fetchval(self, service: str, query: str, *args: object) -> object:
        """One value from a service's database."""
        connection = await asyncpg.connect(self.database(service, driver="postgresql"))
        try:
            return await connection.fetchval(query, *args)
        finally:
            await connection.close()

    def start(self) -> None:
        """Start every process and wait until each is ready; on failure stop them all again."""
        for process in self.processes.values():
            process.start()
        try:
            # Alone, four services are ready in seconds; on a loaded 2-core machine importing them takes minutes.
            for process in self.processes.values():
                process.wait_ready(timeout=300)
        except Exception:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop every process."""
        for process in self.processes.values():
            process.stop()


def bearer(token: str) -> dict[str, str]:
    """Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}


def start_system(servers: Servers, amqp_url: str, log_dir: Path,
                 settings: dict[str, dict[str, str]] | None = None) -> System:
    """Start the four services on fresh databases and wait until each is ready; `settings` adds HAMI_*
    variables per service."""
    prefix = f"hami_t{uuid.uuid4().hex[:8]}_"
    ports = {name: free_port() for name in SERVICES}
    server = servers.database("postgres").rsplit("/", 1)[0]
    extra = {"HAMI_ADMIN_PASSWORD": ADMIN_PASSWORD, "HAMI_LOG_JSON": "true", "HAMI_GRACEFUL_TIMEOUT": "15",
             "HAMI_OVERDUE_CHECK_SECONDS": "1",
             # The tests stand where the reverse proxy would: their X-Forwarded-For names the client (tracking
             # limits, sign-in throttle); tests/registry/test_throttle.py starts a registry that trusts nobody.
             "HAMI_TRUSTED_PROXIES": "127.0.0.1"}
    processes = {
        name: ServiceProcess(name, service_env(name, database_server=server, amqp_url=amqp_url, ports=ports,
                                               database_prefix=prefix,
                                               extra={**extra, **(settings or {}).get(name, {})}),
                             log_path=log_dir / f"{name}.log")
        for name in SERVICES
    }
    system = System(servers, amqp_url, prefix, processes)
    system.start()
    return system


async def drop_databases(servers: Servers, prefix: str) -> None:
    """Remove the databases a run created."""
    connection = await asyncpg.connect(servers.database("postgres", driver="postgresql"))
    try:
        for name in SERVICES:
            await connection.execute(f'DROP DATABASE IF EXISTS "{prefix}{name}" WITH (FORCE)')
    finally:
        await connection.close()


def run(coro):
    """Run a coroutine from synchronous test code; in a thread of its own when an event loop already runs in this
    one (Playwright's sync API keeps one running while a browser is open)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()
