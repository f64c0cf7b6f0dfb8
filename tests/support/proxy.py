"""The compose reverse proxy in the tests: Debian's Caddy running deploy/caddy/Caddyfile, the very file the
`proxy` service of docker-compose.yml mounts, in front of services a test started."""

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from shared.launcher import ROOT
from tests.support.system import free_port

CADDYFILE = ROOT / "deploy" / "caddy" / "Caddyfile"
# Where each service lives behind the proxy (the prefix is stripped before the service sees the request).
PREFIXES = {"registry": "", "submissions": "/submissions", "evaluation": "/evaluation",
            "notifications": "/notifications"}


def caddy_binary() -> str:
    """Debian's caddy; a clear failure (never a skip) when it is missing."""
    binary = shutil.which("caddy")
    if binary is None:
        pytest.fail("caddy is not installed: .ci/run installs Debian's package (apt-get install -y caddy)",
                    pytrace=False)
    return binary


@contextmanager
def caddy_proxy(upstreams: dict[str, str], work_dir: Path, **settings: str) -> Iterator[str]:
    """`caddy run` with the Caddyfile on a free port, its upstream placeholders pointed at `upstreams` (service ->
    base URL or host:port) and its admin endpoint off (another Caddy may hold the default one); `settings` sets
    more of its placeholders. Yields the one origin, e.g. http://127.0.0.1:41234."""
    binary = caddy_binary()
    work_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(work_dir),
        "XDG_DATA_HOME": str(work_dir / "data"), "XDG_CONFIG_HOME": str(work_dir / "config"),
        "HAMI_SITE_ADDRESS": f":{port}", "HAMI_PROXY_ADMIN": "off",
        **{f"HAMI_{name.upper()}_UPSTREAM": urlsplit(url).netloc or url for name, url in upstreams.items()},
        **settings,
    }
    log_path = work_dir / "caddy.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([binary, "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
                                   env=env, stdout=log, stderr=subprocess.STDOUT, cwd=work_dir)
    try:
        deadline = time.monotonic() + 20
        while not _accepts(port):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"caddy did not start:\n{log_path.read_text(errors='replace')[-3000:]}", pytrace=False)
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False
