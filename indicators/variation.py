"""How widely LAs vary on one indicator: across all LAs and inside each neighbour group.

``spread`` summarises the distribution across LAs (sd, CV, percentiles, IQR, P90/P10);
``spread_within_groups`` does the same inside each LA's statistical-neighbour group. The share
of the variance that lies within neighbour groups is ``indicators.variance_share``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators._groups import check_values, group_members

__all__ = ["Spread", "spread", "spread_within_groups"]


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
        return Spread(0, len(value), *([None] * 12), tuple(notes))
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
    members = group_members(values, neighbours, sn_release)
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
