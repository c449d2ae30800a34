"""LA benchmark handlers, called directly with the demo store (no Dash server)."""

from __future__ import annotations

import numpy as np
import pytest
from dash.exceptions import PreventUpdate

import callbacks.benchmark as cb
import callbacks.common as common
import figures.spine as spine_figures
import indicators as ind
import views.benchmark as vb
from data.store import Store
from figures.style import SELECTED
from tests.store_support import make_store
from views import benchmark_spine

BLACKPOOL = "E06000009"
NORTH_TYNESIDE = "E08000022"  # Cumbria is its first neighbour in the 2021 release
CUMBRIA = "E10000006"
STABILITY = "lait_lacstable_2016on"


def latest(store: Store, indicator_id: str = STABILITY) -> str:
    return str(store.catalogue.periods[indicator_id][-1][0])


def trace(fig, name: str):
    return next(t for t in fig.data if t.name == name)


# ---- time series ----
def test_series_view_matches_the_store_and_compare_to_neighbours(tiny_store):
    fig, caption, view = cb.series_chart(tiny_store, BLACKPOOL, STABILITY, "2025", "mean", [])
    periods = tiny_store.catalogue.periods[STABILITY]
    la = trace(fig, "Blackpool (selected)")
    assert la.line.color == SELECTED
    assert list(la.x) == [label for _, label in periods]
    for (tp, _), y, nb in zip(
        periods, la.y, trace(fig, vb.group_label("2025", "mean")).y, strict=True
    ):
        rows = tiny_store.indicator_values(STABILITY, time_period=tp)
        own = rows.loc[rows["area_code"] == BLACKPOOL, "value"].iloc[0]
        assert (y is None and np.isnan(own)) or y == own
        expected = ind.compare_to_neighbours(
            rows, tiny_store.neighbours, area_code=BLACKPOOL, sn_release="2025"
        )
        assert nb == pytest.approx(expected.value)
    assert len(view.frame) == len(periods)
    assert "Blackpool" in caption and "(10 of 10 with data)" in caption
    assert fig.layout.yaxis.title.text == "Per cent (%)"


def test_series_view_median_differs_from_mean_and_equals_the_median(tiny_store):
    _, _, mean = cb.series_chart(tiny_store, BLACKPOOL, STABILITY, "2025", "mean", [])
    _, _, median = cb.series_chart(tiny_store, BLACKPOOL, STABILITY, "2025", "median", [])
    m_col = vb.group_label("2025", "median")
    assert m_col in median.frame.columns
    tp = tiny_store.catalogue.periods[STABILITY][-1][0]
    rows = tiny_store.indicator_values(STABILITY, time_period=tp)
    group = ind.neighbour_group(tiny_store.neighbours, area_code=BLACKPOOL, sn_release="2025")
    values = rows.set_index("area_code").loc[group["neighbour_code"], "value"]
    assert median.frame[m_col].iloc[-1] == pytest.approx(values.median())
    assert not np.allclose(
        mean.frame[vb.group_label("2025", "mean")].to_numpy(), median.frame[m_col].to_numpy()
    )


def test_series_view_with_a_custom_group(tiny_store):
    custom = ["E06000001", "E06000002", "E06000003", BLACKPOOL, "not-a-code"]
    fig, _, view = cb.series_chart(tiny_store, BLACKPOOL, STABILITY, "2025", "mean", custom)
    label = "Custom group's mean (3 LAs)"
    assert label in {t.name for t in fig.data}
    assert set(view.frame["Neighbours with data"]) <= {"3 of 3", "2 of 3", "1 of 3", "0 of 3"}
    tp = tiny_store.catalogue.periods[STABILITY][-1][0]
    rows = tiny_store.indicator_values(STABILITY, time_period=tp).set_index("area_code")
    assert view.frame[label].iloc[-1] == pytest.approx(rows.loc[custom[:3], "value"].mean())


