"""How widely LAs vary: across all LAs, within neighbour groups, and the share within groups.

The 2014 deck's claim "this variation is wide even across areas with similar populations"
becomes a number here: the average variance inside statistical-neighbour groups as a share of
the variance across all LAs.

Neighbour groups overlap (each LA's group is itself plus its 10 neighbours, and an LA sits in
many groups), so a classical one-way ANOVA split does not apply. The decomposition used is

    within_share = mean over groups g of s_g**2  /  s**2

where ``s_g**2`` is the sample variance (ddof 1) of the values in group g and ``s**2`` the
sample variance (ddof 1) of all LAs' values. For a group drawn at random from the LAs, the
sample variance is an unbiased estimate of ``s**2`` (sampling without replacement from a
finite population), so ``within_share`` is about 1 when neighbour groups are no more alike
than random sets of LAs and near 0 when the LAs of a group are alike and the differences lie
between kinds of area. ``between_share = 1 - within_share`` (negative when groups are more
spread out than random sets).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators._common import opt_float, require_int
from indicators._groups import attach_values, check_values, release_rows

__all__ = ["Spread", "VarianceShare", "spread", "spread_within_groups", "variance_within_groups"]


@dataclass(frozen=True, slots=True)
class Spread:
    """Summary of the spread of one indicator across a set of LAs (indicator's unit).

    Attributes:
        n: Values used. ``n_missing``: rows without a value.
        mean, sd: Mean and sample standard deviation (ddof 1; None when n < 2).
        cv: Coefficient of variation ``sd / mean`` (None when the mean is <= 0 or sd None).
        minimum, p10, p25, median, p75, p90, maximum: Percentiles (type 7, linear).
        iqr: ``p75 - p25``.
        p90_p10_ratio: ``p90 / p10``; None when ``p10 <= 0`` (see ``notes``).
        notes: Why a measure is undefined, e.g. ``"P90/P10 undefined: P10 is 0 or below"``.
    """

    n: int
    n_missing: int
    mean: float | None
    sd: float | None
    cv: float | None
    minimum: float | None
    p10: float | None
    p25: float | None
    median: float | None
    p75: float | None
    p90: float | None
    maximum: float | None
    iqr: float | None
    p90_p10_ratio: float | None
    notes: tuple[str, ...]


def spread(values: pd.DataFrame) -> Spread:
    """Summarise how widely LAs vary on one indicator in one period.

    Args:
        values: One row per LA (select them with ``eligible_values``) with ``value`` in the
            indicator's unit (NaN when not published).

    Returns:
        A ``Spread``.

    Raises:
        ValueError: If ``value`` or ``area_code`` is missing, or areas or periods repeat.

    Notes:
        Units: all measures in the indicator's unit except ``cv`` and ``p90_p10_ratio``
        (dimensionless ratios). Polarity: not used. Ties: not applicable. Missing values:
        excluded and counted in ``n_missing``. A ratio with a non-positive denominator is
        never computed: it is None with a note.

    Examples:
        >>> df = pd.DataFrame({"area_code": list("ABCDE"),
        ...                    "value": [10.0, 20.0, 30.0, 40.0, None]})
        >>> s = spread(df)
        >>> s.n, s.median, s.iqr, round(s.p90_p10_ratio, 3)
        (4, 25.0, 15.0, 2.846)
    """
    check_values(values, "spread")
    value = pd.to_numeric(values["value"]).astype(float)
    present = value[np.isfinite(value)]
    n = len(present)
    notes: list[str] = []
    if n == 0:
        notes.append("no LA has a value")
        return Spread(0, len(value), *((None,) * 12), notes=tuple(notes))
    q = present.quantile([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]).to_numpy(dtype=float)
    mean = float(present.mean())
    sd = float(present.std(ddof=1)) if n >= 2 else None
    if sd is None:
        notes.append("sd and cv undefined: fewer than 2 values")
    cv = None
    if sd is not None:
        if mean > 0:
            cv = sd / mean
        else:
            notes.append("cv undefined: the mean is 0 or below")
    ratio = None
    if q[1] > 0:
        ratio = float(q[5] / q[1])
    else:
        notes.append("P90/P10 undefined: P10 is 0 or below")
    return Spread(
        n=n,
        n_missing=len(value) - n,
        mean=mean,
        sd=sd,
        cv=cv,
        minimum=float(q[0]),
        p10=float(q[1]),
        p25=float(q[2]),
        median=float(q[3]),
        p75=float(q[4]),
        p90=float(q[5]),
        maximum=float(q[6]),
        iqr=float(q[4] - q[2]),
        p90_p10_ratio=ratio,
        notes=tuple(notes),
    )


def spread_within_groups(
    values: pd.DataFrame, neighbours: pd.DataFrame, *, sn_release: str
) -> pd.DataFrame:
    """Spread inside each LA's neighbour group (the LA plus its neighbours).

    Args:
        values: One row per LA for one indicator and period; ``value`` in its unit.
        neighbours: The store's ``statistical_neighbours`` table.
        sn_release: Neighbour release (any published one, e.g. ``"2025"``).

    Returns:
        A new frame, one row per group (named by its centre ``area_code``): ``n_members``,
        ``n`` (members with a value), ``mean``, ``sd`` (ddof 1), ``variance``, ``cv``,
        ``minimum``, ``p25``, ``median``, ``p75``, ``maximum``, ``iqr``, ``range``.

    Raises:
        ValueError: On an unknown release, repeated areas or mixed periods.

    Notes:
        Units: the indicator's unit (``variance`` in its square; ``cv`` dimensionless, NaN
        when the mean is <= 0). Polarity: not used. Ties: not applicable. Missing values:
        members without a value (including abolished LAs) are left out; ``sd``/``variance``
        are NaN with fewer than 2 values.

    Examples:
        >>> sn = pd.DataFrame({"sn_release": "2025", "area_code": ["A", "A"],
        ...     "neighbour_rank": [1, 2], "neighbour_code": ["B", "C"], "closeness": None})
        >>> v = pd.DataFrame({"area_code": ["A", "B", "C"], "value": [1.0, 3.0, 5.0]})
        >>> spread_within_groups(v, sn, sn_release="2025")[["area_code", "n", "sd", "range"]]
          area_code  n   sd  range
        0         A  3  2.0    4.0
    """
    check_values(values, "spread_within_groups")
    members = _group_members(values, neighbours, sn_release)
    grouped = members.groupby("area_code", sort=True)["value"]
    q = {p: grouped.quantile(p) for p in (0.0, 0.25, 0.5, 0.75, 1.0)}
    mean = grouped.mean()
    sd = grouped.std(ddof=1)
    out = pd.DataFrame(
        {
            "area_code": mean.index.astype(str),
            "n_members": grouped.size().to_numpy(),
            "n": grouped.count().to_numpy(),
            "mean": mean.to_numpy(),
            "sd": sd.to_numpy(),
            "variance": (sd**2).to_numpy(),
            "minimum": q[0.0].to_numpy(),
            "p25": q[0.25].to_numpy(),
            "median": q[0.5].to_numpy(),
            "p75": q[0.75].to_numpy(),
            "maximum": q[1.0].to_numpy(),
        }
    )
    cv = (out["sd"] / out["mean"]).where(out["mean"] > 0)
    return out.assign(cv=cv, iqr=out["p75"] - out["p25"], range=out["maximum"] - out["minimum"])


@dataclass(frozen=True, slots=True)
class VarianceShare:
    """How much of the variation across LAs lies within neighbour groups.

    Attributes:
        sn_release: The neighbour release used.
        n_las: LAs with a value. ``total_variance``: their sample variance (ddof 1, unit²).
        n_groups: Groups with at least ``min_members`` values.
        mean_within_variance: Mean of those groups' sample variances (unit²).
        within_share: ``mean_within_variance / total_variance`` (None when undefined).
        between_share: ``1 - within_share``.
        interpretation: A sentence for readers.
    """

    sn_release: str
    n_las: int
    total_variance: float | None
    n_groups: int
    mean_within_variance: float | None
    within_share: float | None
    between_share: float | None
    interpretation: str


def variance_within_groups(
    values: pd.DataFrame,
    neighbours: pd.DataFrame,
    *,
    sn_release: str,
    min_members: int = 3,
) -> VarianceShare:
    """Share of the variance across LAs that lies within statistical-neighbour groups.

    Args:
        values: One row per LA for one indicator and period (``eligible_values``); the set
            of LAs the total variance is computed over.
        neighbours: The store's ``statistical_neighbours`` table.
        sn_release: Neighbour release (any published one, e.g. ``"2025"``).
        min_members: Groups with fewer values than this are left out (at least 2).

    Returns:
        A ``VarianceShare`` (see the module docstring for the definition and reading).

    Raises:
        ValueError: On an unknown release, repeated areas, mixed periods or
            ``min_members < 2``.

    Notes:
        Units: variances in the indicator's unit squared; shares dimensionless. Polarity:
        not used. Ties: not applicable. Missing values: LAs without a value are left out of
        both the total and their groups; groups below ``min_members`` values are dropped.
        Only members present in ``values`` count, so neighbours that are not current LAs
        never enter the calculation.

    Examples:
        >>> sn = pd.DataFrame({"sn_release": "2025",
        ...     "area_code": ["A", "A", "B", "B", "C", "C", "D", "D"],
        ...     "neighbour_rank": [1, 2] * 4,
        ...     "neighbour_code": ["B", "C", "A", "C", "A", "B", "A", "B"],
        ...     "closeness": None})
        >>> v = pd.DataFrame({"area_code": list("ABCD"), "value": [1.0, 2.0, 3.0, 10.0]})
        >>> share = variance_within_groups(v, sn, sn_release="2025")
        >>> share.n_groups, round(share.within_share, 3)
        (4, 0.41)
    """
    min_members = require_int(min_members, name="min_members", minimum=2)
    check_values(values, "variance_within_groups")
    value = pd.to_numeric(values["value"]).astype(float)
    present = value[np.isfinite(value)]
    members = _group_members(values, neighbours, sn_release)
    grouped = members.groupby("area_code")["value"]
    counts = grouped.count()
    variances = grouped.var(ddof=1)[counts >= min_members]
    total = float(present.var(ddof=1)) if len(present) >= 2 else None
    mean_within = opt_float(variances.mean()) if len(variances) else None
    share = None
    if total is not None and total > 0 and mean_within is not None:
        share = mean_within / total
    return VarianceShare(
        sn_release=str(sn_release),
        n_las=len(present),
        total_variance=total,
        n_groups=len(variances),
        mean_within_variance=mean_within,
        within_share=share,
        between_share=None if share is None else 1.0 - share,
        interpretation=_interpret(share, total, len(variances)),
    )


def _group_members(values: pd.DataFrame, neighbours: pd.DataFrame, release: str) -> pd.DataFrame:
    """Each LA's group (itself plus its neighbours) with values, restricted to ``values``."""
    group = release_rows(neighbours, str(release))
    centres = group.drop_duplicates("area_code")
    selves = centres.assign(neighbour_rank=0, neighbour_code=centres["area_code"])
    both = pd.concat([selves, group], ignore_index=True)
    members = attach_values(both, values)
    present = set(values["area_code"].astype(str))
    members = members[members["neighbour_code"].isin(present)]
    return members[["area_code", "neighbour_code", "value"]]


def _interpret(share: float | None, total: float | None, n_groups: int) -> str:
    if n_groups == 0 or total is None:
        return "not enough data to compare variation within and between neighbour groups"
    if share is None:
        return "all LAs have the same value: there is no variation to divide"
    pct = f"{share:.0%}"
    if share >= 0.8:
        reading = (
            "similar areas vary almost as much as all LAs do: the variation is wide even "
            "across areas with similar populations"
        )
    elif share >= 0.5:
        reading = (
            "similar areas vary less than all LAs, but most of the variation remains "
            "within groups of similar areas"
        )
    else:
        reading = "most of the variation lies between kinds of area rather than within them"
    return (
        f"The average variance within a neighbour group is {pct} of the variance across "
        f"all LAs (about 100% if groups were random sets of LAs): {reading}."
    )
