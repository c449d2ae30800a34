"""Pace-of-improvement handlers, called directly with the demo store (no Dash server)."""

import pandas as pd
import pytest
from dash import html
from dash.exceptions import PreventUpdate

import callbacks.improvement as ci
from figures.style import SELECTED
from tests.store_support import make_store

IND = "lait_lacstable_2016on"
BARNET = "E09000003"


@pytest.fixture(scope="module")
def suppressed_store(demo_tables):
    """The demo store with every LA value of the placement indicator suppressed."""
    values = demo_tables["values"].copy()
    hit = values["indicator_id"].astype(str).eq(IND) & values["geographic_level"].astype(str).eq(
        "Local authority"
    )
    values.loc[hit, "value"] = float("nan")
    values.loc[hit, "value_status"] = "c"
    return make_store({**demo_tables, "values": values}, {"release": "s"})


def names(fig):
    return [t.name for t in fig.data]


def test_scatter_view_draws_every_la_with_the_verdict(tiny_store):
    fig, caption, view = ci.scatter_chart(tiny_store, IND, "201516", "202425", "1", BARNET)
    drawn = sum(len(t.x) for t in fig.data if t.mode == "markers" and "Selected" not in t.name)
    assert drawn == int((view.frame["In the chart"] == "yes").sum()) > 100
    assert "Selected: Barnet" in names(fig)
    assert "regression to the mean" in caption
    assert "Barnet started at" in caption
    assert fig.layout.title.text.endswith("2016 to 2025")
    assert "percentage points per year" in fig.layout.yaxis.title.text
    selected = next(t for t in fig.data if t.name == "Selected: Barnet")
    assert selected.marker.color == SELECTED


def test_scatter_outputs_give_the_verdict_panel(tiny_store):
    *_, panel = ci.scatter_outputs(tiny_store, IND, "201516", "202425", "2", None)
    heading, verdict, facts = panel
    assert isinstance(heading, html.H2)
    assert heading.children.lower() in {
        "no clear relationship",
        "within regression to the mean",
        "beyond regression to the mean",
    }
    assert "slope" in verdict.children
    labels = [c.children for c in facts.children if isinstance(c, html.Dt)]
    assert "Noise-only 95% range" in labels
    assert "Slope from regression to the mean alone (expected)" in labels


def test_one_year_window_says_there_is_not_enough_data(tiny_store):
    fig, caption, view = ci.scatter_chart(tiny_store, IND, "202425", "202425", "1", None)
    assert fig.data == ()
    assert caption.startswith("Not enough data")
    assert "window holds too few periods" in caption
    assert (view.frame["In the chart"] == "no").all()
    fig, caption, _ = ci.change_chart(tiny_store, IND, "202324", "202425", None)
    assert fig.data == () and "at least 3 years" in caption


def test_window_too_short_for_the_starting_mean(tiny_store):
    fig, caption, _ = ci.scatter_chart(tiny_store, IND, "202223", "202425", "2", None)
    assert fig.data == () and "Not enough data" in caption


def test_all_suppressed_gives_a_sentence(suppressed_store):
    fig, caption, view = ci.scatter_chart(suppressed_store, IND, "201516", "202425", "1", BARNET)
    assert fig.data == () and caption.startswith("Not enough data")
    assert (view.frame["In the chart"] == "no").all()
    fig, caption, _ = ci.change_chart(suppressed_store, IND, "201516", "202425", BARNET)
    assert fig.data == () and "no change per year" in caption


def test_inputs_are_validated(tiny_store):
    with pytest.raises(PreventUpdate):
        ci.scatter_chart(tiny_store, "not-an-indicator", "201516", "202425", "1", None)
    with pytest.raises(PreventUpdate):
        ci.change_chart(tiny_store, None, None, None, None)
    # Unknown periods: the indicator's full range; reversed: swapped; bad start: 1; bad LA: none.
    assert ci.checked_window(tiny_store, IND, "junk", None) == (IND, 201516, 202425)
    assert ci.checked_window(tiny_store, IND, "202425", "201819") == (IND, 201819, 202425)
    assert [ci.checked_start(s) for s in ("9", None, "2", 3)] == [1, 1, 2, 3]
    fig, *_ = ci.scatter_chart(tiny_store, IND, "201516", "202425", "1", "<script>")
    assert not any(t.name.startswith("Selected") for t in fig.data)


def test_no_polarity_indicator_speaks_of_rising(tiny_store):
    fig, caption, _ = ci.change_chart(tiny_store, "cla_at_31_march_rate", None, None, None)
    assert fig.layout.yaxis.title.text.startswith("Change")
    assert "per 10,000 children per year" in fig.layout.yaxis.title.text.replace("<br>", " ")
    assert {"rising", "falling", "no significant change"} >= {
        t.name.split(" (")[0].lower() for t in fig.data
    }
    assert "improving" not in caption


def test_change_view_lists_every_la(tiny_store):
    fig, caption, view = ci.change_chart(tiny_store, IND, "201516", "202425", BARNET)
    assert "Barnet:" in caption
    assert BARNET in set(view.frame["Area code"])
    assert set(view.frame["Label"]) <= {
        "improving",
        "worsening",
        "no significant change",
        "no trend",
    }
    assert "Selected: Barnet" in names(fig)


def test_window_choices_keep_valid_ends(tiny_store):
    options, first, _, last = ci.window_choices(tiny_store, IND, "201819", "202324")
    assert (first, last) == ("201819", "202324")
    assert options[0]["value"] == "201516"
    _, first, _, last = ci.window_choices(tiny_store, "cla_at_31_march_rate", "201819", None)
    values = [tp for tp, _ in tiny_store.catalogue.periods["cla_at_31_march_rate"]]
    assert (first, last) == (str(values[0]), str(values[-1]))
    with pytest.raises(PreventUpdate):
        ci.window_choices(tiny_store, 42, None, None)


def test_csv_rows_are_the_table_rows(tiny_store):
    from callbacks.csv_files import csv_text

    _, _, view = ci.scatter_chart(tiny_store, IND, "201516", "202425", "1", None)
    frame = pd.read_csv(pd.io.common.StringIO(csv_text(view)))
    assert len(frame) == len(view.frame)
    assert list(frame.columns) == list(view.frame.columns)


def test_page_and_api_serve_the_same_numbers(tiny_store):
    """The page's table and /api/v1/improvement come from one view (same LAs, same slopes)."""
    from app import create_app

    client = create_app(store=tiny_store).server.test_client()
    body = client.get(f"/api/v1/improvement?indicator={IND}&from=201516&to=202425").get_json()
    _, _, view = ci.scatter_chart(tiny_store, IND, "201516", "202425", "1", None)
    table = view.frame.set_index("Area code")
    served = {p["area_code"]: p for p in body["points"]}
    assert set(served) == set(table.index)
    for code, point in served.items():
        mine = table.loc[code, "Change per year (percentage points per year)"]
        if point["change_per_year"] is None:
            assert mine != mine  # NaN: no slope on the page either
            assert point["n_points"] < 3 or not point["included"]
        else:
            assert mine == pytest.approx(point["change_per_year"])


def test_two_points_give_no_change_per_year(tiny_store):
    """Issue 10.3: an LA with two values in the window has no slope on the page or the API."""
    _, _, view = ci.scatter_chart(tiny_store, IND, "202223", "202425", "1", None)
    two = view.frame[view.frame["Years with data"] == 2]
    assert not two.empty  # LAs created in 2023 (and any with a gap) have two values here
    assert two["Change per year (percentage points per year)"].isna().all()
    assert (two["In the chart"] == "no").all()
