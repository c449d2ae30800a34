"""Capacity of one worker: page views per second for the main page mix, warm and cold.

    python bench/capacity.py [--store-dir STORE] [--workers 1] [--seconds 20]
                             [--connections 8] [--views 400] [--seed 1]

Starts the production server (``python -m app serve``, rate limit off: every request comes
from one address) with ``--workers`` workers on a free 127.0.0.1 port and loads it with wrk
(the ``bench/soak.py`` runner), ``--connections`` clients each sending its next request when
the previous is answered. A page view is what a browser sends when it opens a page, less the
scripts a browser keeps (a year) and nginx would serve: the page's HTML, ``/_dash-layout``,
``/_dash-dependencies``, the page router's request (which draws the page, charts included)
and every callback that fires when the page opens (``bench/dash_payloads.py``).

* warm: every page opened as everyone opens it first (no query string), so after the first
  round each answer comes from the response memo: a room opening the same link;
* cold: every page opened for a different local authority and indicator (``?la=&indicator=
  &period=``, a seeded sample of ``--views`` pairs per page), so the page router's answer,
  the expensive one, is computed on nearly every view.

Prints requests/s, page views/s (requests/s over the requests of one view), latency and
errors for each, and the floor (``GET /healthz``). Needs wrk (``apt-get install -y wrk``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench import loadgen  # noqa: E402
from bench.dash_payloads import UPDATE, discover, http_client, page_paths, pages_body  # noqa: E402
from bench.load import default_store  # noqa: E402
from bench.server import load_average, start  # noqa: E402
from bench.soak import Request, run_wrk  # noqa: E402

OUT = ROOT / "bench" / "out"


def page_views(url: str, *, views: int, seed: int) -> tuple[list[Request], list[Request], int]:
    """The warm mix, the cold mix, and how many requests one page view takes on average."""
    get, post, client = http_client(url)
    try:
        layout = get("/_dash-layout")
        paths = page_paths(layout)
        callbacks = [cb for cb in discover(get, post) if cb.status == 200]
        indicators = [i for i in get("/api/v1/indicators")["indicators"] if i["periods"]]
        las = [a["area_code"] for a in get("/api/v1/areas?status=current")["areas"]]
    finally:
        client.close()
    rng = random.Random(seed)
    warm: list[Request] = []
    cold: list[Request] = []
    requests_per_view = 0
    for path in paths:
        shell = [
            Request("page", "GET", path),
            Request("page", "GET", "/_dash-layout"),
            Request("page", "GET", "/_dash-dependencies"),
        ]
        # The page router's request is among the page's callbacks ("page layout").
        mine = [cb for cb in callbacks if cb.page == path]
        own = [Request("callback", "POST", UPDATE, cb.body) for cb in mine]
        warm += shell + own
        requests_per_view += len(shell) + len(own)
        others = [
            Request("callback", "POST", UPDATE, cb.body)
            for cb in mine
            if not cb.name.endswith("page layout")
        ]
        for _ in range(views):
            chosen = rng.choice(indicators)
            query = (
                f"?la={rng.choice(las)}&indicator={chosen['id']}"
                f"&period={chosen['periods'][-1]['time_period']}"
            )
            router = Request("callback", "POST", UPDATE, pages_body(path, query))
            cold += [Request("page", "GET", path + query), *shell[1:], router, *others]
    return warm, cold, max(1, round(requests_per_view / len(paths)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store-dir", type=Path, default=None)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--views", type=int, default=400, help="cold page views per page")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not loadgen.wrk_available():
        raise SystemExit("needs wrk: apt-get install -y wrk")
    store = args.store_dir or default_store()
    print(f"load average before: {load_average()}")
    rows = {}
    with start(store, workers=args.workers) as server:
        warm, cold, per_view = page_views(server.url, views=args.views, seed=args.seed)
        floor = loadgen.run_wrk(
            server.url + "/healthz", seconds=args.seconds / 2, connections=args.connections
        )
        rows["floor GET /healthz"] = floor
        run_wrk(server.url, warm, clients=args.connections, seconds=args.seconds / 4)  # fill
        rows["warm page views"] = run_wrk(
            server.url, warm, clients=args.connections, seconds=args.seconds
        )
        rows["cold page views"] = run_wrk(
            server.url, cold, clients=args.connections, seconds=args.seconds
        )
    print(
        f"{args.workers} worker(s), {args.connections} connections, {args.seconds:g} s each; "
        f"a page view is {per_view} requests on average"
    )
    report = {}
    for name, stats in rows.items():
        views = "" if name.startswith("floor") else f", {stats.rps / per_view:.1f} page views/s"
        print(
            f"{name}: {stats.rps:.0f} requests/s{views}; p50 {stats.p50:.0f} ms, "
            f"p95 {stats.p95:.0f} ms, p99 {stats.p99:.0f} ms; errors {stats.errors}"
        )
        report[name] = {
            "rps": stats.rps,
            "p50": stats.p50,
            "p95": stats.p95,
            "errors": stats.errors,
        }
    print(f"load average after: {load_average()}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "capacity.json").write_text(json.dumps({"per_view": per_view, **report}, indent=1))
    print(
        f"command: python bench/capacity.py --store-dir {store} --workers {args.workers} "
        f"--seconds {args.seconds:g} --connections {args.connections}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
