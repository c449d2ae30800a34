"""The map: one indicator in one period on LA boundaries (a ``views.map.MapView``).

The map always has three ``Choropleth`` traces, so a page can send the boundary geometry once
and afterwards update only colours and values (see ``callbacks.map``):

0. LAs with a value, on the full boundary collection, coloured by quartile band (A best by
   polarity; highest/lowest quarter with no polarity) or on a continuous scale (darker is
   better; darker is higher with no polarity);
1. LAs with no value, grey, with the publisher's status in the hover (their own small subset
   of the boundaries);
2. the selected LA, outlined in pink (a one-feature subset).

``choropleth_map`` draws, ``map_summary`` is its text alternative, ``map_data`` the table and
CSV, ``map_links_data`` the keyboard route (every LA with a link to its benchmark page).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from data.schema import ALL_STATUS_MEANINGS, Polarity
from figures.map_geometry import subset
from figures.style import (
    LIGHT_GREY,
    QUARTILE_COLOURS,
    SELECTED,
    SEQUENTIAL,
    base_layout,
    empty_figure,
    format_value,
)
from figures.tables import DataView
from indicators import ABSENT_STATUS
from views.map import BAND_LETTERS, QUARTILE, MapView

#: Quarter labels when an indicator has no better direction (from the highest quarter down),
#: drawn dark to light.
_HIGH_LOW_LABELS = (
    "Highest quarter",
    "Second-highest quarter",
    "Second-lowest quarter",
    "Lowest quarter",
)
_HIGH_LOW_COLOURS = (SEQUENTIAL[4], SEQUENTIAL[3], SEQUENTIAL[2], SEQUENTIAL[1])
_BAND_WORDS = {
    "A": "best quarter",
    "B": "second quarter",
    "C": "third quarter",
    "D": "worst quarter",
}
_TRANSPARENT = [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]]

NO_BOUNDARIES = (
    "This data release has no LA boundaries, so the map cannot be drawn. The table lists "
    "every LA's value."
)


def band_labels(view: MapView) -> dict[str, str]:
    """What the legend and hover call each band ("A (best quarter)", "Highest quarter")."""
    if view.meta.polarity is Polarity.NONE:
        return dict(zip(BAND_LETTERS, _HIGH_LOW_LABELS, strict=True))
    return {b: f"{b} ({_BAND_WORDS[b]})" for b in BAND_LETTERS}


def _labels(view: MapView) -> list[str]:
    words = band_labels(view)
    return [words[b] if isinstance(b, str) else "" for b in view.las["band"]]


def _stepped(colours: tuple[str, ...]) -> list[list[Any]]:
    scale: list[list[Any]] = []
    n = len(colours)
    for i, colour in enumerate(colours):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


def _colour_bar(view: MapView) -> tuple[list[list[Any]], dict[str, Any]]:
    """The colour scale and colour bar of trace 0."""
    meta = view.meta
    if view.mode == QUARTILE:
        words = band_labels(view)
        colours = (
            _HIGH_LOW_COLOURS
            if meta.polarity is Polarity.NONE
            else tuple(QUARTILE_COLOURS[b] for b in BAND_LETTERS)
        )
        ticktext = [
            f"{words[b]}: {format_value(view.ranges[b][0], meta)} to "
            f"{format_value(view.ranges[b][1], meta)}"
            for b in reversed(BAND_LETTERS)
        ]
        title = (
            "Quartile band (A best)" if meta.polarity is not Polarity.NONE else "Quarter of LAs"
        )
        bar: dict[str, Any] = {
            "title": {"text": title},
            "tickvals": [1.0, 2.0, 3.0, 4.0],
            "ticktext": ticktext,
        }
        return _stepped(tuple(reversed(colours))), bar
    shades = SEQUENTIAL[1:]
    reverse = meta.polarity == Polarity.LOW_IS_BETTER
    scale = [
        [i / (len(shades) - 1), c] for i, c in enumerate(reversed(shades) if reverse else shades)
    ]
    direction = {
        Polarity.HIGH_IS_BETTER: "darker = better (higher)",
        Polarity.LOW_IS_BETTER: "darker = better (lower)",
    }.get(meta.polarity, "darker = higher")
    bar = {
        "title": {"text": f"{meta.unit}<br>{direction}"},
        "tickvals": None,
        "ticktext": None,
        "tickformat": number_format_for(view),
    }
    return scale, bar


def colour_note(view: MapView) -> str:
    """A sentence for the caption about the colouring ("" when there is nothing to say)."""
    note = ""
    if view.not_banded:
        note = (
            "This indicator is not banded in LAIT (its range is too small): shown on a "
            "continuous scale."
        )
    if view.mode != QUARTILE and view.meta.polarity == Polarity.LOW_IS_BETTER:
        note = (note + " " if note else "") + (
            "Lower is better, so the scale is reversed: darker is always better."
        )
    return note


def status_text(status: Any) -> str:
    """Why an LA has no value, in words."""
    if not isinstance(status, str) or not status:
        return "not published"
    if status == ABSENT_STATUS:
        return "no row in the data"
    meaning = ALL_STATUS_MEANINGS.get(status)
    return f"not published ({status}: {meaning})" if meaning else f"not published ({status})"


def number_format_for(view: MapView) -> str:
    """The colour bar's tick format (thousands separators, the indicator's decimals)."""
    decimals = 1 if view.meta.decimals is None else view.meta.decimals
    return f",.{decimals}f"


def choropleth_map(
    view: MapView, *, geojson: Mapping[str, Any], highlight: str | None = None
) -> go.Figure:
    """The three-trace choropleth (values, no value, selected outline); no base map tiles.

    ``geojson`` is the release's boundaries wound for d3 (``map_geometry.d3_winding``),
    keyed by ``properties.area_code``. LAs with a value but no boundary (e.g. an abolished
    LA on a current map) are not drawn; ``map_data`` lists them.
    """
    meta = view.meta
    las = view.las.assign(label=_labels(view))
    drawn = las[las["on_map"]]
    shown = drawn[drawn["z"].notna()]
    on_map = {str(f.get("properties", {}).get("area_code")) for f in geojson.get("features", [])}
    blank_codes = on_map - set(shown["area_code"])
    status = dict(zip(drawn["area_code"], drawn["value_status"], strict=True))
    names = view.names
    blank = sorted(blank_codes)
    scale, bar = _colour_bar(view)
    fig = go.Figure()
    fig.add_trace(
        go.Choropleth(
            featureidkey="properties.area_code",
            locations=shown["area_code"].tolist(),
            z=shown["z"].tolist(),
            zmin=view.zmin,
            zmax=view.zmax,
            colorscale=scale,
            showscale=True,
            # Under the map, across its width: at the side, the labels took most of a
            # phone's width and left the map about 40 px wide.
            colorbar={
                "tickformat": None,
                **bar,
                "title": {**bar["title"], "side": "top"},
                "ticktext": [
                    t.replace(": ", "<br>").replace(" (", "<br>(") for t in bar["ticktext"] or []
                ]
                or None,
                "tickangle": 0,
                "tickfont": {"size": 10},
                "orientation": "h",
                "x": 0.5,
                "xanchor": "center",
                "y": 0,
                "yanchor": "top",
                "len": 1,
                "thickness": 14,
            },
            customdata=[
                [name, format_value(v, meta), label]
                for name, v, label in zip(
                    shown["area_name"], shown["value"], shown["label"], strict=True
                )
            ],
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
            marker={"line": {"color": "white", "width": 0.6}},
            name=meta.short_title,
        )
    )
    fig.add_trace(
        go.Choropleth(
            featureidkey="properties.area_code",
            locations=blank,
            z=[0.0] * len(blank),
            zmin=0,
            zmax=1,
            colorscale=[[0, LIGHT_GREY], [1, LIGHT_GREY]],
            showscale=False,
            customdata=[
                [names.get(c, c), status_text(status.get(c, "not an LA for this period"))]
                for c in blank
            ],
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
            marker={"line": {"color": "white", "width": 0.6}},
            name="No value",
        )
    )
    outline = [highlight] if highlight is not None and highlight in on_map else []
    fig.add_trace(
        go.Choropleth(
            featureidkey="properties.area_code",
            locations=outline,
            z=[0.0] * len(outline),
            zmin=0,
            zmax=1,
            colorscale=_TRANSPARENT,
            showscale=False,
            customdata=[[names.get(c, c)] for c in outline],
            hovertemplate="Selected: %{customdata[0]}<extra></extra>",
            marker={"line": {"color": SELECTED, "width": 5}},
            name="Selected",
        )
    )
    # The boundaries are set once the traces are in: add_trace deep-copies a trace, and the
    # copies of the boundaries were two thirds of a cold map's time (profiled); assigned, the
    # release's geometry is referred to as it is (read-only: never changed here or after).
    shapes = (geojson, subset(geojson, blank_codes), subset(geojson, set(outline)))
    for trace, boundaries in zip(fig.data, shapes, strict=True):
        trace.geojson = boundaries
    fig.update_layout(
        **base_layout(f"{meta.short_title}, {view.period_label}", height=640),
        geo={
            "visible": False,
            "fitbounds": "locations",
            "projection": {"type": "mercator"},
            "bgcolor": "white",
        },
        annotations=[
            {
                "text": _legend_note(len(blank), highlight, names, outline),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "align": "left",
                "font": {"size": 12},
            }
        ],
    )
    fig.update_layout(margin={"l": 10, "r": 10, "t": 60, "b": 110})
    return fig


def _legend_note(
    n_blank: int, highlight: str | None, names: Mapping[str, str], outline: list[str]
) -> str:
    parts = []
    if n_blank:
        parts.append(f"Grey: no published value ({n_blank} LAs)")
    if outline:
        parts.append(f"Pink outline: {names.get(outline[0], outline[0])}")
    elif highlight is not None:
        parts.append(f"{names.get(highlight, highlight)} is not on this map")
    return "<br>".join(parts)


def no_boundaries_figure() -> go.Figure:
    """What the map shows when the store has no boundary file."""
    return empty_figure(NO_BOUNDARIES)


def map_summary(view: MapView, *, highlight: str | None = None) -> str:
    """The map's text alternative.

    How many LAs are coloured, grey and off the map; the extremes; the selected LA; and any
    colouring note.
    """
    meta, period = view.meta, view.period_label
    extremes = view.extremes
    if extremes is None:
        text = f"No LA has a published value for {meta.short_title} in {period}."
    else:
        low, high = extremes
        how = "by quartile band" if view.mode == QUARTILE else "on a continuous scale"
        text = (
            f"{len(view.coloured)} LAs coloured {how} for {period}. Highest: "
            f"{high['area_name']} ({format_value(high['value'], meta)}); lowest: "
            f"{low['area_name']} ({format_value(low['value'], meta)})."
        )
    if len(view.missing):
        detail = ", ".join(f"{s}: {n}" for s, n in view.missing_by_status)
        text += f" {len(view.missing)} LAs have no value ({detail}) and are grey."
    if view.has_boundaries:
        off = view.coloured[~view.coloured["on_map"]]
        if len(off):
            text += f" {len(off)} LA(s) with a value have no boundary on this map (see the table)."
        if view.synthetic_tiles:
            text += " The map is a tile map of made-up hexagons for the demo data, not geography."
    note = colour_note(view)
    if note:
        text += " " + note
    if highlight is not None:
        row = view.row(highlight)
        if row is None:
            text += f" {view.names.get(highlight, highlight)} is not an LA in this period."
        else:
            label = band_labels(view).get(row["band"], "") if row["band"] else ""
            extra = f", {label}" if label else ""
            text += (
                f" {row['area_name']}: {format_value(row['value'], meta)}{extra}."
                if pd.notna(row["value"])
                else f" {row['area_name']}: {status_text(row['value_status'])}."
            )
    return text


def map_outputs(
    view: MapView, *, geometry: Mapping[str, Any] | None, highlight: str | None
) -> tuple[go.Figure, str, DataView]:
    """The choropleth (or a sentence when there are no boundaries), its text and numbers."""
    summary = map_summary(view, highlight=highlight)
    if geometry is None:
        return no_boundaries_figure(), f"{NO_BOUNDARIES} {summary}", map_data(view)
    figure = choropleth_map(view, geojson=geometry, highlight=highlight)
    return figure, summary, map_data(view)


def map_data(view: MapView) -> DataView:
    """Every competing LA: value, band or quarter, status and whether it is on the map."""
    meta, las = view.meta, view.las
    out = pd.DataFrame(
        {
            "Area code": las["area_code"].to_numpy(),
            "Local authority": las["area_name"].to_numpy(),
            meta.short_title: las["value"].to_numpy(),
            "Band" if view.mode == QUARTILE else "Colour": _labels(view),
            "Status": [
                "" if pd.notna(v) else status_text(s)
                for v, s in zip(las["value"], las["value_status"], strict=True)
            ],
            "On the map": ["yes" if c else "no" for c in las["on_map"]],
        }
    ).sort_values("Local authority")
    decimals = {meta.short_title: 1 if meta.decimals is None else meta.decimals}
    return DataView(out.reset_index(drop=True), f"{meta.title}: every LA", decimals)


def map_links_data(view: MapView, *, href: Callable[[str], str]) -> DataView:
    """Every LA by name, each a link (``href(area_code)``), with its value and band or status.

    The keyboard route to what a click on the map offers; sorted by name.
    """
    meta = view.meta
    words = band_labels(view)
    rows = sorted(
        (
            name,
            format_value(value, meta),
            words.get(band, "") if isinstance(band, str) else (status or ""),
            href(code),
        )
        for code, name, value, band, status in zip(
            view.las["area_code"],
            view.las["area_name"],
            view.las["value"],
            view.las["band"],
            view.las["value_status"],
            strict=True,
        )
    )
    table = pd.DataFrame(rows, columns=["Local authority", "Value", "Band or status", "href"])
    caption = f"Benchmark pages for {meta.short_title}, {view.period_label}"
    return DataView(table, caption, key=None, href="href")
