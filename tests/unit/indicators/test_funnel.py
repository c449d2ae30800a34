"""Funnel limits: Wilson and exact Poisson inversions, widening, over-dispersion, labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from data.schema import ValueType
from indicators import funnel_limits, funnel_plot, wilson_interval
from indicators.funnel import UNADJUSTED_LABEL
from tests.unit.indicators.builders import assert_inputs_unchanged


@pytest.mark.parametrize("n", [20, 100, 1000, 25_000])
@pytest.mark.parametrize("target", [5.0, 50.0, 93.0])
def test_proportion_limits_are_where_the_wilson_interval_touches_the_target(
    n: int, target: float
) -> None:
    lim = funnel_limits([n], target=target, value_type=ValueType.PROPORTION, multiplier=100)
    t = target / 100
    # When even 0% (or 100%) is not significantly different, the limit sits at the bound.
    if wilson_interval(n, n).lower < t:
        upper = 1.0
    else:
        upper = optimize.brentq(lambda p: wilson_interval(p * n, n).lower - t, t, 1)
    if wilson_interval(0, n).upper > t:
        lower = 0.0
    else:
        lower = optimize.brentq(lambda p: wilson_interval(p * n, n).upper - t, 0, t)
    assert lim.loc[0, "upper_95"] == pytest.approx(100 * upper, abs=1e-6)
    assert lim.loc[0, "lower_95"] == pytest.approx(100 * lower, abs=1e-6)


@pytest.mark.parametrize("count", [3, 10, 57])
def test_rate_upper_limit_at_an_integer_count_matches_the_poisson_tail(count: int) -> None:
    # Choose the target so that the upper 95% limit is exactly `count` per 1,000: the expected
    # count m with P(X >= count | m) = 0.025.
    m = optimize.brentq(lambda mu: stats.poisson.sf(count - 1, mu) - 0.025, 1e-6, 200)
    lim = funnel_limits([1000], target=m * 10, value_type=ValueType.RATE, multiplier=10_000)
    assert lim.loc[0, "upper_95"] == pytest.approx(count * 10, abs=1e-4)


def test_limits_widen_monotonically_as_the_denominator_falls() -> None:
    n = np.geomspace(50, 100_000, 40)
    for value_type, target, mult in [
        (ValueType.PROPORTION, 30.0, 100),
        (ValueType.RATE, 67.0, 10_000),
    ]:
        lim = funnel_limits(n, target=target, value_type=value_type, multiplier=mult)
        for side in ("upper_95", "upper_998"):
            assert (np.diff(lim[side]) <= 1e-9).all()
        for side in ("lower_95", "lower_998"):
            assert (np.diff(lim[side]) >= -1e-9).all()
        assert (lim["lower_998"] <= lim["lower_95"]).all()
        assert (lim["upper_95"] <= lim["upper_998"]).all()


def _las(values: dict[str, tuple[float, float]], england: float | None = 67.0) -> pd.DataFrame:
    rows = [
        {
            "area_code": c,
            "geographic_level": "Local authority",
            "value": 1e4 * x / n,
            "numerator": x,
            "denominator": n,
        }
        for c, (x, n) in values.items()
    ]
    if england is not None:
        rows.append(
            {
                "area_code": "E92000001",
                "geographic_level": "National",
                "value": england,
                "numerator": np.nan,
                "denominator": np.nan,
            }
        )
    return pd.DataFrame(rows)


def test_a_small_la_inside_wide_limits_is_not_flagged() -> None:
    # City of London 2021: 20 children in 654 (306 per 10,000) against England 67.
    f = funnel_plot(
        _las({"E09000001": (20, 654), "E08000025": (2400, 280_000)}),
        value_type=ValueType.RATE,
        multiplier=10_000,
    )
    pos = f.points.set_index("area_code")["position"]
    assert pos["E09000001"] == "above 99.8% limit"  # 306 is far outside even City's wide funnel
    f2 = funnel_plot(_las({"E09000001": (6, 654)}), value_type=ValueType.RATE, multiplier=10_000)
    assert f2.points.loc[0, "position"] == "within 95% limits"  # 92 per 10,000 is noise here
    assert f.target_source == "England (published)"
    assert f.method == UNADJUSTED_LABEL


def test_overdispersion_switch_widens_limits_and_changes_flags() -> None:
    rng = np.random.default_rng(12)
    n = rng.integers(20_000, 300_000, 150).astype(float)
    true_rate = rng.normal(67, 20, 150).clip(10) / 1e4
    x = rng.poisson(true_rate * n).astype(float)
    frame = _las({f"L{i:03d}": (x[i], n[i]) for i in range(150)})
    plain = funnel_plot(frame, value_type=ValueType.RATE, multiplier=10_000)
    adjusted = funnel_plot(
        frame, value_type=ValueType.RATE, multiplier=10_000, adjust_overdispersion=True
    )
    outside_plain = (plain.points["position"] != "within 95% limits").mean()
    outside_adj = (adjusted.points["position"] != "within 95% limits").mean()
    assert outside_plain > 0.5  # Poisson limits: most LAs "outside"
    assert outside_adj < 0.15
    assert adjusted.tau2 is not None
    assert adjusted.tau2 > 0
    assert adjusted.method.startswith("random-effects limits")
    assert plain.method == "Poisson/binomial limits, no over-dispersion adjustment"
    # tau2 is roughly the true between-LA variance (20 per 10,000)^2 = 400
    assert 200 < adjusted.tau2 < 700


def test_no_overdispersion_gives_tau2_zero_and_says_so() -> None:
    n = np.full(60, 100_000.0)
    x = np.full(60, 670.0)
    frame = _las({f"L{i:03d}": (x[i], n[i]) for i in range(60)})
    f = funnel_plot(
        frame, value_type=ValueType.RATE, multiplier=10_000, adjust_overdispersion=True
    )
    assert f.tau2 == 0
    assert "no over-dispersion detected" in f.method


def test_target_falls_back_to_the_pooled_las_and_rows_without_counts_are_listed() -> None:
    frame = _las({"A": (10, 100), "B": (30, 100)}, england=None)
    frame.loc[len(frame)] = {
        "area_code": "C",
        "geographic_level": "Local authority",
        "value": 5.0,
        "numerator": np.nan,
        "denominator": np.nan,
    }
    f = funnel_plot(frame, value_type=ValueType.PROPORTION, multiplier=100)
    assert f.target == pytest.approx(20.0)
    assert f.target_source == "pooled value of the plotted LAs"
    assert list(f.not_plotted["area_code"]) == ["C"]


def test_arguments_are_validated() -> None:
    with pytest.raises(ValueError, match="denominators"):
        funnel_limits([0], target=5, value_type=ValueType.RATE, multiplier=1e4)
    with pytest.raises(ValueError, match="proportion or rate"):
        funnel_limits([10], target=5, value_type=ValueType.MEAN, multiplier=1)
    with pytest.raises(ValueError, match="within 0 and"):
        funnel_limits([10], target=150, value_type=ValueType.PROPORTION, multiplier=100)
    with pytest.raises(ValueError, match="winsor"):
        funnel_plot(
            _las({"A": (1, 10)}), value_type=ValueType.RATE, multiplier=1e4, winsor_fraction=0.5
        )


def test_funnel_functions_do_not_mutate_their_inputs() -> None:
    frame = _las({"A": (10, 1000), "B": (30, 2000), "C": (5, 700)})
    assert_inputs_unchanged(
        funnel_plot,
        frame,
        value_type=ValueType.RATE,
        multiplier=10_000,
        adjust_overdispersion=True,
    )
    den = np.array([100.0, 200.0])
    assert_inputs_unchanged(
        funnel_limits, den, target=50.0, value_type=ValueType.PROPORTION, multiplier=100
    )
