"""The benchmark table: every indicator x period x area ranked, banded and compared, once.

Built at ingest (one per store release) from the store's tables, with the same rules as the
per-period functions: ``eligible_values`` (with the 366-day grace), ``rank_areas``,
``quartile_bands``, ``confidence_intervals``, ``england_value`` / ``region_value`` (with LAIT's
London rule), ``neighbour_averages`` for each neighbour release, and ``compare_to_benchmark``
for the flags. Pages and the API read it instead of recomputing it on every request.

Four frames (documented column by column in ``docs/store.md``):

* ``benchmark``: one row per (indicator, period, area) for every area with a ``values`` row and
  every LA that competes without one ("no row");
* ``benchmark_neighbours``: one row per (indicator, period, LA, neighbour release) for the LAs
  of the ``benchmark`` frame that have a group in the release;
* ``benchmark_periods``: one row per (indicator, period): how many compete and are ranked, the
  quartile breaks (or why there are none);
* ``comparators``: one row per (indicator, period, comparator): England, each region and London
  sub-region, published or computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.schema import ENGLAND_CODE, LIFETIME_TOLERANCE_DAYS, Polarity, ValueType
from indicators._common import ABSENT_STATUS, require_columns
from indicators._groups import symbols
from indicators.benchmark import compare_intervals
from indicators.comparator_table import ComparatorTable, comparator_table
from indicators.cube import Cube, build_cube, competing
from indicators.neighbour_table import neighbour_stats, release_matrix
from indicators.uncertainty import confidence_intervals

__all__ = ["BenchmarkTables", "benchmark_frames", "benchmark_tables"]

_QUANTILES = (0.0, 0.25, 0.5, 0.75, 1.0)
_BAND_LETTERS = ("A", "B", "C", "D")
#: Band letter codes (into ``_BAND_LETTERS``) from the lowest-value quarter upwards.
_BANDS_LOW_TO_HIGH = {"high": (3, 2, 1, 0), "low": (0, 1, 2, 3)}
POLARITIES = tuple(str(p) for p in Polarity)
CI_METHODS = ("Wilson", "exact Poisson", "Byar")


@dataclass(frozen=True, slots=True)
class BenchmarkTables:
    """The four frames of the benchmark table (see the module docstring)."""

    benchmark: pd.DataFrame
    neighbours: pd.DataFrame
    periods: pd.DataFrame
    comparators: pd.DataFrame


def benchmark_tables(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    areas: pd.DataFrame,
    neighbours: pd.DataFrame,
) -> BenchmarkTables:
    """Rank, band and compare every indicator in every period (the benchmark table).

    Args:
        values: The store's ``values`` table.
        indicators: The store's ``indicators`` table (``polarity``, ``value_type``,
            ``multiplier``, ``no_quartile``).
        areas: The store's ``areas`` table.
        neighbours: The store's ``statistical_neighbours`` table (every release in it).

    Returns:
        A ``BenchmarkTables``.

    Notes:
        Units: values, intervals, comparators and neighbour averages in the indicator's unit.
        Polarity: rank 1 is the best (the highest for an indicator with no polarity); bands A
        (best) to D, none without polarity. Ties: competition ranking (1, 1, 3) on the
        published value; tied LAs share a band. Missing values: never ranked or banded;
        competing LAs without a row appear with status ``"no row"``. LAs compete with
        ``eligible_values``' rule and a grace of ``LIFETIME_TOLERANCE_DAYS``; computed
        comparators use the strict rule (no grace), as ``england_value`` does.
    """
    require_columns(values, ["value_status"], what="benchmark_tables")
    cube = build_cube(values, areas)
    meta = _group_meta(cube, indicators)
    compete = competing(cube, areas, published_grace_days=LIFETIME_TOLERANCE_DAYS)
    strict = competing(cube, areas, published_grace_days=0)
    status = symbols(values)  # per values row (comparators only)
    comparators = comparator_table(
        cube,
        areas,
        strict,
        value_type=meta["value_type"],
        multiplier=meta["multiplier"],
        status=status,
    )
    ranked = np.where(compete, cube.value, np.nan)
    rank, tied, n_ranked = _ranks(ranked, meta["polarity"])
    band, breaks, reason = _bands(ranked, meta["polarity"], meta["no_quartile"])
    keep = cube.has_row | compete
    group, column = np.nonzero(keep)
    rows = _rows(cube, values, group, column, compete, rank, tied, n_ranked, band)
    rows = _with_comparisons(rows, cube, areas, comparators, meta, group, column)
    periods = cube.groups.assign(
        n_competing=compete.sum(axis=1),
        n_ranked=n_ranked,
        **{f"q{int(q * 100)}": breaks[:, i] for i, q in enumerate(_QUANTILES)},
        band_reason=reason,
    )
    neighbour_rows = _neighbour_rows(cube, neighbours, rows, group, column, meta)
    return BenchmarkTables(rows, neighbour_rows, periods, comparators.frame)


def _group_meta(cube: Cube, indicators: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each group's polarity, value type, multiplier and no-quartile flag."""
    require_columns(
        indicators,
        ["indicator_id", "polarity", "value_type", "multiplier", "no_quartile"],
        what="benchmark_tables",
    )
    at = pd.Index(indicators["indicator_id"].astype(str)).get_indexer(
        pd.Index(cube.groups["indicator_id"].to_numpy(dtype=object))
    )
    if (at < 0).any():
        raise ValueError("benchmark_tables: values hold indicators missing from indicators")
    polarity = indicators["polarity"].to_numpy(dtype=object).astype(str)[at]
    return {
        "polarity": polarity,
        "polarity_code": np.array([POLARITIES.index(p) for p in polarity], dtype=np.int8),
        "value_type": indicators["value_type"].to_numpy(dtype=object).astype(str)[at],
        "multiplier": pd.to_numeric(indicators["multiplier"]).to_numpy(float, na_value=np.nan)[at],
        "no_quartile": indicators["no_quartile"].to_numpy(dtype=bool)[at],
    }


