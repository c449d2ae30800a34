"""Soak: many clients mixing page loads, callbacks and API calls for a while; memory must hold.

    python bench/soak.py [--store-dir STORE] [--clients 50] [--seconds 60] [--warmup 20]
                         [--workers 2] [--tool auto|wrk|httpx]   (warm-up default 20 s)

Starts the production server (``python -m app serve``, rate limit off: every request comes
from one address) on a free 127.0.0.1 port and builds one request mix from the app itself:

* page loads: ``GET`` of each page's HTML and of ``/_dash-layout`` (what a browser fetches);
* callbacks: every page's page-load callbacks, ``POST /_dash-update-component``;
* API: rankings and neighbours of a well-used indicator, and rankings of every indicator in
  turn (most of these compute; the caches are bounded LRUs).

``--clients`` closed-loop clients cycle through the mix for ``--warmup`` seconds (caches fill
as they are designed to; with a new connection per request, so that every worker gets a
share: with connections kept alive one worker could be left nearly idle and then grow in the
measured run), again while any worker's memory still moved by more than 2% in the last round
(at most ``WARMUP_ROUNDS``); then each worker's resident memory is read, the mix runs
again for ``--seconds``, and memory is read again. Prints requests, requests/s, p50/p95/p99,
errors (any non-2xx, timeouts, connection errors), and each worker's RSS at start and end.
Targets: zero errors; every worker's RSS at the end within 10% of its start.
``tests/integration/test_soak.py`` runs the same code with modest numbers in CI.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench import event_loop, loadgen  # noqa: E402
from bench.dash_payloads import UPDATE, discover, http_client, page_paths  # noqa: E402
from bench.load import api_targets, default_store  # noqa: E402
from bench.server import children, load_average, memory, start  # noqa: E402

OUT = ROOT / "bench" / "out"
TARGET_MEMORY_GROWTH = 0.10
#: Warm-up rounds at most, and the change of every worker's RSS that counts as settled.
WARMUP_ROUNDS = 4
SETTLED = 0.02


@dataclass(frozen=True)
class Request:
    """One request of the mix: ``body`` set means a JSON POST."""

    kind: str  # "page", "callback" or "api"
    method: str
    path: str
    body: dict[str, Any] | None = None


def build_mix(url: str) -> list[Request]:
    """Every page load, page-load callback and API call of the app at ``url``, interleaved."""
    get, post, client = http_client(url)
    try:
        pages = [Request("page", "GET", path) for path in page_paths(get("/_dash-layout"))] + [
            Request("page", "GET", "/_dash-layout")
        ]
        callbacks = [
            Request("callback", "POST", UPDATE, cb.body)
            for cb in discover(get, post)
            if cb.status == 200
        ]
        fixed, sweep = api_targets(get)
        api = [Request("api", "GET", path) for _, path in fixed]
        api += [Request("api", "GET", path) for path in sweep]
    finally:
        client.close()
    # Interleave the kinds so every stretch of the run mixes them.
    groups = [pages, callbacks, api]
    mix: list[Request] = []
    longest = max(len(g) for g in groups)
    for i in range(longest):
        mix += [g[i % len(g)] for g in groups if g]
    return mix


# wrk: precompute every request of the mix (one per line in a file: method, path, body file)
# and cycle through them; bench/loadgen.py's done() prints the numbers.
_LUA = r"""
local list_file = "%(list)s"
local reqs, i = {}, 0
-- Built in init, once wrk.headers holds the Host header: a headers table given to
-- wrk.format replaces wrk.headers, and HTTP/1.1 without Host is an invalid request.
init = function(args)
  for line in io.lines(list_file) do
    local method, path, body_file = line:match("^(%%S+)\t(%%S+)\t?(.*)$")
    local headers, body = {["Accept-Encoding"] = "gzip"}, nil
    for name, value in pairs(wrk.headers) do headers[name] = value end
    if body_file ~= "" then
      local f = assert(io.open(body_file, "rb")); body = f:read("*a"); f:close()
      headers["Content-Type"] = "application/json"
    end
    table.insert(reqs, wrk.format(method, path, headers, body))
  end
