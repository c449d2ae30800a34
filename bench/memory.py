"""Benchmark 3: time from start to first answered request, and memory per worker.

    python bench/memory.py [--store-dir STORE] [--workers 2] [--starts 3] [--sweep 200]

Start: ``python -m app serve`` is launched ``--starts`` times; each time is from process
start to the first 200 from ``GET /healthz`` (the store is read, the app built, the workers
forked). Bytecode is cached in a private folder as an installed package would have it; one
extra start without any bytecode cache shows what a fresh, never-compiled install costs.

Memory: after every page's page-load callbacks have been sent to every worker and the API has
answered rankings and neighbours for ``--sweep`` indicators (filling its caches), each
worker's peak resident set (the kernel's ``VmHWM``), its PSS (shared pages split between the
processes sharing them) and USS (pages only it holds) are read from /proc. RSS counts the
pages a worker shares with the master (the store, the libraries) in full, for every worker;
USS is what one more worker costs. Targets: start under 3 s; peak RSS under 300 MB per worker.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.dash_payloads import UPDATE, discover, http_client  # noqa: E402
from bench.server import Memory, load_average, memory, reset_peak, start  # noqa: E402

OUT = ROOT / "bench" / "out"
TARGET_START_S = 3.0
TARGET_RSS_MB = 300.0


def exercise(url: str, workers: int, sweep: int) -> int:
    """Send every page-load callback to every worker, then sweep the API; return requests."""
    get, post, client = http_client(url)
    callbacks = [cb for cb in discover(get, post) if cb.status == 200]
    indicators = [i for i in get("/api/v1/indicators")["indicators"] if i["periods"]]
    area = get("/api/v1/areas?status=current")["areas"][0]["area_code"]
    client.close()
    jobs = [(UPDATE, cb.body) for cb in callbacks] * (3 * workers)
    for meta in indicators[:sweep]:
        query = f"indicator={meta['id']}&period={meta['periods'][-1]['time_period']}"
        jobs.append((f"/api/v1/rankings?{query}", None))
        jobs.append((f"/api/v1/neighbours?area={area}&{query}", None))

    def send(job: tuple[str, dict | None]) -> int:
        path, body = job
        with_client = http_client(url)[2]
        try:
            response = (
                with_client.post(path, json=body) if body is not None else with_client.get(path)
            )
            return response.status_code
        finally:
            with_client.close()

    with ThreadPoolExecutor(max_workers=2 * workers) as pool:
        list(pool.map(send, jobs))
    return len(jobs)


class Sampler:
    """Read every worker's RSS every 20 ms in a thread; keep each one's largest value."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.peaks: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        pids: list[int] = []
        ticks = 0
        while not self._stop.is_set():
            if ticks % 25 == 0:
                pids = self.server.workers()
            for pid in pids:
                with contextlib.suppress(OSError):
                    rss = memory(pid).rss
                    self.peaks[pid] = max(self.peaks.get(pid, 0.0), rss)
            ticks += 1
            time.sleep(0.02)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store-dir", type=Path, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--sweep", type=int, default=200, help="indicators for the API sweep")
    parser.add_argument("--json", type=Path, default=OUT / "memory.json")
    args = parser.parse_args(argv)
    if args.store_dir is None:
        from config import Settings

        args.store_dir = Settings.from_env().store_dir
    command = " ".join(["python bench/memory.py", *(argv or sys.argv[1:])])
    print(f"command: {command}")
    print(f"store: {args.store_dir}; load average at start: {load_average()}")
    cold = start(args.store_dir, workers=args.workers, warm_bytecode=False)
    cold.stop()
    warm_bytecode = start(args.store_dir, workers=args.workers)  # compiles into the cache
    warm_bytecode.stop()
    starts = []
    for _ in range(max(1, args.starts)):
        server = start(args.store_dir, workers=args.workers)
        starts.append(server.start_seconds)
        server.stop()
    server = start(args.store_dir, workers=args.workers)
    try:
        time.sleep(1)  # let every worker finish booting
        forked = server.workers()
        at_fork = [memory(pid) for pid in forked]
        reset = all(reset_peak(pid) for pid in forked)
        with Sampler(server) as sampler:
            sent = exercise(server.url, args.workers, args.sweep)
        master = memory(server.process.pid)
        workers: list[Memory] = [memory(pid) for pid in server.workers()]
    finally:
        server.stop()
    replaced = sorted(set(forked) - {w.pid for w in workers})
    if replaced:
        print(f"workers replaced during the run (their peaks are inherited): {replaced}")
    sampled = max(sampler.peaks.values(), default=float("nan"))
    median_start = statistics.median(starts)
    peak = max(w.peak_rss for w in workers)
    print(f"load average at end: {load_average()}\n")
    print("start to first answered request (s)")
    print(
        f"  median of {len(starts)}: {median_start:.2f}  (runs: "
        + ", ".join(f"{s:.2f}" for s in starts)
        + f")  target < {TARGET_START_S:.0f} s: "
        + ("met" if median_start < TARGET_START_S else "MISSED")
    )
    print(
        f"  without any bytecode cache (first start of a fresh install): {cold.start_seconds:.2f}"
    )
    print(
        "\nworkers just after fork (MiB): "
        + ", ".join(f"RSS {m.rss:.0f} / USS {m.uss:.0f}" for m in at_fork)
    )
    if not reset:
        print(
            "could not reset the workers' peak RSS (needs /proc/PID/clear_refs): "
            "their peaks include the master's loading peak"
        )
    print(f"\nmemory after {sent} requests (MiB; a worker's peak counts from its fork)")
    print(f"  {'process':<10} {'pid':>7} {'RSS':>7} {'peak RSS':>9} {'PSS':>7} {'USS':>7}")
    for name, m in [("master", master)] + [(f"worker {i + 1}", w) for i, w in enumerate(workers)]:
        print(f"  {name:<10} {m.pid:>7} {m.rss:7.0f} {m.peak_rss:9.0f} {m.pss:7.0f} {m.uss:7.0f}")
    print("  master peak RSS = the peak of loading the store and building the app")
    print(f"  largest worker RSS seen while loaded (sampled every 20 ms): {sampled:.0f} MiB")
    print(
        f"  peak RSS per worker {peak:.0f} MiB: target < {TARGET_RSS_MB:.0f} MB "
        + ("met" if peak * 1.048576 < TARGET_RSS_MB else "MISSED")
    )
    total_pss = master.pss + sum(w.pss for w in workers)
    print(f"  whole server (PSS of master + workers): {total_pss:.0f} MiB")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "command": command,
                "start_median_s": median_start,
                "starts": starts,
                "start_no_bytecode_s": cold.start_seconds,
                "master": master.__dict__,
                "workers": [w.__dict__ for w in workers],
                "peak_worker_rss_mib": peak,
                "sampled_worker_rss_mib": sampled,
                "replaced_workers": replaced,
                "total_pss_mib": total_pss,
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
