"""The variation page's views: numbers assembled once per release, undefined ones explained."""

from __future__ import annotations

import doctest

import views.variation as vv
import views.within_groups as vw

IND = "lait_lacstable_2016on"
CUMBERLAND = "E06000063"  # created 1 April 2023


def test_doctests():
    assert doctest.testmod(vv).failed == 0
    assert doctest.testmod(vw).failed == 0


def test_an_la_that_did_not_exist_is_not_ranked_and_says_why(tiny_store):
    first = tiny_store.catalogue.periods[IND][0][0]
    place = vv.spread_view(tiny_store, IND, first, CUMBERLAND).place
    assert place is not None and not place.ranked
    assert place.text == "not ranked: not an LA in this period"
    latest = tiny_store.catalogue.periods[IND][-1][0]
    place = vv.spread_view(tiny_store, IND, latest, "E06000009").place
    assert place is not None and place.ranked and place.la_name == "Blackpool"


def test_rank_ranges_are_computed_once_per_release_and_period(tiny_store):
    ranges = vv.rank_ranges(tiny_store, "cpp_subsequent_pct", 2024)
    assert vv.rank_ranges(tiny_store, "cpp_subsequent_pct", 2024) is ranges
    chart = vv.best_worst_view(tiny_store, "cpp_subsequent_pct", 2024, 5, None)
    assert chart.ranges is ranges
    assert ranges.n_with_interval > 0 and ranges.reason is None
    ranked = ranges.ranks.dropna(subset=["rank_low"])
    assert (ranked["rank_low"] <= ranked["rank_high"]).all()


def test_the_share_of_a_year_is_the_same_in_the_panel_the_trend_and_the_api(tiny_store):
    latest = tiny_store.catalogue.periods[IND][-1][0]
    for release in ("2025", "2021"):
        panel = vw.within_share(tiny_store, IND, latest, release)
        years = vw.narrowing_view(tiny_store, IND, release).trend.years
        year = years[years["time_period"] == latest].iloc[0]
        assert (year["within_share"], year["within_low"], year["within_high"]) == (
            panel.within_share,
            panel.ci_low,
            panel.ci_high,
        )
        assert vw.variation_summary(tiny_store, IND, latest, release).share is panel
    shares = vw.shares_view(tiny_store, IND, latest).shares
    assert [s.sn_release for s in shares] == ["2025", "2021"]
