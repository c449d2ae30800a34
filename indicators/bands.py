"""LAIT quartile bands A-D (A is always the best quarter).

LAIT (``calculate_quartile_band()``, ``build_la_stats_table()``): breakpoints are R's default
``quantile(values, na.rm = TRUE)`` (type 7, linear interpolation; pandas ``Series.quantile``
gives the same numbers) over the values of all ranked LAs in the period. Each band is closed
on its upper edge; the lowest band is closed on both edges.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.schema import Polarity
from indicators._common import (
    require_columns,
    require_la_rows,
    require_polarity,
    require_single_period,
    require_unique,
)

__all__ = ["QuartileBands", "quartile_bands"]

#: Band letters from the lowest-value quarter upwards, by polarity.
_BANDS_LOW_TO_HIGH = {
    Polarity.HIGH_IS_BETTER: ("D", "C", "B", "A"),
    Polarity.LOW_IS_BETTER: ("A", "B", "C", "D"),
}


@dataclass(frozen=True, slots=True)
class QuartileBands:
    """Quartile bands of one indicator in one period.

    Attributes:
        bands: One row per input LA: ``area_code``, ``value``, ``band`` ("A".."D", None when
            not banded).
        breaks: ``(Q0, Q25, Q50, Q75, Q100)`` in the indicator's unit, or None.
        ranges: One row per band, A first: ``band``, ``lower``, ``upper``,
            ``lower_inclusive``, ``upper_inclusive``. Empty when there are no bands.
        n_values: LAs with a value (the set the quartiles are computed over).
        reason: Why there are no bands (None when there are).
    """

    bands: pd.DataFrame
    breaks: tuple[float, float, float, float, float] | None
    ranges: pd.DataFrame
    n_values: int
    reason: str | None


def quartile_bands(
    values: pd.DataFrame, *, polarity: Polarity, no_quartile: bool = False
) -> QuartileBands:
    """Assign LAIT quartile bands A-D to LAs on one indicator in one period.

    Args:
        values: One row per eligible LA (see ``eligible_values``) with ``area_code`` and
            ``value`` (the published value, indicator's unit; NaN when not published).
        polarity: ``HIGH_IS_BETTER``: A = (Q75, Q100], B = (Q50, Q75], C = (Q25, Q50],
            D = [Q0, Q25]. ``LOW_IS_BETTER``: A = [Q0, Q25], B = (Q25, Q50],
            C = (Q50, Q75], D = (Q75, Q100]. ``NONE``: no bands (LAIT's "-").
        no_quartile: The metadata flag ``no_quartile``; True gives no bands ("data range is
            too small", as LAIT says).

    Returns:
        A ``QuartileBands``.

    Raises:
        ValueError: If ``polarity`` is not a ``Polarity``, areas repeat, periods or
            indicators are mixed, or non-LA rows are present.

    Notes:
        Units: breakpoints are in the indicator's unit. Polarity: A is always the best
        quarter. Ties: a value equal to a breakpoint falls in the band below it (upper edges
        are closed), so tied LAs always share a band. Missing values: excluded from the
        quartiles and given no band.

    Examples:
        >>> df = pd.DataFrame({"area_code": list("ABCDE"),
        ...                    "value": [10.0, 20.0, 30.0, 40.0, 50.0]})
        >>> quartile_bands(df, polarity=Polarity.HIGH_IS_BETTER).bands["band"].tolist()
        ['D', 'D', 'C', 'B', 'A']
    """
    require_polarity(polarity)
    require_columns(values, ["area_code", "value"], what="quartile_bands")
    require_single_period(values, what="quartile_bands")
    require_unique(values, ["area_code"], what="quartile_bands")
    require_la_rows(values, what="quartile_bands")
    value = pd.to_numeric(values["value"], errors="raise").astype(float)
    present = value.dropna()
    reason = None
    if polarity is Polarity.NONE:
        reason = "no polarity: quartile bands need a better direction"
    elif no_quartile:
        reason = "no quartiles: data range is too small (metadata no_quartile)"
    elif present.empty:
        reason = "no LA has a value"
    empty_ranges = pd.DataFrame(
        {
            "band": pd.Series(dtype=object),
            "lower": pd.Series(dtype=float),
            "upper": pd.Series(dtype=float),
            "lower_inclusive": pd.Series(dtype=bool),
            "upper_inclusive": pd.Series(dtype=bool),
        }
    )
    if reason is not None:
        bands = values[["area_code", "value"]].assign(band=None)
        bands = bands.reset_index(drop=True)
        return QuartileBands(bands, None, empty_ranges, len(present), reason)
    q = present.quantile([0.0, 0.25, 0.5, 0.75, 1.0]).to_numpy(dtype=float)
    letters = _BANDS_LOW_TO_HIGH[polarity]
    # Quarter index 0..3 from the bottom: upper edges closed, Q0 closed.
    quarter = np.select(
        [value <= q[1], value <= q[2], value <= q[3], value <= q[4]], [0, 1, 2, 3], default=-1
    )
    band = pd.Series(
        [letters[i] if i >= 0 else None for i in quarter], index=values.index, dtype=object
    ).where(value.notna(), None)
    ranges = pd.DataFrame(
        {
            "band": list(letters),
            "lower": q[:4],
            "upper": q[1:],
            "lower_inclusive": [True, False, False, False],
            "upper_inclusive": [True, True, True, True],
        }
    )
    ranges = ranges.sort_values("band").reset_index(drop=True)
    bands = values[["area_code", "value"]].assign(band=band)
    breaks = (float(q[0]), float(q[1]), float(q[2]), float(q[3]), float(q[4]))
    return QuartileBands(bands.reset_index(drop=True), breaks, ranges, len(present), None)
