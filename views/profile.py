"""One LA across every indicator: what is unusual for its neighbours (the LA profile).

For each indicator with a value for the LA in its latest period (``views.la_rows``): the
neighbours' mean or median with how many had data, the difference, the robust z against the
neighbours (``indicators.standardised_difference``: median and 1.4826 x MAD of at least 5
neighbours with data; the published precision, 10^-decimals, as a floor under the scale),
direction words (``direction_from_z``), rank and band, England, and whether the gap to the
neighbours has been closing or widening over the last 3-5 years with a gap
(``indicators.gap_trend``, tolerance a quarter of the across-LA standard deviation in the
latest period).

Rows fall in three kinds, never ranked against each other:

* ``judged``: a better direction is known (polarity high or low) and the value is not a
  count or a total: better / similar / worse;
* ``no polarity``: no better direction: higher / similar / lower, never better or worse;
* ``count``: counts and £ totals (value type "count", or "currency" in plain £), which grow
  with the size of the LA: their z says more about size than about practice. The count
  behind a rate or percentage is shown beside it on the rate's own row (``count`` column).

Order (the page's and the API's): kind, then "most unusual for its neighbours, worse first"
as ``indicators.most_unusual`` orders (worse, then better, then higher/lower, each by |z|
descending, ties by ``indicator_id``), then similar and not compared, each by |z|.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

import indicators as ind
from data.store import Store
from indicators.gap_trend import NOT_ENOUGH
from indicators.neighbour_table import summarise_members
from views.benchmark import Group, comparison_group
from views.indicator_search import MAX_QUERY, matching_ids
from views.la_rows import la_rows
from views.memo import memoised
from views.value_cube import ValueCube, value_cube

__all__ = [
    "DIRECTIONS",
    "KINDS",
    "SCOPES",
    "Headline",
    "ProfileView",
    "filter_profile",
    "group_members",
    "profile_view",
]

JUDGED, NO_POLARITY, COUNT = "judged", "no polarity", "count"
#: Row kinds, in display order.
KINDS = (JUDGED, NO_POLARITY, COUNT)
#: What the page can show: scope -> the kinds it includes.
SCOPES = {
    "judged": (JUDGED,),
    "unjudged": (NO_POLARITY,),
    "counts": (COUNT,),
    "all": KINDS,
}
#: Direction filters: name -> the direction words it keeps ("unusual": |z| >= 2).
DIRECTIONS = {
    "worse": ("worse",),
    "better": ("better",),
    "higher or lower": ("higher", "lower"),
    "similar": ("similar",),
    "not compared": (ind.NOT_COMPARED,),
}
_DIRECTION_ORDER = {"worse": 0, "better": 1, "higher": 2, "lower": 2, "similar": 3}
#: Fraction of the across-LA SD below which a gap or its change is "no difference".
TOLERANCE_SHARE = 0.25
#: Years of gaps a trend uses (the latest ``MAX_YEARS`` with a gap, at least ``MIN_YEARS``).
MAX_YEARS, MIN_YEARS = 5, 3


@dataclass(frozen=True)
class ProfileView:
    """The LA on every indicator with a value in its latest period, sorted (see module).

    ``rows`` columns: ``indicator_id``, ``title``, ``short_title``, ``topic``, ``unit``,
    ``decimals``, ``polarity``, ``value_type``, ``kind``, ``time_period``, ``period_label``,
    ``value``, ``count`` (the numerator behind a rate or percentage, else NaN),
    ``neighbour_value`` (the group's mean or median), ``n_with_data``, ``n_expected``,
    ``difference`` (value - neighbour_value), ``z``, ``z_reason`` (why z is undefined),
    ``direction``, ``unusual`` (|z| >= 2), ``rank``, ``n_ranked``, ``band``,
    ``england_value``, ``trend``, ``trend_from``, ``trend_to`` (years the trend spans) and
    ``gap_change`` (|gap| now - |gap| then on the fitted line, the indicator's unit).
    """

    area_code: str
    la_name: str
    group: Group
    statistic: str
    rows: pd.DataFrame
    n_without_value: int
    """Indicators with no value for the LA in their latest period (not listed)."""

    def kind_counts(self) -> dict[str, int]:
        """Rows of each kind."""
        counts = self.rows["kind"].value_counts()
        return {k: int(counts.get(k, 0)) for k in KINDS}

    def headline(self, kind: str = JUDGED) -> Headline:
        """How many rows of ``kind`` fall on each side of the neighbours, and in each band."""
        rows = self.rows[self.rows["kind"] == kind]
        words = rows["direction"].value_counts()
        unusual = rows.loc[rows["unusual"].to_numpy(dtype=bool), "direction"].value_counts()
        bands = rows["band"].dropna().astype(str).value_counts()
        return Headline(
            n=len(rows),
            directions={str(k): int(v) for k, v in words.items()},
            unusual={str(k): int(v) for k, v in unusual.items()},
            bands={b: int(bands.get(b, 0)) for b in "ABCD"},
        )


@dataclass(frozen=True)
class Headline:
    """Counts of one kind of row.

    ``directions`` and ``unusual`` (|z| >= 2) count rows by direction word, ``bands`` by
    quartile band (A to D).
    """

    n: int
    directions: dict[str, int]
    unusual: dict[str, int]
    bands: dict[str, int]


def group_members(store: Store, group: Group) -> tuple[str, ...]:
    """The comparison group's LA codes in order (none when the LA has no group)."""
    if group.custom:
        return group.custom
    if not group.available:
        return ()
    sn = store.neighbours
    mine = sn[
        (sn["sn_release"].astype(str) == group.sn_release)
        & (sn["area_code"].astype(str) == group.area_code)
    ].sort_values("neighbour_rank")
    return tuple(mine["neighbour_code"].astype(str))


def _kind(value_type: pd.Series, unit: pd.Series, polarity: pd.Series) -> np.ndarray:
    value_type = value_type.astype(str)
    total = (value_type == "count") | ((value_type == "currency") & (unit.str.strip() == "£"))
    judged = polarity.astype(str).isin(["high", "low"])
    return np.where(total, COUNT, np.where(judged, JUDGED, NO_POLARITY)).astype(object)


@memoised
def profile_view(
    store: Store,
    area_code: str,
    sn_release: str,
    statistic: ind.NeighbourStatistic,
    custom: tuple[str, ...] = (),
) -> ProfileView:
    """The profile of one LA against its neighbour release (or a custom group)."""
    group = comparison_group(store, area_code, sn_release, statistic, custom)
    base = la_rows(store, area_code, sn_release, custom)
    has_value = np.isfinite(base["la_value"].to_numpy(dtype=float))
    rows = base[has_value].reset_index(drop=True)
    cube = value_cube(store)
    members = group_members(store, group)
    latest = cube.group_rows(rows["indicator_id"].to_numpy(), rows["time_period"].to_numpy())
    own = rows["la_value"].to_numpy(dtype=float)
    decimals = rows["decimals"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    robust = ind.standardised_difference(
        own,
        cube.take(latest, members) if members else np.full((len(rows), 1), np.nan),
        min_scale=np.where(np.isfinite(decimals), 10.0 ** -np.nan_to_num(decimals), np.nan),
    )
    z_reason: np.ndarray = robust.reason
    if not members:
        z_reason = np.full(len(rows), f"no comparison group in the {sn_release} release")
    average = (
        "neighbour_median" if statistic is ind.NeighbourStatistic.MEDIAN else "neighbour_mean"
    )
    neighbour_value = (
        rows[average].to_numpy(dtype=float) if members else np.full(len(rows), np.nan)
    )
    value_type, unit = rows["value_type"].astype(str), rows["unit"].astype(str)
    proportion = value_type.isin(["proportion", "rate"]).to_numpy()
    out = pd.DataFrame(
        {
            **{
                c: rows[c].to_numpy(dtype=object)
                for c in ("indicator_id", "title", "short_title", "topic", "unit")
            },
            "decimals": rows["decimals"].astype("Float64").fillna(1).astype(int).to_numpy(),
            "polarity": rows["polarity"].astype(str).to_numpy(dtype=object),
            "value_type": value_type.to_numpy(dtype=object),
            "kind": _kind(value_type, unit, rows["polarity"]),
            "time_period": rows["time_period"].to_numpy(dtype=np.int64),
            "period_label": rows["period_label"].to_numpy(dtype=object),
            "value": own,
            "count": np.where(proportion, rows["numerator"].to_numpy(dtype=float), np.nan),
            "neighbour_value": neighbour_value,
            "n_with_data": rows["n_with_data"].to_numpy(dtype=int) if members else 0,
            "n_expected": rows["n_expected"].to_numpy(dtype=int) if members else 0,
            "difference": own - neighbour_value,
            "z": robust.z,
            "z_reason": z_reason,
            "direction": ind.direction_from_z(robust.z, polarity=rows["polarity"].to_numpy()),
            "unusual": np.abs(robust.z) >= ind.UNUSUAL_FROM,
            "rank": _whole(rows["rank"]),
            "n_ranked": _whole(rows["n_ranked"]),
            "band": rows["band"].to_numpy(dtype=object),
            "england_value": rows["england"].to_numpy(dtype=float),
        }
    )
    trends = _trends(store, cube, out, area_code, group, members, latest)
    out = out.merge(trends, on="indicator_id", how="left")
    return ProfileView(
        area_code=area_code,
        la_name=store.area_name(area_code),
        group=group,
        statistic=str(statistic),
        rows=_ordered(out),
        n_without_value=int((~has_value).sum()),
    )


def _whole(column: pd.Series) -> pd.arrays.IntegerArray:
    """Whole numbers held as floats (NaN for none) as a nullable integer array."""
    values = column.to_numpy(dtype=float)
    return pd.array(np.where(np.isfinite(values), values, np.nan), dtype="Int64")


def _ordered(rows: pd.DataFrame) -> pd.DataFrame:
    """Kind, then worse / better / higher-lower / similar / not compared, each by |z|."""
    kind = rows["kind"].map({k: i for i, k in enumerate(KINDS)}).to_numpy()
    direction = rows["direction"].map(_DIRECTION_ORDER).fillna(4).to_numpy()
    abs_z = np.abs(rows["z"].to_numpy(dtype=float))
    order = np.lexsort(
        (
            rows["indicator_id"].astype(str).to_numpy(),
            -np.nan_to_num(abs_z, nan=-1.0),
            direction,
            kind,
        )
    )
    return rows.iloc[order].reset_index(drop=True)


def _trends(
    store: Store,
    cube: ValueCube,
    rows: pd.DataFrame,
    area_code: str,
    group: Group,
    members: tuple[str, ...],
    latest: np.ndarray,
) -> pd.DataFrame:
    """Each indicator's gap trend over its last 3-5 years with a gap, up to its latest period."""
    empty = pd.DataFrame(
        {
            "indicator_id": rows["indicator_id"],
            "trend": NOT_ENOUGH if members else "no comparison group",
            "trend_from": pd.array([pd.NA] * len(rows), dtype="Int64"),
            "trend_to": pd.array([pd.NA] * len(rows), dtype="Int64"),
            "gap_change": np.nan,
        }
    )
    at = cube.columns([area_code])[0]
    if not members or at < 0:
        return empty
    wanted = cube.groups["indicator_id"].isin(set(rows["indicator_id"])).to_numpy()
    cut = pd.Series(rows["time_period"].to_numpy(), index=rows["indicator_id"].to_numpy())
    groups = cube.groups[wanted]
    keep = groups["time_period"].to_numpy() <= cut.loc[groups["indicator_id"]].to_numpy()
    chosen = np.flatnonzero(wanted)[keep]
    average = _group_average(store, cube, group, members, chosen)
    tolerance = pd.Series(
        TOLERANCE_SHARE * np.nan_to_num(cube.spread[latest], nan=0.0),
        index=rows["indicator_id"].to_numpy(),
    )
    gaps = pd.DataFrame(
        {
            "indicator_id": cube.groups["indicator_id"].to_numpy()[chosen],
            "time_period": cube.groups["time_period"].to_numpy()[chosen],
            "year_end": cube.groups["year_end"].to_numpy()[chosen],
            "gap": cube.value[chosen, at] - average,
        }
    )
    # Two periods ending in the same year (e.g. a provisional and a final one): the later.
    gaps = gaps.sort_values(["indicator_id", "time_period"]).drop_duplicates(
        ["indicator_id", "year_end"], keep="last"
    )
    gaps = gaps.assign(tolerance=tolerance.loc[gaps["indicator_id"]].to_numpy())
    trend = ind.gap_trend(
        gaps,
        tolerance="tolerance",
        keys=("indicator_id",),
        max_points=MAX_YEARS,
        min_points=MIN_YEARS,
    )
    fitted = trend["n_points"] >= MIN_YEARS
    return pd.DataFrame(
        {
            "indicator_id": trend["indicator_id"].to_numpy(dtype=object),
            "trend": trend["trend"].to_numpy(dtype=object),
            # Too few years for a trend: no span (a span would read as a fitted trend).
            "trend_from": trend["first_year"].where(fitted).to_numpy(),
            "trend_to": trend["last_year"].where(fitted).to_numpy(),
            "gap_change": trend["abs_gap_change"].to_numpy(dtype=float),
        }
    )


def _group_average(
    store: Store,
    cube: ValueCube,
    group: Group,
    members: tuple[str, ...],
    chosen: npt.NDArray[np.intp],
) -> npt.NDArray[np.float64]:
    """The group's mean or median in each chosen cube group (as the benchmark table has it)."""
    median = group.statistic is ind.NeighbourStatistic.MEDIAN
    if group.custom:
        stats = summarise_members(cube.take(chosen, members))
        return stats.median if median else stats.mean
    bench = store.benchmark
    assert bench is not None
    nb = bench.area_rows("benchmark_neighbours", group.area_code)
    nb = nb[nb["sn_release"].astype(str) == group.sn_release]
    at = cube.group_rows(nb["indicator_id"].astype(str).to_numpy(), nb["time_period"].to_numpy())
    average = np.full(len(cube.groups), np.nan)
    average[at[at >= 0]] = nb["median" if median else "mean"].to_numpy(dtype=float)[at >= 0]
    return average[chosen]


def filter_profile(
    view: ProfileView,
    *,
    scope: str = "judged",
    topic: str | None = None,
    direction: str | None = None,
    indicator_ids: frozenset[str] | None = None,
) -> pd.DataFrame:
    """The view's rows narrowed to a scope (``SCOPES``), a topic, a direction and a set of ids.

    ``direction`` is a key of ``DIRECTIONS`` or ``"unusual"`` (|z| >= 2); None or an unknown
    value keeps every row, as does ``indicator_ids`` None (e.g. no words searched). The order
    is the view's.
    """
    rows = view.rows
    keep = rows["kind"].isin(SCOPES.get(scope, SCOPES["judged"])).to_numpy(copy=True)
    if topic:
        keep &= (rows["topic"] == topic).to_numpy()
    if direction == "unusual":
        keep &= rows["unusual"].to_numpy(dtype=bool)
    elif direction in DIRECTIONS:
        keep &= rows["direction"].isin(DIRECTIONS[direction]).to_numpy()
    if indicator_ids is not None:
        keep &= rows["indicator_id"].isin(indicator_ids).to_numpy()
    return rows[keep].reset_index(drop=True)


def filtered_rows(
    store: Store, view: ProfileView, scope: Any, topic: Any, direction: Any, words: Any
) -> tuple[str, pd.DataFrame]:
    """The scope used and the rows the profile page's filter controls keep (``filter_profile``).

    The controls' values as sent: an unknown scope is ``"judged"``, an unknown topic or a
    direction that is not text none, the words cut to ``MAX_QUERY`` characters.
    """
    scope = scope if scope in SCOPES else "judged"
    rows = filter_profile(
        view,
        scope=scope,
        topic=topic if topic in store.catalogue.topics else None,
        direction=direction if isinstance(direction, str) else None,
        indicator_ids=matching_ids(store, words[:MAX_QUERY] if isinstance(words, str) else None),
    )
    return scope, rows
