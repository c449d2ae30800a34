"""The map layout builds with no arguments and with query arguments."""

from collections import Counter

from dash import dcc, html

from layouts import ids
from layouts.map import TOPOJSON_PREFIX, benchmark_href, layout
from tests.layout_support import by_id, notes, walk


def test_builds_with_no_arguments():
    tree = layout()
    assert isinstance(tree, html.Div)
    assert any(isinstance(c, html.H1) for c in walk(tree))


def test_defaults(tiny_store):
    tree = layout(tiny_store.catalogue)
    assert by_id(tree, ids.MAP_INDICATOR).value == "lait_lacstable_2016on"
    assert by_id(tree, ids.MAP_PERIOD).value == "202425"
    assert by_id(tree, ids.MAP_COLOUR).value == "quartile"
    assert by_id(tree, ids.MAP_LA).value == ""
    assert notes(tree) == []


def test_query_arguments_preselect_the_controls(tiny_store):
    tree = layout(
        tiny_store.catalogue,
        indicator="cla_at_31_march_rate",
        period="2019",
        colour="continuous",
        la="E09000003",
    )
    assert by_id(tree, ids.MAP_INDICATOR).value == "cla_at_31_march_rate"
    assert by_id(tree, ids.MAP_PERIOD).value == "2019"
    assert by_id(tree, ids.MAP_COLOUR).value == "continuous"
    assert by_id(tree, ids.MAP_LA).value == "E09000003"
    assert by_id(tree, ids.MAP_LA_SOURCE).data == "link"
    assert notes(tree) == []


def test_unknown_query_values_fall_back_with_notes(tiny_store):
    tree = layout(tiny_store.catalogue, indicator="x", colour="plaid", la="E0")
    assert by_id(tree, ids.MAP_INDICATOR).value == "lait_lacstable_2016on"
    assert by_id(tree, ids.MAP_COLOUR).value == "quartile"
    said = notes(tree)
    assert said[0].startswith("The link asked for indicator=x, which is not an indicator in this")
    assert said[1:] == [
        "The link asked for colour=plaid, which is not a colouring (quartile or continuous): "
        "showing Quartile bands (A best) instead.",
        "The link asked for la=E0, which is not a local authority in this release: showing no "
        "highlighted local authority instead.",
    ]
    tree = layout(tiny_store.catalogue, period="1850", shade="x")
    assert by_id(tree, ids.MAP_PERIOD).value == "202425"
    assert notes(tree) == [
        "The link asked for period=1850, which is not a period of this indicator: showing the "
        "latest, 2025 instead.",
        "'shade' is not an option of this page: ignored.",
    ]


def test_map_graph_needs_no_network_and_navigates_in_the_app(tiny_store):
    tree = layout(tiny_store.catalogue)
    graph = by_id(tree, f"{ids.MAP_CHOROPLETH}-graph")
    assert graph.config["topojsonURL"] == TOPOJSON_PREFIX
    assert TOPOJSON_PREFIX.startswith("/")  # same origin: no CDN request
    assert by_id(tree, ids.MAP_NAV).refresh == "callback-nav"
    assert isinstance(by_id(tree, ids.MAP_READY), dcc.Store)


def test_benchmark_addresses_carry_the_la_and_indicator():
    assert benchmark_href("E09000003", "x_y") == "/benchmark?la=E09000003&indicator=x_y"
    assert benchmark_href("E09000003", None) == "/benchmark?la=E09000003"


def test_ids_are_unique(tiny_store):
    tree = layout(tiny_store.catalogue)
    found = [c.id for c in walk(tree) if isinstance(getattr(c, "id", None), str)]
    assert [k for k, n in Counter(found).items() if n > 1] == []
    for part in ("graph", "caption", "csv", "svg", "table", "download"):
        assert f"{ids.MAP_CHOROPLETH}-{part}" in found
    assert f"{ids.MAP_LINKS}-summary" in found and f"{ids.MAP_LINKS}-table" in found
