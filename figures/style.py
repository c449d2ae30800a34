"""Colours, fonts and number formats shared by every figure (no Dash, no data access).

Colours come from the UK Government Analysis Function palette, chosen for colour-blind safety
and contrast against white. Meaning is fixed across the app:

* ``BETTER`` (dark blue) is always the better side by polarity, ``WORSE`` (orange) the worse;
  ``SIMILAR`` (grey) neither. Indicators with no polarity use ``NEUTRAL`` only.
* ``SELECTED`` (dark pink) marks the chosen LA everywhere, with a text label as well.
* ``ENGLAND`` (near black) and ``REFERENCE`` (turquoise) draw comparator lines.

Colour is never the only carrier of meaning: labels, legends and tables say the same.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from data.schema import IndicatorMeta

DARK_BLUE = "#12436D"
TURQUOISE = "#28A197"
DARK_PINK = "#801650"
ORANGE = "#F46A25"
DARK_GREY = "#3D3D3D"
LIGHT_PURPLE = "#A285D1"
LIGHT_GREY = "#BFBFBF"
MID_GREY = "#707070"

BETTER = DARK_BLUE
WORSE = ORANGE
SIMILAR = LIGHT_GREY
NEUTRAL = DARK_BLUE
SELECTED = DARK_PINK
ENGLAND = DARK_GREY
REFERENCE = TURQUOISE
QUARTILE_COLOURS = {"A": DARK_BLUE, "B": "#5B84B1", "C": "#F8A27D", "D": ORANGE}
SEQUENTIAL = ["#E8EFF6", "#A9C0DA", "#5B84B1", "#2B5C8A", DARK_BLUE]

FONT = "Arial, Helvetica, sans-serif"


def base_layout(title: str, *, height: int = 420) -> dict[str, object]:
    """Layout settings shared by all figures: font, margins, white background."""
    return {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        "font": {"family": FONT, "size": 13, "color": DARK_GREY},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
        "height": height,
        "hoverlabel": {"font": {"family": FONT}},
        "legend": {"orientation": "h", "y": -0.18},
    }


def axis_title(meta: IndicatorMeta) -> str:
    """The value axis title: short title and unit."""
    unit = meta.unit if meta.unit not in ("number", "") else ""
    if not unit or meta.short_title.endswith(f"({unit})"):
        return meta.short_title
    return f"{meta.short_title} ({unit})"


def number_format(meta: IndicatorMeta) -> str:
    """A d3 format for the indicator's values (thousands separators, its decimals)."""
    decimals = 1 if meta.decimals is None else meta.decimals
    prefix = "£" if meta.unit.startswith("£") else ""
    return f"{prefix},.{decimals}f"


def format_value(value: float | None, meta: IndicatorMeta, decimals: int | None = None) -> str:
    """A value as text, in the indicator's decimals (or ``decimals``) and unit.

    "not published" when missing.

    Examples:
        >>> from data.schema import IndicatorMeta, Polarity, ValueType
        >>> meta = IndicatorMeta("x", "t", "t", "topic", "%", 1, Polarity.NONE, "Reporting year",
        ...                      "s", "x", None, None, False, ValueType.PROPORTION, 100.0)
        >>> format_value(12.345, meta)
        '12.3%'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not published"
    if decimals is None and meta.decimals is None:
        # Precision not published: as many decimals as the value has, at most two (184, 183.5).
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:,.{meta.decimals if decimals is None else decimals}f}"
    if meta.unit == "%":
        return text + "%"
    if meta.unit.startswith("£"):
        rest = meta.unit[1:].strip()
        return f"£{text}" + (f" {rest}" if rest else "")
    return text


def empty_figure(message: str, *, height: int = 300) -> go.Figure:
    """A figure with no axes that says why there is nothing to draw."""
    fig = go.Figure()
    fig.update_layout(
        **base_layout("", height=height),
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[
            {
                "text": message,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "showarrow": False,
                "font": {"size": 15},
            }
        ],
    )
    return fig


def selected_marker(size: int) -> dict[str, object]:
    """The marker of the selected LA on a scatter: a dark pink diamond outlined in white."""
    return {
        "color": SELECTED,
        "size": size,
        "symbol": "diamond",
        "line": {"color": "white", "width": 2},
    }


def with_export(
    fig: go.Figure, *, title: str, period: str, source: str, licence: str, filename: str
) -> go.Figure:
    """Name what an exported copy of ``fig`` must carry (``layout.meta.export``).

    The dashboard's "Save chart" buttons (``assets/app.js`` ``download_image``) draw the PNG or
    SVG with this title, the period, the source and the licence line under the chart, and save
    it as ``filename`` (the LA, indicator and period); the chart on the page is unchanged.
    """
    fig.update_layout(
        meta={
            "export": {
                "title": title,
                "period": period,
                "source": source,
                "licence": licence,
                "filename": filename,
            }
        }
    )
    return fig
