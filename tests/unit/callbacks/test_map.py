"""Map-page handlers, called directly with the demo store (no Dash server)."""

import json

import pytest
from dash import Patch
from dash.exceptions import PreventUpdate

import callbacks.map as cm
from data.synthetic import build_demo_tables
from tests.store_support import make_store

IND = "lait_lacstable_2016on"
BARNET = "E09000003"


@pytest.fixture(scope="module")
def map_store(demo_tables):
    """The demo store with its hexagon tile boundaries (``tiny_store`` has none)."""
    _, extras = build_demo_tables(seed=7)
    tiles = json.loads(extras["boundaries.geojson"])
    return make_store(demo_tables, {"release": "tiles"}, boundaries=tiles)


@pytest.fixture(scope="module")
def suppressed_store(map_store):
    values = map_store.values.copy()
    hit = (
        values["indicator_id"].astype(str).eq(IND)
        & values["time_period"].eq(202425)
        & values["geographic_level"].astype(str).eq("Local authority")
    )
    values.loc[hit, "value"] = float("nan")
    values.loc[hit, "value_status"] = "c"
    tables = {
        "values": values,
        "indicators": map_store.indicators,
        "areas": map_store.areas,
        "statistical_neighbours": map_store.neighbours,
    }
    return make_store(tables, {"release": "c"}, boundaries=map_store.boundaries)


def test_map_view_draws_every_tile(map_store):
    fig, caption, view = cm.map_chart(map_store, IND, "202425", "quartile", BARNET)
    values, blank, outline = fig.data
    n_tiles = len(map_store.boundaries["features"])
    assert len(values.locations) + len(blank.locations) == n_tiles
    assert list(outline.locations) == [BARNET]
    assert "LAs coloured by quartile band for 2025" in caption
    assert "Barnet:" in caption and "made-up hexagons" in caption
    assert set(view.frame["Area code"]) >= set(values.locations)
    assert fig.layout.title.text.endswith("2025")


def test_inputs_are_validated(map_store):
    with pytest.raises(PreventUpdate):
        cm.map_chart(map_store, "nope", "202425", "quartile", None)
    fig, caption, _ = cm.map_chart(map_store, IND, "1999", "sparkly", "<b>")
    assert "for 2025" in caption  # an unknown period falls back to the latest
    assert len(fig.data[2].locations) == 0  # no outline for an unknown LA
    assert fig.data[0].colorbar.title.text == "Quartile band (A best)"  # default colouring


def test_continuous_update_is_a_small_patch_without_the_boundaries(map_store):
    geometry = cm.map_geometry(map_store)
    fig, _, _ = cm.map_chart(map_store, IND, "202425", "continuous", BARNET, geometry=geometry)
    patch = cm.as_patch(fig)
    assert isinstance(patch, Patch)
    operations = patch.to_plotly_json()["operations"]
    touched = [tuple(op["location"]) for op in operations]
    assert ("data", 0, "geojson") not in touched
    assert ("data", 0, "z") in touched and ("data", 1) in touched
    assert ("layout", "title") in touched and ("layout", "template") not in touched
    full = len(fig.to_json())
    sent = len(json.dumps(patch.to_plotly_json(), default=str))
    assert sent < full / 2


def test_as_patch_leaves_other_figures_whole(tiny_store):
    fig, _, _ = cm.map_chart(tiny_store, IND, "202425", "quartile", BARNET)
    assert cm.as_patch(fig) is fig


def test_no_boundaries_gives_a_sentence_and_still_the_table(tiny_store):
    fig, caption, view = cm.map_chart(tiny_store, IND, "202425", "quartile", None)
    assert fig.data == ()
    assert "no LA boundaries" in fig.layout.annotations[0].text
    assert caption.startswith("This data release has no LA boundaries")
    assert len(view.frame) > 100 and (view.frame["On the map"] == "no").all()


def test_all_suppressed_period_is_grey_with_a_sentence(suppressed_store):
    fig, caption, _ = cm.map_chart(suppressed_store, IND, "202425", "quartile", None)
    assert len(fig.data[0].locations) == 0
    assert len(fig.data[1].locations) == len(suppressed_store.boundaries["features"])
    assert caption.startswith("No LA has a published value")


def test_click_opens_the_benchmark_page(map_store):
    click = {"points": [{"location": BARNET, "z": 3}]}
    assert cm.benchmark_target(map_store, click, IND) == (
        f"/benchmark?la={BARNET}&indicator={IND}"
    )
    assert cm.benchmark_target(map_store, click, "nope") == f"/benchmark?la={BARNET}"
    for bad in (None, {}, {"points": []}, {"points": [{"location": "javascript:x"}]}, "x"):
        with pytest.raises(PreventUpdate):
            cm.benchmark_target(map_store, bad, IND)


def test_links_list_every_la_with_its_benchmark_address(map_store):
    from figures.tables import table_payload

    payload = table_payload(cm.links_view(map_store, IND, "202425"))
    names = [row[payload["row_header"]] for row in payload["rows"]]
    assert len(names) > 100 and names == sorted(names)
    shown = [c["name"] for c in payload["columns"]]
    assert shown == ["Local authority", "Value", "Band or status"]  # the address is not shown
    barnet = names.index("Barnet")
    assert payload["links"][barnet] == f"/benchmark?la={BARNET}&indicator={IND}"
    assert len(payload["links"]) == len(names)


def test_the_app_serves_the_empty_topology_plotly_asks_for(map_store, clear_dash_pages):
    from app import create_app

    client = create_app(store=map_store).server.test_client()
    response = client.get("/map-assets/topojson/world_110m.json")
    assert response.status_code == 200
    assert response.get_json() == {"type": "Topology", "objects": {}, "arcs": []}
    assert client.get("/map-assets/topojson/World-110M.json").status_code == 404


def test_the_csv_download_holds_the_maps_rows(map_store, clear_dash_pages):
    from app import create_app

    client = create_app(store=map_store).server.test_client()
    client.get("/")
    controls = {"map-indicator": IND, "map-period": "202425", "map-colour": "quartile"}
    body = {
        "output": "map-choropleth-download.data",
        "outputs": {"id": "map-choropleth-download", "property": "data"},
        "inputs": [{"id": "map-choropleth-csv", "property": "n_clicks", "value": 1}],
        "state": [
            {"id": i, "property": "value", "value": controls.get(i, BARNET)}
            for i in ("map-indicator", "map-period", "map-colour", "map-la")
        ],
        "changedPropIds": ["map-choropleth-csv.n_clicks"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    download = response.get_json()["response"]["map-choropleth-download"]["data"]
    assert download["filename"] == f"map-choropleth-{IND}-202425.csv"
    _, _, view = cm.map_chart(map_store, IND, "202425", "quartile", BARNET, geometry=None)
    assert len(download["content"].strip().splitlines()) == len(view.frame) + 1


def test_bands_are_the_benchmark_tables(map_store):
    """The map's quartile bands are the bands every other page shows (the benchmark table)."""
    from views.map import map_view
    from views.period import period_view

    for indicator in (IND, "cla_at_31_march_rate"):
        tp = map_store.catalogue.periods[indicator][-1][0]
        period = period_view(map_store, indicator, tp)
        drawn = map_view(map_store, indicator, tp, "quartile").las.set_index("area_code")
        table = period.las.set_index("area_code")
        assert list(drawn.index) == list(table.index)
        if period.meta.polarity.value != "none":
            bands = [b if isinstance(b, str) else None for b in table["band"]]
            assert [b if isinstance(b, str) else None for b in drawn["band"]] == bands
