"""The value layout builds with no arguments and with query arguments."""

from collections import Counter

from dash import html

from layouts import ids
from layouts.value import (
    PREFERRED_SPEND,
    layout,
    line_options,
    services_height,
    spend_options,
    year_end_of,
)
from tests.layout_support import by_id, notes, walk


def test_builds_with_no_arguments():
    tree = layout()
    assert isinstance(tree, html.Div)
    assert any(isinstance(c, html.H1) for c in walk(tree))


def test_defaults_pair_looked_after_spend_with_placement_stability(tiny_store):
    tree = layout(tiny_store.catalogue)
    assert by_id(tree, ids.VAL_SPEND).value == "s251_totallacfinance_per_child"
    assert by_id(tree, ids.VAL_OUTCOME).value == "lait_lacstable_2016on"
    assert by_id(tree, ids.VAL_YEAR).value == "2025"
    assert by_id(tree, ids.VAL_LINE).value == "fostering"
    assert by_id(tree, ids.VAL_LA).value == ""
    assert notes(tree) == []
    topics = [o["value"] for o in by_id(tree, ids.VAL_TOPIC).options]
    assert not any(t.lower().startswith("spend") for t in topics)


def test_query_arguments_preselect_the_controls(tiny_store):
    tree = layout(
        tiny_store.catalogue,
        spend="s251_c_ypexpenditure_per_child",
        outcome="cla_stability_long_term_under_16_same_carer_2_years_pct",
        year="2020",
        la="E09000003",
        line="residential_care",
    )
    assert by_id(tree, ids.VAL_SPEND).value == "s251_c_ypexpenditure_per_child"
    assert (
        by_id(tree, ids.VAL_OUTCOME).value
        == "cla_stability_long_term_under_16_same_carer_2_years_pct"
    )
    assert by_id(tree, ids.VAL_YEAR).value == "2020"
    assert by_id(tree, ids.VAL_LA).value == "E09000003"
    assert by_id(tree, ids.VAL_LINE).value == "residential_care"
    assert by_id(tree, ids.VAL_LA_SOURCE).data == "link"


def test_unknown_query_values_fall_back_with_notes(tiny_store):
    tree = layout(tiny_store.catalogue, spend="x", outcome="y", la="E0", line="z", year="1850")
    assert by_id(tree, ids.VAL_SPEND).value == "s251_totallacfinance_per_child"
    assert by_id(tree, ids.VAL_LINE).value == "fostering"
    said = notes(tree)
    for start in ("spend=x", "outcome=y", "year=1850", "la=E0", "line=z"):
        assert any(s.startswith(f"The link asked for {start}, which is not") for s in said)
    assert len(said) == 5
    said = notes(layout(tiny_store.catalogue, year="1850"))
    assert said == [
        "The link asked for year=1850, which is not a year of this spend measure: showing the "
        f"latest, {by_id(tree, ids.VAL_YEAR).options[0]['label']} instead."
    ]


def test_option_helpers(tiny_store):
    assert [v for v, _ in line_options(tiny_store.catalogue)] == ["fostering", "residential_care"]
    spend = [v for v, _ in spend_options(tiny_store.catalogue)]
    assert set(spend[: len(PREFERRED_SPEND)]) == set(PREFERRED_SPEND)
    assert all(v.endswith("_per_child") for v in spend)
    assert year_end_of(201112) == 2012 and year_end_of(2025) == 2025
    assert services_height(9) == 280 * 3 + 120


def test_ids_are_unique_and_each_chart_has_caption_table_csv(tiny_store):
    tree = layout(tiny_store.catalogue)
    found = [c.id for c in walk(tree) if isinstance(getattr(c, "id", None), str)]
    assert [k for k, n in Counter(found).items() if n > 1] == []
    for prefix in (ids.VAL_SCATTER, ids.VAL_MIX, ids.VAL_SERVICES):
        for part in ("graph", "caption", "csv", "svg", "table", "download"):
            assert f"{prefix}-{part}" in found