end
request = function()
  i = i %% #reqs + 1
  return reqs[i]
end
"""


def run_wrk(url: str, mix: list[Request], *, clients: int, seconds: float) -> loadgen.Stats:
    """The mix for ``seconds`` with wrk, ``clients`` connections."""
    with tempfile.TemporaryDirectory() as tmp:
        lines = []
        for n, req in enumerate(mix):
            body_file = ""
            if req.body is not None:
                body_file = str(Path(tmp) / f"body{n}.json")
                Path(body_file).write_text(json.dumps(req.body))
            lines.append(f"{req.method}\t{req.path}\t{body_file}")
        list_file = Path(tmp) / "mix.txt"
        list_file.write_text("\n".join(lines) + "\n")
        script = Path(tmp) / "soak.lua"
        script.write_text((_LUA + loadgen.LUA_DONE) % {"list": list_file})
        command = ["wrk", "-t2", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout=30s"]
        command += ["-s", str(script), url]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 90, check=False
        )
    return loadgen.wrk_stats(done)


def run_httpx(
    url: str, mix: list[Request], *, clients: int, seconds: float, keepalive: bool = True
) -> loadgen.Stats:
    """The mix for ``seconds`` with an asyncio + httpx client, ``clients`` at once.

    ``keepalive=False`` opens a connection per request (each accepted by whichever worker
    takes it first, so every worker gets a share: the warm-up).
    """
    import httpx

    latencies: list[float] = []
    failures: list[str] = []

    async def client_loop(client: httpx.AsyncClient, offset: int, until: float) -> None:
        n = offset
        while time.perf_counter() < until:
            req = mix[n % len(mix)]
            n += 1
            began = time.perf_counter()
            try:
                if req.body is None:
                    response = await client.get(req.path)
                else:
                    response = await client.post(req.path, json=req.body)
                if not 200 <= response.status_code < 300:
                    failures.append(f"{response.status_code} {req.method} {req.path}")
            except httpx.HTTPError as exc:
                failures.append(f"{type(exc).__name__} {req.method} {req.path}")
            latencies.append((time.perf_counter() - began) * 1000)

    async def main() -> float:
        limits = httpx.Limits(
            max_connections=clients, max_keepalive_connections=clients if keepalive else 0
        )
        headers = {"Accept-Encoding": "gzip"}
        async with httpx.AsyncClient(
            base_url=url, timeout=30.0, limits=limits, headers=headers
        ) as client:
            began = time.perf_counter()
            until = began + seconds
            step = max(1, len(mix) // clients)
            await asyncio.gather(*(client_loop(client, c * step, until) for c in range(clients)))
            return time.perf_counter() - began

    wall = event_loop.run(main())
    if len(latencies) < 2:
        raise RuntimeError("too few requests completed")
    for failure in sorted(set(failures))[:10]:
        print(f"  failed: {failure}")
    q = statistics.quantiles(latencies, n=100)
    return loadgen.Stats(
        len(latencies), wall, q[49], q[94], q[98], max(latencies), len(failures), "httpx"
    )


@dataclass(frozen=True)
class SoakResult:
    """What a soak measured: load figures and each worker's RSS (MiB) before and after."""

    stats: loadgen.Stats
    rss_start: dict[int, float]
    rss_end: dict[int, float]
    replaced: bool
    mix: dict[str, int]
    warmup_rounds: int = 0

    @property
    def growth(self) -> dict[int, float]:
        """Each worker's RSS change as a fraction of its start (workers present throughout)."""
        return {
            pid: self.rss_end[pid] / start - 1
            for pid, start in self.rss_start.items()
            if pid in self.rss_end and start > 0
        }

    @property
    def meets(self) -> bool:
        """Zero errors, no worker replaced, and every worker's RSS within 10%."""
        growth = self.growth
        return (
            self.stats.errors == 0
            and not self.replaced
            and bool(growth)
            and all(abs(g) <= TARGET_MEMORY_GROWTH for g in growth.values())
        )


def worker_rss(master_pid: int) -> dict[int, float]:
    """Resident memory (MiB) of each worker of the gunicorn master ``master_pid``."""
    rss = {}
    for pid in children(master_pid):
        with contextlib.suppress(OSError):
            rss[pid] = memory(pid).rss
    return rss


