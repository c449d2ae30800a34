"""Figures of the LA benchmark page: traces, colours by polarity, units, the selected LA."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import figures.benchmark as fb
import indicators as ind
from data.schema import IndicatorMeta, Polarity, ValueType
from figures.style import BETTER, NEUTRAL, QUARTILE_COLOURS, SELECTED, SIMILAR, WORSE

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
    return fb.SeriesPoint(
        tp,
        str(tp),
        la,
        None if la is not None else (status or "c"),
        comparison(data, statuses, tp),
        ind.Comparator("E12000002", "North West", 11.0, None, False, "published", None, None),
        england(12.0),
    )


def test_series_chart_draws_la_neighbours_region_england_with_gaps():
    points = [
        full_year(2021, 9.0),
        full_year(2022, None, status="c"),
        full_year(2023, 11.0, missing=1),
        full_year(2024, 12.0, missing=6),
    ]
    m = meta()
    fig = fb.series_chart(
        points, m, la_name="Blackpool", average_label="SN mean", region_name="North West"
    )
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
    gaps = by_name["Blackpool: not published"]
    assert list(gaps.x) == ["2022"] and "c (confidential" in gaps.text[0]
    assert fig.layout.yaxis.title.text == "Per cent (%)"


def test_series_summary_warns_about_incomplete_and_weak_neighbour_averages():
    points = [full_year(2023, 11.0, missing=1), full_year(2024, None, missing=6)]
    text = fb.series_summary(points, meta(), la_name="Blackpool", average_label="SN mean")
    assert "Blackpool: 11% in 2023" in text
    assert "Not published for Blackpool: 2024 (c)" in text
    assert "2023 (9 of 10)" in text
    assert f"fewer than {ind.MIN_WITH_DATA} neighbours had data in 2024" in text


def test_series_data_has_one_row_per_year_and_keeps_missing_as_nan():
    points = [full_year(2021, 9.0), full_year(2022, None, status="x")]
    view = fb.series_data(points, meta(), la_name="Blackpool", average_label="SN mean")
    assert list(view.frame["Year"]) == ["2021", "2022"]
    assert np.isnan(view.frame["Blackpool"].iloc[1])
    assert view.frame["Blackpool: status"].tolist() == ["", "x"]
    assert view.frame["Neighbours with data"].tolist() == ["10 of 10", "10 of 10"]


def test_series_chart_with_nothing_published_says_so():
    blank = fb.SeriesPoint(2024, "2024", None, "c", None, None, england(None))
    fig = fb.series_chart(
        [blank], meta(), la_name="Blackpool", average_label="SN mean", region_name=None
    )
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


def test_group_bar_colours_the_best_and_worst_by_polarity_and_keeps_missing_members():
    perf, comp = group(Polarity.LOW_IS_BETTER)
    fig = fb.group_bar(
        perf, comp, meta(), names=NAMES, period_label="2024", average_label="SN mean", england=9.0
    )
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
    perf, comp = group(Polarity.HIGH_IS_BETTER)
    fig = fb.group_bar(
        perf,
        comp,
        meta(Polarity.HIGH_IS_BETTER),
        names=NAMES,
        period_label="2024",
        average_label="SN mean",
    )
    colours = dict(zip(fig.data[0].y, fig.data[0].marker.color, strict=True))
    assert colours["1. Neighbour 9 (Close)"] == BETTER
    perf, comp = group(Polarity.NONE)
    fig = fb.group_bar(
        perf, comp, meta(Polarity.NONE), names=NAMES, period_label="2024", average_label="m"
    )
    bar = fig.data[0]
    assert set(bar.marker.color) <= {NEUTRAL, SELECTED, SIMILAR}
    assert "highest in group" in bar.text[0]


def test_group_data_and_summary_list_every_member():
    perf, comp = group(Polarity.LOW_IS_BETTER)
    view = fb.group_data(perf, meta(), names=NAMES)
    assert len(view.frame) == 11
    last = view.frame.iloc[-1]
    assert last["Area code"] == "E10000006" and last["Status"].startswith("z (")
    text = fb.group_summary(
        perf, comp, meta(), names=NAMES, period_label="2024", average_label="SN mean"
    )
    assert "Blackpool is joint 8th of the 10 members with data" in text
    assert "No value: Neighbour 10 (z)" in text


# ---- spine ----
def spine_input():
    rows = []
    las = [LA, *N[:9], "E06000001"]
    specs = {
        "low": (Polarity.LOW_IS_BETTER, 10.0),
        "high": (Polarity.HIGH_IS_BETTER, None),  # England not published
        "none": (Polarity.NONE, 50.0),
    }
    for k, (ind_id, (_, eng)) in enumerate(specs.items()):
        for i, code in enumerate(las):
            rows.append((ind_id, code, 2024, float(i + k), None, "2024"))
        rows.append((ind_id, "E92000001", 2024, np.nan if eng is None else eng, None, "2024"))
        rows.append((ind_id, "E06000002", 2024, np.nan, "c", "2024"))
    frame = pd.DataFrame(
        rows,
        columns=[
            "indicator_id",
            "area_code",
            "time_period",
            "value",
            "value_status",
            "period_label",
        ],
    ).assign(numerator=np.nan, denominator=np.nan)
    metas = [
        meta(
            p, indicator_id=i, short_title=f"Row {i}", value_type=ValueType.OTHER, multiplier=None
        )
        for i, (p, _) in specs.items()
    ]
    return frame, metas, [*las, "E06000002"]


def test_spine_rows_standardise_so_better_is_right_and_match_the_indicator_functions():
    frame, metas, las = spine_input()
    rows = fb.spine_rows(
        frame, metas, area_code=LA, la_codes=las, neighbour_codes=N, statistic="median"
    )
    assert rows["indicator_id"].tolist() == ["low", "high", "none"]
    low, high, none = (rows.iloc[i] for i in range(3))
    assert low["n"] == 11 and low["minimum"] == 0 and low["maximum"] == 10
    # Low is better: England (10) is the centre, Blackpool (0, the best) at the right edge.
    assert low["x_la"] == pytest.approx(1.0) and low["x_max"] == pytest.approx(0.0)
    # England not published: centred on the median LA (6 for values 1..11).
    assert np.isnan(high["england"]) and high["centre"] == 6.0
    assert high["x_la"] == pytest.approx(-1.0)
    assert none["band"] is None and none["sign"] == 1.0
    for r, m in zip(rows.itertuples(), metas, strict=True):
        v = frame[frame["indicator_id"] == m.indicator_id].drop(columns="indicator_id")
        las_only = v[v["area_code"].isin(las)]
        bands = ind.quartile_bands(las_only, polarity=m.polarity)
        expected = bands.bands.set_index("area_code")["band"][LA]
        assert r.band == expected
        comp = ind.compare_to_neighbours(
            v,
            neighbours(),
            area_code=LA,
            sn_release="2021",
            statistic=ind.NeighbourStatistic.MEDIAN,
        )
        assert r.neighbour_value == pytest.approx(comp.value)
        assert r.n_with_data == comp.n_with_data


def test_spine_chart_draws_ranges_england_neighbours_and_the_la_by_band():
    frame, metas, las = spine_input()
    rows = fb.spine_rows(
        frame, metas, area_code=LA, la_codes=las, neighbour_codes=N, statistic="mean"
    )
    fig = fb.spine_chart(rows, la_name="Blackpool", colour_by="band", average_label="SN mean")
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
    assert rows["centred_on"].tolist() == ["England", "median LA", "median LA"]
    band_a = next(t for t in fig.data if t.name == "Blackpool: quartile A")
    assert band_a.marker.color == QUARTILE_COLOURS["A"] and len(band_a.x) == 1
    assert fig.layout.xaxis.ticktext[:3] == ("← worse", "England", "better →")
    assert fig.data[0].y[2].endswith("· higher →")  # no polarity: higher to the right
    sig = fb.spine_chart(rows, la_name="B", colour_by="significance", average_label="m")
    assert {t.name for t in sig.data} >= {"B: not compared (no counts published behind the value)"}


def test_spine_data_and_summary_describe_the_method_and_the_cap():
    frame, metas, las = spine_input()
    rows = fb.spine_rows(
        frame, metas, area_code=LA, la_codes=las, neighbour_codes=N, statistic="mean"
    )
    view = fb.spine_data(rows, la_name="Blackpool", average_label="SN mean")
    assert view.frame["Quartile band"].tolist() == ["A", "D", "-"]
    assert view.frame["LAs with a value"].tolist() == [11, 11, 11]
    text = fb.spine_summary(
        rows, la_name="Blackpool", topic="T", n_with_data=50, n_in_topic=60, colour_by="band"
    )
    assert "centred on England" in text and "better is always to the right" in text
    assert "2 rows are centred on the median LA instead" in text
    assert "Showing the first 3 of 50" in text and "10 indicators of the topic" in text


def test_latest_rows_keeps_each_indicators_latest_period_and_caps():
    frame, metas, las = spine_input()
    old = frame.assign(time_period=2023, value=99.0)
    both = pd.concat([old, frame], ignore_index=True)
    periods = {m.indicator_id: ((2023, "2023"), (2024, "2024")) for m in metas}
    ids = [m.indicator_id for m in metas]
    rows, n = fb.latest_rows(both, ids, periods, la_codes=las, limit=2)
    assert n == 3
    assert set(rows["indicator_id"]) == {"low", "high"}
    assert set(rows["time_period"]) == {2024}
    cat = both.astype({"indicator_id": "category", "area_code": "category"})
    rows_cat, n_cat = fb.latest_rows(cat, ids, periods, la_codes=las, limit=2)
    pd.testing.assert_frame_equal(rows_cat, rows)
    assert n_cat == 3


def test_spine_of_nothing_says_so():
    empty = fb.spine_rows(
        pd.DataFrame(), [], area_code=LA, la_codes=[], neighbour_codes=[], statistic="mean"
    )
    assert empty.empty
    fig = fb.spine_chart(empty, la_name="B", colour_by="band", average_label="m")
    assert "No indicator" in fig.layout.annotations[0].text


# ---- summary helpers ----
def test_compared_with_and_significance_never_say_similar_without_an_interval():
    assert fb.compared_with("better", "England") == "better than England"
    assert fb.compared_with("similar", "England") == "similar to England"
    assert fb.compared_with(ind.NOT_COMPARED, "England") == "not compared with England"
    s = fb.significance(None, None, 10.0, "similar", meta(), interval_note="no counts")
    assert s.label == "not compared" and "no counts" in s.detail
    s = fb.significance(1.0, 2.0, None, "similar", meta(), interval_note="")
    assert s.label == "not compared"
    s = fb.significance(8.0, 9.0, 10.0, "better", meta(), interval_note="")
    assert s.label == "better" and "8%" in s.detail


def test_summary_data_lists_value_rank_band_comparators_and_flags():
    comp = comparison({LA: 12.0, **dict.fromkeys(N, 10.0)})
    summary = fb.BenchmarkSummary(
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
        interval=(None, None, "numerator or denominator unknown"),
        vs_england=fb.Significance("not compared", "no interval"),
        vs_neighbours=fb.Significance("not compared", "no interval"),
    )
    view = fb.summary_data(summary, meta())
    measures = dict(zip(view.frame["Measure"], view.frame["Value"], strict=True))
    assert measures["Rank among all LAs"] == "=12th of 150 ranked, 1 = best"
    assert measures["Quartile band (A = best quarter)"] == "C"
    assert measures["SN mean"] == "10%"
    assert measures["Compared with England"] == "not compared"
    assert "10 of 10 with data" in view.frame.set_index("Measure").loc["SN mean", "Notes"]
    text = fb.summary_text(summary, meta())
    assert (
        text.startswith("Blackpool, 2024: 12%, =12th of 150")
        and "Not compared with England" in text
    )


def test_band_of_and_own_interval():
    v = values({LA: 5.0, "E06000001": 10.0, "E06000002": 20.0, "E06000003": 30.0})
    bands = ind.quartile_bands(v, polarity=Polarity.LOW_IS_BETTER)
    assert fb.band_of(bands, LA)[0] == "A"
    none = ind.quartile_bands(v, polarity=Polarity.NONE)
    assert fb.band_of(none, LA) == ("-", none.reason)
    counts = v.assign(numerator=[5.0, 1.0, 2.0, 3.0], denominator=[100.0, 10.0, 10.0, 10.0])
    ci = ind.confidence_intervals(counts, value_type=ValueType.PROPORTION, multiplier=100)
    lower, upper, note = fb.own_interval(ci, LA)
    assert lower < 5.0 < upper and "Wilson" in note
    assert fb.own_interval(ci, "E09999999")[0] is None
