"""Level vs improvement: the fit, Oldham's check and the noise-only null."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from data.schema import Polarity
from indicators import level_vs_improvement
from tests.unit.indicators.builders import assert_inputs_unchanged


def _panel(
    seed: int, *, n_las: int = 150, noise: float = 4.0, link: float = 0.0, years: int = 6
) -> pd.DataFrame:
    """True level ~ N(60, 8); true trend = 0.5 + link * (level - 60) + N(0, 0.3); plus noise."""
    rng = np.random.default_rng(seed)
    level = rng.normal(60, 8, n_las)
    trend = 0.5 + link * (level - 60) + rng.normal(0, 0.3, n_las)
    t = np.arange(years)
    y = level[:, None] + trend[:, None] * t[None, :] + rng.normal(0, noise, (n_las, years))
    codes = [f"E0600{i:04d}" for i in range(n_las)]
    return pd.DataFrame(
        {
            "area_code": np.repeat(codes, years),
            "year_end": np.tile(2019 + t, n_las),
            "value": y.ravel(),
        }
    )


def test_fit_matches_linregress_on_the_points() -> None:
    res = level_vs_improvement(_panel(1), polarity=Polarity.HIGH_IS_BETTER, n_draws=0)
    pts = res.points[res.points["included"]]
    ref = stats.linregress(pts["start_level"], pts["change_per_year"])
    assert res.fit is not None
    assert res.fit.slope == pytest.approx(ref.slope)
    half = stats.t.ppf(0.975, len(pts) - 2) * ref.stderr
    assert (res.fit.slope_ci_low, res.fit.slope_ci_high) == pytest.approx(
        (ref.slope - half, ref.slope + half)
    )
    assert res.fit.p_value == pytest.approx(ref.pvalue)


def test_noise_alone_makes_a_negative_slope_that_the_null_explains() -> None:
    # No true link between level and trend, but noisy single-year starting levels:
    # regression to the mean alone gives a clearly negative slope.
    res = level_vs_improvement(_panel(2, noise=6.0), polarity=Polarity.HIGH_IS_BETTER, seed=1)
    assert res.fit is not None
    assert res.null is not None
    assert res.fit.slope_ci_high < 0  # "significant" on its own
    assert res.null.expected_slope < 0
    assert res.null.low <= res.fit.slope <= res.null.high
    assert res.finding == "within regression to the mean"
    assert "within what regression to the mean alone produces" in res.verdict


def test_a_real_link_is_found_beyond_regression_to_the_mean() -> None:
    res = level_vs_improvement(
        _panel(3, noise=2.0, link=-0.08), polarity=Polarity.HIGH_IS_BETTER, seed=1
    )
    assert res.finding == "beyond regression to the mean"
    assert "better-performing LAs improve more slowly" in res.verdict


def test_the_null_rejects_about_five_percent_of_pure_noise_panels() -> None:
    outside = 0
    for seed in range(30):
        res = level_vs_improvement(
            _panel(100 + seed, noise=5.0), polarity=Polarity.HIGH_IS_BETTER, n_draws=400, seed=seed
        )
        outside += res.finding == "beyond regression to the mean"
    assert outside <= 5  # nominal 5% of 30 = 1.5; allow for chance


def test_closed_form_null_matches_a_brute_force_simulation() -> None:
    # Simulate whole series for a small panel and compare the null slope distribution.
    panel = _panel(5, n_las=40, noise=3.0, years=5)
    res = level_vs_improvement(panel, polarity=Polarity.HIGH_IS_BETTER, n_draws=4000, seed=3)
    pts = res.points.set_index("area_code")
    years = np.arange(2019, 2024, dtype=float)
    fits = {c: np.polyfit(years, g["value"], 1) for c, g in panel.groupby("area_code")}
    rng = np.random.default_rng(11)
    slopes = []
    codes = list(pts.index)
    beta = np.array([fits[c][0] for c in codes])
    alpha = np.array([fits[c][1] for c in codes])
    sigma = pts["residual_sd"].to_numpy()
    for _ in range(2000):
        shuffled = rng.permutation(beta)
        start_true = alpha + beta * years[0]
        paths = start_true[:, None] + shuffled[:, None] * (years - years[0])[None, :]
        y = paths + rng.normal(0, 1, paths.shape) * sigma[:, None]
        change = np.polyfit(years, y.T, 1)[0]
        slopes.append(np.polyfit(y[:, 0], change, 1)[0])
    assert res.null is not None
    assert res.null.expected_slope == pytest.approx(np.mean(slopes), abs=0.02)
    assert res.null.high - res.null.low == pytest.approx(
        np.quantile(slopes, 0.975) - np.quantile(slopes, 0.025), rel=0.15
    )


def test_seeded_simulation_is_reproducible() -> None:
    panel = _panel(6, n_las=50)
    a = level_vs_improvement(panel, polarity=Polarity.LOW_IS_BETTER, n_draws=200, seed=9)
    b = level_vs_improvement(panel, polarity=Polarity.LOW_IS_BETTER, n_draws=200, seed=9)
    assert a.null == b.null


def test_improvement_is_change_turned_by_polarity() -> None:
    panel = _panel(7, n_las=10)
    res = level_vs_improvement(panel, polarity=Polarity.LOW_IS_BETTER, n_draws=0)
    assert np.allclose(res.points["improvement_per_year"], -res.points["change_per_year"])


def test_not_enough_las_gives_an_honest_verdict() -> None:
    panel = _panel(8, n_las=2)
    res = level_vs_improvement(panel, polarity=Polarity.HIGH_IS_BETTER)
    assert res.fit is None
    assert res.null is None
    assert res.finding == "not enough data"


def test_arguments_are_validated() -> None:
    panel = _panel(9, n_las=5, years=3)
    short = level_vs_improvement(panel, polarity=Polarity.HIGH_IS_BETTER, start_periods=2)
    assert short.finding == "not enough data"
    assert set(short.points["reason"]) == {"the window holds too few periods for start_periods=2"}
    with pytest.raises(ValueError, match="unique"):
        level_vs_improvement(pd.concat([panel, panel]), polarity=Polarity.HIGH_IS_BETTER)
    with pytest.raises(ValueError, match="min_points"):
        level_vs_improvement(panel, polarity=Polarity.HIGH_IS_BETTER, min_points=2)
    with pytest.raises(ValueError, match="confidence"):
        level_vs_improvement(panel, polarity=Polarity.HIGH_IS_BETTER, confidence=95)


def test_level_vs_improvement_does_not_mutate_its_input() -> None:
    assert_inputs_unchanged(
        level_vs_improvement, _panel(10, n_las=20), polarity=Polarity.NONE, n_draws=50
    )


def test_fewer_than_three_points_give_no_change_per_year() -> None:
    """Issue 10.3: an LA with two values in the window (first and last) has no slope.

    ``change_per_year`` already gave none; ``level_vs_improvement`` used to serve the
    two-point slope (and the same number as the Oldham change) for such an LA.
    """
    from indicators import change_per_year

    panel = _panel(5, n_las=20, years=5)
    first, last = panel["year_end"].min(), panel["year_end"].max()
    sparse = panel["area_code"].eq("E06000003") & ~panel["year_end"].isin([first, last])
    panel = panel[~sparse]
    for polarity in (Polarity.HIGH_IS_BETTER, Polarity.LOW_IS_BETTER):
        res = level_vs_improvement(panel, polarity=polarity, n_draws=0)
        row = res.points.set_index("area_code").loc["E06000003"]
        assert row["n_points"] == 2 and not row["included"]
        assert np.isnan(row["change_per_year"]) and np.isnan(row["improvement_per_year"])
        assert np.isnan(row["oldham_change_per_year"])
        assert np.isfinite(row["start_level"]) and np.isfinite(row["end_level"])
        slopes = change_per_year(panel, polarity=polarity).set_index("area_code")["slope"]
        both = res.points.set_index("area_code")["change_per_year"]
        pd.testing.assert_series_equal(
            both, slopes.reindex(both.index), check_names=False, check_index_type=False
        )
