"""The typed readers of frame cells and rows used by the views."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest

import views.frame_values
from views.frame_values import as_float, first_record, record, records


def test_the_doctests_run() -> None:
    result = doctest.testmod(views.frame_values)
    assert result.attempted >= 2 and result.failed == 0


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(np.float64(2.5), 2.5), (np.int16(7), 7.0), (3, 3.0), (np.True_, 1.0)],
)
def test_a_numeric_cell_is_a_plain_float(cell: object, expected: float) -> None:
    out = as_float(cell)
    assert type(out) is float and out == expected


def test_nan_stays_nan() -> None:
    assert math.isnan(as_float(pd.Series([1.0, np.nan]).iloc[1]))


@pytest.mark.parametrize("cell", [pd.NA, None, "1.5", pd.NaT])
def test_a_cell_that_is_not_a_number_raises(cell: object) -> None:
    with pytest.raises(TypeError, match="expected a number"):
        as_float(cell)


def test_a_row_is_keyed_by_column_name_with_python_values() -> None:
    frame = pd.DataFrame({"area_code": ["E1", "E2"], "rank": [3, 1], "value": [0.5, 0.25]})
    row = first_record(frame)
    assert row == {"area_code": "E1", "rank": 3, "value": 0.5}
    assert row is not None and type(row["rank"]) is int  # as Series.to_dict boxes a mixed row
    assert record(frame.iloc[1])["area_code"] == "E2"
    assert records(frame) == frame.to_dict("records")


def test_an_empty_frame_has_no_first_record() -> None:
    assert first_record(pd.DataFrame({"area_code": pd.Series([], dtype=object)})) is None
    assert records(pd.DataFrame({"a": []})) == []