def soak(
    url: str,
    master_pid: int,
    *,
    clients: int,
    seconds: float,
    warmup: float,
    tool: str,
) -> SoakResult:
    """Warm up, read memory, run the mix for ``seconds``, read memory again."""
    mix = build_mix(url)
    run = run_wrk if tool == "wrk" else run_httpx
    rss_start = worker_rss(master_pid)
    rounds = 0
    while warmup > 0 and rounds < WARMUP_ROUNDS:
        # A connection per request, so that no worker is left nearly idle by the warm-up.
        run_httpx(url, mix, clients=clients, seconds=warmup, keepalive=False)
        rounds += 1
        before, rss_start = rss_start, worker_rss(master_pid)
        if set(before) == set(rss_start) and all(
            abs(rss_start[pid] / before[pid] - 1) <= SETTLED for pid in rss_start
        ):
            break
    stats = run(url, mix, clients=clients, seconds=seconds)
    rss_end = worker_rss(master_pid)
    kinds = {kind: sum(r.kind == kind for r in mix) for kind in ("page", "callback", "api")}
    replaced = set(rss_start) != set(rss_end)
    return SoakResult(stats, rss_start, rss_end, replaced, kinds, rounds)


def report(result: SoakResult, *, clients: int, seconds: float) -> str:
    """The soak's figures as printed lines."""
    s = result.stats
    lines = [
        f"mix: {result.mix['page']} page loads, {result.mix['callback']} callbacks, "
        f"{result.mix['api']} API calls (cycled); warm-up rounds: {result.warmup_rounds}",
        f"{clients} clients for {seconds:.0f} s ({s.tool}): {s.requests} requests, "
        f"{s.rps:.0f}/s; latency p50 {s.p50:.1f} ms, p95 {s.p95:.1f} ms, p99 {s.p99:.1f} ms, "
        f"max {s.max:.1f} ms; errors {s.errors}",
    ]
    for pid, start_rss in sorted(result.rss_start.items()):
        end = result.rss_end.get(pid)
        change = f"{(end / start_rss - 1) * 100:+.1f}%" if end else "replaced"
        end_text = f"{end:.0f}" if end else "-"
        lines.append(f"worker {pid}: RSS {start_rss:.0f} MiB -> {end_text} MiB ({change})")
    if result.replaced:
        lines.append("a worker was replaced during the run (its memory cannot be compared)")
    lines.append(
        f"targets: zero errors, every worker's RSS within "
        f"{TARGET_MEMORY_GROWTH:.0%} of its start: {'met' if result.meets else 'MISSED'}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store-dir", type=Path, default=None)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tool", choices=("auto", "wrk", "httpx"), default="auto")
    parser.add_argument("--json", type=Path, default=OUT / "soak.json")
    args = parser.parse_args(argv)
    tool = args.tool
    if tool == "auto":
        tool = "wrk" if loadgen.wrk_available() else "httpx"
    store_dir = args.store_dir or default_store()
    command = " ".join(["python bench/soak.py", *(argv or sys.argv[1:])])
    print(f"command: {command}")
    print(f"cores: {os.cpu_count()}; load average at start: {load_average()}")
    server = start(store_dir, workers=args.workers)
    print(f"server: {' '.join(server.command[1:])} ({server.url}), rate limit off")
    try:
        result = soak(
            server.url,
            server.process.pid,
            clients=args.clients,
            seconds=args.seconds,
            warmup=args.warmup,
            tool=tool,
        )
    finally:
        server.stop()
    print(report(result, clients=args.clients, seconds=args.seconds))
    print(f"load average at end: {load_average()}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "command": command,
                "clients": args.clients,
                "seconds": args.seconds,
                "warmup": args.warmup,
                "stats": asdict(result.stats),
                "rss_start": result.rss_start,
                "rss_end": result.rss_end,
                "growth": result.growth,
                "replaced": result.replaced,
                "mix": result.mix,
                "warmup_rounds": result.warmup_rounds,
                "meets": result.meets,
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
