"""Ranks and best/worst lists: LAIT's calculate_rank tests, invariants and argument checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.schema import Polarity
from indicators import best_worst, describe_rank, rank_areas
from tests.unit.indicators.builders import assert_inputs_unchanged, make_values


def _ranks_by_input_order(values: list[float | None], polarity: Polarity) -> list[float | None]:
    codes = [f"E0600{i:04d}" for i in range(len(values))]
    frame = make_values(dict(zip(codes, values, strict=True)))
    ranked = rank_areas(frame, polarity=polarity).set_index("area_code")["rank"]
    return [None if pd.isna(ranked[c]) else int(ranked[c]) for c in codes]


# ---- LAIT's own calculate_rank tests (tests/testthat/test-fn_analysis.R), ported ----------------
def test_lait_high_polarity_ties_share_the_lowest_place() -> None:
    assert _ranks_by_input_order([10, 20, 20, 30, 40], Polarity.HIGH_IS_BETTER) == [5, 3, 3, 2, 1]


def test_lait_low_polarity_missing_values_get_no_rank() -> None:
    got = _ranks_by_input_order([10, None, 30, 20, None], Polarity.LOW_IS_BETTER)
    assert got == [1, None, 3, 2, None]


def test_lait_all_missing_gives_all_missing() -> None:
    assert _ranks_by_input_order([None, None], Polarity.HIGH_IS_BETTER) == [None, None]


def test_lait_empty_frame_gives_an_empty_result() -> None:
    empty = make_values({})
    ranked = rank_areas(empty, polarity=Polarity.HIGH_IS_BETTER)
    assert ranked.empty
    assert {"rank", "rank_label", "n_ranked", "status"} <= set(ranked.columns)


def test_lait_no_polarity_gives_no_rank_when_asked_for_lait_behaviour() -> None:
    frame = make_values({"A": 1.0, "B": 2.0})
    ranked = rank_areas(frame, polarity=Polarity.NONE, rank_unjudged=False)
    assert ranked["rank"].isna().all()
    assert set(ranked["status"]) == {"no polarity"}


# ---- behaviour ---------------------------------------------------------------------------------
def test_joint_ranks_display_with_an_equals_sign() -> None:
    ranked = rank_areas(make_values({"A": 5, "B": 5, "C": 1}), polarity=Polarity.HIGH_IS_BETTER)
    assert ranked.set_index("area_code")["rank_label"].to_dict() == {
        "A": "=1",
        "B": "=1",
        "C": "3",
    }


def test_of_n_counts_ranked_las_only_and_breaks_down_the_rest() -> None:
    frame = make_values(
        {"A": 3, "B": 2, "C": None, "D": None, "E": None}, {"C": "z", "D": "z", "E": "c"}
    )
    ranked = rank_areas(frame, polarity=Polarity.HIGH_IS_BETTER)
    assert set(ranked["n_ranked"]) == {2}
    assert describe_rank(ranked, "B") == "2nd of 2 ranked, 1 = best (3 not ranked: 2 z, 1 c)"


def test_rank_uses_the_published_value_so_rounded_ties_stay_ties() -> None:
    ranked = rank_areas(make_values({"A": 67.0, "B": 67.0}), polarity=Polarity.LOW_IS_BETTER)
    assert list(ranked["rank"]) == [1, 1]


@pytest.mark.parametrize(
    "frame",
    [
        make_values({"E92000001": 5.0}, level="National"),
        make_values({"E12000001": 5.0}, level="Regional"),
        make_values({"E06000061 / E06000062": 5.0}),
    ],
    ids=["england", "region", "joint"],
)
def test_non_la_rows_are_refused(frame: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="eligible_values"):
        rank_areas(frame, polarity=Polarity.HIGH_IS_BETTER)


def test_bad_arguments_are_refused() -> None:
    frame = make_values({"A": 1.0})
    with pytest.raises(ValueError, match="Polarity"):
        rank_areas(frame, polarity="high")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unique"):
        rank_areas(pd.concat([frame, frame]), polarity=Polarity.HIGH_IS_BETTER)
    two_periods = pd.concat([frame, make_values({"B": 1.0}, time_period=2023)])
    with pytest.raises(ValueError, match="time_period"):
        rank_areas(two_periods, polarity=Polarity.HIGH_IS_BETTER)
    with pytest.raises(ValueError, match="lacks column"):
        rank_areas(frame.drop(columns="value"), polarity=Polarity.HIGH_IS_BETTER)
    with pytest.raises(ValueError, match="n must be"):
        best_worst(frame, polarity=Polarity.HIGH_IS_BETTER, n=0)
    with pytest.raises(ValueError, match="not in the ranked frame"):
        describe_rank(rank_areas(frame, polarity=Polarity.HIGH_IS_BETTER), "Z")


def test_best_worst_includes_all_ties_at_cutoff() -> None:
    frame = make_values({"A": 9, "B": 8, "C": 7, "D": 7, "E": 7, "F": 1})
    bw = best_worst(frame, polarity=Polarity.HIGH_IS_BETTER, n=3)
    assert list(bw.best["area_code"]) == ["A", "B", "C", "D", "E"]
    assert bw.top_label == "best"
    assert bw.bottom_label == "worst"


def test_best_worst_with_no_polarity_says_highest_and_lowest() -> None:
    bw = best_worst(make_values({"A": 1, "B": 2}), polarity=Polarity.NONE, n=1)
    assert (bw.top_label, bw.bottom_label) == ("highest", "lowest")
    assert list(bw.best["area_code"]) == ["B"]


def test_rank_areas_does_not_mutate_its_input() -> None:
    frame = make_values({"A": 3, "B": None, "C": 3}, {"B": "c"})
    assert_inputs_unchanged(rank_areas, frame, polarity=Polarity.LOW_IS_BETTER)
    assert_inputs_unchanged(best_worst, frame, polarity=Polarity.HIGH_IS_BETTER, n=1)
    ranked = rank_areas(frame, polarity=Polarity.HIGH_IS_BETTER)
    assert_inputs_unchanged(describe_rank, ranked, "A")


# ---- properties --------------------------------------------------------------------------------
values_lists = st.lists(
    st.one_of(st.none(), st.integers(min_value=-50, max_value=50).map(float)),
    min_size=1,
    max_size=30,
)
polarities = st.sampled_from([Polarity.HIGH_IS_BETTER, Polarity.LOW_IS_BETTER, Polarity.NONE])


def _frame(values: list[float | None]) -> pd.DataFrame:
    return make_values({f"E0800{i:04d}": v for i, v in enumerate(values)})


@settings(max_examples=60, deadline=None)
@given(values=values_lists, polarity=polarities, seed=st.integers(0, 10_000))
def test_ranks_do_not_depend_on_row_order(
    values: list[float | None], polarity: Polarity, seed: int
) -> None:
    frame = _frame(values)
    shuffled = frame.sample(frac=1, random_state=seed)
    a = rank_areas(frame, polarity=polarity).set_index("area_code")["rank"].sort_index()
    b = rank_areas(shuffled, polarity=polarity).set_index("area_code")["rank"].sort_index()
    pd.testing.assert_series_equal(a, b)


@settings(max_examples=60, deadline=None)
@given(values=values_lists)
def test_flipping_polarity_reverses_the_order(values: list[float | None]) -> None:
    frame = _frame(values)
    high = rank_areas(frame, polarity=Polarity.HIGH_IS_BETTER).set_index("area_code")
    low = rank_areas(frame, polarity=Polarity.LOW_IS_BETTER).set_index("area_code")
    low = low.reindex(high.index)
    ranked = high["rank"].notna()
    n = int(ranked.sum())
    tie = high.loc[ranked, "value"].map(high.loc[ranked, "value"].value_counts())
    # competition ranks: high_rank + low_rank = n + 2 - size of the tie group
    total = high.loc[ranked, "rank"] + low.loc[ranked, "rank"]
    assert (total == n + 2 - tie).all()
    assert (low["rank"].isna() == high["rank"].isna()).all()


@settings(max_examples=60, deadline=None)
@given(values=values_lists, polarity=polarities, n=st.integers(1, 12))
def test_inputs_are_never_mutated(values: list[float | None], polarity: Polarity, n: int) -> None:
    frame = _frame(values)
    assert_inputs_unchanged(rank_areas, frame, polarity=polarity)
    assert_inputs_unchanged(best_worst, frame, polarity=polarity, n=n)


@settings(max_examples=80, deadline=None)
@given(
    values=st.lists(st.integers(-1000, 1000), min_size=1, max_size=40, unique=True),
    polarity=polarities,
    n=st.integers(1, 25),
)
def test_best_and_worst_never_overlap_unless_n_exceeds_half(
    values: list[int], polarity: Polarity, n: int
) -> None:
    bw = best_worst(_frame([float(v) for v in values]), polarity=polarity, n=n)
    if 2 * n <= bw.n_ranked:
        assert bw.overlap == ()
        assert not set(bw.best["area_code"]) & set(bw.worst["area_code"])


@settings(max_examples=80, deadline=None)
@given(
    values=st.lists(st.integers(0, 6).map(float), min_size=1, max_size=40),
    polarity=polarities,
    n=st.integers(1, 25),
)
def test_with_ties_an_overlap_needs_a_tie_group_spanning_both_cutoffs(
    values: list[float], polarity: Polarity, n: int
) -> None:
    bw = best_worst(_frame(values), polarity=polarity, n=n)
    sizes = pd.Series(values).value_counts()
    both = pd.concat([bw.best, bw.worst])
    for code in bw.overlap:
        value = both.loc[both["area_code"] == code, "value"].iloc[0]
        # in best: fewer than n strictly better; in worst: fewer than n strictly worse
        assert bw.n_ranked - sizes[value] <= 2 * n - 2
    sides = set(bw.best["area_code"]) | set(bw.worst["area_code"])
    assert len(sides) <= bw.n_ranked
    assert bw.n_ranked == int(np.isfinite(values).sum())


@settings(max_examples=60, deadline=None)
@given(values=values_lists, polarity=polarities, n=st.integers(1, 12))
def test_each_side_holds_at_least_n_rows_when_enough_las_are_ranked(
    values: list[float | None], polarity: Polarity, n: int
) -> None:
    bw = best_worst(_frame(values), polarity=polarity, n=n)
    expected = min(n, bw.n_ranked)
    assert len(bw.best) >= expected
    assert len(bw.worst) >= expected
    assert len(bw.not_ranked) == sum(v is None for v in values)
