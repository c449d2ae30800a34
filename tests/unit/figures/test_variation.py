"""Figures of the variation page, drawn from view models built by hand."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import figures.best_worst as best_worst_figures
import figures.distribution as distribution_figures
import figures.funnel as funnel_figures
import figures.narrowing as narrowing_figures
import figures.spread_strip as strip_figures
import figures.within_groups as within_figures
import indicators as ind
import views.variation as vv
import views.within_groups as vv_groups
from data.schema import Polarity, ValueType
from figures.style import BETTER, NEUTRAL, SELECTED, WORSE
from tests.unit.figures.test_benchmark import meta as benchmark_meta

CODES = [f"E0600000{i}" for i in range(1, 7)]
NAMES = {c: f"LA {i}" for i, c in enumerate(CODES, 1)}


def meta(polarity: Polarity = Polarity.LOW_IS_BETTER, **kw):
    """The benchmark tests' indicator (a % of children, low is better), with one decimal."""
    return benchmark_meta(polarity, **{"decimals": 1, **kw})


def values(vals, denominators=None) -> pd.DataFrame:
    n = len(vals)
    den = np.asarray(denominators if denominators is not None else [np.nan] * n, dtype=float)
    return pd.DataFrame(
        {
            "area_code": CODES[:n],
            "value": vals,
            "value_status": [None if v == v else "c" for v in vals],
            "numerator": np.round(np.asarray(vals, dtype=float) * den / 100),
            "denominator": den,
        }
    )


def england(value: float | None, computed: bool = False) -> ind.Comparator:
    method = "pooled numerator/denominator" if computed else "published"
    return ind.Comparator("E92000001", "England", value, None, computed, method, None, None)


def best_worst_view(polarity, vals, *, n=2, highlight=None, denominators=None) -> vv.BestWorstView:
    frame = values(vals, denominators)
    result = ind.best_worst(frame, polarity=polarity, n=n)
    ranges = vv.ranges_of(frame, meta(polarity))
    return vv.BestWorstView(meta(polarity), "2025", result, 3.5, 3.0, highlight, NAMES, ranges)


def test_bar_colours_follow_polarity_and_highlight():
    vals = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    for polarity, best_code in (
        (Polarity.HIGH_IS_BETTER, CODES[5]),
        (Polarity.LOW_IS_BETTER, CODES[0]),
    ):
        view = best_worst_view(polarity, vals, highlight=CODES[4])
        fig = best_worst_figures.best_worst_bar(view)
        bars = fig.data[0]
        colours = dict(zip(bars.y, bars.marker.color, strict=True))
        assert bars.y[0] == f"1. {NAMES[best_code]}" and colours[bars.y[0]] == BETTER
        assert WORSE in colours.values()
        if CODES[4] in set(view.result.best["area_code"]) | set(view.result.worst["area_code"]):
            assert colours[next(y for y in bars.y if y.endswith("LA 5"))] == SELECTED
        assert len(fig.layout.shapes) == 2  # England and median lines
        assert [a.text for a in fig.layout.annotations] == ["England: 3.5%", "Median LA: 3.0%"]
    fig = best_worst_figures.best_worst_bar(best_worst_view(Polarity.NONE, vals))
    assert set(fig.data[0].marker.color) == {NEUTRAL}
    assert "highest" in fig.layout.title.text


def test_best_worst_summary_and_data_list_the_not_ranked_with_status():
    view = best_worst_view(Polarity.HIGH_IS_BETTER, [1.0, 2.0, np.nan], n=1, highlight=CODES[1])
    text = best_worst_figures.best_worst_summary(view)
    assert text.startswith("2 LAs ranked. Best: LA 2 (2.0%); worst: LA 1 (1.0%).")
    assert "1 not ranked: 1 c" in text and "LA 2 is shown, ranked 1." in text
    data = best_worst_figures.best_worst_data(view)
    assert data.frame["Group"].tolist() == ["best", "worst", "not ranked"]
    assert data.frame.iloc[-1]["Status"] == "c"


def test_an_empty_period_draws_a_sentence():
    view = best_worst_view(Polarity.HIGH_IS_BETTER, [np.nan, np.nan])
    fig = best_worst_figures.best_worst_bar(view)
    assert fig.layout.annotations[0].text == vv.NO_VALUES
    assert best_worst_figures.best_worst_summary(view) == vv.NO_VALUES


