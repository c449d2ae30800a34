"""Figures of the map page, drawn from ``views.map.MapView``s built by hand."""

import copy
import json

import numpy as np
import pandas as pd
import pytest

import figures.map as fm
import figures.map_geometry as geometry
from data.schema import IndicatorMeta, Polarity, ValueType
from figures.style import LIGHT_GREY, QUARTILE_COLOURS, SELECTED, SEQUENTIAL
from views.map import CONTINUOUS, MODES, QUARTILE, boundary_codes, build_map_view

CODES = [f"E0600000{i}" for i in range(1, 10)]  # nine made-up LAs on a 3 x 3 grid
NAMES = {c: f"LA {i}" for i, c in enumerate(CODES, start=1)}


def square(i):
    x, y = i % 3, i // 3
    ring = [[x, y], [x + 0.9, y], [x + 0.9, y + 0.9], [x, y + 0.9], [x, y]]  # anticlockwise
    return {
        "type": "Feature",
        "properties": {"area_code": CODES[i]},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


GEO = {"type": "FeatureCollection", "features": [square(i) for i in range(9)]}


def meta(polarity=Polarity.HIGH_IS_BETTER, no_quartile=False):
    return IndicatorMeta(
        "x", "Title", "Short title", "topic", "%", 1, polarity, "Reporting year", "s", "x",
        None, None, no_quartile, ValueType.PROPORTION, 100.0,
    )  # fmt: skip


def eligible(values=(10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, None)):
    return pd.DataFrame(
        {
            "area_code": CODES,
            "value": [np.nan if v is None else v for v in values],
            "value_status": [None] * 8 + ["c"],
        }
    )


def view(values=None, m=None, mode=QUARTILE, boundaries=None):
    las = eligible() if values is None else eligible(values)
    return build_map_view(
        m or meta(), "2025", las, mode, boundaries=GEO if boundaries is None else boundaries,
        names=NAMES,
    )  # fmt: skip


def colorscale(fig):
    return fig.data[0].colorscale


def test_d3_winding_turns_anticlockwise_rings_and_leaves_the_input_alone():
    before = copy.deepcopy(GEO)
    wound = geometry.d3_winding(GEO)
    assert before == GEO
    ring = wound["features"][0]["geometry"]["coordinates"][0]
    assert geometry._signed_area(ring) < 0  # clockwise
    assert geometry.d3_winding(wound)["features"][0] is wound["features"][0]  # nothing to fix
    multi = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"area_code": "X"},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[square(0)["geometry"]["coordinates"][0]]],
                },
            }
        ],
    }
    assert (
        geometry._signed_area(
            geometry.d3_winding(multi)["features"][0]["geometry"]["coordinates"][0][0]
        )
        < 0
    )


@pytest.mark.parametrize("polarity", [Polarity.HIGH_IS_BETTER, Polarity.LOW_IS_BETTER])
def test_quartile_colouring_puts_a_best_by_polarity(polarity):
    v = view(m=meta(polarity))
    frame = v.las.set_index("area_code")
    best, worst = (
        (CODES[7], CODES[0]) if polarity == Polarity.HIGH_IS_BETTER else (CODES[0], CODES[7])
    )
    assert frame.loc[best, "band"] == "A" and frame.loc[worst, "band"] == "D"
    assert frame.loc[best, "z"] == 4.0 and frame.loc[worst, "z"] == 1.0
    assert np.isnan(frame.loc[CODES[8], "z"])
    fig = fm.choropleth_map(v, geojson=geometry.d3_winding(GEO))
    hover = {c: d[2] for c, d in zip(fig.data[0].locations, fig.data[0].customdata, strict=True)}
    assert hover[best].startswith("A (best") and hover[worst].startswith("D (worst")
    # z = 4 is A's colour (top of the bar), z = 1 D's.
    scale = {round(p, 2): c for p, c in colorscale(fig)}
    assert scale[1.0] == QUARTILE_COLOURS["A"] and scale[0.0] == QUARTILE_COLOURS["D"]
    ticktext = fig.data[0].colorbar.ticktext
    assert ticktext[-1].startswith("A<br>(best quarter)")  # under the map: one part a line
    assert ticktext[0].startswith("D<br>(worst quarter)")
    assert "%" in ticktext[0]


def test_no_polarity_uses_highest_and_lowest_quarters_in_blues():
    v = view(m=meta(Polarity.NONE))
    table = fm.map_data(v).frame.set_index("Area code")
    assert table.loc[CODES[7], "Band"] == "Highest quarter"
    assert table.loc[CODES[0], "Band"] == "Lowest quarter"
    fig = fm.choropleth_map(v, geojson=geometry.d3_winding(GEO))
    used = {c for _, c in colorscale(fig)}
    assert used <= set(SEQUENTIAL) and QUARTILE_COLOURS["D"] not in used
    assert fig.data[0].colorbar.title.text == "Quarter of LAs"


