"""Spend per child, spend against outcome, provision shares."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.schema import Polarity
from indicators import PROVISION_PARTS, provision_shares, spend_per_child, spend_vs_outcome
from tests.unit.indicators.builders import assert_inputs_unchanged


def _spend() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": ["A", "A", "B"],
            "time_period": [202425, 202324, 202425],
            "year_end": [2025, 2024, 2025],
            "value": [1_000_000.0, 800_000.0, np.nan],
            "value_status": [None, None, "x"],
        }
    )


def _population() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": ["A", "A", "A"],
            "time_period": [2023, 2024, 2025],
            "value": [4000.0, 5000.0, 1.0],
        }
    )


def test_spend_per_child_uses_the_mid_year_before_the_financial_year_ends() -> None:
    out = spend_per_child(_spend(), _population())
    assert out["value"].tolist()[:2] == [200.0, 200.0]
    assert out["population_year"].tolist() == [2024, 2023, 2024]
    assert out.loc[2, "value_status"] == "nd"
    assert out.loc[2, "reason"] == "no spend value (x)"


def test_spend_vs_outcome_residuals_sum_to_zero_and_median_quadrants_balance() -> None:
    rng = np.random.default_rng(3)
    codes = [f"L{i:03d}" for i in range(101)]
    spend = pd.DataFrame({"area_code": codes, "value": rng.normal(1000, 200, 101)})
    outcome = pd.DataFrame({"area_code": codes, "value": rng.normal(50, 5, 101)})
    res = spend_vs_outcome(spend, outcome, outcome_polarity=Polarity.LOW_IS_BETTER)
    assert res.points["residual"].sum() == pytest.approx(0, abs=1e-8)
    counts = res.points["quadrant"].str.startswith("higher spend").sum()
    assert counts == 50  # 101 values: 50 above the median, 50 below, 1 on it
    assert res.excluded.empty


def test_spend_vs_outcome_does_not_mutate_its_inputs() -> None:
    spend = pd.DataFrame({"area_code": list("ABC"), "value": [1.0, 2.0, 3.0]})
    outcome = pd.DataFrame({"area_code": list("ABC"), "value": [2.0, 1.0, None]})
    res = assert_inputs_unchanged(
        spend_vs_outcome, spend, outcome, outcome_polarity=Polarity.HIGH_IS_BETTER
    )
    assert res.slope is None  # only two LAs with both values
    assert list(res.excluded["reason"]) == ["no outcome value"]
    assert_inputs_unchanged(spend_per_child, _spend(), _population())


def _line_rows(parts: dict[str, float | None], line: str = "x", area: str = "A") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "indicator_id": f"s251_line_{line}__{p}",
                "area_code": area,
                "time_period": 202425,
                "year_end": 2025,
                "value": np.nan if v is None else v,
            }
            for p, v in parts.items()
        ]
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1e7, allow_nan=False), min_size=4, max_size=4))
def test_shares_sum_to_one_when_defined(amounts: list[float]) -> None:
    frame = _line_rows(dict(zip(PROVISION_PARTS, amounts, strict=True)))
    out = assert_inputs_unchanged(provision_shares, frame)
    if sum(amounts) > 0:
        assert out["share"].sum() == pytest.approx(1.0)
        assert (out["share"] >= 0).all()
    else:
        assert out["share"].isna().all()


def test_unknown_line_is_an_error() -> None:
    with pytest.raises(ValueError, match="no provision rows"):
        provision_shares(_line_rows({"own_provision": 1.0}), line="nope")