def distribution_view(vals, highlight=None) -> vv.DistributionView:
    frame = values(vals)
    ranked = ind.rank_areas(frame, polarity=Polarity.HIGH_IS_BETTER)
    return vv.DistributionView(meta(), "2025", ranked, ind.spread(frame), 2.5, highlight, NAMES)


def test_strip_marks_the_selected_la_and_england():
    view = distribution_view([1.0, 2.0, 3.0, np.nan], highlight=CODES[0])
    fig = distribution_figures.distribution_strip(view)
    assert sorted(fig.data[1].x) == [1.0, 2.0, 3.0]  # the LA without a value is not drawn
    assert fig.data[-1].marker.color == SELECTED and fig.data[-1].x == (1.0,)
    assert fig.layout.annotations[0].text == "England: 2.5%"
    jitter = distribution_figures.jitter(pd.Series(CODES))
    assert np.all(np.abs(jitter) <= 0.3)
    assert np.array_equal(jitter, distribution_figures.jitter(pd.Series(CODES)))


def test_distribution_summary_and_data():
    view = distribution_view([1.0, 2.0, 3.0, np.nan])
    text = distribution_figures.distribution_summary(view)
    assert text == "3 LAs; values run from 1.0% to 3.0%, median 2.0%."
    data = distribution_figures.distribution_data(view)
    assert data.frame["Rank"].tolist() == ["1", "2", "3", ""]
    assert data.frame["Status"].tolist() == ["", "", "", "c"]


def funnel_view(adjusted=False, highlight=None) -> vv.FunnelView:
    vals = [10.0, 12.0, 30.0, 11.0, 9.0, 2.0]
    frame = values(vals, [400, 500, 300, 800, 1000, 200])
    funnel = ind.funnel_plot(
        frame,
        value_type=ValueType.PROPORTION,
        multiplier=100,
        target=10.0,
        adjust_overdispersion=adjusted,
    )
    return vv.FunnelView(meta(), "2025", funnel, None, highlight, NAMES)


def test_funnel_chart_colours_outside_the_limits_by_polarity():
    view = funnel_view(highlight=CODES[2])
    fig = funnel_figures.funnel_chart(view)
    names = [t.name for t in fig.data]
    assert "Worse than expected (outside 95%)" in names  # 30% with lower better
    assert "Better than expected (outside 95%)" in names  # 2%
    assert names[-1] == "Selected: LA 3"
    text = funnel_figures.funnel_summary(view)
    assert text.startswith("6 LAs plotted against England (10.0%)")
    data = funnel_figures.funnel_data(view)
    assert len(data.frame) == 6 and data.decimals["Numerator"] == 0


def test_no_funnel_says_why_in_chart_caption_and_table():
    reason = vv.funnel_reason(meta(value_type=ValueType.MEAN, multiplier=None), 150)
    view = vv.FunnelView(meta(), "2025", None, reason, None, NAMES)
    assert funnel_figures.funnel_chart(view).layout.annotations[0].text == reason
    assert funnel_figures.funnel_summary(view) == reason
    assert funnel_figures.funnel_data(view).empty
    assert vv.funnel_reason(meta(), vv.FUNNEL_MIN_LAS - 1) is not None
    assert vv.funnel_reason(meta(), vv.FUNNEL_MIN_LAS) is None


def spread_view(**kw) -> vv.SpreadView:
    base = {
        "meta": meta(unit="points", value_type=ValueType.OTHER, multiplier=None),
        "period_label": "2024/25",
        "n_ranked": 150,
        "not_ranked_text": "3 not ranked",
        "england": england(-20.0),
        "median": -21.5,
        "p25": -25.0,
        "p75": -18.0,
        "p90_p10_ratio": None,
        "ratio_reason": "not defined (P10 is 0 or below)",
        "cv": None,
        "cv_reason": "not defined (the mean is negative)",
        "place": None,
    }
    return vv.SpreadView(**{**base, **kw})


def test_strip_items_show_the_reason_for_an_undefined_measure():
    items = {label: figure for figure, label in strip_figures.strip_items(spread_view())}
    assert items == {
        "LAs with a value": "150",
        "England": "-20.0",
        "Median LA": "-21.5",
        "Middle half of LAs (25th to 75th percentile)": "-25.0 to -18.0",
        "Highest / lowest tenth (P90 / P10)": "not defined (P10 is 0 or below)",
        "Coefficient of variation": "not defined (the mean is negative)",
    }
    defined = spread_view(
        meta=meta(), p90_p10_ratio=2.5, ratio_reason=None, cv=0.31, cv_reason=None
    )
    items = {label: figure for figure, label in strip_figures.strip_items(defined)}
    assert items["Coefficient of variation"] == "31%"
    assert items["Highest / lowest tenth (P90 / P10)"] == "2.50x"


