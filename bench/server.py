"""Start the production server for a benchmark, time its start, and read its memory.

The server is exactly what ``python -m app serve`` runs (gunicorn, preloaded store), on a
free 127.0.0.1 port, with ``LA_VARIATION_DATA_DIR`` empty so it never ingests on its own.
Memory comes from ``/proc``: ``VmHWM`` is the kernel's peak resident set of a process, and
``smaps_rollup`` gives PSS (shared pages split between the processes sharing them) and USS
(pages only this process holds).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: Compiled bytecode of the benchmarked server, kept between runs (git-ignored, in the checkout).
BYTECODE_CACHE = ROOT / "bench" / "out" / "pycache"


#: A port range (``8250-8349``) that benchmarks and tests take their free ports from, for
#: machines where several runs share the network; unset, the operating system picks one.
PORTS_ENV = "LA_VARIATION_FREE_PORTS"


def free_port(env: str = PORTS_ENV) -> int:
    """A free TCP port on 127.0.0.1 (within the range the environment variable ``env`` names)."""
    bounds = os.environ.get(env, "")
    if not bounds:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return int(sock.getsockname()[1])
    first, _, last = bounds.partition("-")
    start, span = int(first), int(last or first) - int(first) + 1
    offset = (os.getpid() * 7919 + time.monotonic_ns()) % span
    for step in range(span):
        port = start + (offset + step) % span
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError(f"no free port in {env}={bounds}")


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages (other work on the machine skews timings)."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def server_env(*, warm_bytecode: bool = True) -> dict[str, str]:
    """Environment of the benchmarked server.

    ``warm_bytecode``: keep compiled bytecode in a private cache folder (as a normal install
    has in ``__pycache__``), even where ``PYTHONDONTWRITEBYTECODE`` is set; the venv itself
    is never written to. False: read and write no bytecode at all (an empty cache folder,
    writing disabled), as the first start of an install made without compiling. The rate
    limit is off (see below).
    """
    # The load generator is one client address sending thousands of requests a second; the
    # per-client rate limit (server/limits.py) would answer nearly all of them 429, so it is off.
    env = {**os.environ, "LA_VARIATION_DATA_DIR": "", "LA_VARIATION_RATE_LIMIT": "off"}
    if warm_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(BYTECODE_CACHE)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="la-variation-no-bytecode-")
    return env


@dataclass
class Server:
    """A running production server (stop it with ``stop``)."""

    process: subprocess.Popen[bytes]
    url: str
    start_seconds: float
    command: list[str]

    def stop(self) -> None:
        """SIGTERM (gunicorn's graceful stop), then SIGKILL if it lingers."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def workers(self) -> list[int]:
        """PIDs of the gunicorn workers (children of the master)."""
        return children(self.process.pid)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def start(
    store_dir: Path,
    *,
    workers: int = 2,
    port: int | None = None,
    warm_bytecode: bool = True,
    timeout: float = 120.0,
    extra_args: tuple[str, ...] = (),
) -> Server:
    """Start ``python -m app serve`` and wait for the first answered ``GET /healthz``.

    ``start_seconds`` runs from the moment the process is started to that first answer.
    """
    import httpx

    port = port or free_port()
    command = [sys.executable, "-m", "app", "serve", "--store-dir", str(store_dir)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    command += list(extra_args)
    url = f"http://127.0.0.1:{port}"
    began = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=server_env(warm_bytecode=warm_bytecode))
    server = Server(process, url, 0.0, command)
    deadline = began + timeout
    with httpx.Client(timeout=2.0) as client:
        while time.perf_counter() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with {process.returncode}")
            with contextlib.suppress(httpx.TransportError):
                if client.get(url + "/healthz").status_code == 200:
                    server.start_seconds = time.perf_counter() - began
                    return server
            time.sleep(0.01)
    server.stop()
    raise RuntimeError(f"the server did not answer /healthz within {timeout:.0f} s")


def children(pid: int) -> list[int]:
    """Direct child PIDs of ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                found.append(int(entry.name))
    return sorted(found)


def reset_peak(pid: int) -> bool:
    """Reset a process's peak RSS (``VmHWM``) to its current RSS; False if not allowed.

    A forked worker inherits its master's peak, which for a preloaded app is the peak of
    loading the store: without a reset a worker's "peak" would be the master's.
    """
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class Memory:
    """One process's memory in MiB: resident now, peak resident, PSS and USS."""

    pid: int
    rss: float
    peak_rss: float
    pss: float
    uss: float


def memory(pid: int) -> Memory:
    """Read ``/proc/<pid>/status`` and ``smaps_rollup``."""
    status = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        status[key] = value.strip()
    rollup = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            key, _, value = line.partition(":")
            rollup[key] = value.strip()

    def mib(text: str | None) -> float:
        return int(text.split()[0]) / 1024 if text else float("nan")

    uss = mib(rollup.get("Private_Clean")) + mib(rollup.get("Private_Dirty"))
    return Memory(
        pid, mib(status.get("VmRSS")), mib(status.get("VmHWM")), mib(rollup.get("Pss")), uss
    )
