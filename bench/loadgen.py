"""Bounded load against a loopback server: ``wrk`` (with a Lua script) or asyncio + httpx.

``connections`` clients send one request after another over keep-alive connections (closed
loop: a client sends its next request when the previous answer arrives). wrk runs for a fixed
time (``seconds``; wrk has no request-count mode); the httpx client sends a fixed number of
requests (``requests``) with a wall-clock cap. Both report p50/p95/p99 latency, requests per
second and errors (connection errors, timeouts and any status other than 2xx).

``wrk`` is preferred: on a 2-core machine a Python client spends as much CPU making requests
as the server spends answering them, which inflates every latency. It is a Debian package
(``apt-get install -y wrk``); without it the httpx client is used and the output says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import event_loop

# Lua for wrk: one fixed request (method, headers, body from a file), or GETs cycling through
# the paths listed in a file; done() prints the numbers as one JSON line.
_LUA = r"""
local body_file, method, paths_file = "%(body)s", "%(method)s", "%(paths)s"
local paths, next_path = {}, 0
if paths_file ~= "" then
  for line in io.lines(paths_file) do table.insert(paths, line) end
  request = function()
    next_path = next_path %% #paths + 1
    return wrk.format(nil, paths[next_path])
  end
end
function init(args)
  if body_file ~= "" then
    local f = assert(io.open(body_file, "rb")); wrk.body = f:read("*a"); f:close()
    wrk.headers["Content-Type"] = "application/json"
  end
  wrk.method = method
  wrk.headers["Accept-Encoding"] = "gzip"
end
"""


#: wrk's done(): the run's numbers as one JSON line (read back by ``wrk_stats``). Written for
#: ``%``-formatting: literal percent signs are doubled.
LUA_DONE = r"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%%d,"seconds":%%f,"p50":%%f,"p95":%%f,"p99":%%f,"max":%%f,' ..
    '"connect":%%d,"read":%%d,"write":%%d,"status":%%d,"timeout":%%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass(frozen=True)
class Stats:
    """Latency in milliseconds; ``errors`` counts failures of every kind."""

    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    max: float
    errors: int
    tool: str

    @property
    def rps(self) -> float:
        """Requests per second over the run."""
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_available() -> bool:
    """Whether the ``wrk`` binary is on PATH."""
    return shutil.which("wrk") is not None


def run_wrk(
    url: str,
    *,
    body: dict[str, Any] | None = None,
    paths: list[str] | None = None,
    seconds: float = 10.0,
    connections: int = 20,
    threads: int = 1,
    timeout: float = 10.0,
) -> Stats:
    """GET (or POST ``body`` as JSON) for ``seconds`` with wrk.

    ``paths``: GET these paths of ``url``'s server in turn instead of ``url`` itself.
    """
    threads = max(1, min(threads, connections))
    with tempfile.TemporaryDirectory() as tmp:
        body_file = paths_file = ""
        if body is not None:
            body_file = str(Path(tmp) / "body.json")
            Path(body_file).write_text(json.dumps(body))
        if paths:
            paths_file = str(Path(tmp) / "paths.txt")
            Path(paths_file).write_text("\n".join(paths) + "\n")
        script = Path(tmp) / "load.lua"
        method = "POST" if body is not None else "GET"
        script.write_text(
            (_LUA + LUA_DONE) % {"body": body_file, "method": method, "paths": paths_file}
        )
        command = [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            f"--timeout={max(1, int(timeout))}s",
            "-s",
            str(script),
            url,
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + timeout + 30, check=False
        )
    return wrk_stats(done)


def wrk_stats(done: subprocess.CompletedProcess[str]) -> Stats:
    """The ``Stats`` that ``LUA_DONE`` printed in a finished wrk run."""
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith('{"requests"')), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed: {done.stdout}\n{done.stderr}")
    r = json.loads(line)
    # "status" counts answers outside 2xx/3xx (wrk's own rule).
    errors = r["connect"] + r["read"] + r["write"] + r["timeout"] + r["status"]
    return Stats(
        r["requests"], r["seconds"], r["p50"], r["p95"], r["p99"], r["max"], errors, "wrk"
    )


def run_httpx(
    url: str,
    *,
    body: dict[str, Any] | None = None,
    paths: list[str] | None = None,
    requests: int = 2000,
    connections: int = 20,
    max_seconds: float = 60.0,
    timeout: float = 10.0,
) -> Stats:
    """``requests`` requests with an asyncio + httpx client (when wrk is not installed)."""
    import httpx

    latencies: list[float] = []
    errors = 0
    remaining = iter(range(requests))
    base = str(httpx.URL(url).copy_with(path="/", query=None)).rstrip("/")
    urls = [base + p for p in paths] if paths else [url]

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        for i in remaining:
            start = time.perf_counter()
            try:
                if body is None:
                    response = await client.get(urls[i % len(urls)])
                else:
                    response = await client.post(url, json=body)
                errors += not 200 <= response.status_code < 300
            except httpx.HTTPError:
                errors += 1
            latencies.append((time.perf_counter() - start) * 1000)

    async def main() -> float:
        limits = httpx.Limits(max_connections=connections)
        headers = {"Accept-Encoding": "gzip"}
        async with httpx.AsyncClient(timeout=timeout, limits=limits, headers=headers) as client:
            start = time.perf_counter()
            tasks = [worker(client) for _ in range(connections)]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*tasks), max_seconds)
            return time.perf_counter() - start

    wall = event_loop.run(main())
    if len(latencies) < 2:
        raise RuntimeError("too few requests completed")
    q = statistics.quantiles(latencies, n=100)
    return Stats(len(latencies), wall, q[49], q[94], q[98], max(latencies), errors, "httpx")


def run(
    url: str,
    *,
    tool: str = "auto",
    body: dict[str, Any] | None = None,
    paths: list[str] | None = None,
    seconds: float = 10.0,
    requests: int = 2000,
    connections: int = 20,
) -> Stats:
    """Load ``url`` with wrk for ``seconds`` if available, else httpx for ``requests``.

    ``tool``: ``auto`` (wrk when installed), ``wrk`` or ``httpx``; the httpx run is capped at
    six times ``seconds``.
    """
    if tool == "wrk" or (tool == "auto" and wrk_available()):
        return run_wrk(url, body=body, paths=paths, seconds=seconds, connections=connections)
    return run_httpx(
        url,
        body=body,
        paths=paths,
        requests=requests,
        connections=connections,
        max_seconds=seconds * 6,
    )
