"""The LA profile, gap and peer views on indicators worked out by hand (see hand_store.py)."""

from __future__ import annotations

import numpy as np
import pytest

import indicators as ind
from tests.unit.views.hand_store import BLACKPOOL, NEIGHBOURS_2025, SCALE, hand_store
from views.gap import gap_view
from views.indicator_search import matching_ids
from views.pack import default_indicator, pack_view
from views.peers import peer_view
from views.profile import filter_profile, group_members, profile_view
from views.value_cube import value_cube

MEAN, MEDIAN = ind.NeighbourStatistic.MEAN, ind.NeighbourStatistic.MEDIAN


@pytest.fixture(scope="module")
def store(demo_tables):
    return hand_store(demo_tables)


@pytest.fixture(scope="module")
def rows(store):
    view = profile_view(store, BLACKPOOL, "2025", MEAN)
    return view.rows.set_index("indicator_id")


def test_group_members_are_the_release_neighbours_in_order(store):
    view = profile_view(store, BLACKPOOL, "2025", MEAN)
    assert group_members(store, view.group) == NEIGHBOURS_2025


def test_robust_z_difference_and_words_match_the_hand_working(rows):
    high = rows.loc["hand_high"]
    assert high["time_period"] == 2024
    assert high["value"] == 7.0
    assert high["neighbour_value"] == pytest.approx(14.5)
    assert high["n_with_data"] == 10
    assert high["difference"] == pytest.approx(-7.5)
    assert high["z"] == pytest.approx(-7.5 / SCALE)
    assert high["direction"] == "worse"
    assert bool(high["unusual"])
    low = rows.loc["hand_low"]
    assert low["z"] == pytest.approx(-7.5 / SCALE)
    assert low["direction"] == "better"
    similar = rows.loc["hand_similar"]
    assert similar["z"] == pytest.approx(-0.5 / SCALE)
    assert similar["direction"] == "similar"
    assert not bool(similar["unusual"])


def test_too_few_neighbours_is_not_compared_with_a_reason(rows):
    few = rows.loc["hand_few"]
    assert np.isnan(few["z"])
    assert few["direction"] == "not compared"
    assert few["z_reason"] == "3 neighbour(s) with data (minimum 5)"
    assert few["n_with_data"] == 3


def test_gap_trend_words(rows):
    assert rows.loc["hand_high", "trend"] == "widening"
    assert (rows.loc["hand_high", "trend_from"], rows.loc["hand_high", "trend_to"]) == (2021, 2024)
    assert rows.loc["hand_similar", "trend"] == "stable"


def test_counts_are_a_kind_of_their_own_and_come_after_the_judged(store):
    view = profile_view(store, BLACKPOOL, "2025", MEAN)
    rows = view.rows
    count = rows[rows["indicator_id"] == "hand_count"].iloc[0]
    assert count["kind"] == "count"
    assert count["direction"] == "lower"
    assert count["z"] == pytest.approx(-75 / (10 * SCALE))
    kinds = rows["kind"].tolist()
    assert kinds == sorted(kinds, key=["judged", "no polarity", "count"].index)


def test_judged_rows_are_ordered_worse_then_better_by_abs_z_as_most_unusual(store):
    view = profile_view(store, BLACKPOOL, "2025", MEAN)
    judged = view.rows[view.rows["kind"] == "judged"]
    listed = ind.most_unusual(judged, n=len(judged), min_abs_z=0)
    ranked = judged[judged["direction"].isin(["worse", "better", "higher", "lower"])]
    assert ranked["indicator_id"].tolist() == listed["indicator_id"].tolist()
    words = judged["direction"].tolist()
    order = {"worse": 0, "better": 1, "higher": 2, "lower": 2, "similar": 3, "not compared": 4}
    assert words == sorted(words, key=order.__getitem__)
    for word in ("worse", "better", "similar"):
        z = judged.loc[judged["direction"] == word, "z"].abs().to_numpy()
        assert (np.diff(z) <= 0).all()


def test_neighbour_counts_and_means_agree_with_the_benchmark_table(store):
    view = profile_view(store, BLACKPOOL, "2025", MEDIAN)
    cube = value_cube(store)
    rows = view.rows
    at = cube.group_rows(rows["indicator_id"].to_numpy(), rows["time_period"].to_numpy())
    matrix = cube.take(at, NEIGHBOURS_2025)
    assert (np.isfinite(matrix).sum(axis=1) == rows["n_with_data"].to_numpy()).all()
    medians = np.array(
        [np.median(r[np.isfinite(r)]) if np.isfinite(r).any() else np.nan for r in matrix]
    )
    np.testing.assert_allclose(rows["neighbour_value"].to_numpy(), medians)