def test_continuous_scale_is_reversed_when_lower_is_better():
    wound = geometry.d3_winding(GEO)
    high = view(m=meta(Polarity.HIGH_IS_BETTER), mode=CONTINUOUS)
    low = view(m=meta(Polarity.LOW_IS_BETTER), mode=CONTINUOUS)
    high_fig, low_fig = (fm.choropleth_map(v, geojson=wound) for v in (high, low))
    assert colorscale(high_fig)[-1][1] == SEQUENTIAL[-1]  # darkest at the top (highest = best)
    assert colorscale(low_fig)[0][1] == SEQUENTIAL[-1]  # darkest at the bottom (lowest = best)
    assert "darker = better" in low_fig.data[0].colorbar.title.text
    assert "reversed" in fm.colour_note(low)
    assert (high.zmin, high.zmax) == (10.0, 80.0)
    none = fm.choropleth_map(view(m=meta(Polarity.NONE), mode=CONTINUOUS), geojson=wound)
    assert "darker = higher" in none.data[0].colorbar.title.text


def test_unbanded_indicator_falls_back_to_continuous_and_says_why():
    v = view(m=meta(no_quartile=True))
    assert v.mode == CONTINUOUS and "not banded" in fm.colour_note(v)
    assert "not banded" in fm.map_summary(v)


def test_map_has_three_traces_and_sends_the_full_geometry_once():
    geo = geometry.d3_winding(GEO)
    fig = fm.choropleth_map(view(), geojson=geo, highlight=CODES[2])
    values, blank, outline = fig.data
    assert len(values.geojson["features"]) == 9
    assert list(values.locations) == CODES[:8]
    assert values.featureidkey == "properties.area_code"
    assert list(blank.locations) == [CODES[8]]
    assert [f["properties"]["area_code"] for f in blank.geojson["features"]] == [CODES[8]]
    assert blank.colorscale[0][1] == LIGHT_GREY
    assert "not published (c: confidential" in blank.customdata[0][1]
    assert list(outline.locations) == [CODES[2]]
    assert outline.marker.line.color == SELECTED
    assert len(outline.geojson["features"]) == 1
    assert fig.layout.geo.visible is False and fig.layout.geo.fitbounds == "locations"
    assert "Pink outline: LA 3" in fig.layout.annotations[0].text
    assert "Grey: no published value (1 LAs)" in fig.layout.annotations[0].text
    # The geometry dominates the figure; the subset traces are small.
    sizes = [len(json.dumps(t.to_plotly_json()["geojson"])) for t in fig.data]
    assert sizes[0] > 5 * max(sizes[1:])


def test_trace_zero_sets_the_same_keys_in_both_modes():
    geo = geometry.d3_winding(GEO)
    keys = []
    for mode in MODES:
        fig = fm.choropleth_map(view(mode=mode), geojson=geo)
        keys.append(set(fig.to_plotly_json()["data"][0]))
    assert keys[0] == keys[1]


def test_all_missing_is_all_grey_with_a_sentence():
    v = view((None,) * 9)
    fig = fm.choropleth_map(v, geojson=geometry.d3_winding(GEO))
    assert len(fig.data[0].locations) == 0 and len(fig.data[1].locations) == 9
    text = fm.map_summary(v)
    assert text.startswith("No LA has a published value") and "are grey" in text


def test_summary_and_data_name_extremes_status_and_las_off_the_map():
    geo = {"type": "FeatureCollection", "features": GEO["features"][1:], "synthetic_tiles": True}
    v = view(boundaries=geo)
    text = fm.map_summary(v, highlight=CODES[8])
    assert "Highest: LA 8 (80.0%)" in text and "lowest: LA 1 (10.0%)" in text
    assert "1 LAs have no value (c: 1)" in text
    assert "1 LA(s) with a value have no boundary" in text
    assert "made-up hexagons" in text
    assert "LA 9: not published (c:" in text
    frame = fm.map_data(v).frame.set_index("Area code")
    assert frame.loc[CODES[0], "On the map"] == "no"
    assert frame.loc[CODES[7], "Band"].startswith("A")
    assert frame.loc[CODES[8], "Status"].startswith("not published")


def test_links_name_every_la_with_its_band_or_status():
    data = fm.map_links_data(view(), href=lambda code: f"/benchmark?la={code}")
    frame = data.frame.set_index("Local authority")
    assert list(frame.index) == sorted(frame.index)
    assert frame.loc["LA 8", "Band or status"].startswith("A (best")
    assert frame.loc["LA 9", "Band or status"] == "c"
    assert frame.loc["LA 1", "href"] == f"/benchmark?la={CODES[0]}"
    assert data.href == "href"


def test_no_boundaries_figure_is_a_sentence():
    fig = fm.no_boundaries_figure()
    assert fig.data == () and "no LA boundaries" in fig.layout.annotations[0].text
    assert boundary_codes(None) == []
