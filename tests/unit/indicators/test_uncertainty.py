"""Wilson and Byar/exact intervals: golden values to 1e-4, checked by independent routes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from data.schema import ValueType
from indicators import BYAR_MIN_COUNT, confidence_intervals, rate_interval, wilson_interval
from tests.unit.indicators.builders import assert_inputs_unchanged

Z = 1.959964


@pytest.mark.parametrize(
    ("x", "n", "lower", "upper"),
    [(5, 25, 0.0886, 0.3913), (0, 20, 0.0, 0.1611), (20, 20, 0.8389, 1.0)],
)
def test_wilson_golden_values(x: int, n: int, lower: float, upper: float) -> None:
    ci = wilson_interval(x, n)
    assert ci.lower == pytest.approx(lower, abs=1e-4)
    assert ci.upper == pytest.approx(upper, abs=1e-4)


def test_wilson_bounds_are_where_the_score_test_just_rejects() -> None:
    # Independent route: the Wilson bounds p solve (x/n - p)^2 = z^2 p (1 - p) / n.
    x, n = 7, 31
    ci = wilson_interval(x, n)
    score = lambda p: (x / n - p) ** 2 - Z**2 * p * (1 - p) / n  # noqa: E731
    assert ci.lower == pytest.approx(optimize.brentq(score, 1e-9, x / n), abs=1e-6)
    assert ci.upper == pytest.approx(optimize.brentq(score, x / n, 1 - 1e-9), abs=1e-6)


def _exact_by_poisson_tails(x: int, alpha: float) -> tuple[float, float]:
    """Exact Poisson limits from the Poisson tails (not the chi-square quantiles)."""
    upper = optimize.brentq(lambda m: stats.poisson.cdf(x, m) - alpha / 2, 1e-9, 100 + 10 * x)
    lower = (
        0.0
        if x == 0
        else optimize.brentq(lambda m: stats.poisson.sf(x - 1, m) - alpha / 2, 1e-9, 100 + 10 * x)
    )
    return lower, upper


@pytest.mark.parametrize(
    ("x", "n", "lower", "upper"),
    [
        (0, 1000, 0.0, 36.89),
        (5, 1000, 16.23, 116.68),
        (9, 1000, 41.15, 170.85),
        (10, 1000, 47.87, 183.91),
        (20, 654, 186.7, 472.3),
        (458, 52489, 79.4, 95.6),  # RELIABILITY.md prints 79.5: a rounding slip (79.447)
    ],
)
def test_rate_golden_values(x: int, n: int, lower: float, upper: float) -> None:
    ci = rate_interval(x, n)
    decimals = len(str(lower).split(".")[1])
    assert round(ci.lower, decimals) == pytest.approx(lower)
    assert round(ci.upper, len(str(upper).split(".")[1])) == pytest.approx(upper)


@pytest.mark.parametrize("x", [0, 1, 5, 9])
@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_exact_interval_agrees_with_poisson_tails_to_1e4(x: int, confidence: float) -> None:
    ci = rate_interval(x, 1000, confidence=confidence, multiplier=1000)
    lower, upper = _exact_by_poisson_tails(x, 1 - confidence)
    assert ci.method == "exact Poisson"
    assert ci.lower == pytest.approx(lower, abs=1e-4)
    assert ci.upper == pytest.approx(upper, abs=1e-4)


@pytest.mark.parametrize(("x", "n"), [(10, 1000), (20, 654), (458, 52489)])
def test_byar_agrees_with_its_formula_to_1e4(x: int, n: int) -> None:
    lower = x * (1 - 1 / (9 * x) - Z / (3 * np.sqrt(x))) ** 3 / n * 1e4
    upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + Z / (3 * np.sqrt(x + 1))) ** 3 / n * 1e4
    ci = rate_interval(x, n)
    assert ci.method == "Byar"
    assert (ci.lower, ci.upper) == pytest.approx((lower, upper), abs=1e-4)


def test_switch_from_exact_to_byar_is_exactly_at_ten() -> None:
    assert BYAR_MIN_COUNT == 10
    assert rate_interval(9.999, 1000).method == "exact Poisson"
    assert rate_interval(10, 1000).method == "Byar"


def test_impossible_counts_raise_and_zero_denominators_give_a_reason() -> None:
    with pytest.raises(ValueError, match="exceeds"):
        wilson_interval(6, 5)
    with pytest.raises(ValueError, match=">= 0"):
        rate_interval(-1, 10)
    with pytest.raises(ValueError, match="confidence"):
        wilson_interval(1, 5, confidence=0.5)
    zero = wilson_interval(0, 0)
    assert (zero.lower, zero.upper, zero.reason) == (None, None, "denominator is 0")
    assert rate_interval(3, 0).reason == "population is 0"


def test_frame_version_agrees_with_the_scalar_functions() -> None:
    frame = pd.DataFrame(
        {"numerator": [0.0, 5, 9, 10, 458], "denominator": [1000.0, 1000, 1000, 1000, 52489]}
    )
    out = confidence_intervals(
        frame, value_type=ValueType.RATE, multiplier=10_000, confidence=0.998
    )
    for row in out.itertuples():
        ci = rate_interval(row.numerator, row.denominator, confidence=0.998)
        assert (row.lower, row.upper, row.ci_method) == (
            pytest.approx(ci.lower),
            pytest.approx(ci.upper),
            ci.method,
        )


def test_confidence_intervals_does_not_mutate_its_input() -> None:
    frame = pd.DataFrame({"numerator": [5.0, np.nan], "denominator": [25.0, 10]})
    assert_inputs_unchanged(
        confidence_intervals, frame, value_type=ValueType.PROPORTION, multiplier=100
    )
    with pytest.raises(ValueError, match="multiplier"):
        confidence_intervals(frame, value_type=ValueType.PROPORTION, multiplier=None)
