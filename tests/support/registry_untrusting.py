"""Registry and submissions started on their own (a private vhost, databases of their own) with the proxy setting
left at its default, trusting nobody: the test system trusts 127.0.0.1, where the tests stand in for the reverse
proxy, so it cannot show what an X-Forwarded-For from an untrusted peer does."""

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from shared.launcher import SERVICES, ServiceProcess, service_env
from tests.support.servers import Servers, private_vhost
from tests.support.system import ADMIN_PASSWORD, drop_databases, free_port


@contextmanager
def trusting_nobody(servers: Servers, log_dir: Path, names: tuple[str, ...] = ("registry", "submissions")
                    ) -> Iterator[dict[str, str]]:
    """The named services running with no trusted proxy; yields each one's base URL."""
    with private_vhost(servers) as amqp_url:
        prefix = f"hami_t{uuid.uuid4().hex[:8]}_"
        ports = {name: free_port() for name in SERVICES}
        server = servers.database("postgres").rsplit("/", 1)[0]
        processes = [ServiceProcess(name, service_env(
            name, database_server=server, amqp_url=amqp_url, ports=ports, database_prefix=prefix,
            extra={"HAMI_ADMIN_PASSWORD": ADMIN_PASSWORD, "HAMI_LOG_JSON": "true", "HAMI_GRACEFUL_TIMEOUT": "5"}),
            log_path=log_dir / f"{name}.log") for name in names]
        try:
            for process in processes:
                process.start()
            for process in processes:
                process.wait_ready(timeout=90)
            yield {process.name: process.url for process in processes}
        finally:
            for process in processes:
                process.stop()
            asyncio.run(drop_databases(servers, prefix))