def _ranks(ranked: np.ndarray, polarity: np.ndarray) -> tuple[np.ndarray, ...]:
    """Competition ranks (0 = not ranked), tie flags and the count ranked, per group (row).

    Row by row this is ``rank_areas``' rule: rank = 1 + the number of strictly better values,
    exact equality a tie; done for all rows at once on each row's sorted values.
    """
    key = np.where((polarity == str(Polarity.LOW_IS_BETTER))[:, None], ranked, -ranked)
    order = np.argsort(key, axis=1, kind="stable")  # NaN last
    ordered = np.take_along_axis(key, order, axis=1)
    width = key.shape[1]
    position = np.broadcast_to(np.arange(width), key.shape)
    starts = np.ones(key.shape, dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    first = np.maximum.accumulate(np.where(starts, position, 0), axis=1)
    ends = np.ones(key.shape, dtype=bool)
    ends[:, :-1] = starts[:, 1:]
    last = np.flip(
        np.minimum.accumulate(np.flip(np.where(ends, position, width), axis=1), axis=1), axis=1
    )
    rank = np.zeros(key.shape, dtype=np.int64)
    tied = np.zeros(key.shape, dtype=bool)
    np.put_along_axis(rank, order, first + 1, axis=1)
    np.put_along_axis(tied, order, last > first, axis=1)
    has = np.isfinite(ranked)
    return np.where(has, rank, 0), has & tied, has.sum(axis=1)


def _quantiles(ranked: np.ndarray, probabilities: tuple[float, ...]) -> np.ndarray:
    """Type-7 quantiles of each row's finite values, bit for bit as ``np.nanquantile``.

    Rows without a finite value give NaN. Vectorised over rows (``np.nanquantile`` along an
    axis loops over them in Python).
    """
    ordered = np.sort(ranked, axis=1)  # NaN last
    n = np.isfinite(ranked).sum(axis=1)
    out = np.full((len(ranked), len(probabilities)), np.nan)
    rows = np.flatnonzero(n > 0)
    size = n[rows].astype(float)
    for k, p in enumerate(probabilities):
        # numpy's "linear" method: virtual index, then its _lerp (exact at integer indexes).
        virtual = size * p + (1 + p * (1 - 1 - 1)) - 1
        below = np.floor(virtual)
        above = np.minimum(below + 1, size - 1)
        gamma = virtual - below
        a = ordered[rows, below.astype(np.int64)]
        b = ordered[rows, above.astype(np.int64)]
        diff = b - a
        value = a + diff * gamma
        value = np.where(gamma >= 0.5, b - diff * (1 - gamma), value)
        out[rows, k] = np.where(a == b, a, value)
    return out


def _bands(
    ranked: np.ndarray, polarity: np.ndarray, no_quartile: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """LAIT quartile bands per group (``quartile_bands``' rule), breaks and reasons.

    The breaks (type-7 quantiles of the ranked values) are given for every group with a
    value, also where there are no bands (no polarity, ``no_quartile``).
    """
    has = np.isfinite(ranked)
    n = has.sum(axis=1)
    reason = np.select(
        [polarity == str(Polarity.NONE), no_quartile, n == 0],
        [
            "no polarity: quartile bands need a better direction",
            "no quartiles: data range is too small (metadata no_quartile)",
            "no LA has a value",
        ],
        default=np.array(None, dtype=object),  # a None (typed as an array numpy accepts)
    ).astype(object)
    breaks = np.full((len(ranked), len(_QUANTILES)), np.nan)
    with_data = np.flatnonzero(n > 0)
    if len(with_data):  # the breaks of every group with data, banded or not (spread, spine)
        breaks[with_data] = _quantiles(ranked[with_data], _QUANTILES)
    band = np.full(ranked.shape, -1, dtype=np.int8)
    banded = np.flatnonzero(pd.isna(reason))
    if len(banded):
        q = breaks[banded]
        sub = ranked[banded]
        quarter = np.select(
            [sub <= q[:, [1]], sub <= q[:, [2]], sub <= q[:, [3]], sub <= q[:, [4]]],
            [0, 1, 2, 3],
            default=-1,
        )
        for pol, letters in _BANDS_LOW_TO_HIGH.items():
            mine = polarity[banded] == pol
            lookup = np.array([*letters, -1], dtype=np.int8)
            picked = lookup[np.where(quarter >= 0, quarter, 4)]
            band[banded[mine]] = np.where(np.isfinite(sub[mine]), picked[mine], -1)
    return band, breaks, reason


def _categorical(codes: np.ndarray, categories: np.ndarray | tuple[str, ...]) -> pd.Categorical:
    """A categorical from integer codes (-1 = missing): strings without per-row objects."""
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(categories), dtype=object))