def test_series_view_compares_a_london_la_with_inner_or_outer_london(tiny_store):
    lambeth = "E09000022"
    region = tiny_store.areas.set_index("area_code").loc[lambeth, "region_code"]
    fig, _, view = cb.series_chart(tiny_store, lambeth, STABILITY, "2025", "mean", [])
    name = tiny_store.area_name(region)
    assert name in {"Inner London", "Outer London"}
    assert (
        name in {t.name for t in fig.data} or view.frame["Region"].str.startswith("London").all()
    )


def test_series_view_needs_an_la_and_a_known_indicator(tiny_store):
    fig, caption, view = cb.series_chart(tiny_store, None, STABILITY, "2025", "mean", [])
    assert caption == "Choose a local authority." and view.empty
    assert fig.layout.annotations[0].text == caption
    with pytest.raises(PreventUpdate):
        cb.series_chart(tiny_store, BLACKPOOL, "<script>", "2025", "mean", [])


# ---- neighbour group ----
def test_group_view_2021_release_lists_abolished_cumbria_with_no_value(tiny_store):
    fig, caption, view = cb.group_chart(
        tiny_store, NORTH_TYNESIDE, STABILITY, latest(tiny_store), "2021", "mean", []
    )
    rows = view.frame.set_index("Area code")
    assert len(rows) == 11  # the LA and all 10 neighbours, none dropped
    assert rows.loc[CUMBRIA, "Closeness"] == "Extremely close"
    assert np.isnan(rows.loc[CUMBRIA, view.frame.columns[5]])
    assert rows.loc[CUMBRIA, "Status"].startswith("z")
    cumbria = next(lab for lab in fig.data[0].y if "Cumbria" in lab)
    assert cumbria.endswith("no value (z)")
    assert "No value: Cumbria (z)" in caption
    assert "(8 of 10 neighbours with data)" in caption  # Cumbria and Bournemouth (z)


def test_group_view_marks_the_high_and_low_performer_and_the_la(tiny_store):
    period = latest(tiny_store)
    fig, _, view = cb.group_chart(tiny_store, BLACKPOOL, STABILITY, period, "2025", "mean", [])
    values = tiny_store.indicator_values(STABILITY, time_period=int(period))
    perf = ind.group_performance(
        values,
        tiny_store.neighbours,
        area_code=BLACKPOOL,
        polarity=tiny_store.indicator_meta(STABILITY).polarity,
        sn_release="2025",
    )
    marked = view.frame.set_index("Area code")["Marked"]
    for code in perf.top:
        assert marked[code] == "best in group"
    for code in perf.bottom:
        assert marked[code] == "worst in group"
    colours = dict(zip(fig.data[0].y, fig.data[0].marker.color, strict=True))
    assert colours[next(y for y in colours if "Blackpool" in y)] == SELECTED


def test_group_view_for_an_la_outside_the_release_says_so(tiny_store):
    in_2025 = set(
        tiny_store.neighbours.loc[tiny_store.neighbours["sn_release"] == "2025", "area_code"]
    )
    assert CUMBRIA not in in_2025
    _, caption, view = cb.group_chart(
        tiny_store, CUMBRIA, STABILITY, latest(tiny_store), "2025", "mean", []
    )
    assert "no statistical neighbours in the 2025 release" in caption and view.empty
    _, caption, _ = cb.series_chart(tiny_store, CUMBRIA, STABILITY, "2025", "mean", [])
    assert "no statistical neighbours in the 2025 release" in caption


# ---- summary table ----
def test_summary_view_rank_band_and_flags(tiny_store):
    period = latest(tiny_store)
    caption, view = cb.summary_table(tiny_store, BLACKPOOL, STABILITY, period, "2025", "mean", [])
    table = view.frame.set_index("Measure")
    values = tiny_store.indicator_values(STABILITY, time_period=int(period))
    eligible = ind.eligible_values(values, tiny_store.areas, published_grace_days=366)
    meta = tiny_store.indicator_meta(STABILITY)
    ranked = ind.rank_areas(eligible, polarity=meta.polarity)
    assert table.loc["Rank among all LAs", "Value"] == ind.describe_rank(ranked, BLACKPOOL)
    bands = ind.quartile_bands(eligible, polarity=meta.polarity).bands.set_index("area_code")
    assert table.loc["Quartile band (A = best quarter)", "Value"] == bands.loc[BLACKPOOL, "band"]
    assert table.loc["Compared with England", "Value"] in {"better", "similar", "worse"}
    label = vb.group_label("2025", "mean")
    assert "of 10 with data" in table.loc[label, "Notes"]
    assert caption.startswith("Blackpool, ")


