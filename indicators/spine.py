"""Spine-chart positions: many indicators on one scale, England centred, better to the right.

OHID Fingertips draws an area's indicators as rows of a "spine": each row centred on England,
scaled so that the area furthest from the centre reaches the edge, and flipped where lower is
better, so that better is always to the right.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.schema import Polarity
from indicators._common import require_columns

__all__ = ["spine_positions"]

_POSITIONED = ("la_value", "neighbour_value", "minimum", "maximum", "p25", "p75")


def spine_positions(rows: pd.DataFrame) -> pd.DataFrame:
    """Standardise each row's values for a spine chart.

    Args:
        rows: One row per indicator with ``polarity`` and, in the indicator's unit,
            ``england``, ``minimum``, ``p25``, ``median``, ``p75``, ``maximum`` (of the LAs)
            and ``la_value``, ``neighbour_value`` (NaN when missing).

    Returns:
        A new frame: the input plus ``centred_on`` ("England" or "median LA"), ``centre``,
        ``half`` (the scale), ``sign`` (-1 where lower is better) and the dimensionless
        positions ``x_la``, ``x_neighbours``, ``x_min``, ``x_max``, ``x_p25``, ``x_p75``.

    Notes:
        Units: positions are dimensionless (-1..1 for the LAs). Polarity: low-is-better rows
        are flipped; rows without polarity put higher to the right. A row is centred on England
        only when England lies among the LAs (a count's England value is the national total,
        not comparable with one LA): otherwise on the median LA. Ties: not applicable. Missing
        values: a NaN value has a NaN position; a row whose LAs all share one value gets a
        scale of 1.

    Examples:
        >>> rows = pd.DataFrame({"polarity": ["low"], "england": [10.0], "minimum": [5.0],
        ...     "p25": [8.0], "median": [10.0], "p75": [12.0], "maximum": [20.0],
        ...     "la_value": [15.0], "neighbour_value": [np.nan]})
        >>> spine_positions(rows)[["centred_on", "half", "x_la", "x_max"]].to_dict("records")
        [{'centred_on': 'England', 'half': 10.0, 'x_la': -0.5, 'x_max': -1.0}]
    """
    require_columns(rows, ["polarity", "england", "median", *_POSITIONED], what="spine_positions")
    england = rows["england"].astype(float)
    on_england = np.isfinite(england) & (england >= rows["minimum"]) & (england <= rows["maximum"])
    centre = england.where(on_england, rows["median"]).astype(float)
    below = (centre - rows["minimum"]).to_numpy(dtype=float)
    above = (rows["maximum"] - centre).to_numpy(dtype=float)
    half = pd.Series(np.maximum(below, above), index=rows.index)
    half = half.where(half > 0, 1.0)
    sign = np.where(rows["polarity"].astype(str) == str(Polarity.LOW_IS_BETTER), -1.0, 1.0)

    def position(column: str) -> np.ndarray:
        return ((rows[column].astype(float) - centre) * sign / half).to_numpy()

    return rows.assign(
        centred_on=np.where(on_england, "England", "median LA"),
        centre=centre,
        half=half,
        sign=sign,
        x_la=position("la_value"),
        x_neighbours=position("neighbour_value"),
        x_min=position("minimum"),
        x_max=position("maximum"),
        x_p25=position("p25"),
        x_p75=position("p75"),
    )
