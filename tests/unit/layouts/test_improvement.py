"""The pace-of-improvement layout builds with no arguments and with query arguments."""

from collections import Counter

from dash import html

from layouts import ids
from layouts.improvement import layout
from tests.layout_support import by_id, notes, walk


def test_builds_with_no_arguments():
    tree = layout()
    assert isinstance(tree, html.Div)
    heading = next(c for c in walk(tree) if isinstance(c, html.H1))
    assert "improve more slowly" in heading.children


def test_defaults_to_placement_stability_over_its_full_range(tiny_store):
    tree = layout(tiny_store.catalogue)
    assert by_id(tree, ids.IMP_INDICATOR).value == "lait_lacstable_2016on"
    assert by_id(tree, ids.IMP_FROM).value == "201516"
    assert by_id(tree, ids.IMP_TO).value == "202425"
    assert by_id(tree, ids.IMP_START).value == "1"
    assert by_id(tree, ids.IMP_LA).value == ""
    assert by_id(tree, ids.IMP_LA_SOURCE).data == "default"
    assert notes(tree) == []


def test_query_arguments_preselect_the_controls(tiny_store):
    tree = layout(
        tiny_store.catalogue,
        indicator="cla_at_31_march_rate",
        start="2",
        la="E09000003",
        **{"from": "2018", "to": "2024"},
    )
    assert by_id(tree, ids.IMP_INDICATOR).value == "cla_at_31_march_rate"
    assert (by_id(tree, ids.IMP_FROM).value, by_id(tree, ids.IMP_TO).value) == ("2018", "2024")
    assert by_id(tree, ids.IMP_START).value == "2"
    assert by_id(tree, ids.IMP_LA).value == "E09000003"
    assert by_id(tree, ids.IMP_LA_SOURCE).data == "link"
    assert by_id(tree, f"{ids.IMP}-url-keys").data == list(ids.IMP_KEYS)


def test_unknown_query_values_fall_back_with_a_visible_note(tiny_store):
    tree = layout(
        tiny_store.catalogue, indicator="nope", la="E99999999", start="7", **{"from": "1066"}
    )
    assert by_id(tree, ids.IMP_INDICATOR).value == "lait_lacstable_2016on"
    assert by_id(tree, ids.IMP_START).value == "1"
    assert by_id(tree, ids.IMP_LA).value == ""
    said = notes(tree)
    assert said[0].startswith(
        "The link asked for indicator=nope, which is not an indicator in this release: showing "
    )
    assert said[1:] == [
        "The link asked for from=1066, which is not a period of this indicator: showing the "
        "earliest, 2016 instead.",
        "The link asked for start=7, which is not a starting level (1, 2 or 3 years): showing "
        "First year's value instead.",
        "The link asked for la=E99999999, which is not a local authority in this release: "
        "showing no highlighted local authority instead.",
    ]
    tree = layout(tiny_store.catalogue, **{"to": "1066"})
    assert by_id(tree, ids.IMP_TO).value == "202425"
    assert notes(tree) == [
        "The link asked for to=1066, which is not a period of this indicator: showing the "
        "latest, 2025 instead."
    ]


def test_reversed_window_is_swapped(tiny_store):
    tree = layout(tiny_store.catalogue, **{"from": "202425", "to": "201718"})
    assert (by_id(tree, ids.IMP_FROM).value, by_id(tree, ids.IMP_TO).value) == ("201718", "202425")
    assert notes(tree) == []


def test_ids_are_unique_and_every_chart_has_its_table_and_caption(tiny_store):
    tree = layout(tiny_store.catalogue)
    found = [c.id for c in walk(tree) if isinstance(getattr(c, "id", None), str)]
    assert [k for k, n in Counter(found).items() if n > 1] == []
    for prefix in (ids.IMP_SCATTER, ids.IMP_CHANGE):
        for part in ("graph", "caption", "csv", "svg", "table", "download"):
            assert f"{prefix}-{part}" in found
    assert ids.IMP_VERDICT in found
