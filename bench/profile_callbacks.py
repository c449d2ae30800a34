"""Why a callback is slow: each page-load callback timed and profiled in one process.

    python bench/profile_callbacks.py [--store-dir STORE] [--runs 20] [--only TEXT] [--top 4]
                                      [--cold]

No server and no load: the app is built over the store and every page-load callback (found as
``bench/load.py`` finds them) is sent through Flask's test client ``--runs`` times, so the
figures are the CPU cost of one request in one worker (Dash's dispatch and JSON encoding
included; HTTP excluded), computed every time: the callback response memo is off, so this is
what a request nobody has made before costs. ``--cold`` also empties the views' memo
(``views.memo``) before every run, so nothing a page computes is kept between runs. For each:
best and median milliseconds, response size, the size of each figure's JSON, where the time
goes by layer (exclusive time in the project's ``callbacks``, ``figures``, ``indicators``,
``data`` and ``layouts`` modules, and in plotly, pandas/numpy/pyarrow, Dash/Flask, C builtins
and the rest), and the project functions with the most cumulative time (profiled, then scaled
to the unprofiled median). Under load, a request also waits for the ones ahead of it, so its
latency is roughly (concurrent clients / workers) x this cost.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.dash_payloads import UPDATE, discover  # noqa: E402

OUT = ROOT / "bench" / "out"
LAYERS = ("callbacks", "figures", "indicators", "data", "layouts", "api")


def layer(filename: str) -> str:
    """The layer a function's file belongs to."""
    path = filename.replace("\\", "/")
    root = str(ROOT) + "/"
    if path.startswith(root) and "/.venv/" not in path:
        top = path[len(root) :].split("/", 1)[0]
        return top if top in LAYERS else "project"
    for name, keys in (
        ("plotly", ("/plotly/", "/_plotly_utils/")),
        ("pandas/numpy", ("/pandas/", "/numpy/", "/pyarrow/", "/scipy/")),
        ("dash/flask", ("/dash/", "/flask/", "/werkzeug/")),
        ("json", ("/json/",)),
    ):
        if any(k in path for k in keys):
            return name
    return "C builtins" if path.startswith("~") else "other"


def profile(
    call: Any, runs: int, unprofiled_ms: float
) -> tuple[dict[str, float], list[tuple[str, float]]]:
    """Share of exclusive time per layer, and the project functions by cumulative time.

    Function times are in milliseconds scaled to the unprofiled cost (cProfile itself slows
    every call down).
    """
    profiler = cProfile.Profile()
    for _ in range(runs):
        profiler.runcall(call)
    stats = pstats.Stats(profiler)
    by_layer: dict[str, float] = defaultdict(float)
    project = []
    for (filename, _line, func), (_, _, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        by_layer[layer(filename)] += tottime / runs
        if layer(filename) in LAYERS:
            name = f"{Path(filename).parent.name}/{Path(filename).name}:{func}"
            project.append((name, cumtime / runs))
    total = sum(by_layer.values()) or 1.0
    scale = unprofiled_ms / (total * 1000)
    project = sorted(((n, s * 1000 * scale) for n, s in project), key=lambda kv: -kv[1])
    return {k: v / total for k, v in by_layer.items()}, project


def forget_views() -> None:
    """Empty the views' memo of every release (``--cold``): the next request computes all."""
    from views import memo

    with memo._MEMOS_LOCK:
        memo._MEMOS.clear()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store-dir", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", help="only callbacks whose name contains this text")
    parser.add_argument("--top", type=int, default=4, help="project functions listed")
    parser.add_argument(
        "--cold", action="store_true", help="empty the views' memo before every run"
    )
    parser.add_argument("--json", type=Path, default=OUT / "profile_callbacks.json")
    args = parser.parse_args(argv)
    from app import create_app
    from config import Settings
    from data.store import Store

    store_dir = args.store_dir or Settings.from_env().store_dir
    command = " ".join(["python bench/profile_callbacks.py", *(argv or sys.argv[1:])])
    print(f"command: {command}")
    # No response memo: every run computes (the cost of a request seen for the first time).
    settings = Settings.from_env().with_overrides(callback_cache_mb=0)
    client = create_app(settings, store=Store.open(store_dir)).server.test_client()

    def get(path: str) -> Any:
        return client.get(path).get_json()

    def post(path: str, body: dict[str, Any]) -> tuple[int, bytes]:
        response = client.post(path, json=body)
        return response.status_code, response.data

    rows = []
    for cb in discover(get, post):
        if cb.status != 200 or (args.only and args.only not in cb.name):
            continue

        def call(body: dict[str, Any] = cb.body) -> None:
            if args.cold:
                forget_views()
            client.post(UPDATE, json=body)

        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
        layers, top = profile(call, max(3, args.runs // 4), statistics.median(times))
        rows.append(
            {
                "name": cb.name,
                "best_ms": min(times),
                "median_ms": statistics.median(times),
                "kb": cb.response_bytes / 1024,
                "figure_kb": {k: v / 1024 for k, v in cb.figure_bytes.items()},
                "layers": dict(sorted(layers.items(), key=lambda x: -x[1])),
                "top": top[: args.top],
            }
        )
    rows.sort(key=lambda r: -r["median_ms"])
    print(f"{len(rows)} callbacks, {args.runs} runs each; milliseconds of one request\n")
    for r in rows:
        figures = ", ".join(f"{k} {v:.0f} KB" for k, v in r["figure_kb"].items())
        print(
            f"{r['name']}\n  best {r['best_ms']:.1f} ms, median {r['median_ms']:.1f} ms; "
            f"response {r['kb']:.0f} KB" + (f" (figure JSON: {figures})" if figures else "")
        )
        share = ", ".join(f"{k} {v:.0%}" for k, v in r["layers"].items() if v >= 0.05)
        print(f"  time by layer: {share}")
        for name, ms in r["top"]:
            print(f"    {ms:7.1f} ms  {name}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"command": command, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