def test_custom_group_uses_its_members(store):
    custom = NEIGHBOURS_2025[:5]
    view = profile_view(store, BLACKPOOL, "2025", MEAN, custom)
    high = view.rows.set_index("indicator_id").loc["hand_high"]
    assert high["n_with_data"] == 5
    assert high["neighbour_value"] == pytest.approx(12.0)  # mean of 10..14
    # median 12, absolute deviations 2, 1, 0, 1, 2: MAD 1
    assert high["z"] == pytest.approx((7 - 12) / 1.4826)


def test_filters_keep_the_order_and_narrow_by_scope_topic_direction_and_words(store):
    view = profile_view(store, BLACKPOOL, "2025", MEAN)
    judged = filter_profile(view, scope="judged", topic="Hand-made")
    assert set(judged["indicator_id"]) == {
        *("hand_high", "hand_low", "hand_similar", "hand_few", "hand_short")
    }
    assert filter_profile(view, scope="counts", topic="Hand-made")["indicator_id"].tolist() == [
        "hand_count"
    ]
    worse = filter_profile(view, scope="all", topic="Hand-made", direction="worse")
    assert worse["indicator_id"].tolist() == ["hand_high"]
    unusual = filter_profile(view, scope="all", topic="Hand-made", direction="unusual")
    assert unusual["indicator_id"].tolist() == ["hand_high", "hand_low", "hand_count"]
    ids = matching_ids(store, "hand_similar")
    assert ids is not None
    words = filter_profile(view, scope="all", indicator_ids=ids)
    assert words["indicator_id"].tolist() == ["hand_similar"]
    assert matching_ids(store, "  ") is None


def test_gap_view_agrees_with_the_profile_and_the_hand_working(store):
    gap = gap_view(store, BLACKPOOL, "hand_high", "2025", MEAN)
    assert [p.gap for p in gap.points] == pytest.approx([-1.5, -3.5, -5.5, -7.5])
    assert gap.trend == "widening"
    assert gap.gap_first == pytest.approx(-1.5)
    assert gap.gap_last == pytest.approx(-7.5)
    rows = profile_view(store, BLACKPOOL, "2025", MEAN).rows.set_index("indicator_id")
    assert gap.trend == rows.loc["hand_high", "trend"]


def test_two_years_with_a_gap_give_no_trend_span_and_a_sentence(store):
    from figures.gap import gap_summary

    gap = gap_view(store, BLACKPOOL, "hand_short", "2025", MEAN)
    assert [p.gap for p in gap.points if p.gap is not None] == pytest.approx([-0.5, -0.5])
    assert gap.trend == "not enough years"
    assert (gap.trend_from, gap.trend_to, gap.gap_first, gap.gap_last) == (None,) * 4
    assert gap_summary(gap).endswith("Gap trend: not enough years.")
    row = profile_view(store, BLACKPOOL, "2025", MEAN).rows.set_index("indicator_id")
    assert row.loc["hand_short", "trend"] == "not enough years"
    assert row.loc["hand_short", ["trend_from", "trend_to"]].isna().all()


def test_peer_view_is_peer_trajectories_of_the_competing_las(store):
    view = peer_view(store, BLACKPOOL, "hand_high", 3)
    result = view.result
    assert (result.base_year, result.latest_year) == (2021, 2024)
    assert result.la_base_value == 13.0
    assert result.la_latest_value == 7.0
    assert result.la_outcome == "worsened"
    # Neighbour values are 10..19 in both years: the peers near 13 did not change.
    assert set(result.peers["outcome"]) == {"no change"}
    assert result.share_improved == 0.0


def test_pack_lists_the_most_unusual_on_each_side(store):
    view = profile_view(store, BLACKPOOL, "2025", MEAN)
    first = default_indicator(view)
    assert first == view.rows[view.rows["kind"] == "judged"]["indicator_id"].iloc[0]
    pack = pack_view(store, BLACKPOOL, "2025", MEAN, (), "hand_high")
    assert "hand_high" in set(pack.worse["indicator_id"])
    assert "hand_low" in set(pack.better["indicator_id"])
    assert (pack.worse["direction"] == "worse").all()
    assert (pack.better["direction"] == "better").all()
    assert (pack.worse["z"].abs() >= 2).all()
    assert pack.headline.n == int((view.rows["kind"] == "judged").sum())