def _rows(
    cube: Cube,
    values: pd.DataFrame,
    group: np.ndarray,
    column: np.ndarray,
    compete: np.ndarray,
    rank: np.ndarray,
    tied: np.ndarray,
    n_ranked: np.ndarray,
    band: np.ndarray,
) -> pd.DataFrame:
    """The ``benchmark`` rows' own columns (no comparisons yet)."""
    row = cube.row[group, column]
    has_row = row >= 0
    at = np.maximum(row, 0)
    status_code, statuses = pd.factorize(values["value_status"])
    status_code = np.where(has_row, status_code[at], len(statuses))
    level_code, levels = pd.factorize(values["geographic_level"])
    la_level = [*levels].index("Local authority") if "Local authority" in set(levels) else -2
    level_code = np.where(has_row, level_code[at], la_level)
    level_names = [*levels] if la_level >= 0 else [*levels, "Local authority"]
    if la_level < 0:
        level_code[level_code == -2] = len(levels)
    indicator_code, indicator_ids = pd.factorize(cube.groups["indicator_id"], sort=True)
    area_rank = rank[group, column]
    band_code = band[group, column]
    return pd.DataFrame(
        {
            "indicator_id": _categorical(indicator_code[group], np.asarray(indicator_ids)),
            "time_period": cube.groups["time_period"].to_numpy()[group].astype(np.int32),
            "area_code": _categorical(column, cube.area_codes),
            "geographic_level": _categorical(level_code, tuple(level_names)),
            "year_end": cube.groups["year_end"].to_numpy()[group].astype(np.int16),
            "value": cube.value[group, column],
            "value_status": _categorical(status_code, (*statuses, ABSENT_STATUS)),
            "numerator": cube.numerator[group, column],
            "denominator": cube.denominator[group, column],
            "competes": compete[group, column],
            "rank": pd.arrays.IntegerArray(area_rank.astype(np.int16), area_rank <= 0),
            "tied": tied[group, column],
            "n_ranked": n_ranked[group].astype(np.int16),
            "band": _categorical(band_code, _BAND_LETTERS),
        }
    )


