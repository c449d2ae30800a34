"""How far each LA is from its statistical neighbours, in the neighbours' own spread.

The robust z (a "modified z-score", Iglewicz and Hoaglin 1993; Oflog's "MADs from the
median") of an LA's value against the values of its neighbours with data::

    z = (LA value - neighbours' median) / scale,   scale = 1.4826 x MAD of the neighbours

1.4826 makes the median absolute deviation (MAD) estimate a standard deviation for normal
data, so ``|z| = 1`` reads "one standard deviation of the neighbours from their middle". The
median and the MAD ignore one or two extreme neighbours, which a mean and a standard deviation
over ten values would not.

When the MAD is 0 (more than half of the neighbours share one value: common for rounded
percentages and small counts), the scale falls back to 1.2533 x the mean absolute deviation
from the median, which also estimates a normal standard deviation and is 0 only when every
neighbour has the same value. In that last case z is 0 if the LA has that value too and
undefined otherwise (a reason says why): any finite number would be arbitrary and an infinite
one would top every "most unusual" list for indicators whose values are merely coarse. A
caller that knows the precision of the published values can pass ``min_scale`` (e.g. the
rounding unit) as a floor under the scale; z is then always defined. The spread across all
LAs is deliberately not used as the fallback: it measures something else (how different
kinds of area differ), and one list ranked partly on one scale and partly on another would
not be honest.

Everything works on whole arrays: one row per (LA, indicator, period), the neighbours'
values as a matrix with NaN where a neighbour has no value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from indicators._common import require_int
from indicators._robust import (
    MAD_SCALE,
    MEAN_AD_SCALE,
    own_and_neighbours,
    row_counts,
    row_means,
    row_medians,
)
from indicators.neighbours import NeighbourStatistic, check_statistic

__all__ = [
    "MAD_SCALE",
    "MEAN_AD_SCALE",
    "MIN_NEIGHBOURS",
    "NeighbourDifference",
    "StandardisedDifference",
    "difference_from_neighbours",
    "standardised_difference",
]

#: Default fewest neighbours with data for a z (half of a published group of 10).
MIN_NEIGHBOURS = 5

#: ``scale_method`` values.
SCALE_MAD = "MAD"
SCALE_MEAN_AD = "mean absolute deviation"
SCALE_FLOOR = "minimum scale"


@dataclass(frozen=True, slots=True)
class StandardisedDifference:
    """Robust z of each row's LA value against its neighbours (arrays of equal length n).

    Attributes:
        z: (LA value - median) / scale, dimensionless; NaN where undefined (see ``reason``).
        median: The neighbours' median, in the indicator's unit (NaN if none has data).
        difference: LA value - median, in the indicator's unit (NaN if either is missing).
        mad: The neighbours' median absolute deviation from their median (unscaled, in the
            indicator's unit; NaN if none has data).
        scale: The divisor used, in the indicator's unit (NaN if none has data).
        scale_method: Object array: ``"MAD"`` (1.4826 x MAD), ``"mean absolute
            deviation"`` (1.2533 x mean absolute deviation, when the MAD is 0),
            ``"minimum scale"`` (the caller's floor was larger), or None (no neighbour
            data).
        n_with_data: Neighbours with a finite value (int).
        reason: Object array: None where ``z`` is defined, else why not.
    """

    z: npt.NDArray[np.float64]
    median: npt.NDArray[np.float64]
    difference: npt.NDArray[np.float64]
    mad: npt.NDArray[np.float64]
    scale: npt.NDArray[np.float64]
    scale_method: npt.NDArray[np.object_]
    n_with_data: npt.NDArray[np.int64]
    reason: npt.NDArray[np.object_]


def standardised_difference(
    own: npt.ArrayLike,
    neighbours: npt.ArrayLike,
    *,
    min_neighbours: int = MIN_NEIGHBOURS,
    min_scale: npt.ArrayLike | None = None,
) -> StandardisedDifference:
    """Robust z of each LA's value against its neighbours' values (vectorised).

    Args:
        own: Shape (n,): each row's LA value, in the indicator's unit; NaN (or None, or
            infinity) when not published.
        neighbours: Shape (n, k): the values of that LA's neighbours in the same indicator
            and period, same unit; NaN where a neighbour has no value (also pads a group
            smaller than k). Which release the neighbours come from is the caller's choice
            (the 2025 release is the current one).
        min_neighbours: Fewest neighbours with data for a z (default 5 of 10); below it z
            is NaN with a reason, while ``median`` and ``mad`` are still given.
        min_scale: Optional floor under the scale, in the indicator's unit: a scalar or
            shape (n,) (e.g. the rounding unit of the published values). NaN means no floor.

    Returns:
        A ``StandardisedDifference`` of new arrays.

    Raises:
        ValueError: On mismatched shapes, ``min_neighbours < 1`` or a negative floor.

    Notes:
        Units: ``z`` is dimensionless; the rest in the indicator's unit. Polarity: not used
        (z is signed: positive means above the neighbours; ``direction_from_z`` judges it).
        Ties: a value equal to the median gives z = 0; the MAD falls back to the mean
        absolute deviation when more than half of the neighbours tie, and z is undefined
        when all tie and the LA differs (0 when it ties with them too). Missing values:
        neighbours without a value are left out of the median and spread; no LA value, or
        fewer than ``min_neighbours`` with data, gives NaN with a reason, never 0.

    Examples:
        >>> r = standardised_difference([12.0, 5.0],
        ...     [[8, 9, 10, 11, 12, np.nan], [1, 2, np.nan, np.nan, np.nan, np.nan]])
        >>> [round(float(z), 3) for z in r.z], r.reason.tolist()
        ([1.349, nan], [None, '2 neighbour(s) with data (minimum 5)'])
    """
    own_values, matrix = own_and_neighbours(own, neighbours)
    min_neighbours = require_int(min_neighbours, name="min_neighbours", minimum=1)
    floor = _floor(min_scale, len(own_values))
    counts = row_counts(matrix)
    median = row_medians(matrix, counts)
    deviation = np.abs(matrix - median[:, None])
    mad = row_medians(deviation, counts)
    mean_ad = row_means(deviation, counts)
    spread = np.where(mad > 0, MAD_SCALE * mad, MEAN_AD_SCALE * mean_ad)
    scale = np.where(floor > spread, floor, spread)  # NaN floor: no floor
    method = np.full(len(own_values), None, dtype=object)
    method[counts > 0] = SCALE_MEAN_AD
    method[(counts > 0) & (mad > 0)] = SCALE_MAD
    method[(counts > 0) & (floor > spread)] = SCALE_FLOOR
    difference = own_values - median
    usable = np.isfinite(own_values) & (counts >= min_neighbours)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = difference / scale
    # A zero (or vanishingly small) scale gives an infinite ratio: no z, unless the LA is
    # exactly at the median (0 / 0), which is 0.
    z = np.where(usable & np.isfinite(ratio), ratio, np.nan)
    z = np.where(usable & (scale == 0) & (difference == 0), 0.0, z)
    reason = np.full(len(own_values), None, dtype=object)
    reason[usable & np.isnan(z)] = (
        "the neighbours' values are all equal: no spread to measure against"
    )
    few = np.flatnonzero(counts < min_neighbours)
    reason[few] = [
        f"{n} neighbour(s) with data (minimum {min_neighbours})" for n in counts[few].tolist()
    ]
    reason[~np.isfinite(own_values)] = "no value for the LA"
    return StandardisedDifference(
        z=z,
        median=median,
        difference=difference,
        mad=mad,
        scale=scale,
        scale_method=method,
        n_with_data=counts,
        reason=reason,
    )


@dataclass(frozen=True, slots=True)
class NeighbourDifference:
    """Each row's LA value minus its neighbours' mean or median (arrays of length n).

    Attributes:
        statistic: ``"mean"`` or ``"median"``.
        average: The neighbours' mean or median, in the indicator's unit (NaN below the
            minimum).
        difference: LA value - ``average``, in the indicator's unit (NaN if either is NaN).
        n_with_data: Neighbours with a finite value (int).
    """

    statistic: str
    average: npt.NDArray[np.float64]
    difference: npt.NDArray[np.float64]
    n_with_data: npt.NDArray[np.int64]


def difference_from_neighbours(
    own: npt.ArrayLike,
    neighbours: npt.ArrayLike,
    *,
    statistic: NeighbourStatistic = NeighbourStatistic.MEAN,
    min_neighbours: int = 1,
) -> NeighbourDifference:
    """Plain difference of each LA's value from its neighbours' mean or median (vectorised).

    Args:
        own: Shape (n,): each row's LA value, in the indicator's unit; NaN when missing.
        neighbours: Shape (n, k): the neighbours' values, NaN where missing.
        statistic: ``NeighbourStatistic.MEAN`` (LAIT's unweighted mean of the neighbours
            with data, the default) or ``MEDIAN`` (DfE's CSC dashboard).
        min_neighbours: Fewest neighbours with data for an average (default 1, as LAIT).

    Returns:
        A ``NeighbourDifference`` of new arrays.

    Raises:
        ValueError: On mismatched shapes, a bad ``statistic`` or ``min_neighbours < 1``.

    Notes:
        Units: the indicator's unit. Polarity: not used (signed: positive means above the
        neighbours). Ties: not applicable. Missing values: neighbours without a value are
        left out (LAIT's ``na.rm = TRUE``); none with data, or fewer than
        ``min_neighbours``, gives NaN, never 0.

    Examples:
        >>> d = difference_from_neighbours([10.0], [[4.0, 8.0, np.nan]])
        >>> float(d.average[0]), float(d.difference[0]), int(d.n_with_data[0])
        (6.0, 4.0, 2)
    """
    statistic = check_statistic(statistic)
    own_values, matrix = own_and_neighbours(own, neighbours)
    min_neighbours = require_int(min_neighbours, name="min_neighbours", minimum=1)
    counts = row_counts(matrix)
    summary = (
        row_means(matrix, counts)
        if statistic is NeighbourStatistic.MEAN
        else row_medians(matrix, counts)
    )
    average = np.where(counts >= min_neighbours, summary, np.nan)
    return NeighbourDifference(
        statistic=str(statistic),
        average=average,
        difference=own_values - average,
        n_with_data=counts,
    )


def _floor(min_scale: npt.ArrayLike | None, n: int) -> npt.NDArray[np.float64]:
    """The scale floor per row (NaN: none); ``ValueError`` if negative or mis-shaped."""
    if min_scale is None:
        return np.full(n, np.nan)
    floor = np.array(min_scale, dtype=float)
    if floor.ndim == 0:
        floor = np.full(n, float(floor))
    if floor.shape != (n,):
        raise ValueError(f"min_scale must be a number or have shape ({n},), not {floor.shape}")
    if (floor < 0).any():
        raise ValueError("min_scale must not be negative")
    return floor
