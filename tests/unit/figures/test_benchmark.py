"""Figures of the LA benchmark page: traces, colours by polarity, units, the selected LA."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import figures.group as group_figures
import figures.labels as labels
import figures.series as series_figures
import figures.spine as spine_figures
import figures.summary as summary_figures
import indicators as ind
import views.benchmark as vb
from data.schema import IndicatorMeta, Polarity, ValueType
from figures.style import BETTER, NEUTRAL, QUARTILE_COLOURS, SELECTED, SIMILAR, WORSE
from indicators.spine import spine_positions
from views import benchmark_spine, benchmark_summary

LA = "E06000009"
N = [f"E0800000{i}" for i in range(1, 10)] + ["E10000006"]  # Cumbria last (abolished)
NAMES = {LA: "Blackpool", **{c: f"Neighbour {i}" for i, c in enumerate(N, 1)}}


def meta(polarity: Polarity = Polarity.LOW_IS_BETTER, **kw) -> IndicatorMeta:
    base = {
        "indicator_id": "ind",
        "title": "Children with three or more placements",
        "short_title": "3+ placements",
        "topic": "Children looked after",
        "unit": "%",
        "decimals": 0,
        "polarity": polarity,
        "time_identifier": "Reporting year",
        "source_id": "test",
        "source_code": "x",
        "source_url": None,
        "description": None,
        "no_quartile": False,
        "value_type": ValueType.PROPORTION,
        "multiplier": 100.0,
    }
    return IndicatorMeta(**{**base, **kw})


def values(data: dict[str, float | None], statuses: dict[str, str] | None = None, tp=2024):
    statuses = statuses or {}
    return pd.DataFrame(
        {
            "indicator_id": "ind",
            "area_code": list(data),
            "time_period": tp,
            "value": [np.nan if v is None else v for v in data.values()],
            "value_status": [statuses.get(c) for c in data],
        }
    )


def neighbours(release: str = "2021") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sn_release": release,
            "area_code": LA,
            "neighbour_rank": range(1, 11),
            "neighbour_code": N,
            "closeness": ["Very close"] * 3 + ["Close"] * 7,
        }
    )


def comparison(data, statuses=None, tp=2024):
    return ind.compare_to_neighbours(
        values(data, statuses, tp), neighbours(), area_code=LA, sn_release="2021"
    )


def england(value: float | None) -> ind.Comparator:
    return ind.Comparator("E92000001", "England", value, None, False, "published", None, None)


# ---- time series ----
def full_year(tp: int, la: float | None, missing: int = 0, status: str | None = None):
    data = {LA: la, **{c: 10.0 + i for i, c in enumerate(N)}}
    for c in N[10 - missing :]:
        data[c] = None
    statuses = dict.fromkeys(N[10 - missing :], "c")
    if la is None:
        statuses[LA] = status or "c"
    return vb.SeriesPoint(
        tp,
        str(tp),
        la,
        None if la is not None else (status or "c"),
        comparison(data, statuses, tp),
        ind.Comparator("E12000002", "North West", 11.0, None, False, "published", None, None),
        england(12.0),
    )


def group_of(label: str = "SN mean", available: bool = True) -> vb.Group:
    return vb.Group(LA, "2021", (), ind.NeighbourStatistic.MEAN, available, label)


def series(points, m=None, label="SN mean", region="North West") -> vb.SeriesView:
    return vb.SeriesView(m or meta(), "Blackpool", group_of(label), tuple(points), region)


def test_series_chart_draws_la_neighbours_region_england_with_gaps():
    points = [
        full_year(2021, 9.0),
        full_year(2022, None, status="c"),
        full_year(2023, 11.0, missing=1),
        full_year(2024, 12.0, missing=6),
    ]
    m = meta()
    fig = series_figures.series_chart(series(points, m))
    by_name = {t.name: t for t in fig.data}
    la = by_name["Blackpool (selected)"]
    assert list(la.x) == ["2021", "2022", "2023", "2024"]
    assert list(la.y) == [9.0, None, 11.0, 12.0]  # a gap, never zero
    assert la.line.color == SELECTED
    nb = by_name["SN mean"]
    assert nb.y[0] == pytest.approx(np.mean([10.0 + i for i in range(10)]))
    assert list(nb.text) == ["", "", "9 of 10", "only 4 of 10"]
    assert list(nb.marker.symbol) == ["circle", "circle", "circle-open", "x"]
    assert [row[0] for row in nb.customdata] == [10, 10, 9, 4]
    assert by_name["North West"].y[0] == 11.0
    assert by_name["England"].y[0] == 12.0
    gaps = by_name["Blackpool: no value"]
    assert list(gaps.x) == ["2022"] and "c (confidential" in gaps.text[0]
    assert fig.layout.yaxis.title.text == "Per cent (%)"


def test_series_summary_warns_about_incomplete_and_weak_neighbour_averages():
    points = [full_year(2023, 11.0, missing=1), full_year(2024, None, missing=6)]
    text = series_figures.series_summary(series(points))
    assert "Blackpool: 11% in 2023" in text
    assert "Not published for Blackpool: 2024 (c)" in text
    assert "2023 (9 of 10)" in text
    assert f"fewer than {ind.MIN_WITH_DATA} neighbours had data in 2024" in text


def test_series_data_has_one_row_per_year_and_keeps_missing_as_nan():
    points = [full_year(2021, 9.0), full_year(2022, None, status="x")]
    view = series_figures.series_data(series(points))
    assert list(view.frame["Year"]) == ["2021", "2022"]
    assert np.isnan(view.frame["Blackpool"].iloc[1])
    assert view.frame["Blackpool: status"].tolist() == ["", "x"]
    assert view.frame["Neighbours with data"].tolist() == ["10 of 10", "10 of 10"]


def test_series_marks_years_before_an_la_existed_as_such():
    points = [
        vb.SeriesPoint(2020, "2020", None, "did not exist", None, None, england(12.0), False),
        full_year(2024, 9.0),
    ]
    fig = series_figures.series_chart(series(points))
    gaps = next(t for t in fig.data if t.name == "Blackpool: no value")
    assert gaps.text == ("did not exist in this year (reorganisation)",)
    text = series_figures.series_summary(series(points))
    assert "Blackpool did not exist in 2020" in text and "Not published" not in text


def test_series_chart_with_nothing_published_says_so():
    blank = vb.SeriesPoint(2024, "2024", None, "c", None, None, england(None))
    fig = series_figures.series_chart(series([blank], region=None))
    assert fig.data == ()
    assert "No values are published" in fig.layout.annotations[0].text


# ---- group bar ----
def group(polarity: Polarity):
    data = {LA: 12.0, **{c: float(i) for i, c in enumerate(N[:9], start=5)}, N[9]: None}
    v = values(data, {N[9]: "z"})
    perf = ind.group_performance(
        v, neighbours(), area_code=LA, polarity=polarity, sn_release="2021"
    )
    comp = ind.compare_to_neighbours(v, neighbours(), area_code=LA, sn_release="2021")
    return perf, comp


def group_view(polarity: Polarity, label: str = "SN mean", england=None) -> vb.GroupView:
    perf, comp = group(polarity)
    return vb.GroupView(
        meta(polarity), "Blackpool", "2024", group_of(label), perf, comp, england, NAMES
    )


def test_group_bar_colours_the_best_and_worst_by_polarity_and_keeps_missing_members():
    fig = group_figures.group_bar(group_view(Polarity.LOW_IS_BETTER, england=9.0))
    bar = fig.data[0]
    labels = list(bar.y)
    colours = dict(zip(labels, bar.marker.color, strict=True))
    assert labels[0] == "1. Neighbour 1 (Very close)"  # 5.0: lowest is best
    assert colours[labels[0]] == BETTER
    blackpool = next(lab for lab in labels if "Blackpool" in lab)
    assert blackpool.endswith("(selected)") and colours[blackpool] == SELECTED
    worst = next(lab for lab in labels if "Neighbour 9" in lab)  # 13.0, highest
    assert colours[worst] == WORSE
    cumbria = labels[-1]
    assert cumbria == "– Neighbour 10 (Close): no value (z)"
    assert bar.x[-1] is None  # no bar, never zero
    assert fig.layout.xaxis.title.text == "3+ placements (%)"
    notes = [a.text for a in fig.layout.annotations]
    assert any(t.startswith("SN mean (dotted): ") for t in notes)
    assert "England (dashed): 9%" in notes


def test_group_bar_high_polarity_flips_best_and_none_is_neutral():
    fig = group_figures.group_bar(group_view(Polarity.HIGH_IS_BETTER))
    colours = dict(zip(fig.data[0].y, fig.data[0].marker.color, strict=True))
    assert colours["1. Neighbour 9 (Close)"] == BETTER
    fig = group_figures.group_bar(group_view(Polarity.NONE, "m"))
    bar = fig.data[0]
    assert set(bar.marker.color) <= {NEUTRAL, SELECTED, SIMILAR}
    assert "highest in group" in bar.text[0]


def test_group_data_and_summary_list_every_member():
    view = group_figures.group_data(group_view(Polarity.LOW_IS_BETTER))
    assert len(view.frame) == 11
    last = view.frame.iloc[-1]
    assert last["Area code"] == "E10000006" and last["Status"].startswith("z (")
    text = group_figures.group_summary(group_view(Polarity.LOW_IS_BETTER))
    assert "Blackpool is joint 8th of the 10 members with data" in text
    assert "No value: Neighbour 10 (z)" in text


# ---- spine ----
def spine_view(n_with_data: int = 3, n_in_topic: int = 3) -> benchmark_spine.SpineView:
    """Three rows over LAs valued 0..10 (+k): low (England 10), high (none), none (50)."""
    rows = pd.DataFrame(
        {
            "indicator_id": ["low", "high", "none"],
            "title": ["Row low", "Row high", "Row none"],
            "short_title": ["Row low", "Row high", "Row none"],
            "unit": ["%"] * 3,
            "decimals": [0, 0, 0],
            "polarity": ["low", "high", "none"],
            "period_label": ["2024"] * 3,
            "la_value": [0.0, 1.0, 2.0],
            "la_status": [None, None, None],
            "band": ["A", "D", None],
            "lower": [np.nan] * 3,
            "upper": [np.nan] * 3,
            "england": [10.0, np.nan, 50.0],
            "vs_england": ["not compared"] * 3,
            "n": [11, 11, 11],
            "minimum": [0.0, 1.0, 2.0],
            "p25": [2.5, 3.5, 4.5],
            "median": [5.0, 6.0, 7.0],
            "p75": [7.5, 8.5, 9.5],
            "maximum": [10.0, 11.0, 12.0],
            "neighbour_value": [4.0, 5.0, 6.0],
            "n_with_data": [9, 9, 9],
            "n_expected": [10, 10, 10],
        }
    )
    return benchmark_spine.SpineView(
        "Blackpool", "T", group_of(), spine_positions(rows), n_with_data, n_in_topic
    )


def test_spine_positions_put_better_to_the_right_and_centre_on_england_when_it_fits():
    rows = spine_view().rows
    low, high, none = (rows.iloc[i] for i in range(3))
    # Low is better: England (10) is the centre, Blackpool (0, the best) at the right edge.
    assert low["x_la"] == pytest.approx(1.0) and low["x_max"] == pytest.approx(0.0)
    # England not published: centred on the median LA.
    assert high["centre"] == 6.0 and high["x_la"] == pytest.approx(-1.0)
    # England outside the LAs' range (a national total): centred on the median LA too.
    assert none["centred_on"] == "median LA" and none["sign"] == 1.0


def test_spine_chart_draws_ranges_england_neighbours_and_the_la_by_band():
    view = spine_view()
    fig = spine_figures.spine_chart(view, colour_by="band")
    names = [t.name for t in fig.data]
    assert names[:4] == [
        "All LAs: lowest to highest",
        "Middle half of LAs (25th to 75th percentile)",
        "England (centre of each row)",
        "SN mean",
    ]
    assert list(fig.data[0].base) == pytest.approx([0.0, -1.0, -1.0])  # England at an end
    # England ticks only where England lies among the LAs (not for no value, nor 50 vs 2..12)
    assert len(fig.data[2].y) == 1
    band_a = next(t for t in fig.data if t.name == "Blackpool: quartile A")
    assert band_a.marker.color == QUARTILE_COLOURS["A"] and len(band_a.x) == 1
    assert fig.layout.xaxis.ticktext[:3] == ("← worse", "England", "better →")
    assert fig.data[0].y[2].endswith("· higher →")  # no polarity: higher to the right
    sig = spine_figures.spine_chart(view, colour_by="significance")
    assert {t.name for t in sig.data} >= {
        "Blackpool: not compared (no counts published behind the value)"
    }


def test_spine_data_and_summary_describe_the_method_and_the_cap():
    view = spine_view(n_with_data=50, n_in_topic=60)
    data = spine_figures.spine_data(view)
    assert data.frame["Quartile band"].tolist() == ["A", "D", "-"]
    assert data.frame["LAs with a value"].tolist() == [11, 11, 11]
    text = spine_figures.spine_summary(view, colour_by="band")
    assert "centred on England" in text and "better is always to the right" in text
    assert "2 rows are centred on the median LA instead" in text
    assert "Showing the first 3 of 50" in text and "10 indicators of the topic" in text


def test_spine_of_nothing_says_so():
    empty = benchmark_spine.SpineView("B", "T", group_of(), pd.DataFrame(), 0, 0)
    fig = spine_figures.spine_chart(empty, colour_by="band")
    assert "No indicator" in fig.layout.annotations[0].text


# ---- summary ----
def test_compared_with_never_says_similar_without_an_interval():
    assert labels.compared_with("better", "England") == "better than England"
    assert labels.compared_with("similar", "England") == "similar to England"
    assert labels.compared_with(ind.NOT_COMPARED, "England") == "not compared with England"
    no_ci = benchmark_summary._comparison(None, None, 10.0, meta(), "no counts")
    assert no_ci.label == "not compared" and "no counts" in no_ci.note
    assert benchmark_summary._comparison(1.0, 2.0, None, meta(), "").label == "not compared"
    better = benchmark_summary._comparison(8.0, 9.0, 10.0, meta(), "Wilson")
    assert better.label == "better" and "8%" in summary_figures.detail(better, meta())


def test_summary_data_lists_value_rank_band_comparators_and_flags():
    comp = comparison({LA: 12.0, **dict.fromkeys(N, 10.0)})
    none = benchmark_summary.Comparison(
        "not compared", None, None, 10.0, "no confidence interval: no counts"
    )
    summary = benchmark_summary.SummaryView(
        meta=meta(),
        la_name="Blackpool",
        period_label="2024",
        la_value=12.0,
        la_status=None,
        rank_text="=12th of 150 ranked, 1 = best",
        band="C",
        band_note="quartiles",
        england=england(10.0),
        region=None,
        neighbours=comp,
        average_label="SN mean",
        interval_note="numerator or denominator unknown",
        vs_england=none,
        vs_neighbours=none,
    )
    view = summary_figures.summary_data(summary)
    measures = dict(zip(view.frame["Measure"], view.frame["Value"], strict=True))
    assert measures["Rank among all LAs"] == "=12th of 150 ranked, 1 = best"
    assert measures["Quartile band (A = best quarter)"] == "C"
    assert measures["SN mean"] == "10%"
    assert measures["Compared with England"] == "not compared"
    assert "10 of 10 with data" in view.frame.set_index("Measure").loc["SN mean", "Notes"]
    text = summary_figures.summary_text(summary)
    assert (
        text.startswith("Blackpool, 2024: 12%, =12th of 150")
        and "Not compared with England" in text
    )


def test_a_significant_difference_is_never_shown_as_equal_numbers():
    # 23.4% with interval 21.94 to 25.1 is worse (low is better) than a mean of 21.86: at one
    # decimal both would read 21.9.
    m = meta(decimals=1)
    worse = benchmark_summary.Comparison("worse", 21.94, 25.1, 21.86, "Wilson")
    assert summary_figures.separating_decimals(worse, m) == 2
    text = summary_figures.detail(worse, m)
    assert "21.94%" in text and "21.86%" in text
    similar = benchmark_summary.Comparison("similar", 20.0, 25.1, 21.86, "Wilson")
    assert summary_figures.separating_decimals(similar, m) == 1
    far = benchmark_summary.Comparison("worse", 30.0, 35.0, 21.86, "Wilson")
    assert "30.0%" in summary_figures.detail(far, m)


def test_a_count_never_shares_an_axis_with_englands_total():
    points = [full_year(2023, 9.0), full_year(2024, 12.0)]
    apart = vb.SeriesView(
        meta(), "Blackpool", group_of(), tuple(points), "North West", separate_scale=True
    )
    fig = series_figures.series_chart(apart)
    by_name = {t.name: t for t in fig.data}
    assert by_name["England (lower panel)"].yaxis == "y3"
    assert by_name["North West (lower panel)"].yaxis == "y3"
    assert by_name["Blackpool (selected)"].yaxis in (None, "y")
    top, bottom = fig.layout.yaxis.domain, fig.layout.yaxis3.domain
    assert bottom[1] < top[0]  # two panels, no overlap
    together = series_figures.series_chart(series(points))
    assert {t.yaxis for t in together.data if t.name == "England"} <= {None, "y"}