def _with_comparisons(
    rows: pd.DataFrame,
    cube: Cube,
    areas: pd.DataFrame,
    comparators: ComparatorTable,
    meta: dict[str, np.ndarray],
    group: np.ndarray,
    column: np.ndarray,
) -> pd.DataFrame:
    """Add intervals, England, the region comparator and the flags against them."""
    lower = np.full(len(rows), np.nan)
    upper = np.full(len(rows), np.nan)
    method = np.full(len(rows), -1, dtype=np.int8)
    value_type, multiplier = meta["value_type"][group], meta["multiplier"][group]
    for kind in (ValueType.PROPORTION, ValueType.RATE):
        of_kind = value_type == str(kind)
        for mult in np.unique(multiplier[of_kind]):
            own = np.flatnonzero(of_kind & (multiplier == mult))
            if not np.isfinite(mult) or not mult > 0 or not len(own):
                continue
            ci = confidence_intervals(
                rows.iloc[own][["value", "numerator", "denominator"]],
                value_type=kind,
                multiplier=float(mult),
            )
            lower[own] = ci["lower"].to_numpy(dtype=float)
            upper[own] = ci["upper"].to_numpy(dtype=float)
            found = ci["ci_method"].to_numpy(dtype=object)
            for i, name in enumerate(CI_METHODS):
                method[own[found == name]] = i
    england = comparators.value[group, comparators.codes.index(ENGLAND_CODE)]
    region_of = dict(
        zip(areas["area_code"].astype(str), areas["region_code"].astype(object), strict=True)
    )
    where = {code: i for i, code in enumerate(comparators.codes)}
    column_region = np.array(
        [
            where.get(r, -1) if isinstance(r := region_of.get(str(c)), str) else -1
            for c in cube.area_codes
        ]
    )
    is_la = (rows["geographic_level"] == "Local authority").to_numpy()
    region_at = np.where(is_la, column_region[column], -1)
    region_value = np.where(
        region_at >= 0, comparators.value[group, np.maximum(region_at, 0)], np.nan
    )
    polarity = _categorical(meta["polarity_code"][group], POLARITIES)
    return rows.assign(
        lower=lower,
        upper=upper,
        ci_method=_categorical(method, CI_METHODS),
        england_value=england,
        vs_england=compare_intervals(lower, upper, england, polarity),
        region_code=_categorical(region_at, comparators.codes),
        region_value=region_value,
        vs_region=compare_intervals(lower, upper, region_value, polarity),
    )


def _neighbour_rows(
    cube: Cube,
    neighbours: pd.DataFrame,
    rows: pd.DataFrame,
    group: np.ndarray,
    column: np.ndarray,
    meta: dict[str, np.ndarray],
) -> pd.DataFrame:
    """``benchmark_neighbours``: each benchmark LA row's neighbour summary, per release."""
    parts = []
    lower = rows["lower"].to_numpy(dtype=float)
    upper = rows["upper"].to_numpy(dtype=float)
    releases = sorted({str(r) for r in neighbours["sn_release"].astype(str)})
    for number, release in enumerate(releases):
        matrix = release_matrix(cube, neighbours, release)
        stats = neighbour_stats(cube, matrix)
        centre_of = np.full(cube.value.shape[1], -1, dtype=np.int64)
        held = matrix.centre_at >= 0
        centre_of[matrix.centre_at[held]] = np.flatnonzero(held)
        centre = centre_of[column]
        take = np.flatnonzero(centre >= 0)
        g, c = group[take], centre[take]
        mean, median = stats.mean[g, c], stats.median[g, c]
        polarity = _categorical(meta["polarity_code"][g], POLARITIES)
        parts.append(
            pd.DataFrame(
                {
                    "row": take,
                    "release": np.full(len(take), number, dtype=np.int8),
                    "n_expected": matrix.n_expected[c].astype(np.int8),
                    "n_with_data": stats.n_with_data[g, c].astype(np.int8),
                    "mean": mean,
                    "median": median,
                    "vs_mean": compare_intervals(lower[take], upper[take], mean, polarity),
                    "vs_median": compare_intervals(lower[take], upper[take], median, polarity),
                }
            )
        )
    both = pd.concat(parts, ignore_index=True)
    order = np.lexsort((both["release"].to_numpy(), both["row"].to_numpy()))
    both = both.take(order).reset_index(drop=True)
    at = both["row"].to_numpy()
    keys = rows[["indicator_id", "time_period", "area_code"]].take(at).reset_index(drop=True)
    return pd.concat(
        [
            keys,
            pd.DataFrame(
                {"sn_release": _categorical(both["release"].to_numpy(), tuple(releases))}
            ),
            both.drop(columns=["row", "release"]),
        ],
        axis=1,
    )


def benchmark_frames(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The benchmark table of a store's tables, as the frames the store writes.

    Args:
        tables: ``values``, ``indicators``, ``areas`` and ``statistical_neighbours``.

    Returns:
        ``benchmark``, ``benchmark_neighbours``, ``benchmark_periods`` and ``comparators``
        (``data.schema.BENCHMARK_SCHEMAS`` columns), each sorted by indicator, period, area.
    """
    built = benchmark_tables(
        tables["values"], tables["indicators"], tables["areas"], tables["statistical_neighbours"]
    )
    periods = built.periods.astype(
        {"n_competing": np.int16, "n_ranked": np.int16, "year_end": np.int16}
    )
    comparators = built.comparators.astype({"n_las": np.int16, "n_las_missing": np.int16})
    return {
        "benchmark": built.benchmark,
        "benchmark_neighbours": built.neighbours,
        "benchmark_periods": periods.assign(time_period=periods["time_period"].astype(np.int32)),
        "comparators": comparators.assign(time_period=comparators["time_period"].astype(np.int32)),
    }
