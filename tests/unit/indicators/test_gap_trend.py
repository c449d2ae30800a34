"""The trend of the gap between an LA and its neighbours: closing, widening, stable, crossed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import gap_trend
from tests.unit.indicators.builders import assert_inputs_unchanged


def _series(gaps: list[float], *, first_year: int = 2019, code: str = "A") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": "ind",
            "area_code": code,
            "year_end": range(first_year, first_year + len(gaps)),
            "gap": gaps,
        }
    )


def _trend(gaps: list[float], tolerance: float = 0.5, **options: int) -> str:
    return str(gap_trend(_series(gaps), tolerance=tolerance, **options)["trend"].iloc[0])


def test_closing_is_towards_the_neighbours_from_either_side() -> None:
    assert _trend([-6.0, -4.0, -2.0]) == "closing"
    assert _trend([6.0, 4.0, 2.0]) == "closing"
    assert _trend([2.0, 4.0, 6.0]) == "widening"
    assert _trend([-2.0, -4.0, -6.0]) == "widening"


def test_crossing_over_is_its_own_word_but_ending_level_is_closing() -> None:
    assert _trend([-4.0, -2.0, 1.0, 3.0]) == "crossed over"
    assert _trend([4.0, 2.0, -1.0, -3.0]) == "crossed over"
    assert _trend([-3.4, -1.6, 0.2]) == "closing"  # ends within the tolerance
    assert _trend([0.2, -1.6, -3.4]) == "widening"  # starts level, moves away below


def test_all_zero_and_fewer_than_three_points() -> None:
    assert _trend([0.0, 0.0, 0.0, 0.0]) == "stable"
    row = gap_trend(_series([5.0, 3.0]), tolerance=0.5).iloc[0]
    assert row["trend"] == "not enough years"
    assert row["reason"] == "2 year(s) with a gap (minimum 3)"
    assert np.isnan(row["slope"]) and row["latest_gap"] == 3.0
    none = gap_trend(_series([np.nan, np.nan, np.nan]), tolerance=0.5).iloc[0]
    assert none["n_points"] == 0 and none["reason"] == "0 year(s) with a gap (minimum 3)"
    assert pd.isna(none["first_year"]) and np.isnan(none["latest_gap"])


def test_slope_and_fitted_ends_agree_with_polyfit() -> None:
    rng = np.random.default_rng(5)
    years = np.array([2016, 2017, 2019, 2022, 2023])
    for _ in range(20):
        gaps = rng.normal(0, 5, len(years))
        frame = pd.DataFrame({"indicator_id": "i", "area_code": "A", "year_end": years})
        row = gap_trend(frame.assign(gap=gaps), tolerance=0.1).iloc[0]
        slope, intercept = np.polyfit(years, gaps, 1)
        assert row["slope"] == pytest.approx(slope)
        assert row["gap_first"] == pytest.approx(intercept + slope * 2016)
        assert row["gap_last"] == pytest.approx(intercept + slope * 2023)


def test_one_row_per_key_sorted_whatever_the_input_order() -> None:
    frame = pd.concat(
        [_series([3.0, 2.0, 1.0], code="B"), _series([1.0, 2.0, 3.0], code="A")]
    ).sample(frac=1, random_state=1)
    got = gap_trend(frame, tolerance=0.5)
    assert got["area_code"].tolist() == ["A", "B"]
    assert got["trend"].tolist() == ["widening", "closing"]
    by_la = gap_trend(frame.drop(columns="indicator_id"), tolerance=0.5, keys=["area_code"])
    assert by_la["trend"].tolist() == ["widening", "closing"]


def test_another_gap_column_and_a_per_row_tolerance() -> None:
    frame = _series([1.0, 1.5, 2.0]).rename(columns={"gap": "difference"})
    assert (
        gap_trend(frame.assign(tol=2.0), tolerance="tol", gap_column="difference")["trend"].iloc[0]
        == "stable"
    )


def test_errors() -> None:
    frame = _series([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="lacks column"):
        gap_trend(frame.drop(columns="gap"), tolerance=0.5)
    with pytest.raises(ValueError, match="must be unique"):
        gap_trend(pd.concat([frame, frame]), tolerance=0.5)
    with pytest.raises(ValueError, match="tolerance must be a finite"):
        gap_trend(frame.assign(tol=[0.1, np.nan, 0.1]), tolerance="tol")
    with pytest.raises(ValueError, match="tolerance must be a number"):
        gap_trend(frame, tolerance=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="exceeds"):
        gap_trend(frame, tolerance=0.5, max_points=3, min_points=4)
    assert_inputs_unchanged(gap_trend, frame, tolerance=0.5)


gaps_strategy = st.lists(st.one_of(st.just(np.nan), st.floats(-100, 100)), min_size=0, max_size=8)


@settings(max_examples=100, deadline=None)
@given(gaps=gaps_strategy, tolerance=st.floats(0, 5), shift=st.integers(-30, 30))
def test_mirror_image_keeps_the_word_and_moving_the_years_changes_nothing(
    gaps: list[float], tolerance: float, shift: int
) -> None:
    base = gap_trend(_series(gaps), tolerance=tolerance)
    mirrored = gap_trend(_series([-g for g in gaps]), tolerance=tolerance)
    moved = gap_trend(_series(gaps, first_year=2019 + shift), tolerance=tolerance)
    if gaps:
        assert base["trend"].tolist() == mirrored["trend"].tolist()
        assert base["trend"].tolist() == moved["trend"].tolist()
        np.testing.assert_allclose(base["slope"], -mirrored["slope"], atol=1e-9)
    else:
        assert base.empty


@settings(max_examples=100, deadline=None)
@given(
    start=st.floats(-50, 50),
    slope=st.floats(-10, 10),
    n=st.integers(3, 6),
    tolerance=st.floats(0, 2),
)
def test_a_straight_line_that_does_not_cross_zero_is_judged_by_its_ends(
    start: float, slope: float, n: int, tolerance: float
) -> None:
    gaps = [start + slope * i for i in range(n)]
    end = gaps[-1]
    row = gap_trend(_series(gaps), tolerance=tolerance).iloc[0]
    change = abs(end) - abs(start)
    crossed = (start > tolerance and end < -tolerance) or (start < -tolerance and end > tolerance)
    margin = 1e-9 * (1 + abs(start) + abs(slope) * n)
    if crossed or abs(abs(change) - tolerance) < margin:
        return  # the crossing rule, or a change on the tolerance within rounding
    want = "closing" if change < -tolerance else "widening" if change > tolerance else "stable"
    assert row["trend"] == want
