"""Start real servers for integration tests (the production app server) on free ports.

``LA_VARIATION_FREE_PORTS`` (e.g. ``8250-8349``) confines the ports to that range
(``bench.server.free_port``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bench.server import free_port

ROOT = Path(__file__).resolve().parents[1]


def wait_until_answering(
    url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float
) -> None:
    """Wait for ``url`` to answer 200 (fail the test if the process exits or time runs out)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited: {log.read_text()[-4000:]}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    pytest.fail(f"{url} did not answer within {timeout:.0f} s: {log.read_text()[-4000:]}")


def stop(proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """SIGTERM (a graceful stop), then SIGKILL if it lingers."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@dataclass
class Running:
    """A started server: its base URL, process and log file."""

    url: str
    proc: subprocess.Popen[bytes]
    log: Path
    port: int


@contextlib.contextmanager
def production_server(
    store_dir: Path,
    log: Path,
    *,
    workers: int = 2,
    env: Mapping[str, str] | None = None,
    command: list[str] | None = None,
    timeout: float = 90,
) -> Iterator[Running]:
    """``python -m app serve`` (or ``command``, with ``{port}`` filled in) on a free port.

    The raw data folder is empty, so the server never ingests on its own.
    """
    port = free_port()
    full_env = {**os.environ, "LA_VARIATION_DATA_DIR": "", **(env or {})}
    if command is None:
        argv = [sys.executable, "-m", "app", "serve", "--store-dir", str(store_dir)]
        argv += ["--port", str(port), "--workers", str(workers)]
    else:
        argv = [part.format(port=port, store=store_dir) for part in command]
        full_env.setdefault("LA_VARIATION_STORE_DIR", str(store_dir))
    with log.open("w") as out:
        proc = subprocess.Popen(argv, cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(url + "/healthz", proc, log, timeout)
        yield Running(url, proc, log, port)
    finally:
        stop(proc)


def demo_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new store folder holding the seeded synthetic demo release."""
    from data.synthetic import write_demo_store
    from indicators import derive_indicators
    from indicators.benchmark_table import benchmark_frames

    store = tmp_path_factory.mktemp("serve") / "store"
    write_demo_store(store, seed=3, derive=derive_indicators, benchmark=benchmark_frames)
    return store


REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
#: Ports a test Redis may take (``LA_VARIATION_FREE_REDIS_PORTS``, e.g. ``6400-6420``).
REDIS_PORTS_ENV = "LA_VARIATION_FREE_REDIS_PORTS"

needs_redis = pytest.mark.skipif(
    not Path(REDIS_SERVER).is_file(),
    reason="needs Debian's redis-server (scripts/test.sh installs it)",
)


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A private Redis on a free loopback port, nothing saved to disk: (its URL, process)."""
    port = free_port(REDIS_PORTS_ENV)
    log = folder / "redis.log"
    command = [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--dir", str(folder), "--logfile", str(log)]
    command += ["--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"]
    proc = subprocess.Popen(command)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        import redis

        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(redis.RedisError):
                if redis.Redis.from_url(url, socket_timeout=1).ping():
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"redis-server did not start: {log.read_text() if log.exists() else ''}"
                )
            time.sleep(0.05)
        yield url, proc
    finally:
        stop(proc, timeout=10)
