"""Benchmark the "unusual for its neighbours" functions over a whole store at once.

Every LA of a neighbour release x every (indicator, period) of the store, laid out with the
benchmark table's own ``Cube`` and ``release_matrix``, then:

* ``standardised_difference`` (robust z against the neighbours);
* ``direction_from_z`` (one polarity per row);
* ``difference_from_neighbours`` (LA minus the neighbours' mean);
* ``gap_trend`` over the gaps of every (indicator, LA) by year (tolerance a quarter of each
  period's across-LA SD).

Run for the latest period of each indicator (``--latest``) or for every period (default).
Times are the best of ``--repeat`` runs; the machine's load average is printed because other
work on a 2-core machine distorts every timing.

Usage::

    python bench/unusual.py [--store-dir STORE] [--release 2025] [--latest] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
# Run as a plain script, Python puts bench/ first on sys.path: put the checkout first instead.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from data.schema import GeographicLevel  # noqa: E402
from data.store import Store  # noqa: E402
from indicators import (  # noqa: E402
    difference_from_neighbours,
    direction_from_z,
    gap_trend,
    standardised_difference,
)
from indicators.cube import build_cube  # noqa: E402
from indicators.neighbour_table import release_matrix  # noqa: E402


def best_of(repeat: int, call: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs (seconds) and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - start)
    return best, result


def run(store_dir: Path, release: str, latest_only: bool, repeat: int) -> None:
    store = Store.open(store_dir)
    values = store.values  # noqa: PD011  (the store's values table, not DataFrame.values)
    la_level = str(GeographicLevel.LOCAL_AUTHORITY)
    values = values[values["geographic_level"].astype(str) == la_level]
    if latest_only:
        ids = values["indicator_id"].astype(str).to_numpy()
        newest = values.groupby(ids)["time_period"].transform("max").to_numpy()
        values = values[values["time_period"].to_numpy() == newest]
    start = time.perf_counter()
    cube = build_cube(values, store.areas)
    matrix = release_matrix(cube, store.neighbours, release)
    width = cube.value.shape[1]
    padded = np.concatenate([cube.value, np.full((len(cube.groups), 1), np.nan)], axis=1)
    centre = np.where(matrix.centre_at >= 0, matrix.centre_at, width)
    members = np.where(matrix.members >= 0, matrix.members, width)
    own = padded[:, centre].reshape(-1)
    neighbours = padded[:, members].reshape(-1, members.shape[1])
    meta = store.indicators.set_index("indicator_id")
    ids = cube.groups["indicator_id"].astype(str).to_numpy()
    polarity = np.repeat(meta.loc[ids, "polarity"].to_numpy(), len(matrix.centres))
    layout = time.perf_counter() - start

    timings: dict[str, float] = {}
    timings["standardised_difference"], z = best_of(
        repeat, lambda: standardised_difference(own, neighbours)
    )
    timings["direction_from_z"], _ = best_of(
        repeat, lambda: direction_from_z(z.z, polarity=polarity)
    )
    timings["difference_from_neighbours"], mean = best_of(
        repeat, lambda: difference_from_neighbours(own, neighbours)
    )
    finite = np.isfinite(cube.value)
    count = finite.sum(axis=1)
    total = np.where(finite, cube.value, 0.0).sum(axis=1)
    centred = np.where(finite, cube.value - (total / np.maximum(count, 1))[:, None], 0.0)
    sd = np.sqrt((centred**2).sum(axis=1) / np.maximum(count - 1, 1))
    gaps = pd.DataFrame(
        {
            "indicator_id": np.repeat(ids, len(matrix.centres)),
            "area_code": np.tile(matrix.centres.astype(str), len(cube.groups)),
            "year_end": np.repeat(cube.groups["year_end"].to_numpy(), len(matrix.centres)),
            "gap": mean.difference,
            "tolerance": np.repeat(0.25 * sd, len(matrix.centres)),
        }
    ).drop_duplicates(["indicator_id", "area_code", "year_end"], keep="last")
    timings[f"gap_trend ({len(gaps):,} rows)"], trend = best_of(
        repeat, lambda: gap_trend(gaps, tolerance="tolerance")
    )

    scope = "latest period of each indicator" if latest_only else "every period"
    print(f"la-variation unusual-for-neighbours benchmark: store {store_dir} ({store.release})")
    print(
        f"{len(own):,} rows = {len(cube.groups):,} (indicator, period) x "
        f"{len(matrix.centres)} LAs of the {release} release; {scope}"
    )
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; best of {repeat}")
    print(f"  {'layout (cube, matrix)':<36} {layout:7.2f} s")
    for name, seconds in timings.items():
        print(f"  {name:<36} {seconds:7.2f} s")
    print(
        f"  z defined for {int(np.isfinite(z.z).sum()):,} rows; gap trends: "
        f"{trend['trend'].value_counts().to_dict()}"
    )
    flags = " --latest" if latest_only else ""
    print(
        f"command: python bench/unusual.py --store-dir {store_dir} --release {release}"
        f"{flags} --repeat {repeat}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store-dir", type=Path, default=ROOT / "store")
    parser.add_argument("--release", default="2025")
    parser.add_argument("--latest", action="store_true", help="latest period only")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    run(args.store_dir, args.release, args.latest, args.repeat)


if __name__ == "__main__":
    main()
