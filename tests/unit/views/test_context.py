"""National context: the view's series against the store tables read directly, the source rule,
gaps, an LA with no spend, an abolished and a created LA, and the page's charts, captions and
tables (demo store plus a few hand-made rows)."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from dash.exceptions import PreventUpdate

from callbacks.context import context_chart
from data.schema import ENGLAND_CODE
from figures.context import context_data, context_summary
from figures.markup import plain_figure
from tests.store_support import make_store
from views.context import CSC_LINES, SERIES, context_view, series_points

BLACKPOOL = "E06000009"
NO_SPEND = "E06000010"  # hand store: every s251 row of this LA removed
OLD_DORSET, NEW_DORSET = "E10000009", "E06000059"  # abolished 31 March 2019, created 1 April 2019
#: Hand-made LAIT CLA rates: 1000 + the EES rate, so a point shows which source it came from.
LAIT_SHIFT = 1000.0
#: The three s251 lines the demo store lacks, made from children looked after x a factor.
EXTRA_LINES = {
    "s251_safeguardingfinance": 0.5,
    "s251_familysupportfinance": 0.25,
    "s251_otherchildren_familyfinance": 0.125,
}


def _hand_tables() -> dict[str, pd.DataFrame]:
    """The demo tables plus LAIT CLA rates and the other children's social care lines.

    * ``lait_lac``: England's and Blackpool's EES CLA rate + 1000 in 2016-2018, and the same
      2016 and 2017 rows moved to 2014 and 2015 (years EES does not cover).
    * The three s251 lines the demo lacks: children looked after x 0.5, 0.25, 0.125; Blackpool
      has no family support in year ending 2019 (children's social care is then a gap).
    * Blackpool has no children in need (count or rate) at 31 March 2020.
    * ``NO_SPEND`` has no s251 row at all.
    Derived spend per child is computed after these changes, as ingest does.
    """
    from data.synthetic import build_demo_tables
    from indicators import derive_indicators

    tables, _ = build_demo_tables(seed=7)
    values, meta = tables["values"], tables["indicators"]
    cla = values[
        (values["indicator_id"] == "cla_at_31_march_rate")
        & values["area_code"].isin([ENGLAND_CODE, BLACKPOOL])
        & (values["year_end"] <= 2018)
    ]
    lait = cla.assign(indicator_id="lait_lac", value=cla["value"] + LAIT_SHIFT, source_id="lait")
    early = lait[lait["year_end"] <= 2017]
    early = early.assign(
        year_end=early["year_end"] - 2,
        time_period=early["time_period"] - 2,
        period_label=(early["year_end"] - 2).astype(str),
    )
    lac = values[values["indicator_id"] == "s251_totallacfinance"]
    lines = [lac.assign(indicator_id=i, value=lac["value"] * f) for i, f in EXTRA_LINES.items()]
    template = meta[meta["indicator_id"] == "s251_totallacfinance"].iloc[0]
    cla_meta = meta[meta["indicator_id"] == "cla_at_31_march_rate"].iloc[0]
    new_meta = [
        template.copy().to_dict() | {"indicator_id": i, "title": i, "short_title": i}
        for i in EXTRA_LINES
    ] + [cla_meta.to_dict() | {"indicator_id": "lait_lac", "source_id": "lait"}]
    values = pd.concat([values, lait, early, *lines], ignore_index=True)
    drop = (
        (values["area_code"] == BLACKPOOL)
        & (values["year_end"] == 2020)
        & values["indicator_id"].isin(["cin_at_31_march", "cin_at_31_march_rate"])
    )
    drop |= (
        (values["area_code"] == BLACKPOOL)
        & (values["year_end"] == 2019)
        & (values["indicator_id"] == "s251_familysupportfinance")
    )
    drop |= (values["area_code"] == NO_SPEND) & values["indicator_id"].str.startswith("s251_")
    values = values[~drop].reset_index(drop=True)
    meta = pd.concat([meta, pd.DataFrame(new_meta)], ignore_index=True)
    extra_values, extra_meta = derive_indicators(values, meta)
    return {
        **tables,
        "values": pd.concat([values, extra_values], ignore_index=True),
        "indicators": pd.concat([meta, extra_meta], ignore_index=True),
    }


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return _hand_tables()


@pytest.fixture(scope="module")
def store(tables):
    return make_store(tables, {"release": "context-hand", "synthetic": True})


def _table(tables, indicator: str, area: str) -> pd.Series:
    """An indicator's values for one area by year_end, read straight from the values table."""
    v = tables["values"]
    rows = v[(v["indicator_id"] == indicator) & (v["area_code"] == area)]
    return rows.set_index("year_end")["value"].astype(float).sort_index()


def _series(view, key: str) -> pd.Series:
    return view.of(key).set_index("year_end")["value"]


def test_counts_and_rates_are_the_store_values(store, tables):
    for area in (ENGLAND_CODE, BLACKPOOL):
        view = context_view(store, area)
        expected = _table(tables, "cin_at_31_march", area).dropna()
        got = _series(view, "cin_number")
        assert np.allclose(got[expected.index], expected)
        rate = _table(tables, "cin_at_31_march_rate", area).dropna()
        assert np.allclose(_series(view, "cin_rate")[rate.index], rate)
    assert context_view(store, ENGLAND_CODE).name == "England"


def test_ees_is_used_where_it_has_a_year_and_lait_only_elsewhere(store, tables):
    view = context_view(store, BLACKPOOL)
    points = view.of("cla_rate").set_index("year_end")
    ees = _table(tables, "cla_at_31_march_rate", BLACKPOOL).dropna()
    lait = _table(tables, "lait_lac", BLACKPOOL).dropna()
    assert set(lait.index) == {2014, 2015, 2016, 2017, 2018}
    for year in ees.index:
        assert points.loc[year, "value"] == pytest.approx(ees[year])  # not EES + 1000
        assert points.loc[year, "indicator_id"] == "cla_at_31_march_rate"
    for year in (2014, 2015):
        assert points.loc[year, "value"] == pytest.approx(lait[year])
        assert points.loc[year, "indicator_id"] == "lait_lac"
        assert points.loc[year, "source"] == "DfE LAIT"
    data = context_data("rates", [context_view(store, ENGLAND_CODE), view]).frame
    mine = data[
        (data["Area code"] == BLACKPOOL) & data["Measure"].str.startswith("Children looked")
    ]
    assert set(mine.loc[mine["Year ending"] <= 2015, "Source"]) == {"DfE LAIT"}


def test_spend_cash_and_per_child(store, tables):
    population = _table(tables, "ons_population_0_17", ENGLAND_CODE)
    view = context_view(store, ENGLAND_CODE)
    lines = pd.concat([_table(tables, i, ENGLAND_CODE) for i in CSC_LINES], axis=1).dropna()
    total = lines.sum(axis=1)
    assert np.allclose(_series(view, "csc_cash")[total.index], total)
    per_child = total / population.reindex(total.index - 1).to_numpy()
    got = _series(view, "csc_per_child")[per_child.index]
    assert np.allclose(got.dropna(), per_child[got.notna()])
    assert got.notna().sum() >= 5
    everything = _table(tables, "s251_c_ypexpenditure", ENGLAND_CODE).dropna()
    assert np.allclose(_series(view, "all_cash")[everything.index], everything)
    each = everything / population.reindex(everything.index - 1).to_numpy()
    got = _series(view, "all_per_child")[each.index].dropna()
    assert np.allclose(got, each[got.index])


def test_a_missing_year_is_a_gap_not_filled(store, tables):
    view = context_view(store, BLACKPOOL)
    cin = _series(view, "cin_number")
    assert np.isnan(cin[2020])
    held = _table(tables, "cin_at_31_march", BLACKPOOL)
    assert cin[2019] == held[2019] and cin[2021] == held[2021]
    fig, caption, data = context_chart(store, "numbers", BLACKPOOL)
    line = next(t for t in fig.data if t.mode == "lines" and 2020 in list(t.x) and t.yaxis == "y4")
    at_2020 = line.y[list(line.x).index(2020)]
    assert line.connectgaps is False
    assert at_2020 is None or np.isnan(at_2020)
    assert "Blackpool, children in need at 31 March" in caption
    assert "1 year without a figure (gaps)" in caption
    rows = data.frame[(data.frame["Area code"] == BLACKPOOL) & (data.frame["Year ending"] == 2020)]
    assert rows["Value"].isna().any()


def test_a_year_missing_one_social_care_line_is_a_gap(store):
    view = context_view(store, BLACKPOOL)
    assert np.isnan(_series(view, "csc_cash")[2019])
    assert np.isnan(_series(view, "csc_per_child")[2019])
    assert not np.isnan(_series(view, "all_cash")[2019])
    assert not np.isnan(_series(view, "csc_cash")[2020])


def test_an_la_with_no_spend(store):
    view = context_view(store, NO_SPEND)
    spend = view.points[view.points["kind"].isin(["cash", "per_child"])]
    assert len(spend) and spend["value"].isna().all()
    assert any("No section 251 spend" in n for n in view.notes)
    caption = context_summary("spend", [context_view(store, ENGLAND_CODE), view])
    assert "no figures for gross spend on children's social care" in caption
    assert "no deflator" in caption


def test_abolished_and_created_las(store, tables):
    old, new = context_view(store, OLD_DORSET), context_view(store, NEW_DORSET)
    assert any("abolished on 31 March 2019" in n for n in old.notes)
    assert any("created on 1 April 2019" in n for n in new.notes)
    old_cin, new_cin = _series(old, "cin_number"), _series(new, "cin_number")
    assert old_cin[old_cin.index > 2019].isna().all()
    assert new_cin[new_cin.index <= 2019].isna().all()  # the predecessor's figures not added
    held = _table(tables, "cin_at_31_march", NEW_DORSET).dropna()
    assert list(held.index) == list(new_cin.dropna().index) and min(held.index) == 2020
    assert np.allclose(new_cin[held.index], held)
    caption = context_chart(store, "numbers", NEW_DORSET)[1]
    assert "was created on 1 April 2019, replacing Dorset (E10000009)" in caption
    assert "without a figure" not in caption  # years before it existed are not called gaps


def test_each_area_and_measure_has_its_own_axis(store):
    fig, _, data = context_chart(store, "rates", BLACKPOOL)
    plain_figure(fig)
    layout = fig.to_plotly_json()["layout"]
    axes = [k for k in layout if k.startswith("yaxis")]
    assert len(axes) == 6  # 2 areas x 3 measures
    assert all(layout[a].get("matches") is None for a in axes)
    titles = [a["text"] for a in layout["annotations"]]
    assert titles[0].startswith("England") and titles[3].startswith("Blackpool")
    export = layout["meta"]["export"]
    assert export["licence"].startswith("Contains public sector information")
    assert "Blackpool" in export["filename"]
    drawn = data.frame.dropna(subset=["Value"])
    markers = sum(len(t.x) for t in fig.data if t.mode == "markers")
    assert markers == len(drawn)


def test_unknown_la_is_no_update(store):
    with pytest.raises(PreventUpdate):
        context_chart(store, "numbers", "not-an-la")


def test_series_points_does_not_mutate_its_input():
    rows = {
        "a": pd.DataFrame(
            {"area_code": ["E1"], "year_end": [2020], "period_label": ["2020"], "value": [1.0]}
        )
    }
    before = copy.deepcopy(rows)
    series_points(SERIES[0].__class__("x", "X", "number", "x", ("a",)), rows, {}, area="E1")
    pd.testing.assert_frame_equal(rows["a"], before["a"])
