"""Benchmark the LA profile (issue 16): its page's table and ``/api/v1/profile`` on a store.

For a sample of LAs, each asked once while its answer is not yet kept (what belongs to the
release, such as the value cube, each indicator's latest period and the search index, is
built first and reported separately):

* **page draw**: the profile page's table callback (``callbacks.profile.profile_rows``, the
  judged scope) plus the table payload the browser draws, and the JSON Dash sends;
* **API**: ``GET /api/v1/profile?area=...`` through the Flask test client (cold: each LA's
  first request; warm: the same requests again, answered from the memo);
* **pack**: ``/pack`` (HTML) for the first LA, and ``/pack.pdf``.

Times are wall-clock seconds; the machine's load average is printed because other work on a
2-core machine distorts every timing. Prints the command that reproduces it.

Usage::

    python bench/la_profile.py [--store-dir STORE] [--las 30] [--pdf]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from app import create_app  # noqa: E402
from callbacks.profile import profile_rows  # noqa: E402
from data.store import Store  # noqa: E402
from figures.tables import table_payload  # noqa: E402
from views.indicator_search import indicator_index  # noqa: E402
from views.la_rows import latest_periods  # noqa: E402
from views.value_cube import value_cube  # noqa: E402

BLACKPOOL = "E06000009"


def _timed(call):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def _stats(seconds: list[float]) -> str:
    values = np.array(seconds)
    return (
        f"median {np.median(values):.3f} s, p95 {np.percentile(values, 95):.3f} s, "
        f"max {values.max():.3f} s (n={len(values)})"
    )


def run(store_dir: Path, n_las: int, pdf: bool) -> None:
    store = Store.open(store_dir)
    print(f"la-variation profile benchmark: store {store_dir} ({store.release})")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    for name, build in (
        ("value cube", value_cube),
        ("latest periods", latest_periods),
        ("search index", indicator_index),
    ):
        seconds, _ = _timed(lambda b=build: b(store))
        print(f"  once per release: {name:<16} {seconds:6.3f} s")
    las = [BLACKPOOL] + [c for c, _ in store.catalogue.las if c != BLACKPOOL]
    sample = las[:n_las]
    app = create_app(store=store)
    client = app.server.test_client()

    draws, sizes = [], []
    for code in sample:
        seconds, out = _timed(
            lambda c=code: json.dumps(
                table_payload(
                    profile_rows(store, c, "2025", "mean", [], "judged", "all", "any", "")[1]
                )
            )
        )
        draws.append(seconds)
        sizes.append(len(out))
    print(f"  page draw (table callback + payload, cold per LA): {_stats(draws)}")
    print(f"    payload {np.median(sizes) / 1000:.0f} kB median")
    seconds, _ = _timed(
        lambda: profile_rows(store, BLACKPOOL, "2025", "mean", [], "judged", "all", "worse", "")
    )
    print(f"  a filter change on a drawn profile (Blackpool, worse only): {seconds:.3f} s")

    cold, warm = [], []
    for code in sample:
        url = f"/api/v1/profile?area={code}&release=2021&stat=median"
        seconds, response = _timed(lambda u=url: client.get(u))
        assert response.status_code in (200, 404), response.status_code
        cold.append(seconds)
    for code in sample:
        url = f"/api/v1/profile?area={code}&release=2021&stat=median"
        seconds, _ = _timed(lambda u=url: client.get(u))
        warm.append(seconds)
    print(f"  GET /api/v1/profile cold: {_stats(cold)}")
    print(f"  GET /api/v1/profile warm: {_stats(warm)}")
    print(f"  GET /api/v1/profile all:  {_stats(cold + warm)}")
    seconds, _ = _timed(lambda: client.get(f"/pack?area={BLACKPOOL}"))
    print(f"  GET /pack (Blackpool, cold): {seconds:.2f} s")
    if pdf:
        seconds, response = _timed(lambda: client.get(f"/pack.pdf?area={BLACKPOOL}"))
        print(f"  GET /pack.pdf (Blackpool): {seconds:.2f} s, {len(response.data) / 1000:.0f} kB")
    flags = " --pdf" if pdf else ""
    print(f"command: python bench/la_profile.py --store-dir {store_dir} --las {n_las}{flags}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store-dir", type=Path, default=ROOT / "store")
    parser.add_argument("--las", type=int, default=30)
    parser.add_argument("--pdf", action="store_true", help="also time /pack.pdf")
    args = parser.parse_args()
    run(args.store_dir, args.las, args.pdf)


if __name__ == "__main__":
    main()
