"""Variation page handlers, called directly with the demo store (no Dash server)."""

import numpy as np
import pytest

import views.variation as vv
from callbacks.csv_files import csv_text
from callbacks.variation import (
    CHOOSE,
    best_worst_chart,
    checked_n,
    distribution_chart,
    funnel_chart,
    narrowing_chart,
    summary_strip,
    within_groups_chart,
)
from figures.tables import table_payload
from tests.store_support import make_store

IND = "lait_lacstable_2016on"
GAP = "gap_lac_ks4_avg_attain8"  # a gap: negative mean, so no coefficient of variation
BLACKPOOL = "E06000009"


def strip_text(strip) -> dict[str, str]:
    """label -> figure of each strip item."""
    return {li.children[1]: li.children[0].children for li in strip}


def test_best_worst_chart_draws_ten_each_side_and_the_selected_la(tiny_store):
    fig, caption, view = best_worst_chart(tiny_store, IND, "202425", BLACKPOOL, "10")
    bars = fig.data[0]
    assert len(bars.x) >= 20  # ties at the cut-off may add more
    assert "LAs ranked" in caption
    assert set(view.frame["Group"]) >= {"best", "worst"}
    assert fig.layout.xaxis.title.text.endswith("(%)")
    # polarity low: the best side is dark blue, the worst orange
    assert {"#12436D", "#F46A25"} <= set(bars.marker.color)


def test_unknown_inputs_give_a_sentence_not_a_stale_chart(tiny_store):
    for handler, rest in (
        (best_worst_chart, (None, "10")),
        (distribution_chart, (None,)),
        (funnel_chart, (None, "none")),
    ):
        for bad in ("no-such-indicator", {"x": 1}, None):
            fig, caption, view = handler(tiny_store, bad, "2025", *rest)
            assert caption == CHOOSE and view.empty
            assert fig.layout.annotations[0].text == CHOOSE
    strip, note = summary_strip(tiny_store, "no-such-indicator", None, None)
    assert strip == [] and note[0].children == CHOOSE
    # an unknown period falls back to the latest, an unknown LA to none, a bad n to 10
    fig, _, _ = best_worst_chart(tiny_store, IND, "1999", "<img src=x>", "lots")
    assert fig.data
    assert (checked_n("lots"), checked_n("0"), checked_n(500), checked_n("5")) == (10, 1, 50, 5)


def test_summary_strip_of_an_indicator_with_a_negative_mean(tiny_store):
    """Issue 10.1: the CV of a gap (negative mean) raised TypeError and left the previous
    indicator's England, median and IQR on screen; now it says why there is no CV."""
    strip, _ = summary_strip(tiny_store, GAP, None, None)
    shown = strip_text(strip)
    assert shown["Coefficient of variation"] == "not defined (the mean is negative)"
    assert shown["Highest / lowest tenth (P90 / P10)"] == "not defined (P10 is 0 or below)"
    tp = tiny_store.catalogue.periods[GAP][-1][0]
    view = vv.spread_view(tiny_store, GAP, tp, None)
    assert view.cv is None and view.median is not None and view.median < 0
    assert shown["Median LA"] == f"{view.median:,.1f}"


def test_switching_indicator_replaces_every_figure_of_the_strip(tiny_store):
    before = strip_text(summary_strip(tiny_store, IND, None, BLACKPOOL)[0])
    after = strip_text(summary_strip(tiny_store, GAP, None, BLACKPOOL)[0])
    assert set(before) == set(after)  # the same items, each recomputed
    for label in ("England", "Median LA", "Middle half of LAs (25th to 75th percentile)"):
        assert before[label] != after[label], label
    assert before["Coefficient of variation"].endswith("%")


def test_the_strip_notes_the_selected_las_place(tiny_store):
    _, note = summary_strip(tiny_store, IND, "202425", BLACKPOOL)
    assert note[0].children.startswith("Blackpool: ") and "of 150 ranked" in note[0].children
    _, none = summary_strip(tiny_store, IND, "202425", None)
    assert none == []