def test_summary_view_says_not_compared_without_counts(tiny_store):
    ks4 = "lait_lac_ks4_avg_attain8"  # an average score: no interval method
    caption, view = cb.summary_table(
        tiny_store, BLACKPOOL, ks4, latest(tiny_store, ks4), "2025", "median", []
    )
    table = view.frame.set_index("Measure")
    assert table.loc["Compared with England", "Value"] == "not compared"
    assert "no interval method" in table.loc["Compared with England", "Notes"]
    assert "Not compared with England" in caption


def test_summary_view_of_a_no_polarity_indicator_has_no_band(tiny_store):
    rate = "cla_at_31_march_rate"
    _, view = cb.summary_table(tiny_store, BLACKPOOL, rate, None, "2025", "mean", [])
    table = view.frame.set_index("Measure")
    assert table.loc["Quartile band (A = best quarter)", "Value"] == "-"
    assert "1 = highest" in table.loc["Rank among all LAs", "Value"]
    assert table.loc["Compared with England", "Value"] in {"higher", "lower", "similar"}


# ---- all missing ----
@pytest.fixture(scope="module")
def blank_store(demo_tables):
    tables = dict(demo_tables)
    v = tables["values"]
    hit = (v["indicator_id"] == STABILITY).to_numpy()
    tables["values"] = v.assign(
        value=v["value"].where(~hit, np.nan),
        value_status=v["value_status"].astype(object).where(~hit, "c"),
        numerator=v["numerator"].where(~hit, np.nan),
        denominator=v["denominator"].where(~hit, np.nan),
    )
    return make_store(tables, {"release": "blank", "synthetic": True})


def test_an_all_missing_indicator_gives_sentences_not_empty_axes(blank_store):
    period = latest(blank_store)
    fig, caption, _ = cb.series_chart(blank_store, BLACKPOOL, STABILITY, "2025", "mean", [])
    assert fig.data == () and "No values are published" in caption
    fig, caption, _ = cb.group_chart(blank_store, BLACKPOOL, STABILITY, period, "2025", "mean", [])
    assert fig.data == () and "has a published value" in caption
    caption, view = cb.summary_table(blank_store, BLACKPOOL, STABILITY, period, "2025", "mean", [])
    assert "has no published value" in caption and "c (confidential" in caption
    assert view.frame.set_index("Measure").loc["Compared with England", "Value"] == "not compared"
    topic = blank_store.indicator_meta(STABILITY).topic
    _, _, spine = cb.spine_chart(blank_store, BLACKPOOL, topic, "2025", "mean", [], "band")
    assert blank_store.indicator_meta(STABILITY).title not in set(spine.frame["Indicator"])


# ---- spine ----
def test_spine_view_covers_the_topic_and_agrees_with_the_indicator_functions(tiny_store):
    topic = tiny_store.indicator_meta(STABILITY).topic
    _, caption, view = cb.spine_chart(tiny_store, BLACKPOOL, topic, "2025", "median", [], "band")
    topic_ids = [i for i, _, t in tiny_store.catalogue.indicators if t == topic]
    assert len(view.frame) == len(topic_ids)
    assert "centred on England" in caption
    group = ind.neighbour_group(tiny_store.neighbours, area_code=BLACKPOOL, sn_release="2025")
    label = vb.group_label("2025", "median")
    for indicator_id, row in zip(topic_ids, view.frame.itertuples(index=False), strict=True):
        meta = tiny_store.indicator_meta(indicator_id)
        tp = tiny_store.catalogue.periods[indicator_id][-1][0]
        values = tiny_store.indicator_values(indicator_id, time_period=tp)
        eligible = ind.eligible_values(values, tiny_store.areas, published_grace_days=366)
        assert (
            row[view.frame.columns.get_loc("LAs with a value")] == eligible["value"].notna().sum()
        )
        bands = ind.quartile_bands(eligible, polarity=meta.polarity, no_quartile=meta.no_quartile)
        band = bands.bands.set_index("area_code")["band"].get(BLACKPOOL)
        assert row[view.frame.columns.get_loc("Quartile band")] == (band or "-")
        comp = ind.compare_to_neighbours(
            values,
            tiny_store.neighbours,
            area_code=BLACKPOOL,
            sn_release="2025",
            statistic=ind.NeighbourStatistic.MEDIAN,
        )
        assert row[view.frame.columns.get_loc(label)] == pytest.approx(comp.value)
    assert len(group) == 10


