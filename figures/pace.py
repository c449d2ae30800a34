"""Words, colours and marks shared by the pace-of-improvement charts.

``figures.level_improvement`` (starting level against improvement) and
``figures.change_per_year`` (each LA's change) label an LA alike: by its
``indicators.change_per_year`` label, coloured ``DIRECTION_COLOURS``.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from data.schema import IndicatorMeta, Polarity
from figures.style import BETTER, DARK_GREY, NEUTRAL, SELECTED, SIMILAR, WORSE

#: Colour of each direction label (``indicators.direction_label`` and ``change_per_year``).
DIRECTION_COLOURS = {
    "improving": BETTER,
    "worsening": WORSE,
    "no change": SIMILAR,
    "no significant change": SIMILAR,
    "rising": NEUTRAL,
    "falling": NEUTRAL,
}
#: Each label as the legend names it, in legend order.
DIRECTION_LEGEND = {
    "improving": "Improving",
    "worsening": "Worsening",
    "no change": "No change",
    "no significant change": "No significant change (p ≥ 0.05)",
    "rising": "Rising",
    "falling": "Falling",
}
DIRECTION_ORDER = tuple(DIRECTION_LEGEND)


def by_direction(frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The rows of each ``direction`` label present, in legend order (one trace each)."""
    labels = frame["direction"]
    return [(d, frame[labels == d]) for d in DIRECTION_ORDER if (labels == d).any()]


def finite(value: object) -> bool:
    """Whether ``value`` is a finite number."""
    return isinstance(value, (int, float)) and math.isfinite(value)


def per_year_unit(meta: IndicatorMeta) -> str:
    """The unit of a change per year: "percentage points per year" for a percentage.

    Examples:
        >>> from data.schema import IndicatorMeta, Polarity, ValueType
        >>> meta = IndicatorMeta("x", "t", "t", "topic", "%", 1, Polarity.LOW_IS_BETTER,
        ...                      "Reporting year", "s", "x", None, None, False,
        ...                      ValueType.PROPORTION, 100.0)
        >>> per_year_unit(meta)
        'percentage points per year'
    """
    if meta.unit == "%":
        return "percentage points per year"
    if meta.unit in ("", "number"):
        return "per year"
    return f"{meta.unit} per year"


def change_decimals(meta: IndicatorMeta) -> int:
    """Changes per year are small: one decimal more than the level, and at least two."""
    return max(2, (1 if meta.decimals is None else meta.decimals) + 1)


def change_format(meta: IndicatorMeta) -> str:
    """The d3 format of a change per year (signed, thousands separators)."""
    return f"+,.{change_decimals(meta)}f"


def format_change(value: object, meta: IndicatorMeta) -> str:
    """A change per year with its sign and unit ("not available" when missing)."""
    if not finite(value):
        return "not available"
    return f"{float(value):+,.{change_decimals(meta)}f} {per_year_unit(meta)}"  # type: ignore[arg-type]


def level_axis_title(meta: IndicatorMeta, *, start_label: str, start_periods: int) -> str:
    """The x axis title: the starting level, its period(s), unit and which end is better."""
    unit = "" if meta.unit in ("", "number") else f" ({meta.unit})"
    when = start_label if start_periods == 1 else f"mean of the first {start_periods} years"
    better = {
        Polarity.HIGH_IS_BETTER: "; higher is better",
        Polarity.LOW_IS_BETTER: "; lower is better",
    }.get(meta.polarity, "")
    return f"Starting level, {when}{unit}{better}"


def improvement_axis_title(meta: IndicatorMeta) -> str:
    """The y axis title: improvement per year, or change per year with no polarity.

    Which way is better is written on the plot itself (``direction_marks``).
    """
    if meta.polarity == Polarity.NONE:
        return f"Change, {per_year_unit(meta)}"
    return f"Improvement, {per_year_unit(meta)}"


def direction_marks(meta: IndicatorMeta) -> list[dict[str, object]]:
    """Annotations at the top and bottom of the y axis: "▲ improving" / "▼ worsening"."""
    up, down = (
        ("rising", "falling") if meta.polarity == Polarity.NONE else ("improving", "worsening")
    )
    return [
        {
            "text": text,
            "xref": "paper",
            "yref": "paper",
            "x": 0.005,
            "y": y,
            "xanchor": "left",
            "yanchor": anchor,
            "showarrow": False,
            "font": {"size": 12, "color": DARK_GREY},
        }
        for text, y, anchor in ((f"▲ {up}", 1.0, "top"), (f"▼ {down}", 0.0, "bottom"))
    ]


def add_highlight(
    fig: go.Figure, points: pd.DataFrame, area_code: str | None, *, x: str, y: str, hover: str
) -> None:
    """Mark the selected LA (a row of ``points``) with a pink diamond and its name.

    Nothing is added when no LA is chosen or it is not among ``points``.
    """
    chosen = points[points["area_code"] == area_code] if area_code is not None else points[:0]
    if chosen.empty:
        return
    row = chosen.iloc[0]
    fig.add_trace(
        go.Scatter(
            x=[float(row[x])],
            y=[float(row[y])],
            mode="markers+text",
            marker={
                "color": SELECTED,
                "size": 16,
                "symbol": "diamond",
                "line": {"color": "white", "width": 2},
            },
            text=[str(row["area_name"])],
            textposition="top center",
            textfont={"color": SELECTED},
            hovertemplate=hover,
            name=f"Selected: {row['area_name']}",
        )
    )