def test_distribution_lists_every_competing_la(tiny_store):
    fig, caption, view = distribution_chart(tiny_store, IND, "202425", BLACKPOOL)
    assert any("Blackpool" in (t.name or "") for t in fig.data)
    assert "median" in caption
    ranked = vv.ranked_las(tiny_store, IND, 202425)
    assert len(view.frame) == len(ranked)
    assert view.frame["Rank"].iloc[0] in ("1", "=1")  # rank order, the not ranked last
    assert view.frame["Status"].iloc[-1] != ""


def test_funnel_chart_with_and_without_counts(tiny_store):
    _, caption, view = funnel_chart(tiny_store, IND, "202425", None, "none")
    assert "outside the 95% limits" in caption
    assert not view.empty
    _, adj_caption, _ = funnel_chart(tiny_store, IND, "202425", None, "random")
    assert "over-dispersion" in adj_caption or "random" in adj_caption
    assert adj_caption != caption
    _, caption, view = funnel_chart(tiny_store, "lait_avg_attain8_score", "202425", None, "none")
    assert "needs the counts" in caption
    assert view.empty


def test_all_missing_period_says_so(tiny_store):
    tables = {
        "values": tiny_store.values.assign(value=np.nan, value_status="x"),
        "indicators": tiny_store.indicators,
        "areas": tiny_store.areas,
        "statistical_neighbours": tiny_store.neighbours,
    }
    blank = make_store(tables)
    fig, caption, view = best_worst_chart(blank, IND, "202425", None, "10")
    assert "No LA has a published value" in caption
    assert fig.layout.annotations[0].text.startswith("No LA")
    assert "not ranked" in " ".join(view.frame["Group"])
    strip, _ = summary_strip(blank, IND, "202425", BLACKPOOL)
    shown = strip_text(strip)
    assert shown["LAs with a value"] == "0"
    assert shown["Coefficient of variation"] == "not defined (no LA has a value)"
    assert shown["Middle half of LAs (25th to 75th percentile)"].startswith("not defined")


def test_table_and_csv_hold_the_same_rows(tiny_store):
    _, _, view = best_worst_chart(tiny_store, IND, "202425", BLACKPOOL, "5")
    table = table_payload(view, selected=BLACKPOOL)
    assert len(table["rows"]) == len(view.frame)
    assert [c["name"] for c in table["columns"]] == list(view.frame.columns)
    lines = csv_text(view).strip().splitlines()
    assert len(lines) == len(view.frame) + 1


def test_the_page_arrives_with_its_strip_and_charts_drawn(tiny_store, clear_dash_pages):
    from app import create_app
    from callbacks.initial import initial_outputs
    from layouts.variation import layout
    from tests.layout_support import by_id

    app = create_app(store=tiny_store)
    page = initial_outputs(app).prefill(layout(tiny_store.catalogue, indicator=GAP, la=BLACKPOOL))
    shown = strip_text(by_id(page, "var-stats").children)
    assert shown["Coefficient of variation"] == "not defined (the mean is negative)"
    assert by_id(page, "var-note").children[0].children.startswith("Blackpool: ")
    assert by_id(page, "var-bw-graph").figure["data"]  # drawn, not waiting for a callback


def test_only_the_first_chart_is_computed_with_the_page(tiny_store, clear_dash_pages):
    """The others are put off: no figure, their block names their "wanted" flag, left False;
    their callback answers nothing until the flag is set, then the chart."""
    from dash.exceptions import PreventUpdate

    from app import create_app
    from callbacks.common import filled
    from callbacks.initial import initial_outputs
    from layouts.variation import layout
    from tests.layout_support import by_id

    app = create_app(store=tiny_store)
    page = initial_outputs(app).prefill(layout(tiny_store.catalogue, indicator=IND, la=BLACKPOOL))
    assert by_id(page, "var-bw-graph").figure["data"]
    assert by_id(page, "var-bw-wanted").data is True
    assert getattr(by_id(page, "var-bw-figure"), "data-chart-put-off", None) is None
    for prefix in ("var-dist", "var-funnel", "var-need", "var-within", "var-trend"):
        assert getattr(by_id(page, f"{prefix}-graph"), "figure", None) is None, prefix
        assert by_id(page, f"{prefix}-wanted").data is False
        assert getattr(by_id(page, f"{prefix}-figure"), "data-chart-put-off") == f"{prefix}-wanted"
    block = next(b for b in initial_outputs(app).blocks if b.chart == "var-trend")
    values = [by_id(page, i).value for i in block.inputs]
    with pytest.raises(PreventUpdate):
        filled(block.fill, len(values), True, *values, False)
    figure, style, caption = filled(block.fill, len(values), True, *values, True)
    assert style == {"height": f"{figure['layout']['height']}px"} and caption
    assert figure == block.fill(*values)[("var-trend-graph", "figure")] and figure["data"]


