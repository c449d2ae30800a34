"""Benchmark 1: callback and API latency under load, against the floor of the same server.

    python bench/load.py [--store-dir STORE] [--workers 2] [--seconds 10] [--connections 20]
                         [--tool auto|wrk|httpx] [--only TEXT] [--url http://127.0.0.1:PORT]

Starts the production server (``python -m app serve``: gunicorn, preloaded store) on a free
127.0.0.1 port, reads every page's page-load callbacks from the app itself
(``bench/dash_payloads.py``), then loads each with ``--connections`` concurrent clients:

* the page's layout request and every server callback that fires when the page opens (the
  "main" ones draw a chart or the page itself);
* the rankings and neighbours API calls, and rankings of every indicator in turn (most of
  them cache misses: the API's cost when it has to compute);
* ``GET /healthz``, a trivial JSON endpoint on the same server: the floor, measured first
  and last (the better of the two is used, the spread shows the machine's noise).

Prints p50/p95/p99 and requests/s for each, its p95 as a multiple of the floor's, and the
targets: every main callback's p95 under 100 ms and within 2.5x the floor's p95, no errors.
The load generator is wrk when installed (``apt-get install -y wrk``), else asyncio + httpx
(a Python client shares the 2 cores with the server and inflates every figure: the output
says which was used). Only 127.0.0.1 is ever loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench import loadgen  # noqa: E402
from bench.dash_payloads import UPDATE, Callback, discover, http_client  # noqa: E402
from bench.server import load_average, start  # noqa: E402

OUT = ROOT / "bench" / "out"
TARGET_P95_MS = 100.0
TARGET_RATIO = 2.5
PREFERRED = ("lait_lacstable_2016on", "cla_at_31_march_rate")


def default_store() -> Path:
    from config import Settings

    return Settings.from_env().store_dir


def api_targets(get: Any) -> tuple[list[tuple[str, str]], list[str]]:
    """API calls to load: rankings and neighbours, and a sweep over indicators.

    The fixed calls use a well-used indicator, its latest period and one LA; the sweep asks
    for every indicator's latest period in turn (so most requests miss the caches).
    """
    indicators = get("/api/v1/indicators")["indicators"]
    ids = [i["id"] for i in indicators if i["periods"]]
    chosen = next((i for i in PREFERRED if i in ids), ids[0])
    meta = next(i for i in indicators if i["id"] == chosen)
    period = meta["periods"][-1]["time_period"]
    areas = get("/api/v1/areas?status=current")["areas"]
    query = f"indicator={chosen}&period={period}"
    area = areas[0]["area_code"]
    for candidate in areas:
        try:
            get(f"/api/v1/neighbours?area={candidate['area_code']}&{query}")
        except Exception:  # an LA outside the newest release: try the next
            continue
        area = candidate["area_code"]
        break
    fixed = [
        ("API rankings", f"/api/v1/rankings?{query}&n=10"),
        ("API neighbours", f"/api/v1/neighbours?area={area}&{query}"),
    ]
    sweep = [
        f"/api/v1/rankings?indicator={i['id']}&period={i['periods'][-1]['time_period']}"
        for i in indicators
        if i["periods"]
    ]
    return fixed, sweep


def row(name: str, kind: str, stats: loadgen.Stats, floor_p95: float, size: int) -> dict:
    ratio = stats.p95 / floor_p95 if floor_p95 else float("nan")
    return {
        "name": name,
        "kind": kind,
        "requests": stats.requests,
        "rps": stats.rps,
        "p50": stats.p50,
        "p95": stats.p95,
        "p99": stats.p99,
        "errors": stats.errors,
        "ratio": ratio,
        "bytes": size,
        "meets": stats.p95 < TARGET_P95_MS and ratio <= TARGET_RATIO and stats.errors == 0,
    }


def print_table(rows: list[dict], floor: dict) -> None:
    head = f"{'request':<62} {'kind':<9} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} "
    head += f"{'err':>4} {'p95/floor':>9} {'KB':>6}  target"
    print(head)
    print("-" * len(head))
    for r in [floor, *rows]:
        target = "" if r["kind"] not in ("main",) else ("met" if r["meets"] else "MISSED")
        print(
            f"{r['name'][:62]:<62} {r['kind']:<9} {r['rps']:7.0f} {r['p50']:7.1f} "
            f"{r['p95']:7.1f} {r['p99']:7.1f} {r['errors']:4d} {r['ratio']:9.2f} "
            f"{r['bytes'] / 1024:6.1f}  {target}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store-dir", type=Path, default=None)
    parser.add_argument("--url", help="an already running server on 127.0.0.1 (not started)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0, help="per request type (wrk)")
    parser.add_argument("--requests", type=int, default=1000, help="per request type (httpx)")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--tool", choices=("auto", "wrk", "httpx"), default="auto")
    parser.add_argument("--only", help="only callbacks whose name contains this text")
    parser.add_argument("--json", type=Path, default=OUT / "load.json")
    args = parser.parse_args(argv)
    tool = "wrk" if args.tool == "auto" and loadgen.wrk_available() else args.tool
    if tool == "auto":
        tool = "httpx"
        print("wrk not found (apt-get install -y wrk): using the asyncio + httpx client")
    store_dir = args.store_dir or default_store()
    command = " ".join(["python bench/load.py", *(argv or sys.argv[1:])])
    print(f"command: {command}")
    print(f"cores: {os.cpu_count()}; load average at start: {load_average()}")
    print(
        f"load generator: {tool}, {args.connections} concurrent connections, "
        + (
            f"{args.seconds:.0f} s per request type"
            if tool == "wrk"
            else f"{args.requests} requests per request type"
        )
    )
    server = None
    if args.url:
        url = args.url
    else:
        server = start(store_dir, workers=args.workers)
        url = server.url
        print(
            f"server: python -m app serve --store-dir {store_dir} --workers {args.workers} "
            f"({url}; first answer after {server.start_seconds:.2f} s)"
        )
    try:
        get, post, client = http_client(url)
        callbacks = discover(get, post)
        targets: list[tuple[str, str, str, dict | None, int, list[str] | None]] = []
        skipped: list[Callback] = []
        for cb in callbacks:
            if args.only and args.only not in cb.name:
                continue
            if cb.status != 200:
                skipped.append(cb)
                continue
            kind = "main" if cb.draws_chart or "page layout" in cb.name else "callback"
            targets.append((cb.name, kind, url + UPDATE, cb.body, cb.response_bytes, None))
        fixed, sweep = api_targets(get)
        for name, path in fixed:
            size = len(client.get(path).content)
            targets.append((name, "api", url + path, None, size, None))
        # Warm every cache in every worker before timing (as a page opened once would).
        for _, _, target_url, body, _, _ in targets:
            for _ in range(4 * args.workers):
                if body is None:
                    client.get(target_url)
                else:
                    client.post(target_url, json=body)
        client.close()
        # Not warmed: each request asks for another indicator, so most miss the caches.
        targets.append(
            (f"API rankings, {len(sweep)} indicators in turn (cold)", "api", url, None, 0, sweep)
        )

        def measure(
            target_url: str, body: dict | None, paths: list[str] | None = None
        ) -> loadgen.Stats:
            return loadgen.run(
                target_url,
                tool=tool,
                body=body,
                paths=paths,
                seconds=args.seconds,
                requests=args.requests,
                connections=args.connections,
            )

        floor_first = measure(url + "/healthz", None)
        results = [(t, measure(t[2], t[3], t[5])) for t in targets]
        floor_last = measure(url + "/healthz", None)
    finally:
        if server is not None:
            server.stop()
    floor_stats = min(floor_first, floor_last, key=lambda s: s.p95)
    floor = row("floor: GET /healthz", "floor", floor_stats, floor_stats.p95, 0)
    rows = [row(t[0], t[1], stats, floor_stats.p95, t[4]) for t, stats in results]
    print(f"load average at end: {load_average()}")
    print(
        f"floor p95: first {floor_first.p95:.1f} ms, last {floor_last.p95:.1f} ms "
        f"(the lower is used)"
    )
    print("latency in ms; KB = response body before compression\n")
    print_table(rows, floor)
    for cb in skipped:
        print(f"not loaded ({cb.status}, no update when the page opens): {cb.name}")
    main_rows = [r for r in rows if r["kind"] == "main"]
    missed = [r for r in main_rows if not r["meets"]]
    print(
        f"\ntargets: main callbacks p95 < {TARGET_P95_MS:.0f} ms and <= {TARGET_RATIO}x the "
        f"floor's p95 ({TARGET_RATIO * floor_stats.p95:.1f} ms), zero errors: "
        f"{len(main_rows) - len(missed)} of {len(main_rows)} met"
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "command": command,
                "tool": tool,
                "connections": args.connections,
                "floor": floor,
                "rows": rows,
                "load_average": load_average(),
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