def test_strip_says_when_england_is_computed_and_where_the_la_stands():
    view = spread_view(england=england(-19.0, computed=True))
    assert strip_figures.strip_items(view)[-1] == (
        "computed (pooled numerator/denominator)",
        "England value",
    )
    assert strip_figures.strip_items(replace(view, england=england(None, True)))[1][0] == (
        "not published"
    )
    place = vv.Place(CODES[0], "LA 1", True, "3rd of 150 ranked, 1 = best")
    assert strip_figures.place_notes(replace(view, place=place)) == [
        "LA 1: 3rd of 150 ranked, 1 = best."
    ]
    assert strip_figures.place_notes(view) == []


def test_cv_and_ratio_reasons():
    spread = ind.spread(values([-3.0, -1.0, -2.0]))
    assert vv.cv_reason(spread, ValueType.RATE) == "not defined (the mean is negative)"
    assert vv.ratio_reason(spread) == "not defined (P10 is 0 or below)"
    spread = ind.spread(values([0.0, 0.0]))
    assert vv.cv_reason(spread, ValueType.RATE) == "not defined (the mean is 0)"
    one, none = ind.spread(values([4.0])), ind.spread(values([np.nan]))
    assert vv.cv_reason(one, ValueType.RATE) == "not defined (fewer than 2 LAs have a value)"
    assert vv.cv_reason(none, ValueType.RATE) == "not defined (no LA has a value)"
    positive = ind.spread(values([1.0, 3.0]))
    assert vv.cv_reason(positive, ValueType.PROPORTION) is None
    assert vv.cv_reason(positive, ValueType.CURRENCY) is None
    # a score or a gap can be shifted: no CV even with a positive mean
    assert vv.cv_reason(positive, ValueType.MEAN) == "not defined (no true zero)"
    assert vv.cv_reason(positive, ValueType.OTHER) == "not defined (no true zero)"


def test_rank_ranges_are_drawn_beside_the_bars_and_wide_ones_named():
    # LA 1 has 1 in 4 (25%): its rank could be almost anything; the others have big counts
    view = best_worst_view(
        Polarity.LOW_IS_BETTER,
        [25.0, 20.0, 21.0, 30.0, 31.0, 40.0],
        n=3,
        denominators=[4, 5000, 5000, 5000, 5000, 5000],
    )
    fig = best_worst_figures.best_worst_bar(view)
    assert fig.layout.xaxis2.title.text == best_worst_figures.RANGE_AXIS
    ranges = {t.name: t for t in fig.data[1:]}
    wide = ranges[best_worst_figures.WIDE_LEGEND]
    assert wide.y == ("4. LA 1",) or wide.y == ("3. LA 1",)
    low, high = wide.customdata[0]
    assert low <= 2 and high >= 5  # 1 in 4 allows most of the 6 places
    narrow = ranges["Rank and its 95% range"]
    assert all(lo <= x <= hi for x, (lo, hi) in zip(narrow.x, narrow.customdata, strict=True))
    text = best_worst_figures.best_worst_summary(view)
    assert "Wide ranges: LA 1: the counts allow any rank" in text
    data = best_worst_figures.best_worst_data(view).frame
    row = data[data["Local authority"] == "LA 1"].iloc[0]
    assert row["Rank range (95%)"] == f"{low:.0f} to {high:.0f}"
    assert "more than half the ranking" in row["Rank range note"]


def test_without_counts_the_bars_stand_alone_and_the_table_says_why():
    view = best_worst_view(Polarity.LOW_IS_BETTER, [1.0, 2.0, 3.0, 4.0])
    fig = best_worst_figures.best_worst_bar(view)
    assert len(fig.data) == 1 and "xaxis2" not in fig.layout
    data = best_worst_figures.best_worst_data(view).frame
    assert set(data["Rank range (95%)"]) == {""}
    assert set(data["Rank range note"]) == {"no range: numerator or denominator unknown"}
    mean = meta(value_type=ValueType.MEAN, multiplier=None)
    assert vv.ranges_of(values([1.0, 2.0]), mean).reason == vv.no_rank_model(mean)