def test_a_chart_that_could_not_be_asked_for_is_drawn_with_the_page(tiny_store, clear_dash_pages):
    """A chart block without its "wanted" flag in the layout is never put off."""
    from app import create_app
    from callbacks.initial import initial_outputs
    from layouts.variation import layout
    from tests.layout_support import by_id

    app = create_app(store=tiny_store)
    page = layout(tiny_store.catalogue, indicator=IND, la=BLACKPOOL)
    trend = by_id(page, "var-trend-figure")
    trend.children = [c for c in trend.children if getattr(c, "id", None) != "var-trend-wanted"]
    page = initial_outputs(app).prefill(page)
    assert by_id(page, "var-trend-graph").figure["data"]
    assert getattr(by_id(page, "var-trend-figure"), "data-chart-put-off", None) is None
    assert getattr(by_id(page, "var-need-figure"), "data-chart-put-off") == "var-need-wanted"


def test_within_groups_chart_gives_each_release_its_share_and_interval(tiny_store):
    fig, caption, view = within_groups_chart(tiny_store, IND, "202425")
    assert view.frame["Neighbour release"].tolist() == ["2025", "2021"]
    shares = fig.data[-1]
    assert list(shares.y) == ["2025 neighbours", "2021 neighbours"]
    assert list(shares.x) == pytest.approx(view.frame["Within-group share"].tolist())
    assert "A ratio of 1 means neighbours are no more alike than LAs picked at random" in caption
    # another year gives other numbers, never the previous ones
    _, _, before = within_groups_chart(tiny_store, IND, "202324")
    assert before.frame["Within-group share"].tolist() != view.frame["Within-group share"].tolist()
    assert within_groups_chart(tiny_store, None, "202425")[1] == CHOOSE


def test_narrowing_chart_follows_the_release_and_matches_the_panel(tiny_store):
    _, caption, view = narrowing_chart(tiny_store, IND, "2021")
    assert "(2021 neighbours)" in caption and view.frame["Year"].iloc[-1] == "2025"
    _, _, panel = within_groups_chart(tiny_store, IND, None)  # the latest year
    latest = view.frame.iloc[-1]
    in_panel = panel.frame.set_index("Neighbour release").loc["2021"]
    for column in ("Within-group share", "95% lower", "95% upper"):
        trend_column = {"95% lower": "Share: 95% lower", "95% upper": "Share: 95% upper"}
        assert latest[trend_column.get(column, column)] == in_panel[column]
    _, other, _ = narrowing_chart(tiny_store, IND, "1999")  # unknown: the newest release
    assert "(2025 neighbours)" in other
    assert narrowing_chart(tiny_store, "nope", "2025")[1] == CHOOSE


def test_the_need_panel_draws_the_view_of_the_chosen_indicator_and_period(tiny_store):
    from callbacks.variation import need_chart

    latest = tiny_store.catalogue.periods["lait_lacstable_2016on"][-1][0]
    figure, caption, data = need_chart(tiny_store, "lait_lacstable_2016on", str(latest), None)
    assert (
        figure.data
        and caption.startswith("Need (")
        and data.caption.endswith(tiny_store.catalogue.periods["lait_lacstable_2016on"][-1][1])
    )
    _, caption, _ = need_chart(tiny_store, "no_such_indicator", None, None)
    assert caption == "Choose an indicator to see how local authorities vary."
