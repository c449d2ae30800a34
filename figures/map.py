"""Figures of the map page: a choropleth of one indicator in one period on LA boundaries.

The map always has three ``Choropleth`` traces, so a page can send the boundary geometry once
and afterwards update only colours and values (see ``callbacks.map``):

0. LAs with a value, on the full boundary collection, coloured by quartile band (A best by
   polarity; highest/lowest quarter with no polarity) or on a continuous scale (darker is
   better; darker is higher with no polarity);
1. LAs with no value, grey, with the publisher's status in the hover (their own small subset
   of the boundaries);
2. the selected LA, outlined in pink (a one-feature subset).

Plotly draws geographic traces with d3-geo, whose polygons wind clockwise (the opposite of
RFC 7946 GeoJSON); ``d3_winding`` fixes rings the other way, which would otherwise fill the
whole globe.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

import indicators as ind
from data.schema import ALL_STATUS_MEANINGS, IndicatorMeta, Polarity
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

QUARTILE = "quartile"
CONTINUOUS = "continuous"
MODES = (QUARTILE, CONTINUOUS)

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


# ---------------------------------------------------------------------------------------------
# Geometry
# ---------------------------------------------------------------------------------------------
def _signed_area(ring: list[list[float]]) -> float:
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += x1 * y2 - x2 * y1
    return total / 2


def _polygons(geometry: Mapping[str, Any]) -> list[Any]:
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def _wrongly_wound(polygon: list[Any]) -> list[int]:
    return [
        i
        for i, ring in enumerate(polygon)
        if (i == 0 and _signed_area(ring) > 0) or (i > 0 and _signed_area(ring) < 0)
    ]


def d3_winding(geojson: Mapping[str, Any]) -> dict[str, Any]:
    """A FeatureCollection with rings wound as d3-geo (plotly) expects.

    Exterior rings clockwise and holes anticlockwise in longitude/latitude (planar signed
    area; fine for LA-sized polygons). The input is never changed: features needing a fix
    are copied, the others shared (the official boundaries need none; the demo tiles do).

    Examples:
        >>> square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]  # anticlockwise
        >>> fc = {"type": "FeatureCollection", "features": [{"type": "Feature",
        ...     "properties": {}, "geometry": {"type": "Polygon", "coordinates": [square]}}]}
        >>> d3_winding(fc)["features"][0]["geometry"]["coordinates"][0][1]
        [0, 1]
        >>> fc["features"][0]["geometry"]["coordinates"][0][1]
        [1, 0]
    """
    features = []
    for feature in geojson.get("features", []):
        geometry = feature.get("geometry") or {}
        if not any(_wrongly_wound(polygon) for polygon in _polygons(geometry)):
            features.append(feature)
            continue
        fixed = copy.deepcopy(feature)
        for polygon in _polygons(fixed["geometry"]):
            for i in _wrongly_wound(polygon):
                polygon[i] = polygon[i][::-1]
        features.append(fixed)
    return {**geojson, "features": features}


def boundary_codes(geojson: Mapping[str, Any] | None) -> list[str]:
    """The ``properties.area_code`` of every feature."""
    if not geojson:
        return []
    return [str(f.get("properties", {}).get("area_code")) for f in geojson.get("features", [])]


def _subset(geojson: Mapping[str, Any], codes: set[str]) -> dict[str, Any]:
    features = [
        f for f in geojson.get("features", []) if f.get("properties", {}).get("area_code") in codes
    ]
    return {"type": "FeatureCollection", "features": features}


# ---------------------------------------------------------------------------------------------
# Colouring
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MapColours:
    """How trace 0 is coloured: per-LA ``frame`` plus the scale.

    Attributes:
        frame: One row per eligible LA: ``area_code``, ``value``, ``value_status``,
            ``group`` (band letter or quarter label; None when not banded), ``label`` (what
            the legend and hover say), ``z`` (the number coloured; NaN when no value).
        mode: ``"quartile"`` or ``"continuous"`` (a quartile request falls back to
            continuous when the indicator is not banded; ``note`` says why).
        colorscale, zmin, zmax, tickvals, ticktext, colorbar_title: The colour bar.
        note: A sentence for the caption, or "".
    """

    frame: pd.DataFrame
    mode: str
    colorscale: list[list[Any]]
    zmin: float
    zmax: float
    tickvals: list[float] | None
    ticktext: list[str] | None
    colorbar_title: str
    note: str


def _stepped(colours: tuple[str, ...]) -> list[list[Any]]:
    scale: list[list[Any]] = []
    n = len(colours)
    for i, colour in enumerate(colours):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


def _range_text(lower: float, upper: float, meta: IndicatorMeta) -> str:
    return f"{format_value(lower, meta)} to {format_value(upper, meta)}"


def map_colours(eligible: pd.DataFrame, meta: IndicatorMeta, *, mode: str) -> MapColours:
    """Colour LAs by LAIT quartile band or on a continuous scale.

    Args:
        eligible: One row per eligible LA (``indicators.eligible_values``): ``area_code``,
            ``value`` (NaN when not published), ``value_status``.
        meta: The indicator's metadata (polarity, ``no_quartile``, unit).
        mode: ``"quartile"`` or ``"continuous"``.

    Notes:
        Quartiles are ``indicators.quartile_bands``: A is the best quarter by polarity
        (dark blue) through D (orange). With no polarity the same breakpoints give the
        highest to lowest quarter, in blues (dark = highest). Continuous: light to dark
        blue, reversed for lower-is-better so darker is always better.
    """
    base = eligible[["area_code", "value", "value_status"]].reset_index(drop=True)
    value = pd.to_numeric(base["value"]).astype(float)
    note = ""
    if mode == QUARTILE and meta.no_quartile:
        mode, note = CONTINUOUS, "This indicator is not banded in LAIT (its range is too small): "
        note += "shown on a continuous scale."
    if mode == QUARTILE and value.notna().any():
        polar = meta.polarity != Polarity.NONE
        bands = ind.quartile_bands(
            base, polarity=meta.polarity if polar else Polarity.HIGH_IS_BETTER
        )
        ranges = bands.ranges.set_index("band")
        letters = ["A", "B", "C", "D"]
        if polar:
            words = [f"{b} ({_BAND_WORDS[b]})" for b in letters]
            colours = tuple(QUARTILE_COLOURS[b] for b in letters)
        else:
            words = list(_HIGH_LOW_LABELS)
            colours = _HIGH_LOW_COLOURS
        label_of = dict(zip(letters, words, strict=True))
        group = bands.bands["band"]
        frame = base.assign(
            group=[label_of[b] if isinstance(b, str) else None for b in group],
            label=[label_of[b] if isinstance(b, str) else "" for b in group],
            # A (best, or highest) is 4 so that it sits at the top of the colour bar.
            z=[float(4 - letters.index(b)) if isinstance(b, str) else np.nan for b in group],
        )
        ticktext = [
            f"{label_of[b]}: {_range_text(ranges.loc[b, 'lower'], ranges.loc[b, 'upper'], meta)}"
            for b in reversed(letters)
        ]
        title = "Quartile band (A best)" if polar else "Quarter of LAs"
        return MapColours(
            frame,
            QUARTILE,
            _stepped(tuple(reversed(colours))),
            0.5,
            4.5,
            [1.0, 2.0, 3.0, 4.0],
            ticktext,
            title,
            note,
        )
    colours = SEQUENTIAL[1:]
    reverse = meta.polarity == Polarity.LOW_IS_BETTER
    scale = [
        [i / (len(colours) - 1), c]
        for i, c in enumerate(reversed(colours) if reverse else colours)
    ]
    direction = {
        Polarity.HIGH_IS_BETTER: "darker = better (higher)",
        Polarity.LOW_IS_BETTER: "darker = better (lower)",
    }.get(meta.polarity, "darker = higher")
    frame = base.assign(group=None, label="", z=value)
    present = value.dropna()
    low = float(present.min()) if len(present) else 0.0
    high = float(present.max()) if len(present) else 1.0
    if high == low:
        high = low + 1.0
    if reverse:
        note = (note + " " if note else "") + (
            "Lower is better, so the scale is reversed: darker is always better."
        )
    return MapColours(
        frame, CONTINUOUS, scale, low, high, None, None, f"{meta.unit}<br>{direction}", note
    )


# ---------------------------------------------------------------------------------------------
# The map
# ---------------------------------------------------------------------------------------------
def _status_text(status: Any) -> str:
    if not isinstance(status, str) or not status:
        return "not published"
    if status == ind.ABSENT_STATUS:
        return "no row in the data"
    meaning = ALL_STATUS_MEANINGS.get(status)
    return f"not published ({status}: {meaning})" if meaning else f"not published ({status})"


def choropleth_map(
    colours: MapColours,
    meta: IndicatorMeta,
    *,
    geojson: Mapping[str, Any],
    names: Mapping[str, str],
    period_label: str,
    highlight: str | None = None,
) -> go.Figure:
    """The three-trace choropleth (values, no value, selected outline); no base map tiles.

    ``geojson`` must already be wound for d3 (``d3_winding``) and key features by
    ``properties.area_code``. LAs with a value but no boundary (e.g. an abolished LA on a
    current map) are not drawn; ``map_data`` lists them.
    """
    on_map = set(boundary_codes(geojson))
    frame = colours.frame[colours.frame["area_code"].isin(on_map)]
    shown = frame[frame["z"].notna()]
    blank_codes = on_map - set(shown["area_code"])
    status = dict(zip(frame["area_code"], frame["value_status"], strict=True))
    blank = sorted(blank_codes)
    fig = go.Figure()
    fig.add_trace(
        go.Choropleth(
            geojson=geojson,
            featureidkey="properties.area_code",
            locations=shown["area_code"].tolist(),
            z=shown["z"].tolist(),
            zmin=colours.zmin,
            zmax=colours.zmax,
            colorscale=colours.colorscale,
            showscale=True,
            # Under the map, across its width: at the side, the labels took most of a
            # phone's width and left the map about 40 px wide.
            colorbar={
                "title": {"text": colours.colorbar_title, "side": "top"},
                "tickvals": colours.tickvals,
                "ticktext": [
                    t.replace(": ", "<br>").replace(" (", "<br>(") for t in colours.ticktext or []
                ]
                or None,
                "tickangle": 0,
                "tickfont": {"size": 10},
                "tickformat": None if colours.tickvals else number_format_for(meta),
                "orientation": "h",
                "x": 0.5,
                "xanchor": "center",
                "y": 0,
                "yanchor": "top",
                "len": 1,
                "thickness": 14,
            },
            customdata=[
                [names.get(c, c), format_value(v, meta), label]
                for c, v, label in zip(
                    shown["area_code"], shown["value"], shown["label"], strict=True
                )
            ],
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
            marker={"line": {"color": "white", "width": 0.6}},
            name=meta.short_title,
        )
    )
    fig.add_trace(
        go.Choropleth(
            geojson=_subset(geojson, blank_codes),
            featureidkey="properties.area_code",
            locations=blank,
            z=[0.0] * len(blank),
            zmin=0,
            zmax=1,
            colorscale=[[0, LIGHT_GREY], [1, LIGHT_GREY]],
            showscale=False,
            customdata=[
                [names.get(c, c), _status_text(status.get(c, "not an LA for this period"))]
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
            geojson=_subset(geojson, set(outline)),
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
    title = f"{meta.short_title}, {period_label}"
    fig.update_layout(
        **base_layout(title, height=640),
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


def number_format_for(meta: IndicatorMeta) -> str:
    """The colour bar's tick format (thousands separators, the indicator's decimals)."""
    decimals = 1 if meta.decimals is None else meta.decimals
    return f",.{decimals}f"


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


NO_BOUNDARIES = (
    "This data release has no LA boundaries, so the map cannot be drawn. The table lists "
    "every LA's value."
)


def map_summary(
    colours: MapColours,
    meta: IndicatorMeta,
    *,
    geojson: Mapping[str, Any] | None,
    names: Mapping[str, str],
    period_label: str,
    highlight: str | None = None,
) -> str:
    """The map's text alternative.

    How many LAs are coloured, grey and off the map; the extremes; the selected LA; and any
    colouring note.
    """
    frame = colours.frame
    have = frame[frame["z"].notna()]
    on_map = set(boundary_codes(geojson))
    if have.empty:
        text = f"No LA has a published value for {meta.short_title} in {period_label}."
    else:
        ordered = have.sort_values("value")
        low, high = ordered.iloc[0], ordered.iloc[-1]
        how = "by quartile band" if colours.mode == QUARTILE else "on a continuous scale"
        top, bottom = (names.get(r["area_code"], r["area_code"]) for r in (high, low))
        text = (
            f"{len(have)} LAs coloured {how} for {period_label}. Highest: {top} "
            f"({format_value(high['value'], meta)}); lowest: {bottom} "
            f"({format_value(low['value'], meta)})."
        )
    missing = frame[frame["z"].isna()]
    if len(missing):
        counts = missing["value_status"].fillna("not published").value_counts()
        detail = ", ".join(f"{s}: {int(n)}" for s, n in counts.items())
        text += f" {len(missing)} LAs have no value ({detail}) and are grey."
    if geojson is not None:
        off = have[~have["area_code"].isin(on_map)]
        if len(off):
            text += f" {len(off)} LA(s) with a value have no boundary on this map (see the table)."
        if geojson.get("synthetic_tiles"):
            text += " The map is a tile map of made-up hexagons for the demo data, not geography."
    if colours.note:
        text += " " + colours.note
    if highlight is not None:
        row = frame[frame["area_code"] == highlight]
        name = names.get(highlight, highlight)
        if row.empty:
            text += f" {name} is not an LA in this period."
        else:
            r = row.iloc[0]
            extra = f", {r['label']}" if r["label"] else ""
            text += (
                f" {name}: {format_value(r['value'], meta)}{extra}."
                if pd.notna(r["value"])
                else f" {name}: {_status_text(r['value_status'])}."
            )
    return text


def map_data(
    colours: MapColours,
    meta: IndicatorMeta,
    *,
    geojson: Mapping[str, Any] | None,
    names: Mapping[str, str],
) -> DataView:
    """Every eligible LA: value, band or quarter, status and whether it is on the map."""
    frame = colours.frame
    on_map = set(boundary_codes(geojson))
    out = pd.DataFrame(
        {
            "Area code": frame["area_code"].to_numpy(),
            "Local authority": [names.get(c, c) for c in frame["area_code"]],
            meta.short_title: frame["value"].to_numpy(),
            "Band" if colours.mode == QUARTILE else "Colour": frame["label"].fillna("").to_numpy(),
            "Status": [
                "" if pd.notna(v) else _status_text(s)
                for v, s in zip(frame["value"], frame["value_status"], strict=True)
            ],
            "On the map": ["yes" if c in on_map else "no" for c in frame["area_code"]],
        }
    ).sort_values("Local authority")
    decimals = {meta.short_title: 1 if meta.decimals is None else meta.decimals}
    return DataView(out.reset_index(drop=True), f"{meta.title}: every LA", decimals)
