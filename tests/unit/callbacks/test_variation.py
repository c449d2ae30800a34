"""Variation page handlers, called directly with the demo store (no Dash server)."""

import numpy as np
import pytest
from dash.exceptions import PreventUpdate

from callbacks.common import csv_text
from callbacks.variation import (
    best_worst_view,
    distribution_view,
    funnel_view,
    select_period,
    stats_items,
)
from figures.tables import table_payload

IND = "lait_lacstable_2016on"
BLACKPOOL = "E06000009"


def test_best_worst_view_draws_ten_each_side_and_the_selected_la(tiny_store):
    fig, caption, view = best_worst_view(tiny_store, IND, "202425", BLACKPOOL, "10")
    bars = fig.data[0]
    assert len(bars.x) >= 20  # ties at the cut-off may add more
    assert "LAs ranked" in caption
    assert set(view.frame["Group"]) >= {"best", "worst"}
    assert fig.layout.xaxis.title.text.endswith("(%)")
    # polarity low: the best side is dark blue, the worst orange
    colours = set(bars.marker.color)
    assert {"#12436D", "#F46A25"} <= colours


def test_unknown_inputs_never_reach_the_store(tiny_store):
    with pytest.raises(PreventUpdate):
        best_worst_view(tiny_store, "no-such-indicator", "2025", None, "10")
    with pytest.raises(PreventUpdate):
        best_worst_view(tiny_store, {"x": 1}, "2025", None, "10")
    # an unknown period falls back to the latest, an unknown LA to none, a bad n to 10
    fig, _, _ = best_worst_view(tiny_store, IND, "1999", "<img src=x>", "lots")
    assert fig.data


def test_distribution_and_stats(tiny_store):
    fig, caption, view = distribution_view(tiny_store, IND, "202425", BLACKPOOL)
    names = [t.name for t in fig.data]
    assert any("Blackpool" in (n or "") for n in names)
    assert "median" in caption
    items, note = stats_items(tiny_store, IND, "202425", BLACKPOOL)
    assert len(items) >= 6
    assert "Blackpool" in str(note)
    assert len(view.frame) == len(select_period(tiny_store, IND, "202425").eligible)


def test_funnel_view_with_and_without_counts(tiny_store):
    _, caption, view = funnel_view(tiny_store, IND, "202425", None, "none")
    assert "outside the 95% limits" in caption
    assert not view.empty
    _, adj_caption, _ = funnel_view(tiny_store, IND, "202425", None, "random")
    assert "over-dispersion" in adj_caption or "random" in adj_caption
    _, caption, view = funnel_view(tiny_store, "lait_avg_attain8_score", "202425", None, "none")
    assert "needs the counts" in caption
    assert view.empty


def test_all_missing_period_says_so(tiny_store):
    # Cumbria-only style: pick a period of an indicator and blank it in a copy of the store
    from data.store import Store

    tables = {
        "values": tiny_store.values.assign(value=np.nan, value_status="x"),
        "indicators": tiny_store.indicators,
        "areas": tiny_store.areas,
        "statistical_neighbours": tiny_store.neighbours,
    }
    blank = Store.from_tables(tables)
    fig, caption, view = best_worst_view(blank, IND, "202425", None, "10")
    assert "No LA has a published value" in caption
    assert fig.layout.annotations[0].text.startswith("No LA")
    assert "not ranked" in " ".join(view.frame["Group"])


def test_table_and_csv_hold_the_same_rows(tiny_store):
    _, _, view = best_worst_view(tiny_store, IND, "202425", BLACKPOOL, "5")
    table = table_payload(view, selected=BLACKPOOL)
    assert len(table["rows"]) == len(view.frame)
    assert [c["name"] for c in table["columns"]] == list(view.frame.columns)
    lines = csv_text(view).strip().splitlines()
    assert len(lines) == len(view.frame) + 1
