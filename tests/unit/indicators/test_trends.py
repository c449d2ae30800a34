"""Change per year: agrees with scipy's linregress; chi-square test for trend."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from data.schema import Polarity, ValueType
from indicators import change_per_year, direction_label
from tests.unit.indicators.builders import assert_inputs_unchanged


def _panel(seed: int = 0, n_areas: int = 12) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for a in range(n_areas):
        for year in range(2016, 2026):
            if rng.random() < 0.15:
                continue
            rows.append((f"E0600{a:04d}", year, 50 + 0.7 * (year - 2016) + rng.normal(0, 3)))
    return pd.DataFrame(rows, columns=["area_code", "year_end", "value"])


def test_slope_p_value_and_r_agree_with_linregress() -> None:
    panel = _panel()
    got = change_per_year(panel, polarity=Polarity.HIGH_IS_BETTER).set_index("area_code")
    for code, rows in panel.groupby("area_code"):
        ref = stats.linregress(rows["year_end"], rows["value"])
        assert got.loc[code, "slope"] == pytest.approx(ref.slope)
        assert got.loc[code, "p_value"] == pytest.approx(ref.pvalue)
        assert got.loc[code, "r"] == pytest.approx(ref.rvalue)
        assert got.loc[code, "slope_se"] == pytest.approx(ref.stderr)


def test_chi_square_trend_equals_n_times_r_squared_over_individuals() -> None:
    # Cochran-Armitage X2 = N r^2, r the correlation of the 0/1 outcome with the year over
    # all N children: an independent route to the same number.
    x = np.array([12, 15, 11, 25, 30])
    n = np.array([120, 130, 110, 140, 150])
    years = np.arange(2019, 2024)
    frame = pd.DataFrame(
        {
            "area_code": "A",
            "year_end": years,
            "value": 100 * x / n,
            "numerator": x,
            "denominator": n,
        }
    )
    got = change_per_year(frame, polarity=Polarity.HIGH_IS_BETTER, value_type=ValueType.PROPORTION)
    outcome = np.concatenate(
        [np.r_[np.ones(k), np.zeros(m - k)] for k, m in zip(x, n, strict=True)]
    )
    score = np.repeat(years, n)
    r = np.corrcoef(outcome, score)[0, 1]
    assert got.loc[0, "chi2_trend"] == pytest.approx(n.sum() * r**2)
    assert got.loc[0, "chi2_p_value"] == pytest.approx(stats.chi2.sf(n.sum() * r**2, 1))


def test_no_chi_square_without_counts_or_for_other_types() -> None:
    frame = _panel(1, 2)
    out = change_per_year(frame, polarity=Polarity.LOW_IS_BETTER, value_type=ValueType.PROPORTION)
    assert out["chi2_p_value"].isna().all()


def test_too_few_points_give_a_reason_not_a_slope() -> None:
    frame = pd.DataFrame({"area_code": "A", "year_end": [2020, 2021], "value": [1.0, 2.0]})
    row = change_per_year(frame, polarity=Polarity.HIGH_IS_BETTER).iloc[0]
    assert np.isnan(row["slope"])
    assert row["reason"] == "2 point(s) in the window (minimum 3)"
    two = change_per_year(frame, polarity=Polarity.HIGH_IS_BETTER, min_points=2).iloc[0]
    assert two["slope"] == 1.0
    assert np.isnan(two["p_value"])


def test_direction_words_follow_polarity() -> None:
    assert direction_label(1.0, polarity=Polarity.HIGH_IS_BETTER) == "improving"
    assert direction_label(1.0, polarity=Polarity.LOW_IS_BETTER) == "worsening"
    assert direction_label(-1.0, polarity=Polarity.NONE) == "falling"
    assert direction_label(float("nan"), polarity=Polarity.NONE) == "no trend"


def test_arguments_are_validated() -> None:
    frame = _panel(2, 2)
    with pytest.raises(ValueError, match="after last_year"):
        change_per_year(frame, polarity=Polarity.HIGH_IS_BETTER, first_year=2024, last_year=2020)
    with pytest.raises(ValueError, match="unique"):
        change_per_year(pd.concat([frame, frame]), polarity=Polarity.HIGH_IS_BETTER)
    with pytest.raises(ValueError, match="min_points"):
        change_per_year(frame, polarity=Polarity.HIGH_IS_BETTER, min_points=1)
    with pytest.raises(ValueError, match="significance"):
        change_per_year(frame, polarity=Polarity.HIGH_IS_BETTER, significance=5)
    with pytest.raises(ValueError, match="one indicator"):
        change_per_year(
            frame.assign(indicator_id=["a", "b"] * (len(frame) // 2) + ["a"] * (len(frame) % 2)),
            polarity=Polarity.HIGH_IS_BETTER,
        )


def test_change_per_year_does_not_mutate_its_input() -> None:
    assert_inputs_unchanged(change_per_year, _panel(3, 4), polarity=Polarity.NONE)
