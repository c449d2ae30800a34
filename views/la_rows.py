"""One LA across every indicator: each indicator's latest period, read from the benchmark table.

The spine chart (one topic) and the LA profile (every topic) both start here: for each
indicator, the LA's row in the indicator's latest period with LA data, its comparators, the
spread of all LAs and its comparison group's mean and median.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.store import Store
from indicators.neighbour_table import summarise_members
from views.memo import memoised

__all__ = ["la_rows", "latest_periods"]

_META = ("title", "short_title", "topic", "unit", "decimals", "polarity", "value_type")


@memoised
def latest_periods(store: Store) -> pd.DataFrame:
    """Each indicator's latest period with at least one ranked LA, with its spread.

    Columns: ``indicator_id``, ``time_period``, ``period_label``, ``n`` (LAs with a value)
    and the type-7 quantiles ``minimum``, ``p25``, ``median``, ``p75``, ``maximum``.
    """
    periods = store.benchmark.table("benchmark_periods").to_pandas()  # type: ignore[union-attr]
    periods = periods[periods["n_ranked"] > 0].astype({"indicator_id": str})
    latest = periods.sort_values(["indicator_id", "time_period"]).drop_duplicates(
        "indicator_id", keep="last"
    )
    return pd.DataFrame(
        {
            "indicator_id": latest["indicator_id"].to_numpy(dtype=object),
            "time_period": latest["time_period"].to_numpy(),
            "period_label": latest["period_label"].to_numpy(dtype=object),
            "n": latest["n_ranked"].to_numpy(dtype=int),
            "minimum": latest["q0"].to_numpy(),
            "p25": latest["q25"].to_numpy(),
            "median": latest["q50"].to_numpy(),
            "p75": latest["q75"].to_numpy(),
            "maximum": latest["q100"].to_numpy(),
        }
    )


@memoised
def la_rows(
    store: Store, area_code: str, sn_release: str, custom: tuple[str, ...] = ()
) -> pd.DataFrame:
    """The LA in every indicator's latest period with LA data, one row per indicator.

    Returns:
        A new frame sorted by ``indicator_id``: the indicator's metadata (``_META``),
        ``time_period``, ``period_label``, the LA's ``la_value`` (NaN when none) and
        ``la_status`` ("no row" when it has no row, e.g. it did not exist), ``numerator`` (the
        count behind the value, where the source gives it), ``rank``,
        ``n_ranked``, ``band``, ``lower``/``upper`` (95%), ``england``, ``vs_england``, the
        spread of all LAs (``n``, ``minimum``... ``maximum``) and the group's ``n_expected``,
        ``n_with_data``, ``neighbour_mean`` and ``neighbour_median`` (the custom LAs'
        when ``custom`` is given, else the ``sn_release`` neighbours').
    """
    bench = store.benchmark
    assert bench is not None
    latest = latest_periods(store)
    own = bench.area_rows("benchmark", area_code).astype({"indicator_id": str})
    rows = latest.merge(own, on=["indicator_id", "time_period"], how="left")
    if custom:
        group = _custom_stats(store, rows, custom)
    else:
        group = _release_stats(store, area_code, sn_release, rows)
    meta = store.indicators.set_index("indicator_id")
    status = rows["value_status"].astype(object)
    la_status = np.where(
        np.isfinite(rows["value"].to_numpy(dtype=float)),
        np.full(len(rows), None, dtype=object),
        np.where(rows["competes"].isna(), "no row", np.where(status.isna(), "missing", status)),
    )
    return pd.DataFrame(
        {
            "indicator_id": rows["indicator_id"].to_numpy(dtype=object),
            **{c: meta.loc[rows["indicator_id"], c].to_numpy() for c in _META},
            "time_period": rows["time_period"].to_numpy(),
            "period_label": rows["period_label"].to_numpy(dtype=object),
            "la_value": rows["value"].to_numpy(dtype=float),
            "numerator": rows["numerator"].to_numpy(dtype=float),
            "la_status": la_status,
            "rank": rows["rank"].astype("Float64").to_numpy(dtype=float, na_value=np.nan),
            "n_ranked": rows["n_ranked"].to_numpy(dtype=float, na_value=np.nan),
            "band": rows["band"].astype(object).where(rows["band"].notna(), None).to_numpy(),
            "lower": rows["lower"].to_numpy(dtype=float),
            "upper": rows["upper"].to_numpy(dtype=float),
            "england": rows["england_value"].to_numpy(dtype=float),
            "vs_england": rows["vs_england"].astype(object).fillna("not compared").to_numpy(),
            **{c: rows[c].to_numpy() for c in ("n", "minimum", "p25", "median", "p75", "maximum")},
            **group,
        }
    )


def _release_stats(
    store: Store, area_code: str, sn_release: str, rows: pd.DataFrame
) -> dict[str, np.ndarray]:
    bench = store.benchmark
    assert bench is not None
    nb = bench.area_rows("benchmark_neighbours", area_code).astype(
        {"indicator_id": str, "sn_release": str}
    )
    nb = nb[nb["sn_release"] == sn_release]
    joined = rows[["indicator_id", "time_period"]].merge(
        nb, on=["indicator_id", "time_period"], how="left"
    )
    return {
        "n_expected": joined["n_expected"].fillna(0).to_numpy(dtype=int),
        "n_with_data": joined["n_with_data"].fillna(0).to_numpy(dtype=int),
        "neighbour_mean": joined["mean"].to_numpy(dtype=float),
        "neighbour_median": joined["median"].to_numpy(dtype=float),
    }


def _custom_stats(
    store: Store, rows: pd.DataFrame, custom: tuple[str, ...]
) -> dict[str, np.ndarray]:
    """The custom group's members in the same periods, summarised as a release's are."""
    bench = store.benchmark
    assert bench is not None
    keys = rows[["indicator_id", "time_period"]]
    members = np.full((len(rows), len(custom)), np.nan)
    for k, code in enumerate(custom):
        their = bench.area_rows("benchmark", code).astype({"indicator_id": str})
        joined = keys.merge(
            their[["indicator_id", "time_period", "value"]],
            on=["indicator_id", "time_period"],
            how="left",
        )
        members[:, k] = joined["value"].to_numpy(dtype=float)
    stats = summarise_members(members)
    return {
        "n_expected": np.full(len(rows), len(custom)),
        "n_with_data": stats.n_with_data,
        "neighbour_mean": stats.mean,
        "neighbour_median": stats.median,
    }
