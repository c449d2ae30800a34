"""DfE round-half-up."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators import round_half_up
from tests.unit.indicators.builders import assert_inputs_unchanged


def test_the_reliability_golden_cases() -> None:
    assert round_half_up(2.5) == 3
    assert round_half_up(-2.5) == -3
    assert round_half_up(0.125, 2) == 0.13


def test_it_differs_from_bankers_rounding() -> None:
    assert round(2.5) == 2
    assert round_half_up(2.5) == 3
    assert round(0.125, 2) == 0.12
    assert round_half_up(0.125, 2) == 0.13


def test_series_and_arrays_keep_their_shape_and_nan() -> None:
    series = pd.Series([0.5, 1.5, np.nan, -0.5])
    out = assert_inputs_unchanged(round_half_up, series)
    assert out.tolist()[:2] == [1.0, 2.0]
    assert np.isnan(out.iloc[2])
    assert out.iloc[3] == -1.0
    arr = np.array([[1.25, 2.35]])
    assert round_half_up(arr, 1).tolist() == [[1.3, 2.4]]


def test_decimals_must_be_an_integer() -> None:
    with pytest.raises(ValueError, match="decimals"):
        round_half_up(1.0, 1.5)  # type: ignore[arg-type]
