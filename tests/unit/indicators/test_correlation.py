"""Any indicator against any other: coefficients, intervals and the pairs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from indicators import correlate_indicators
from tests.unit.indicators.builders import assert_inputs_unchanged, make_values


def _frames(x: np.ndarray, y: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    codes = [f"E0900{i:04d}" for i in range(len(x))]
    return (
        make_values(dict(zip(codes, x, strict=True))),
        make_values(dict(zip(codes, y, strict=True)), time_period=2025),
    )


def test_coefficients_and_p_values_agree_with_scipy() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(0, 1, 150)
    y = 0.4 * x + rng.normal(0, 1, 150)
    y[::7] = np.round(y[::7])  # some ties
    c = correlate_indicators(*_frames(x, y))
    pearson = stats.pearsonr(x, y)
    spearman = stats.spearmanr(x, y)
    assert c.pearson_r == pytest.approx(pearson.statistic)
    assert c.pearson_p == pytest.approx(pearson.pvalue)
    assert c.spearman_rho == pytest.approx(spearman.statistic)
    assert c.spearman_p == pytest.approx(spearman.pvalue)
    low, high = pearson.confidence_interval(0.95)  # scipy's Fisher-z interval
    assert (c.pearson_low, c.pearson_high) == pytest.approx((low, high))


def test_intervals_cover_the_true_correlation() -> None:
    """Coverage over simulated samples: Fisher z (Pearson) and Bonett-Wright (Spearman)."""
    rng = np.random.default_rng(2)
    rho = 0.6
    spearman_true = 6 / np.pi * np.arcsin(rho / 2)  # bivariate normal
    hits_p = hits_s = 0
    for _ in range(200):
        x = rng.normal(size=40)
        y = rho * x + np.sqrt(1 - rho**2) * rng.normal(size=40)
        c = correlate_indicators(*_frames(x, y))
        hits_p += c.pearson_low <= rho <= c.pearson_high
        hits_s += c.spearman_low <= spearman_true <= c.spearman_high
    assert 0.91 <= hits_p / 200 <= 0.985
    assert 0.91 <= hits_s / 200 <= 0.99


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)),
            st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)),
        ),
        max_size=12,
    )
)
def test_any_shape_gives_bounded_coefficients_and_honest_counts(
    pairs: list[tuple[float | None, float | None]],
) -> None:
    codes = [f"A{i}" for i in range(len(pairs))]
    x = make_values({c: p[0] for c, p in zip(codes, pairs, strict=True)})
    y = make_values({c: p[1] for c, p in zip(codes, pairs, strict=True)})
    c = correlate_indicators(x, y)
    both = sum(a is not None and b is not None for a, b in pairs)
    assert c.n == both and c.n_dropped == len(pairs) - both
    assert c.n_missing_x == sum(a is None for a, _ in pairs)
    assert c.n_missing_y == sum(b is None for _, b in pairs)
    for r, low, high in (
        (c.pearson_r, c.pearson_low, c.pearson_high),
        (c.spearman_rho, c.spearman_low, c.spearman_high),
    ):
        if r is None:
            assert low is None and high is None and c.reason is not None
        else:
            assert -1 <= r <= 1
            if low is not None and high is not None:
                assert low <= r + 1e-12 and r <= high + 1e-12


def test_all_equal_one_la_and_all_suppressed() -> None:
    x, y = _frames(np.arange(5.0), np.full(5, 2.0))
    assert correlate_indicators(x, y).pearson_r is None
    one = correlate_indicators(make_values({"A": 1.0}), make_values({"A": 2.0}))
    assert one.n == 1 and one.spearman_rho is None and "at least 3" in (one.reason or "")
    none = correlate_indicators(
        make_values({"A": None, "B": None}, {"A": "c", "B": "c"}), make_values({"A": 1.0})
    )
    assert none.n == 0 and none.n_missing_x == 2 and none.n_missing_y == 1


def test_negative_values_and_monotone_transforms() -> None:
    rng = np.random.default_rng(3)
    x = -rng.gamma(2, 3, 30)
    y = x**3 - 5
    c = correlate_indicators(*_frames(x, y))
    assert c.spearman_rho == pytest.approx(1.0)
    assert c.spearman_low == c.spearman_high == pytest.approx(1.0)
    assert c.pearson_r is not None and c.pearson_r < 1.0


def test_pairs_cover_both_frames_and_inputs_are_untouched() -> None:
    x = make_values({"A": 1.0, "B": 2.0, "C": 3.0, "D": 4.0})
    y = make_values({"B": 1.0, "C": 5.0, "D": 2.0, "E": 9.0})
    c = assert_inputs_unchanged(correlate_indicators, x, y)
    assert c.pairs["area_code"].tolist() == list("ABCDE")
    assert c.pairs["reason"].tolist() == ["no y value", None, None, None, "no x value"]
    assert c.pairs["x_rank"].isna().tolist() == [True, False, False, False, True]


def test_bad_arguments() -> None:
    x = make_values({"A": 1.0})
    with pytest.raises(ValueError, match="confidence"):
        correlate_indicators(x, x, confidence=1.5)
    with pytest.raises(ValueError, match="must be unique"):
        correlate_indicators(pd.concat([x, x]), x)
