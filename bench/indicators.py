"""Benchmark the indicator engine on every indicator's latest period.

For each indicator in the store (or in a synthetic store of realistic size when there is no
store), times:

* best/worst-10: ``eligible_values`` + ``best_worst`` on the latest period;
* neighbour comparison for every LA: ``neighbour_averages`` (2025 release) on the latest period;
* level vs improvement: ``level_vs_improvement`` over all periods of the LAs current at the
  latest period (500 noise-only draws, the default).

Reading rows from the store (``Store.indicator_values``) is timed separately, as it is the
store's cost, not the engine's.

Usage::

    python bench/indicators.py [--store-dir STORE] [--draws 500] [--limit N] [--prefix lait_]

Without a store (``STORE/CURRENT`` missing) it builds a seeded synthetic frame: 434 indicators
x 153 LAs x 10 years, 10 neighbours each.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
# Run as a plain script, Python puts bench/ first on sys.path, where this file would shadow the
# ``indicators`` package: put the checkout first instead.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from data.schema import GeographicLevel, Polarity  # noqa: E402
from indicators import (  # noqa: E402
    best_worst,
    eligible_values,
    level_vs_improvement,
    neighbour_averages,
)
from indicators.improvement import N_DRAWS  # noqa: E402

LA_LEVEL = str(GeographicLevel.LOCAL_AUTHORITY)


def synthetic(
    n_indicators: int = 434, n_las: int = 153, n_years: int = 10, seed: int = 1
) -> tuple[dict[str, pd.DataFrame], dict[str, Polarity]]:
    """A seeded in-memory store of realistic size (values, areas, neighbours)."""
    rng = np.random.default_rng(seed)
    codes = [f"E0{6 + i % 5}{i:06d}" for i in range(n_las)]
    areas = pd.DataFrame(
        {
            "area_code": codes,
            "area_type": "Local authority",
            "valid_from": None,
            "valid_to": None,
        }
    )
    rows = []
    for k in range(n_las):
        others = rng.choice([c for c in codes if c != codes[k]], 10, replace=False)
        rows += [("2025", codes[k], r + 1, c, "Close") for r, c in enumerate(others)]
    neighbours = pd.DataFrame(
        rows, columns=["sn_release", "area_code", "neighbour_rank", "neighbour_code", "closeness"]
    )
    years = np.arange(2016, 2016 + n_years)
    frames, polarity = [], {}
    choices = [Polarity.HIGH_IS_BETTER, Polarity.LOW_IS_BETTER, Polarity.NONE]
    for i in range(n_indicators):
        ident = f"ind_{i:03d}"
        polarity[ident] = choices[i % 3]
        level = rng.normal(50, 10, n_las)
        trend = rng.normal(0.3, 0.5, n_las)
        value = (
            level[:, None]
            + trend[:, None] * (years - years[0])
            + rng.normal(0, 3, (n_las, n_years))
        )
        value = np.round(value)  # published integers: ties are common
        value[rng.random(value.shape) < 0.05] = np.nan
        frames.append(
            pd.DataFrame(
                {
                    "indicator_id": ident,
                    "area_code": np.repeat(codes, n_years),
                    "geographic_level": LA_LEVEL,
                    "time_period": np.tile(years, n_las),
                    "time_identifier": "Reporting year",
                    "year_end": np.tile(years, n_las),
                    "value": value.ravel(),
                    "value_status": np.where(np.isnan(value.ravel()), "c", None),
                }
            )
        )
    values = pd.concat(frames, ignore_index=True)
    return {"values": values, "areas": areas, "neighbours": neighbours}, polarity


class _StoreRows:
    """Iterate over a store's indicators, timing the store's own row reads apart."""

    def __init__(self, store_dir: Path, prefix: str | None) -> None:
        from data.store import Store

        self.store = Store.open(store_dir)
        ids = sorted(self.store.indicators["indicator_id"])
        self.ids = [i for i in ids if prefix is None or i.startswith(prefix)]
        self.fetch_seconds = 0.0

    def __iter__(self) -> Iterator[tuple[str, Polarity, pd.DataFrame]]:
        for ident in self.ids:
            t = time.perf_counter()
            frame = self.store.indicator_values(ident, levels=[LA_LEVEL])
            self.fetch_seconds += time.perf_counter() - t
            yield ident, self.store.indicator_meta(ident).polarity, frame


def _synthetic_source() -> tuple[
    Iterator[tuple[str, Polarity, pd.DataFrame]], pd.DataFrame, pd.DataFrame, str, int
]:
    tables, polarity = synthetic()
    values = tables["values"]
    groups = dict(tuple(values.groupby("indicator_id", sort=True)))

    def rows() -> Iterator[tuple[str, Polarity, pd.DataFrame]]:
        for ident, frame in groups.items():
            yield str(ident), polarity[str(ident)], frame

    label = f"synthetic frame ({len(values):,} values rows: 434 indicators x 153 LAs x 10 years)"
    return rows(), tables["areas"], tables["neighbours"], label, len(groups)


def run(store_dir: Path | None, draws: int, limit: int | None, prefix: str | None) -> int:
    store_rows = None
    if store_dir is not None and (store_dir / "CURRENT").is_file():
        store_rows = _StoreRows(store_dir, prefix)
        store = store_rows.store
        source: Iterator[tuple[str, Polarity, pd.DataFrame]] = iter(store_rows)
        areas, neighbours, count = store.areas, store.neighbours, len(store_rows.ids)
        label = (
            f"store {store_dir} (release {store.release}, {len(store.values):,} values rows, "
            f"{len(store.indicators)} indicators"
            + (f"; timing the {count} with ids starting {prefix!r}" if prefix else "")
            + ")"
        )
    else:
        source, areas, neighbours, label, count = _synthetic_source()
    release = (
        "2025"
        if (neighbours["sn_release"].astype(str) == "2025").any()
        else str(neighbours["sn_release"].iloc[0])
    )
    timings: dict[str, float] = defaultdict(float)
    done = skipped = 0
    selecting = 0.0
    start = time.perf_counter()
    for _ident, polarity, frame in source:
        if limit is not None and done >= limit:
            break
        frame = frame[frame["value"].notna() | frame["value_status"].notna()]
        if frame.empty:
            skipped += 1
            continue
        latest_period = frame["time_period"].max()
        latest = frame[frame["time_period"] == latest_period]

        t0 = time.perf_counter()
        las = eligible_values(latest, areas)
        best_worst(las, polarity=polarity, n=10)
        t1 = time.perf_counter()
        neighbour_averages(latest, neighbours, sn_release=release)
        t2 = time.perf_counter()
        # Selecting the LAs current at the latest period is row selection, timed apart.
        series = frame[frame["area_code"].isin(set(las["area_code"]))]
        t_select = time.perf_counter()
        level_vs_improvement(series, polarity=polarity, n_draws=draws, seed=0)
        t3 = time.perf_counter()
        selecting += t_select - t2
        timings["best/worst-10"] += t1 - t0
        timings["neighbour comparison (every LA)"] += t2 - t1
        timings["level vs improvement"] += t3 - t_select
        done += 1
    wall = time.perf_counter() - start
    engine = sum(timings.values())
    print(f"la-variation indicator benchmark: {label}")
    print(f"python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}")
    print(f"indicators timed: {done} of {count} ({skipped} with no rows skipped)")
    print(f"neighbour release: {release}; noise-only draws per indicator: {draws}")
    for name, seconds in timings.items():
        print(f"  {name:<34} {seconds:7.2f} s  ({1000 * seconds / max(done, 1):6.1f} ms each)")
    print(f"  {'engine total':<34} {engine:7.2f} s  (target < 5 s)")
    print(f"  {'selecting current LAs (not engine)':<34} {selecting:7.2f} s")
    if store_rows is not None:
        fetch = store_rows.fetch_seconds
        print(f"  {'reading rows from the store':<34} {fetch:7.2f} s  (Store, not engine)")
    print(f"  {'wall time of the loop':<34} {wall:7.2f} s")
    command = "python bench/indicators.py" + (f" --store-dir {store_dir}" if store_dir else "")
    command += f" --prefix {prefix}" if prefix else ""
    print(f"reproduce: cd {ROOT.name} && {command} --draws {draws}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store-dir", type=Path, default=None, help="store folder to read")
    parser.add_argument(
        "--draws", type=int, default=N_DRAWS, help=f"noise-only draws (default {N_DRAWS})"
    )
    parser.add_argument("--limit", type=int, default=None, help="time only the first N")
    parser.add_argument("--prefix", default=None, help="store: only ids starting with this")
    args = parser.parse_args(argv)
    return run(args.store_dir, args.draws, args.limit, args.prefix)


if __name__ == "__main__":
    raise SystemExit(main())
