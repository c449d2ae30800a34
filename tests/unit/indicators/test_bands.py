"""LAIT quartile bands: R type-7 breakpoints, closed upper edges, polarity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.schema import Polarity
from indicators import quartile_bands
from tests.unit.indicators.builders import assert_inputs_unchanged, make_values


def _frame(values: list[float | None]) -> pd.DataFrame:
    return make_values({f"E0600{i:04d}": v for i, v in enumerate(values)})


def _r_type7(x: list[float], p: float) -> float:
    """R's default quantile, written out from its definition (Hyndman and Fan type 7)."""
    s = sorted(x)
    h = (len(s) - 1) * p
    lo = int(np.floor(h))
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (h - lo) * (s[hi] - s[lo])


def test_breakpoints_equal_r_type7_on_ties_and_missing_values() -> None:
    values = [5, 5, 7, None, 9, 12, 12, 3.5, 100, 7]
    qb = quartile_bands(_frame(values), polarity=Polarity.HIGH_IS_BETTER)
    present = [v for v in values if v is not None]
    assert qb.breaks == pytest.approx([_r_type7(present, p) for p in (0, 0.25, 0.5, 0.75, 1)])
    assert qb.n_values == len(present)


@pytest.mark.parametrize(
    ("polarity", "expected"),
    [
        (Polarity.HIGH_IS_BETTER, ["D", "D", "C", "B", "A"]),
        (Polarity.LOW_IS_BETTER, ["A", "A", "B", "C", "D"]),
    ],
)
def test_boundary_values_fall_in_the_band_below(polarity: Polarity, expected: list[str]) -> None:
    qb = quartile_bands(_frame([1, 2, 3, 4, 5]), polarity=polarity)
    assert list(qb.bands["band"]) == expected


def test_ranges_table_lists_each_band_with_its_closed_edges() -> None:
    qb = quartile_bands(_frame([1, 2, 3, 4, 5]), polarity=Polarity.HIGH_IS_BETTER)
    ranges = qb.ranges.set_index("band")
    assert ranges.loc["A", ["lower", "upper"]].tolist() == [4, 5]
    assert ranges.loc["D", ["lower", "upper"]].tolist() == [1, 2]
    assert bool(ranges.loc["D", "lower_inclusive"]) is True
    assert bool(ranges.loc["A", "lower_inclusive"]) is False


@pytest.mark.parametrize(
    ("polarity", "no_quartile", "reason"),
    [(Polarity.NONE, False, "no polarity"), (Polarity.HIGH_IS_BETTER, True, "too small")],
)
def test_no_bands_when_unjudged_or_flagged(
    polarity: Polarity, no_quartile: bool, reason: str
) -> None:
    qb = quartile_bands(_frame([1, 2, 3]), polarity=polarity, no_quartile=no_quartile)
    assert qb.bands["band"].isna().all()
    assert qb.breaks is None
    assert reason in (qb.reason or "")
    assert qb.ranges.empty


def test_all_missing_gives_no_bands_with_a_reason() -> None:
    qb = quartile_bands(_frame([None, None]), polarity=Polarity.LOW_IS_BETTER)
    assert qb.reason == "no LA has a value"


def test_quartile_bands_does_not_mutate_its_input() -> None:
    assert_inputs_unchanged(
        quartile_bands, _frame([3, None, 1, 2]), polarity=Polarity.LOW_IS_BETTER
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 20).map(float)), min_size=1, max_size=40))
def test_flipping_polarity_swaps_a_with_d_and_b_with_c(values: list[float | None]) -> None:
    frame = _frame(values)
    high = quartile_bands(frame, polarity=Polarity.HIGH_IS_BETTER).bands["band"]
    low = quartile_bands(frame, polarity=Polarity.LOW_IS_BETTER).bands["band"]
    swap = {"A": "D", "B": "C", "C": "B", "D": "A", None: None}
    assert [swap[b] for b in high] == list(low)
    assert_inputs_unchanged(quartile_bands, frame, polarity=Polarity.HIGH_IS_BETTER)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10).map(float), min_size=1, max_size=40))
def test_tied_values_always_share_a_band(values: list[float]) -> None:
    bands = quartile_bands(_frame(values), polarity=Polarity.HIGH_IS_BETTER).bands
    distinct = bands.groupby("value")["band"].agg(lambda b: len(set(b)))
    assert (distinct == 1).all()