def test_spine_view_caps_rows_and_colours_by_significance(tiny_store):
    topic = max(
        tiny_store.catalogue.topics,
        key=lambda t: sum(1 for _, _, x in tiny_store.catalogue.indicators if x == t),
    )
    fig, _, view = cb.spine_chart(
        tiny_store, BLACKPOOL, topic, "2021", "mean", ["E06000001"], "significance"
    )
    assert len(view.frame) <= benchmark_spine.SPINE_MAX_ROWS
    legends = {f"Blackpool: {text}" for _, text in spine_figures._SIGNIFICANCE_STYLE.values()}
    dots = [t.name for t in fig.data if t.type == "scatter" and t.mode == "markers"][2:]
    assert dots and set(dots) <= legends
    assert "Custom group's mean (1 LAs)" in view.frame.columns
    with pytest.raises(PreventUpdate):
        cb.spine_chart(tiny_store, BLACKPOOL, "no such topic", "2025", "mean", [], "band")


# ---- small glue ----
def test_choice_checks_release_statistic_and_group(tiny_store):
    assert cb.choice(tiny_store, BLACKPOOL, "2021", "mean", []).sn_release == "2021"
    assert cb.choice(tiny_store, BLACKPOOL, "1999", "mean", []).sn_release == "2025"
    assert cb.choice(tiny_store, BLACKPOOL, "2025", "median", []).statistic == "median"
    assert cb.choice(tiny_store, BLACKPOOL, "2025", {"x": 1}, []).statistic == "mean"
    many = [code for code, _ in tiny_store.catalogue.las][:30]
    c = cb.choice(tiny_store, many[0], "2025", "mean", many)
    assert len(c.custom) == 19 and many[0] not in c.custom  # 20 kept, the LA dropped
    grp = vb.comparison_group(tiny_store, many[0], "2025", c.statistic, c.custom)
    assert grp.kwargs == {"custom_codes": list(grp.custom)}
    c = cb.choice(tiny_store, BLACKPOOL, "2021", "median", "")
    grp = vb.comparison_group(tiny_store, BLACKPOOL, "2021", c.statistic, c.custom)
    assert grp.kwargs == {"sn_release": "2021"} and grp.available
    assert cb.choice(tiny_store, "<b>", "2025", "mean", []).la is None


def test_page_notes(tiny_store):
    notes = list(cb.page_notes(tiny_store, BLACKPOOL, STABILITY, "2025", []))
    assert notes == ["Lower is better for this indicator."]
    many = [*[code for code, _ in tiny_store.catalogue.las][:25], BLACKPOOL]
    notes = list(cb.page_notes(tiny_store, BLACKPOOL, "x", "2025", many))
    assert any("Only the first 20" in n for n in notes)
    assert any("custom group of" in n for n in notes)
    notes = list(cb.page_notes(tiny_store, BLACKPOOL, None, "2025", [BLACKPOOL]))
    assert notes == ["Blackpool is left out of its own comparison group."]


