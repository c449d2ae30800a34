"""Words for a robust z: similar, better, worse, higher, lower; and the "most unusual" list.

Thresholds (``docs/methods.md``, section 16):

* **similar**: ``|z| < 1`` (``SIMILAR_WITHIN``): within about one neighbour standard deviation
  of the neighbours' median, where roughly the middle two thirds of them lie;
* otherwise **better**/**worse** by polarity, or **higher**/**lower** for an indicator with
  no polarity (never better or worse);
* **unusual**: ``|z| >= 2`` (``UNUSUAL_FROM``): further out than about 95% of a normal spread
  of neighbours would reach;
* z undefined: **not compared** (never "similar").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from data.schema import Polarity
from indicators._common import require_columns, require_int
from indicators.benchmark import NOT_COMPARED

__all__ = ["SIMILAR_WITHIN", "UNUSUAL_FROM", "direction_from_z", "most_unusual"]

#: |z| below this reads "similar".
SIMILAR_WITHIN = 1.0
#: |z| at or above this reads "unusual".
UNUSUAL_FROM = 2.0

_WORDS = np.array(["better", "worse", "higher", "lower", "similar", NOT_COMPARED], dtype=object)
#: Display order of the words in ``most_unusual`` (worse first).
_WORD_ORDER = {"worse": 0, "better": 1, "higher": 2, "lower": 2}


def direction_from_z(
    z: npt.ArrayLike,
    *,
    polarity: Polarity | Sequence[Polarity | str] | npt.NDArray[np.object_],
    similar_within: float = SIMILAR_WITHIN,
) -> npt.NDArray[np.object_]:
    """Turn robust z values into words, by polarity (vectorised).

    Args:
        z: Shape (n,): robust z of each row (``standardised_difference``), NaN if undefined.
        polarity: One ``Polarity`` for every row, or one per row (``Polarity`` members or
            their values ``"high"``, ``"low"``, ``"none"``, e.g. the ``indicators`` table's
            column).
        similar_within: ``|z|`` below this reads "similar" (default 1).

    Returns:
        A new object array of ``"better"``, ``"worse"``, ``"similar"`` (judged polarity),
        ``"higher"``, ``"lower"``, ``"similar"`` (no polarity) or ``"not compared"``.

    Raises:
        ValueError: On an unknown polarity, mismatched lengths, or a threshold <= 0.

    Notes:
        Units: none. Polarity: high is better turns a positive z into "better", low is
        better into "worse"; none gives "higher"/"lower". Ties: ``|z|`` exactly equal to
        the threshold is not similar. Missing values: NaN z gives "not compared".

    Examples:
        >>> direction_from_z([2.5, -0.4, np.nan], polarity=Polarity.LOW_IS_BETTER).tolist()
        ['worse', 'similar', 'not compared']
    """
    values = np.array(z, dtype=float, copy=True).reshape(-1)
    if not np.isfinite(similar_within) or similar_within <= 0:
        raise ValueError(f"similar_within must be a number > 0, not {similar_within!r}")
    high, low = _polarity_masks(polarity, len(values))
    up = values > 0
    good = (up & high) | (~up & low)
    # Codes into _WORDS: better 0, worse 1, higher 2, lower 3, similar 4, not compared 5.
    code = np.where(high | low, np.where(good, 0, 1), np.where(up, 2, 3))
    code[np.abs(values) < similar_within] = 4
    code[~np.isfinite(values)] = 5
    return _WORDS[code]


def most_unusual(
    rows: pd.DataFrame,
    *,
    n: int = 10,
    min_abs_z: float = UNUSUAL_FROM,
    judged_only: bool = False,
    tie_column: str = "indicator_id",
) -> pd.DataFrame:
    """The rows furthest from their neighbours, worse first (an "unusual for its neighbours" list).

    Args:
        rows: One row per indicator (of one LA and period), with ``z`` (robust z),
            ``direction`` (``direction_from_z``) and ``tie_column``; other columns are kept.
        n: How many rows to keep (the n largest ``|z|``, plus any tied with the n-th).
        min_abs_z: Leave out rows with ``|z|`` below this (default 2, "unusual"; 0 keeps
            every defined z).
        judged_only: Leave out indicators with no polarity ("higher"/"lower").
        tie_column: Breaks ties in ``|z|`` (ascending), so the order is deterministic.

    Returns:
        A new frame of the kept rows plus ``abs_z``, ordered: "worse", then "better", then
        "higher"/"lower"; within each, largest ``|z|`` first, then ``tie_column``.

    Raises:
        ValueError: If a column is missing, ``n < 1`` or ``min_abs_z`` is negative.

    Notes:
        Units: ``abs_z`` dimensionless. Polarity: through ``direction`` only. Ties: every
        row tied with the n-th largest ``|z|`` is kept, so the list may hold more than n.
        Missing values: rows with NaN z ("not compared") are never listed.

    Examples:
        >>> rows = pd.DataFrame({"indicator_id": ["a", "b", "c", "d"],
        ...     "z": [3.0, -4.0, 0.5, np.nan],
        ...     "direction": ["better", "worse", "similar", "not compared"]})
        >>> most_unusual(rows, n=2)["indicator_id"].tolist()
        ['b', 'a']
    """
    require_columns(rows, ["z", "direction", tie_column], what="most_unusual")
    n = require_int(n, name="n", minimum=1)
    if not np.isfinite(min_abs_z) or min_abs_z < 0:
        raise ValueError(f"min_abs_z must be a number >= 0, not {min_abs_z!r}")
    z = pd.to_numeric(rows["z"]).to_numpy(dtype=float, na_value=np.nan)
    abs_z = np.abs(z)
    direction = rows["direction"].to_numpy(dtype=object)
    keep = np.isfinite(abs_z) & (abs_z >= min_abs_z) & (direction != "similar")
    keep &= direction != NOT_COMPARED
    if judged_only:
        keep &= np.isin(direction, ["better", "worse"])
    kept = rows[keep].assign(abs_z=abs_z[keep])
    if len(kept) > n:
        cut = np.sort(kept["abs_z"].to_numpy())[::-1][n - 1]
        kept = kept[kept["abs_z"].to_numpy() >= cut]
    group = kept["direction"].map(_WORD_ORDER).to_numpy()
    order = np.lexsort((kept[tie_column].astype(str).to_numpy(), -kept["abs_z"].to_numpy(), group))
    ordered: pd.DataFrame = kept.iloc[order].reset_index(drop=True)
    return ordered


def _polarity_masks(
    polarity: Polarity | Sequence[Polarity | str] | npt.NDArray[np.object_], n: int
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Boolean masks (high is better, low is better) per row; ``ValueError`` on a bad value."""
    if isinstance(polarity, Polarity):
        return (
            np.full(n, polarity is Polarity.HIGH_IS_BETTER),
            np.full(n, polarity is Polarity.LOW_IS_BETTER),
        )
    if isinstance(polarity, str):
        raise ValueError(
            f"polarity must be a data.schema.Polarity member or one per row, not {polarity!r}"
        )
    codes, uniques = pd.factorize(np.asarray(polarity, dtype=object).reshape(-1))
    if len(codes) != n:
        raise ValueError(f"polarity has {len(codes)} values for {n} z values")
    known = {str(p) for p in Polarity}
    unknown = sorted(str(u) for u in uniques if str(u) not in known or not isinstance(u, str))
    if unknown or (codes < 0).any():
        raise ValueError(f"unknown polarity value(s) {unknown or [None]}; use {sorted(known)}")
    high = np.array([u == Polarity.HIGH_IS_BETTER for u in uniques], dtype=bool)
    low = np.array([u == Polarity.LOW_IS_BETTER for u in uniques], dtype=bool)
    return high[codes], low[codes]
