"""Cold answers: every page load, callback and API endpoint, asked what nobody asked before.

    python bench/cold.py [--store-dir STORE] [--sample 30] [--seed 1] [--path /]

For a seeded sample of (indicator, LA) pairs, each page is opened with them in its query
string (the layout request, which draws the page's charts into it), then each callback of the
page that fires on a change is sent once, and each API endpoint is asked once, through
Flask's test client in one process (no HTTP, no rate limit, no response memo). The views'
memo is emptied of answers before every request (what belongs to the release itself, such as
each indicator's latest period, is built once when a release is opened and kept), so each
figure is what one request costs in one worker when nothing about its question is cached.
Prints the median and p95 per page layout, callback and endpoint, and the floor
(``GET /healthz``), wall-clock and CPU (the process's CPU time: what the request costs a
worker, less sensitive than wall-clock to other work on a shared machine), and writes them to
``bench/out/cold.json``. ``--path`` keeps one page (and the API endpoints).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.dash_payloads import UPDATE, page_paths, pages_body  # noqa: E402

OUT = ROOT / "bench" / "out"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store-dir", type=Path, default=ROOT / "store")
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--path", help="only this page, e.g. / (default: every page)")
    args = parser.parse_args()

    from app import create_app
    from bench.dash_payloads import _locations, _outputs, callback_body, component_props
    from config import Settings
    from data.store import Store
    from views import memo

    store = Store.open(args.store_dir)
    # One client asking fast: the rate limit (on by default) would answer 429s.
    settings = replace(Settings.from_env(), rate_limit="off")
    app = create_app(settings, store=store)
    client = app.server.test_client()
    layout = client.get("/_dash-layout").get_json()
    deps = client.get("/_dash-dependencies").get_json()
    rng = random.Random(args.seed)
    indicators = [i for i, _, _ in store.catalogue.indicators if store.catalogue.periods.get(i)]
    las = [code for code, _ in store.catalogue.las]
    pairs = [(rng.choice(indicators), rng.choice(las)) for _ in range(args.sample)]
    times: dict[str, list[float]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)

    def timed(name: str, call: Any) -> Any:
        memo.forget_answers()  # cold: no answer kept (the release's own tables are)
        start, start_cpu = time.perf_counter(), time.process_time()
        response = call()
        times[name].append((time.perf_counter() - start) * 1000)
        cpu[name].append((time.process_time() - start_cpu) * 1000)
        if response.status_code >= 500:
            raise SystemExit(f"{name}: HTTP {response.status_code}")
        return response

    for _ in range(20):
        timed("floor GET /healthz", lambda: client.get("/healthz"))
    for indicator, la in pairs:
        period = store.catalogue.periods[indicator][-1][0]
        search = f"?la={la}&indicator={indicator}&period={period}"
        for path in page_paths(layout):
            if args.path is not None and path != args.path:
                continue
            body = pages_body(path, search)
            answer = timed(f"page {path}", lambda b=body: client.post(UPDATE, json=b))
            page = answer.get_json(silent=True) or {}
            if "response" not in page:
                raise SystemExit(
                    f"page {path}{search}: HTTP {answer.status_code} {answer.data[:300]!r}"
                )
            tree = page["response"]["_pages_content"]["children"]
            props = {**component_props(layout), **component_props(tree)}
            locations = _locations([layout, tree])
            for dep in deps:
                inputs = [i["id"] for i in dep["inputs"]]
                if dep.get("clientside_function") or not all(
                    isinstance(i, str) and i in props for i in inputs
                ):
                    continue
                if any(str(i).startswith("_pages") for i in inputs):
                    continue
                outputs = _outputs(dep["output"])
                if not any(p in ("figure", "children", "data") for _, p in outputs):
                    continue
                request = callback_body(dep, props, locations, path, [f"{inputs[0]}.value"])
                name = f"callback {path} " + ",".join(sorted({i for i, _ in outputs}))
                timed(name, lambda r=request: client.post(UPDATE, json=r))
        for endpoint in (
            f"/api/v1/rankings?indicator={indicator}&period={period}",
            f"/api/v1/values?indicator={indicator}&period={period}",
            f"/api/v1/neighbours?indicator={indicator}&period={period}&area={la}",
            f"/api/v1/variation?indicator={indicator}&period={period}",
            f"/api/v1/expected?indicator={indicator}&period={period}",
        ):
            name = "api " + endpoint.split("?")[0]
            timed(name, lambda e=endpoint: client.get(e))
    rows = {
        name: {
            "n": len(v),
            "median_ms": statistics.median(v),
            "p95_ms": _p95(v),
            "cpu_median_ms": statistics.median(cpu[name]),
            "cpu_p95_ms": _p95(cpu[name]),
        }
        for name, v in sorted(times.items())
    }
    width = max(len(n) for n in rows)
    head = f"{'request':<{width}}  {'n':>4}  {'median ms':>9}  {'p95 ms':>7}"
    print(f"{head}  {'CPU median':>10}  {'CPU p95':>7}")
    for name, row in rows.items():
        print(
            f"{name:<{width}}  {row['n']:>4}  {row['median_ms']:>9.1f}  {row['p95_ms']:>7.1f}"
            f"  {row['cpu_median_ms']:>10.1f}  {row['cpu_p95_ms']:>7.1f}"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "cold.json").write_text(json.dumps(rows, indent=1))
    page = f" --path {args.path}" if args.path else ""
    print(
        f"command: python bench/cold.py --store-dir {args.store_dir} --sample {args.sample}"
        f" --seed {args.seed}{page}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
