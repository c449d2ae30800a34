"""Rank intervals simulated from each LA's counts."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.schema import Polarity, ValueType
from indicators import rank_areas, rank_intervals
from indicators.rank_uncertainty import _rank_counts, _rank_quantile
from tests.unit.indicators.builders import assert_inputs_unchanged


def _counts(
    numerator: list[float], denominator: list[float], multiplier: float = 100.0
) -> pd.DataFrame:
    x, n = np.array(numerator, dtype=float), np.array(denominator, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(n > 0, multiplier * x / n, np.nan)
    return pd.DataFrame(
        {
            "area_code": [f"E0600{i:04d}" for i in range(len(x))],
            "value": value,
            "numerator": x,
            "denominator": n,
        }
    )


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 4), min_size=1, max_size=9), min_size=1, max_size=5),
    st.booleans(),
)
def test_each_draw_is_ranked_as_rank_areas_ranks(rows: list[list[int]], high: bool) -> None:
    width = min(len(r) for r in rows)
    draws = np.array([r[:width] for r in rows], dtype=float)
    polarity = Polarity.HIGH_IS_BETTER if high else Polarity.LOW_IS_BETTER
    codes = [f"A{i}" for i in range(width)]
    want = np.zeros((width, width + 1), dtype=int)
    for row in draws:
        ranked = rank_areas(pd.DataFrame({"area_code": codes, "value": row}), polarity=polarity)
        ranks = ranked.set_index("area_code").loc[codes, "rank"].astype(int).to_numpy()
        want[np.arange(width), ranks] += 1
        single = _rank_counts(row[None, :], high_first=high)
        assert np.argmax(single, axis=1).tolist() == ranks.tolist()
    np.testing.assert_array_equal(_rank_counts(draws, high_first=high), want)


def test_rank_quantiles_are_numpys_inverted_cdf() -> None:
    rng = np.random.default_rng(5)
    ranks = rng.integers(1, 9, (400, 8))
    counts = np.stack([np.bincount(ranks[:, j], minlength=9) for j in range(8)])
    for q in (0.01, 0.1, 0.5, 0.9, 0.99):
        want = np.quantile(ranks, q, axis=0, method="inverted_cdf")
        assert _rank_quantile(counts, q).tolist() == want.tolist()


def test_large_counts_pin_each_la_to_its_rank() -> None:
    frame = _counts([1e6, 2e6, 3e6, 4e6], [1e7] * 4)
    result = rank_intervals(
        frame, polarity=Polarity.LOW_IS_BETTER, value_type=ValueType.PROPORTION, multiplier=100
    )
    ranks = result.ranks
    assert (ranks["rank_low"] == ranks["rank"]).all()
    assert (ranks["rank_high"] == ranks["rank"]).all()
    assert not ranks["spans_most"].any()


def test_zero_events_in_a_tiny_la_still_give_a_wide_interval() -> None:
    """Jeffreys draws: 0 of 3 is not 'certainly 0', unlike a binomial bootstrap."""
    frame = _counts([0, 50, 100, 150, 200, 250], [3, 1000, 1000, 1000, 1000, 1000])
    result = rank_intervals(
        frame, polarity=Polarity.LOW_IS_BETTER, value_type=ValueType.PROPORTION, multiplier=100
    )
    tiny = result.ranks.set_index("area_code").loc["E06000000"]
    assert tiny["rank"] == 1
    assert tiny["rank_low"] == 1 and tiny["rank_high"] >= 4
    assert tiny["spans_most"] and "more than half" in tiny["note"]


def test_rates_draw_around_the_observed_rate() -> None:
    frame = _counts([10, 20, 40, 80], [10_000] * 4, multiplier=10_000)
    result = rank_intervals(
        frame, polarity=Polarity.NONE, value_type=ValueType.RATE, multiplier=10_000
    )
    ranks = result.ranks.set_index("area_code")
    assert ranks.loc["E06000003", "rank"] == 1  # highest first for no polarity
    assert ranks.loc["E06000003", "rank_high"] == 1  # 80 vs 40: never overtaken
    assert ranks.loc["E06000000", "rank_low"] >= 3
    assert "Gamma" in result.method


def test_same_seed_same_intervals_and_different_seed_may_differ() -> None:
    rng = np.random.default_rng(0)
    n = rng.integers(20, 400, 40).astype(float)
    frame = _counts(list(rng.binomial(n.astype(int), 0.1)), list(n))
    args = {
        "polarity": Polarity.LOW_IS_BETTER,
        "value_type": ValueType.PROPORTION,
        "multiplier": 100,
    }
    first = rank_intervals(frame, seed=3, **args).ranks
    again = rank_intervals(frame, seed=3, **args).ranks
    other = rank_intervals(frame, seed=4, **args).ranks
    pd.testing.assert_frame_equal(first, again)
    assert not first["rank_low"].equals(other["rank_low"]) or not first["rank_high"].equals(
        other["rank_high"]
    )


def test_all_equal_counts_could_be_any_rank() -> None:
    frame = _counts([10] * 6, [100] * 6)
    ranks = rank_intervals(
        frame, polarity=Polarity.HIGH_IS_BETTER, value_type=ValueType.PROPORTION, multiplier=100
    ).ranks
    assert (ranks["rank"] == 1).all() and ranks["tied"].all()
    assert (ranks["rank_low"] == 1).all() and (ranks["rank_high"] == 6).all()
    assert ranks["spans_most"].all()


def test_one_la_all_suppressed_and_zero_denominators() -> None:
    one = rank_intervals(
        _counts([5], [10]),
        polarity=Polarity.HIGH_IS_BETTER,
        value_type=ValueType.PROPORTION,
        multiplier=100,
    )
    assert one.ranks[["rank", "rank_low", "rank_high"]].iloc[0].tolist() == [1, 1, 1]
    assert not one.ranks["spans_most"].iloc[0]
    suppressed = pd.DataFrame(
        {
            "area_code": ["A", "B"],
            "value": [np.nan, np.nan],
            "value_status": ["c", "c"],
            "numerator": [np.nan] * 2,
            "denominator": [5.0, 6.0],
        }
    )
    none = rank_intervals(
        suppressed, polarity=Polarity.LOW_IS_BETTER, value_type=ValueType.RATE, multiplier=1e4
    )
    assert none.n_ranked == 0 and none.n_with_interval == 0
    assert none.ranks["interval_reason"].tolist() == ["not ranked", "not ranked"]
    zero = pd.DataFrame(
        {
            "area_code": ["A", "B"],
            "value": [0.0, 12.0],
            "numerator": [0.0, 3.0],
            "denominator": [0.0, 25.0],
        }
    )
    out = rank_intervals(
        zero, polarity=Polarity.LOW_IS_BETTER, value_type=ValueType.PROPORTION, multiplier=100
    )
    reasons = out.ranks.set_index("area_code")["interval_reason"]
    assert reasons["A"] == "denominator is 0" and reasons["B"] is None


def test_no_counts_columns_at_all() -> None:
    frame = pd.DataFrame({"area_code": ["A", "B"], "value": [1.0, 2.0]})
    out = rank_intervals(
        frame, polarity=Polarity.HIGH_IS_BETTER, value_type=ValueType.RATE, multiplier=1e4
    )
    assert out.n_with_interval == 0
    assert out.ranks["interval_reason"].eq("numerator or denominator unknown").all()


def test_150_las_by_1000_draws_is_fast() -> None:
    """The brief's budget is well under 100 ms; allow slack for a loaded test machine."""
    rng = np.random.default_rng(9)
    n = rng.integers(300, 120_000, 150).astype(float)
    frame = _counts(list(rng.poisson(n * 0.007)), list(n), multiplier=10_000)
    args = {"polarity": Polarity.LOW_IS_BETTER, "value_type": ValueType.RATE, "multiplier": 10_000}
    rank_intervals(frame, **args)
    best = min(_timed(lambda: rank_intervals(frame, **args)) for _ in range(3))
    assert best < 0.5


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


@pytest.mark.parametrize(
    ("option", "match"),
    [
        ({"n_draws": 10}, "n_draws"),
        ({"seed": -1}, "seed"),
        ({"confidence": 0.2}, "confidence"),
        ({"multiplier": 0}, "multiplier"),
        ({"value_type": "rate"}, "value_type"),
        ({"polarity": "low"}, "polarity"),
    ],
)
def test_bad_options_are_refused(option: dict[str, object], match: str) -> None:
    kwargs: dict[str, object] = {
        "polarity": Polarity.LOW_IS_BETTER,
        "value_type": ValueType.RATE,
        "multiplier": 1e4,
        **option,
    }
    with pytest.raises(ValueError, match=match):
        rank_intervals(_counts([1], [10]), **kwargs)  # type: ignore[arg-type]


def test_does_not_mutate_its_input() -> None:
    assert_inputs_unchanged(
        rank_intervals,
        _counts([1, 2, 3], [10, 10, 10]),
        polarity=Polarity.HIGH_IS_BETTER,
        value_type=ValueType.PROPORTION,
        multiplier=100,
    )
