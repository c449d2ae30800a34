"""Figures of the variation page, drawn from view models built by hand."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

import figures.best_worst as best_worst_figures
import figures.distribution as distribution_figures
import figures.funnel as funnel_figures
import figures.spread_strip as strip_figures
import indicators as ind
import views.variation as vv
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


def best_worst_view(polarity, vals, *, n=2, highlight=None) -> vv.BestWorstView:
    result = ind.best_worst(values(vals), polarity=polarity, n=n)
    return vv.BestWorstView(meta(polarity), "2025", result, 3.5, 3.0, highlight, NAMES)


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
    assert vv.cv_reason(spread) == "not defined (the mean is negative)"
    assert vv.ratio_reason(spread) == "not defined (P10 is 0 or below)"
    spread = ind.spread(values([0.0, 0.0]))
    assert vv.cv_reason(spread) == "not defined (the mean is 0)"
    assert vv.cv_reason(ind.spread(values([4.0]))) == "not defined (fewer than 2 LAs have a value)"
    assert vv.cv_reason(ind.spread(values([np.nan]))) == "not defined (no LA has a value)"
    assert vv.cv_reason(ind.spread(values([1.0, 3.0]))) is None
