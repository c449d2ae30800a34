"""Time the issue-12 statistics on 150 LAs: rank intervals, within-group share, need model.

Seeded synthetic data of realistic size (150 LAs, counts like a looked-after rate, 10
neighbours each), so the figures do not depend on a store. Prints the best of ``--repeat``
runs of each call, wall-clock and CPU time, in milliseconds.

Usage::

    python bench/variation_stats.py [--draws 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
# Run as a plain script, Python puts bench/ first on sys.path: put the checkout first instead.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from data.schema import Polarity, ValueType  # noqa: E402
from indicators import (  # noqa: E402
    correlate_indicators,
    expected_given_need,
    rank_intervals,
    variance_within_groups,
    variation_trend,
)

N_LAS = 150


def synthetic(seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Values with counts, need predictors, neighbours and a 10-year panel."""
    rng = np.random.default_rng(seed)
    codes = [f"E06{i:06d}" for i in range(N_LAS)]
    population = rng.uniform(2_000, 250_000, N_LAS).round()
    poverty = rng.uniform(5, 45, N_LAS)
    rate = np.maximum(20 + 2.2 * poverty + rng.normal(0, 15, N_LAS), 5)
    count = rng.poisson(rate * population / 1e4).astype(float)
    values = pd.DataFrame(
        {
            "area_code": codes,
            "value": 1e4 * count / population,
            "numerator": count,
            "denominator": population,
        }
    )
    predictors = pd.DataFrame(
        {"area_code": codes, "poverty": poverty, "log_population": np.log(population)}
    )
    rows = []
    for k, code in enumerate(codes):
        others = rng.choice([c for j, c in enumerate(codes) if j != k], 10, replace=False)
        rows += [("2025", code, r + 1, c, "Close") for r, c in enumerate(others)]
    neighbours = pd.DataFrame(
        rows, columns=["sn_release", "area_code", "neighbour_rank", "neighbour_code", "closeness"]
    )
    panel = pd.concat(
        [
            values.assign(time_period=y, year_end=y, value=values["value"] * (1 + 0.02 * i))
            for i, y in enumerate(range(2016, 2026))
        ],
        ignore_index=True,
    )
    return values, predictors, neighbours, panel


def best_ms(call: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best wall-clock and best CPU time of ``repeat`` runs (CPU time is honest on a busy host)."""
    call()  # warm up
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return 1000 * min(wall), 1000 * min(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    values, predictors, neighbours, panel = synthetic()
    draws = args.draws
    calls: dict[str, Callable[[], object]] = {
        f"rank_intervals ({N_LAS} LAs x {draws} draws)": lambda: rank_intervals(
            values,
            polarity=Polarity.LOW_IS_BETTER,
            value_type=ValueType.RATE,
            multiplier=1e4,
            n_draws=draws,
        ),
        f"variance_within_groups ({draws} bootstrap draws)": lambda: variance_within_groups(
            values, neighbours, sn_release="2025", n_draws=draws
        ),
        "expected_given_need (no bootstrap)": lambda: expected_given_need(
            values, predictors, value_type=ValueType.RATE, multiplier=1e4, n_draws=0
        ),
        f"expected_given_need ({draws} bootstrap refits)": lambda: expected_given_need(
            values, predictors, value_type=ValueType.RATE, multiplier=1e4, n_draws=draws
        ),
        "correlate_indicators": lambda: correlate_indicators(
            values, predictors.rename(columns={"poverty": "value"})
        ),
        "variation_trend (10 years, share without interval)": lambda: variation_trend(
            panel, neighbours, value_type=ValueType.RATE, sn_release="2025"
        ),
    }
    print(f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}")
    print("     wall       cpu")
    for name, call in calls.items():
        wall, cpu = best_ms(call, args.repeat)
        print(f"{wall:9.1f} {cpu:9.1f} ms  {name}")


if __name__ == "__main__":
    main()