def test_choices_and_remembered_la(tiny_store):
    topic = tiny_store.indicator_meta(STABILITY).topic
    options, value = common.indicator_choices(tiny_store, topic, STABILITY)
    assert value == STABILITY and {"label", "value"} <= set(options[0])
    options, value = common.period_choices(tiny_store, STABILITY, "nonsense")
    assert value == options[0]["value"] == latest(tiny_store)
    with pytest.raises(PreventUpdate):
        common.indicator_choices(tiny_store, "no topic", None)
    nu = common.no_update
    # opened with the default LA: the remembered one replaces it, once
    assert common.remember_la(tiny_store, BLACKPOOL, "E06000001", "default") == (
        "E06000001",
        nu,
        "remembered",
    )
    assert common.remember_la(tiny_store, BLACKPOOL, "junk", "default") == (nu, nu, "remembered")
    assert common.remember_la(tiny_store, BLACKPOOL, None, "default") == (nu, nu, "remembered")
    # opened from a link, or changed here: remember it
    assert common.remember_la(tiny_store, BLACKPOOL, "E06000001", "url") == (nu, BLACKPOOL, nu)
    assert common.remember_la(tiny_store, "E06000001", BLACKPOOL, "remembered") == (
        nu,
        "E06000001",
        nu,
    )
    with pytest.raises(PreventUpdate):
        common.remember_la(tiny_store, "<b>", BLACKPOOL, "remembered")


def test_handlers_are_fast_enough_on_the_demo_store(tiny_store):
    import time

    topic = tiny_store.indicator_meta(STABILITY).topic
    start = time.perf_counter()
    cb.spine_chart(tiny_store, BLACKPOOL, topic, "2025", "mean", [], "band")
    assert time.perf_counter() - start < 2.0  # generous: a smoke check, not a benchmark


def test_register_adds_the_pages_callbacks(tiny_store):
    from dash import Dash

    app = Dash(__name__)
    cb.register(app, tiny_store)
    outputs = " ".join(app.callback_map)
    for prefix in ("bench-series", "bench-neighbours", "bench-spine"):
        assert f"{prefix}-graph.figure" in outputs and f"{prefix}-download.data" in outputs
    assert "bench-summary-table-data.data" in outputs
    assert "bench-summary-table.data-rows" in outputs  # drawn in the browser
    assert "bench-url-sync.data" in outputs


def test_a_count_series_puts_england_on_its_own_scale(tiny_store):
    count = next(
        i
        for i, _, _ in tiny_store.catalogue.indicators
        if tiny_store.indicator_meta(i).value_type == "count"
    )
    fig, _, _ = cb.series_chart(tiny_store, BLACKPOOL, count, "2025", "mean", [])
    england = next(t for t in fig.data if t.name.startswith("England"))
    assert england.yaxis == "y3" and england.name == "England (lower panel)"
    la = next(t for t in fig.data if t.name == "Blackpool (selected)")
    assert max(v for v in la.y if v is not None) < min(v for v in england.y if v is not None)


def test_a_reorganised_la_says_when_it_did_not_exist_and_marks_the_break(tiny_store):
    cumberland = "E06000063"  # created 1 April 2023 from Cumbria
    fig, caption, table = cb.series_chart(tiny_store, cumberland, STABILITY, "2025", "mean", [])
    view = vb.series_view(
        tiny_store, cumberland, STABILITY, "2025", ind.NeighbourStatistic.MEAN, ()
    )
    before = [p.period_label for p in view.points if not p.existed]
    assert (
        before and "did not exist in" in caption and "Not published for Cumberland" not in caption
    )
    assert any("created on 2023-04-01 from Cumbria" in why for _, why in view.breaks)
    assert "series break" in {a.text for a in fig.layout.annotations}
    statuses = dict(zip(table.frame["Year"], table.frame["Cumberland: status"], strict=True))
    assert {statuses[label] for label in before} == {"did not exist"}


def test_a_definition_that_starts_in_a_year_is_named_as_a_break(tiny_store):
    _, caption, _ = cb.series_chart(tiny_store, BLACKPOOL, STABILITY, "2025", "mean", [])
    code = tiny_store.indicator_meta(STABILITY).source_code
    assert code.lower().endswith("_2016on")
    assert "definition starts in 2016" in caption
