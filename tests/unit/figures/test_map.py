"""Figures of the map page, checked through the figure dicts."""

import copy
import json

import numpy as np
import pandas as pd
import pytest

import figures.map as fm
from data.schema import IndicatorMeta, Polarity, ValueType
from figures.style import LIGHT_GREY, QUARTILE_COLOURS, SELECTED, SEQUENTIAL

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


def test_d3_winding_turns_anticlockwise_rings_and_leaves_the_input_alone():
    before = copy.deepcopy(GEO)
    wound = fm.d3_winding(GEO)
    assert before == GEO
    ring = wound["features"][0]["geometry"]["coordinates"][0]
    assert fm._signed_area(ring) < 0  # clockwise
    assert fm.d3_winding(wound)["features"][0] is wound["features"][0]  # nothing to fix
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
        fm._signed_area(fm.d3_winding(multi)["features"][0]["geometry"]["coordinates"][0][0]) < 0
    )


@pytest.mark.parametrize("polarity", [Polarity.HIGH_IS_BETTER, Polarity.LOW_IS_BETTER])
def test_quartile_colouring_puts_a_best_by_polarity(polarity):
    colours = fm.map_colours(eligible(), meta(polarity), mode=fm.QUARTILE)
    frame = colours.frame.set_index("area_code")
    best, worst = (
        (CODES[7], CODES[0]) if polarity == Polarity.HIGH_IS_BETTER else (CODES[0], CODES[7])
    )
    assert frame.loc[best, "label"].startswith("A (best")
    assert frame.loc[worst, "label"].startswith("D (worst")
    assert frame.loc[best, "z"] == 4.0 and frame.loc[worst, "z"] == 1.0
    assert np.isnan(frame.loc[CODES[8], "z"])
    # z = 4 is A's colour (top of the bar), z = 1 D's.
    scale = {round(p, 2): c for p, c in colours.colorscale}
    assert scale[1.0] == QUARTILE_COLOURS["A"] and scale[0.0] == QUARTILE_COLOURS["D"]
    assert colours.ticktext[-1].startswith("A (best quarter)")
    assert colours.ticktext[0].startswith("D (worst quarter)")
    assert "%" in colours.ticktext[0]


def test_no_polarity_uses_highest_and_lowest_quarters_in_blues():
    colours = fm.map_colours(eligible(), meta(Polarity.NONE), mode=fm.QUARTILE)
    frame = colours.frame.set_index("area_code")
    assert frame.loc[CODES[7], "label"] == "Highest quarter"
    assert frame.loc[CODES[0], "label"] == "Lowest quarter"
    used = {c for _, c in colours.colorscale}
    assert used <= set(SEQUENTIAL) and QUARTILE_COLOURS["D"] not in used
    assert colours.colorbar_title == "Quarter of LAs"


def test_continuous_scale_is_reversed_when_lower_is_better():
    high = fm.map_colours(eligible(), meta(Polarity.HIGH_IS_BETTER), mode=fm.CONTINUOUS)
    low = fm.map_colours(eligible(), meta(Polarity.LOW_IS_BETTER), mode=fm.CONTINUOUS)
    assert high.colorscale[-1][1] == SEQUENTIAL[-1]  # darkest at the top (highest = best)
    assert low.colorscale[0][1] == SEQUENTIAL[-1]  # darkest at the bottom (lowest = best)
    assert "darker = better" in low.colorbar_title and "reversed" in low.note
    assert (high.zmin, high.zmax) == (10.0, 80.0)
    none = fm.map_colours(eligible(), meta(Polarity.NONE), mode=fm.CONTINUOUS)
    assert "darker = higher" in none.colorbar_title


def test_unbanded_indicator_falls_back_to_continuous_and_says_why():
    colours = fm.map_colours(eligible(), meta(no_quartile=True), mode=fm.QUARTILE)
    assert colours.mode == fm.CONTINUOUS and "not banded" in colours.note


def test_map_has_three_traces_and_sends_the_full_geometry_once():
    geo = fm.d3_winding(GEO)
    colours = fm.map_colours(eligible(), meta(), mode=fm.QUARTILE)
    fig = fm.choropleth_map(colours, meta(), geojson=geo, names=NAMES, period_label="2025",
                            highlight=CODES[2])  # fmt: skip
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
    geo = fm.d3_winding(GEO)
    keys = []
    for mode in fm.MODES:
        colours = fm.map_colours(eligible(), meta(), mode=mode)
        fig = fm.choropleth_map(colours, meta(), geojson=geo, names=NAMES, period_label="p")
        keys.append(set(fig.to_plotly_json()["data"][0]))
    assert keys[0] == keys[1]


def test_all_missing_is_all_grey_with_a_sentence():
    colours = fm.map_colours(eligible((None,) * 9), meta(), mode=fm.QUARTILE)
    fig = fm.choropleth_map(colours, meta(), geojson=fm.d3_winding(GEO), names=NAMES,
                            period_label="2025")  # fmt: skip
    assert len(fig.data[0].locations) == 0 and len(fig.data[1].locations) == 9
    text = fm.map_summary(colours, meta(), geojson=GEO, names=NAMES, period_label="2025")
    assert text.startswith("No LA has a published value") and "are grey" in text


def test_summary_and_data_name_extremes_status_and_las_off_the_map():
    colours = fm.map_colours(eligible(), meta(), mode=fm.QUARTILE)
    geo = {"type": "FeatureCollection", "features": GEO["features"][1:], "synthetic_tiles": True}
    text = fm.map_summary(colours, meta(), geojson=geo, names=NAMES, period_label="2025",
                          highlight=CODES[8])  # fmt: skip
    assert "Highest: LA 8 (80.0%)" in text and "lowest: LA 1 (10.0%)" in text
    assert "1 LAs have no value (c: 1)" in text
    assert "1 LA(s) with a value have no boundary" in text
    assert "made-up hexagons" in text
    assert "LA 9: not published (c:" in text
    view = fm.map_data(colours, meta(), geojson=geo, names=NAMES)
    frame = view.frame.set_index("Area code")
    assert frame.loc[CODES[0], "On the map"] == "no"
    assert frame.loc[CODES[7], "Band"].startswith("A")
    assert frame.loc[CODES[8], "Status"].startswith("not published")


def test_no_boundaries_figure_is_a_sentence():
    fig = fm.no_boundaries_figure()
    assert fig.data == () and "no LA boundaries" in fig.layout.annotations[0].text
    assert fm.boundary_codes(None) == []
