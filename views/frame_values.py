"""Plain, typed Python values read out of pandas frames.

pandas-stubs type a cell as any scalar (str, date, NA, ...) and a row's ``to_dict()`` as keyed
by any hashable; the views' frames have string column names and numeric value columns, so
these helpers narrow what the views read to what it really is.
"""

from __future__ import annotations

from typing import Any, SupportsFloat

import pandas as pd

__all__ = ["as_float", "first_record", "record", "records"]


def as_float(value: object) -> float:
    """A numeric cell as a ``float`` (NaN stays NaN); anything not a number raises TypeError.

    >>> as_float(pd.Series([2.5]).iloc[0])
    2.5
    """
    if not isinstance(value, SupportsFloat):
        raise TypeError(f"expected a number, got {value!r}")
    return float(value)


def first_record(frame: pd.DataFrame) -> dict[str, Any] | None:
    """The frame's first row as a ``record`` (None for an empty frame).

    >>> first_record(pd.DataFrame({"area_code": ["E1"], "rank": [3]}))
    {'area_code': 'E1', 'rank': 3}
    """
    return None if frame.empty else record(frame.iloc[0])


def record(row: pd.Series) -> dict[str, Any]:
    """One row of a frame as ``{column name: value}``, values as ``Series.to_dict`` gives them."""
    return {str(column): value for column, value in row.to_dict().items()}


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Every row of a frame as a ``record``, in order (as ``to_dict("records")`` gives them)."""
    return [
        {str(column): value for column, value in row.items()} for row in frame.to_dict("records")
    ]
