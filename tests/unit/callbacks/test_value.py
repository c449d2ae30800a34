"""Value-page handlers, called directly with the demo store (no Dash server)."""

import pytest
from dash.exceptions import PreventUpdate

import callbacks.value as cv
from data.schema import Polarity
from data.store import Store
from figures.style import SELECTED

SPEND = "s251_totallacfinance_per_child"
OUTCOME = "lait_lacstable_2016on"
BARNET = "E09000003"


@pytest.fixture(scope="module")
def gap_store(demo_tables):
    """The demo store without the provider split of fostering for 2024-25."""
    values = demo_tables["values"]
    ids = values["indicator_id"].astype(str)
    drop = ids.str.startswith("s251_line_fostering__") & values["time_period"].eq(202425)
    return Store.from_tables({**demo_tables, "values": values[~drop]}, {"release": "gap"})


def test_scatter_view_places_las_in_quadrants(tiny_store):
    fig, caption, view = cv.scatter_chart(tiny_store, SPEND, OUTCOME, "2025", BARNET)
    assert "spend 2024-25 (OT), outcome 2025" in fig.layout.title.text
    assert "Selected: Barnet" in [t.name for t in fig.data]
    assert next(t for t in fig.data if t.name == "Selected: Barnet").marker.color == SELECTED
    assert "England" in [t.name for t in fig.data]
    corners = {a.text for a in fig.layout.annotations}
    assert "higher spend, worse outcome" in corners  # lower is better for placement moves
    assert "Barnet:" in caption and "LAs with both values" in caption
    drawn = sum(len(t.x) for t in fig.data if t.mode == "markers")  # not England, not selected
    assert drawn == int((view.frame["Quadrant"].notna() & view.frame["Quadrant"].ne("")).sum())


def test_scatter_view_without_a_common_year_or_outcome_says_so(tiny_store):
    fig, caption, view = cv.scatter_chart(tiny_store, SPEND, OUTCOME, "1999", None)
    assert fig.data == () and "no year ending 1999 in common" in caption and view.empty
    fig, caption, _ = cv.scatter_chart(tiny_store, SPEND, None, "2025", None)
    assert fig.data == () and caption.startswith("Choose an outcome")
    with pytest.raises(PreventUpdate):
        cv.scatter_chart(tiny_store, "lait_lacstable_2016on", OUTCOME, "2025", None)
    with pytest.raises(PreventUpdate):
        cv.scatter_chart(tiny_store, "unknown", OUTCOME, "2025", None)


def test_outcome_choices_offer_only_indicators_with_a_better_direction(tiny_store):
    topic = next(t for i, _, t in tiny_store.catalogue.indicators if i == OUTCOME)
    options, value = cv.outcome_choices(tiny_store, topic, OUTCOME)
    assert value == OUTCOME
    for option in options:
        assert tiny_store.indicator_meta(option["value"]).polarity != Polarity.NONE
        assert not option["value"].endswith("_per_child")
    spend_topic = next(t for i, _, t in tiny_store.catalogue.indicators if i == SPEND)
    assert cv.outcome_choices(tiny_store, spend_topic, OUTCOME) == ([], None)
    with pytest.raises(PreventUpdate):
        cv.outcome_choices(tiny_store, None, None)


def test_year_choices_align_by_year_end(tiny_store):
    options, value = cv.year_choices(tiny_store, SPEND, OUTCOME, "2019")
    assert value == "2019"
    assert options[0]["value"] == "2025"
    assert options[0]["label"] == "Year ending 2025: spend 2024-25 (OT), outcome 2025"
    _, value = cv.year_choices(tiny_store, SPEND, OUTCOME, "1800")
    assert value == "2025"
    assert cv.year_choices(tiny_store, SPEND, "nope", None) == ([], None)


def test_mix_view_shows_england_and_the_la(tiny_store):
    fig, caption, view = cv.mix_chart(tiny_store, "fostering", "2025", BARNET)
    assert fig.layout.barmode == "stack"
    assert [a.text for a in fig.layout.annotations][:2] == ["England", "Barnet"]
    assert "England, 2024-25 (OT): own provision" in caption
    assert "Barnet, 2024-25 (OT)" in caption
    assert set(view.frame["Area code"]) == {"E92000001", BARNET}


def test_mix_view_says_when_the_year_has_no_provider_split(gap_store):
    fig, caption, view = cv.mix_chart(gap_store, "fostering", "2025", BARNET)
    assert caption.startswith("No provider split for the year ending 2025")
    assert "2024-25" not in set(view.frame["Year"])
    assert len(fig.data) == 8  # the years that have one are still drawn


def test_mix_view_validates_the_line(tiny_store):
    with pytest.raises(PreventUpdate):
        cv.mix_chart(tiny_store, "../etc", "2025", None)
    fig, caption, _ = cv.mix_chart(tiny_store, "residential_care", "garbage", "not-an-la")
    assert "Barnet" not in caption and len(fig.data) == 4  # England only


def test_services_view_draws_every_spend_line(tiny_store):
    fig, caption, view = cv.services_chart(tiny_store, SPEND, BARNET)
    names = {t.name for t in fig.data}
    assert names == {"England", "Barnet"}
    assert any("(on the scatter)" in a.text.replace("<br>", " ") for a in fig.layout.annotations)
    assert "England, 2024-25 (OT)" in caption and "Barnet, 2024-25 (OT)" in caption
    assert set(view.frame["Area code"]) == {"E92000001", BARNET}
    fig, caption, _ = cv.services_chart(tiny_store, None, None)
    assert {t.name for t in fig.data} == {"England"}