# ---- do similar areas vary as much? ----
def neighbours(release: str) -> pd.DataFrame:
    """Each of the six LAs' two neighbours: the LAs next to it in the list."""
    rows = []
    for i, code in enumerate(CODES):
        for rank, other in enumerate((CODES[i - 1], CODES[(i + 1) % 6]), 1):
            rows.append((release, code, rank, other, None))
    return pd.DataFrame(
        rows, columns=["sn_release", "area_code", "neighbour_rank", "neighbour_code", "closeness"]
    )


def shares(vals, releases=("2025", "2021")) -> vv_groups.SharesView:
    frame = values(vals)
    found = tuple(
        ind.variance_within_groups(frame, neighbours(r), sn_release=r, n_draws=200, seed=0)
        for r in releases
    )
    return vv_groups.SharesView(meta(), "2025", found)


def test_within_groups_chart_draws_each_share_with_its_interval_and_the_random_value():
    view = shares([1.0, 2.0, 3.0, 10.0, 11.0, 12.0])
    fig = within_figures.within_groups_chart(view)
    random, drawn = fig.data
    assert list(drawn.y) == ["2025 neighbours", "2021 neighbours"]
    first = view.shares[0]
    assert drawn.x[0] == pytest.approx(first.within_share)
    assert drawn.error_x.arrayminus[0] == pytest.approx(first.within_share - first.ci_low)
    assert random.x[0] == pytest.approx(first.random_share)
    text = within_figures.within_groups_summary(view)
    assert text.startswith("2025 neighbours: " + first.interpretation)
    assert within_figures.READING in text and "2021 neighbours: " in text
    data = within_figures.within_groups_data(view).frame
    assert data["Ratio to random (1 = no more alike)"].iloc[0] == pytest.approx(
        first.relative_to_random
    )


def test_within_groups_without_a_share_or_a_release_says_why():
    view = shares([5.0, 5.0, 5.0, 5.0, 5.0, 5.0])  # no variation to divide
    fig = within_figures.within_groups_chart(view)
    assert "no variation" in fig.layout.annotations[0].text
    none = vv_groups.SharesView(meta(), "2025", ())
    assert within_figures.within_groups_summary(none) == within_figures.NO_RELEASE
    assert within_figures.within_groups_data(none).empty


# ---- is variation narrowing? ----
def narrowing(by_year: dict[int, list[float]], empty=()) -> vv_groups.NarrowingView:
    frames = [values(v).assign(time_period=y, year_end=y) for y, v in by_year.items()]
    trend = ind.variation_trend(
        pd.concat(frames, ignore_index=True),
        neighbours("2025"),
        value_type=ValueType.PROPORTION,
        sn_release="2025",
        n_draws=200,
    )
    labels = {y: f"{y - 1}/{y % 100:02d}" for y in sorted([*by_year, *empty])}
    return vv_groups.NarrowingView(meta(), "2025", trend, labels, tuple(empty))


def test_narrowing_chart_draws_the_headline_and_the_share_with_a_gap_for_an_empty_year():
    view = narrowing(
        {2021: [10.0, 20.0, 30.0, 40.0, 50.0, 60.0], 2023: [20.0, 25, 30, 35, 40, 45]},
        empty=(2022,),
    )
    fig = narrowing_figures.narrowing_chart(view)
    headline, random, share = fig.data
    assert random.name == "Groups of LAs picked at random"
    assert headline.name == "Coefficient of variation"
    assert list(headline.x) == ["2020/21", "2021/22", "2022/23"]
    assert headline.y[1] is None  # the empty year is a gap, not a joined line
    assert share.y[0] == pytest.approx(view.trend.years["within_share"].iloc[0])
    text = narrowing_figures.narrowing_summary(view)
    assert text.startswith(view.trend.statement)
    assert "No LA has a value in 2021/22: left out." in text
    data = narrowing_figures.narrowing_data(view).frame
    assert data["Year"].tolist() == ["2020/21", "2022/23"]
    assert data["Interquartile range"].tolist() == pytest.approx([25.0, 12.5])


def test_narrowing_of_a_gap_uses_the_iqr():
    gap = meta(value_type=ValueType.OTHER, multiplier=None)
    frames = [values([-3.0, -2.0, -1.0, -4.0]).assign(time_period=y, year_end=y) for y in (1, 2)]
    trend = ind.variation_trend(pd.concat(frames), value_type=ValueType.OTHER)
    view = vv_groups.NarrowingView(gap, "2025", trend, {1: "1", 2: "2"}, ())
    fig = narrowing_figures.narrowing_chart(view)
    assert fig.data[0].name == "Interquartile range" and len(fig.data) == 1
    assert narrowing_figures.narrowing_summary(view).startswith("Not enough years")
