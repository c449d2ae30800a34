"""Is variation narrowing? Spread year by year and its trend."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from data.schema import ValueType
from indicators import spread, variance_within_groups, variation_trend
from tests.unit.indicators.builders import assert_inputs_unchanged, random_groups


def _panel(years: dict[int, np.ndarray], codes: list[str] | None = None) -> pd.DataFrame:
    rows = []
    for year, values in years.items():
        names = codes or [f"E0600{i:04d}" for i in range(len(values))]
        rows += [(c, year, year, v) for c, v in zip(names, values, strict=True)]
    return pd.DataFrame(rows, columns=["area_code", "time_period", "year_end", "value"])


def test_years_repeat_spread_and_the_share_and_slopes_repeat_linregress() -> None:
    rng = np.random.default_rng(1)
    codes = [f"E0600{i:04d}" for i in range(80)]
    years = {y: rng.gamma(4, 10 - (y - 2018), 80) for y in range(2018, 2025)}
    panel = _panel(years, codes)
    sn = random_groups(codes, rng, size=6)
    result = variation_trend(panel, sn, value_type=ValueType.RATE, sn_release="2025")
    for row in result.years.itertuples():
        frame = panel[panel["year_end"] == row.year_end]
        s = spread(frame)
        assert row.iqr == pytest.approx(s.iqr) and row.cv == pytest.approx(s.cv)
        share = variance_within_groups(frame, sn, sn_release="2025", n_draws=0)
        assert row.within_share == pytest.approx(share.within_share)
    cv = result.trends.set_index("measure").loc["cv"]
    fit = stats.linregress(result.years["year_end"], result.years["cv"])
    assert cv["slope"] == pytest.approx(fit.slope)
    half = stats.t.ppf(0.975, len(years) - 2) * fit.stderr
    assert (cv["slope_low"], cv["slope_high"]) == pytest.approx(
        (fit.slope - half, fit.slope + half)
    )


def test_per_year_bootstrap_intervals_when_asked() -> None:
    rng = np.random.default_rng(2)
    codes = [f"E0600{i:04d}" for i in range(50)]
    panel = _panel({y: rng.normal(50, 10, 50) for y in (2022, 2023, 2024)}, codes)
    sn = random_groups(codes, rng, size=5)
    result = variation_trend(panel, sn, value_type=ValueType.RATE, sn_release="2025", n_draws=200)
    assert (result.years["within_low"] <= result.years["within_share"]).all()
    assert (result.years["within_share"] <= result.years["within_high"]).all()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(st.none(), st.floats(-1e3, 1e3, allow_nan=False)), min_size=1, max_size=6
        ),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(list(ValueType)),
)
def test_any_panel_gives_a_statement_and_no_error(
    years: list[list[float | None]], value_type: ValueType
) -> None:
    panel = _panel(
        {
            2015 + i: np.array([np.nan if v is None else v for v in vals])
            for i, vals in enumerate(years)
        }
    )
    result = variation_trend(panel, value_type=value_type)
    assert len(result.years) == len(years)
    assert result.statement
    assert set(result.trends["measure"]) == {"iqr", "p90_p10_ratio", "cv", "within_share"}
    if value_type not in (
        ValueType.PROPORTION,
        ValueType.RATE,
        ValueType.COUNT,
        ValueType.CURRENCY,
    ):
        assert result.years["cv"].isna().all() and result.headline_measure == "iqr"


def test_extreme_values_give_no_trend_rather_than_an_overflow() -> None:
    """Hypothesis found it: a P10 of 2e-265 makes P90/P10 about 5e264, whose square overflows."""
    rows = {2015: np.array([1.0]), 2016: np.array([1.0]), 2017: np.array([0.0, 1.0, 1e-264])}
    result = variation_trend(_panel(rows), value_type=ValueType.PROPORTION)
    ratio = result.trends.set_index("measure").loc["p90_p10_ratio"]
    assert ratio["direction"] == "not computed" and "too extreme" in ratio["reason"]


def test_negative_means_have_no_cv_and_the_headline_falls_back_to_the_iqr() -> None:
    panel = _panel(
        {
            y: np.array([-5.0, -3.0, -1.0, 0.5]) * (1 + 0.1 * i)
            for i, y in enumerate(range(2020, 2024))
        }
    )
    result = variation_trend(panel, value_type=ValueType.CURRENCY)
    assert result.years["cv"].isna().all()
    assert result.headline_measure == "iqr"
    assert "interquartile range" in result.statement


def test_all_equal_all_suppressed_and_one_la() -> None:
    flat = variation_trend(
        _panel({y: np.full(4, 3.0) for y in (2021, 2022, 2023)}), value_type=ValueType.RATE
    )
    assert (flat.years["iqr"] == 0).all()
    assert flat.trends.set_index("measure").loc["iqr", "direction"] == "no change"
    gone = variation_trend(
        _panel({y: np.full(3, np.nan) for y in (2021, 2022, 2023)}), value_type=ValueType.RATE
    )
    assert (gone.years["n"] == 0).all() and "Not enough years" in gone.statement
    one = variation_trend(
        _panel({y: np.array([2.0]) for y in (2021, 2022, 2023)}), value_type=ValueType.RATE
    )
    assert one.years["cv"].isna().all()


def test_bad_arguments_and_inputs_are_untouched() -> None:
    panel = _panel({2021: np.array([1.0, 2.0]), 2022: np.array([2.0, 3.0])})
    with pytest.raises(ValueError, match="neighbours table"):
        variation_trend(panel, value_type=ValueType.RATE, sn_release="2025")
    with pytest.raises(ValueError, match="value_type"):
        variation_trend(panel, value_type="rate")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="one indicator"):
        variation_trend(panel.assign(indicator_id=["a", "b", "a", "b"]), value_type=ValueType.RATE)
    assert_inputs_unchanged(variation_trend, panel, value_type=ValueType.RATE)
