"""Better/similar/worse than a benchmark, with FingertipsNext semantics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.schema import Polarity
from indicators import NOT_COMPARED, benchmark_label, compare_to_benchmark
from tests.unit.indicators.builders import assert_inputs_unchanged


def test_ci_entirely_above_england_with_low_is_good_is_worse() -> None:
    assert benchmark_label(70.0, 90.0, 67.0, polarity=Polarity.LOW_IS_BETTER) == "worse"


def test_a_missing_ci_or_benchmark_is_not_compared_never_similar() -> None:
    assert benchmark_label(None, 90.0, 67.0, polarity=Polarity.HIGH_IS_BETTER) == NOT_COMPARED
    assert (
        benchmark_label(60.0, float("nan"), 67.0, polarity=Polarity.HIGH_IS_BETTER) == NOT_COMPARED
    )
    assert benchmark_label(60.0, 70.0, None, polarity=Polarity.HIGH_IS_BETTER) == NOT_COMPARED


def test_no_polarity_keeps_higher_and_lower() -> None:
    assert benchmark_label(70.0, 90.0, 67.0, polarity=Polarity.NONE) == "higher"
    assert benchmark_label(50.0, 60.0, 67.0, polarity=Polarity.NONE) == "lower"


def test_both_benchmark_forms_at_once_is_an_error() -> None:
    frame = pd.DataFrame({"lower": [1.0], "upper": [2.0], "b": [1.5]})
    with pytest.raises(ValueError, match="not both"):
        compare_to_benchmark(
            frame, polarity=Polarity.HIGH_IS_BETTER, benchmark=1.0, benchmark_column="b"
        )


def test_compare_to_benchmark_does_not_mutate_its_input() -> None:
    frame = pd.DataFrame({"lower": [1.0, np.nan], "upper": [2.0, 3.0], "b": [0.5, 1.0]})
    assert_inputs_unchanged(
        compare_to_benchmark, frame, polarity=Polarity.LOW_IS_BETTER, benchmark_column="b"
    )


bounds = st.one_of(st.none(), st.floats(-100, 100, allow_nan=False))


@settings(max_examples=100, deadline=None)
@given(lo=bounds, width=st.floats(0, 50), bench=bounds, polarity=st.sampled_from(list(Polarity)))
def test_frame_version_agrees_with_the_scalar_version(
    lo: float | None, width: float, bench: float | None, polarity: Polarity
) -> None:
    hi = None if lo is None else lo + width
    frame = pd.DataFrame(
        {"lower": [np.nan if lo is None else lo], "upper": [np.nan if hi is None else hi]}
    )
    got = compare_to_benchmark(frame, polarity=polarity, benchmark=bench)["comparison"].iloc[0]
    assert got == benchmark_label(lo, hi, bench, polarity=polarity)
