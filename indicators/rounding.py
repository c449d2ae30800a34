"""DfE-style rounding: halves go away from zero (``dfeR::round_five_up``).

Python's ``round`` and numpy's ``round`` use banker's rounding (``round(2.5) == 2``) and act
on the binary float (``round(0.125, 2) == 0.12``), so they cannot re-derive a published DfE
figure. ``round_half_up`` rounds the shortest decimal representation of the number instead.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

__all__ = ["round_half_up"]


def round_half_up(
    value: float | pd.Series | np.ndarray, decimals: int = 0
) -> float | pd.Series | np.ndarray:
    """Round halves away from zero, as DfE publications do.

    Args:
        value: A number, or a Series/array of numbers (NaN passes through).
        decimals: Decimal places to keep (may be negative: -1 rounds to tens).

    Returns:
        The rounded number(s), same shape and type as ``value`` (floats).

    Raises:
        ValueError: If ``decimals`` is not an integer.

    Notes:
        Units: unchanged. Polarity: not used. Ties: an exact half rounds away from zero
        (2.5 -> 3, -2.5 -> -3), judged on the shortest decimal form of the float (0.125 ->
        0.13 at 2 places). Missing values: NaN and infinities are returned unchanged.

    Examples:
        >>> round_half_up(2.5), round_half_up(-2.5), round_half_up(0.125, 2)
        (3.0, -3.0, 0.13)
    """
    if isinstance(decimals, bool) or not isinstance(decimals, int | np.integer):
        raise ValueError(f"decimals must be an integer, not {decimals!r}")
    if isinstance(value, pd.Series):
        return value.astype(float).map(lambda v: _one(v, int(decimals)))
    if isinstance(value, np.ndarray):
        return np.array([_one(v, int(decimals)) for v in value.astype(float).ravel()]).reshape(
            value.shape
        )
    return _one(float(value), int(decimals))


def _one(value: float, decimals: int) -> float:
    if not math.isfinite(value):
        return value
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))
