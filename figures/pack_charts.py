"""The board pack's static charts, drawn on the server as SVG text (matplotlib).

plotly needs a browser to make an SVG; the pack must be whole without one (its PDF is made on
the server), so its charts are drawn with matplotlib from the same view models as the
dashboard's. Each SVG carries its title, the period, the source and the licence line inside
the image, keeps its text as text (searchable, selectable) and has a ``<title>`` for screen
readers. Only the object-oriented API is used (no pyplot, no global figure state).
"""

from __future__ import annotations

import io
import math
import textwrap
import threading
from collections.abc import Sequence
from typing import Any

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.typing import RcKeyType

from figures.labels import OGL, source_line
from figures.style import BETTER, DARK_BLUE, ENGLAND, NEUTRAL, REFERENCE, SELECTED, WORSE
from views.benchmark import GroupView, SeriesView
from views.gap import GapView

__all__ = ["gap_svg", "group_svg", "series_svg"]

#: rcParams are process-wide: one chart is saved at a time while they are set.
_RC_LOCK = threading.RLock()
_RC: dict[RcKeyType, Any] = {  # rc_context's own key type: a misspelt key fails mypy
    "svg.fonttype": "none",  # text stays text
    "font.family": ["DejaVu Sans"],  # shipped with matplotlib: no font look-ups
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "la-variation",  # the same chart gives the same SVG
}
WIDTH, HEIGHT = 7.2, 3.4  # inches: the width of an A4 page's text block


def _figure(
    title: str, period: str, source: str, *, height: float = HEIGHT
) -> tuple[Figure, float]:
    """A figure with its title (wrapped), period and source lines, and the axes' top.

    The second result is the top of the room left for the axes, as a fraction of the height.
    """
    fig = Figure(figsize=(WIDTH, height))
    FigureCanvasSVG(fig)
    lines = textwrap.wrap(title, 76) or [""]
    line = 0.18 / height  # one 11pt line, as a fraction of the height
    fig.text(
        0.01, 0.985, "\n".join(lines[:2]), ha="left", va="top", fontsize=11, fontweight="bold"
    )
    below = 0.985 - line * min(len(lines), 2) - 0.01
    fig.text(0.01, below, period, ha="left", va="top", fontsize=9, color="#505a5f")
    fig.text(
        0.01,
        0.015,
        "\n".join(textwrap.wrap(f"{source}. {OGL}", 130)),
        ha="left",
        va="bottom",
        fontsize=7,
        color="#505a5f",
    )
    return fig, below - line - 0.02


def _svg(fig: Figure, description: str) -> str:
    """The figure as an SVG element (no XML prolog) with a ``<title>`` for screen readers."""
    buffer = io.StringIO()
    with _RC_LOCK, matplotlib.rc_context(_RC):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    start = text.index("<svg")
    head_end = text.index(">", start) + 1
    title = description.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        text[start:head_end].replace("<svg", '<svg role="img"', 1)
        + f"<title>{title}</title>"
        + text[head_end:]
    )


def _finite(values: Sequence[float | None]) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


def series_svg(view: SeriesView) -> str:
    """The LA's values over time with its group's average, its region and England."""
    meta, points = view.meta, view.points
    labels = [p.period_label for p in points]
    title = f"{view.la_name}: {meta.short_title}"
    period = f"{labels[0]} to {labels[-1]}" if labels else ""
    with _RC_LOCK, matplotlib.rc_context(_RC):
        fig, top = _figure(title, period, source_line(meta), height=HEIGHT + 0.4)
        ax = fig.add_axes((0.08, 0.3, 0.9, top - 0.3))
        x = list(range(len(points)))
        lines = [
            (
                "England",
                [p.england.value if p.england else None for p in points],
                ENGLAND,
                "--",
                1.5,
            ),
            (
                view.region_name or "Region",
                [p.region.value if p.region else None for p in points],
                DARK_BLUE,
                "-.",
                1.5,
            ),
            (
                view.group.label,
                [p.neighbours.value if p.neighbours else None for p in points],
                REFERENCE,
                ":",
                2.0,
            ),
            (view.la_name, [p.la_value for p in points], SELECTED, "-", 2.8),
        ]
        for name, values, colour, style, width in lines:
            ax.plot(
                x,
                _finite(values),
                style,
                color=colour,
                linewidth=width,
                marker="o",
                markersize=3.5,
                label=name,
            )
        ax.set_xticks(x, labels, rotation=0 if len(labels) <= 10 else 45, fontsize=8)
        ax.set_ylabel(meta.unit)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.legend(
            loc="upper left", bbox_to_anchor=(0.0, -0.14), ncols=4, frameon=False, fontsize=8
        )
    return _svg(fig, f"{title}, {period}: line chart against its group, region and England.")


def group_svg(view: GroupView) -> str:
    """The LA and each member of its comparison group in one year, highest first."""
    meta = view.meta
    title = f"{view.la_name} and its comparison group: {meta.short_title}"
    height = HEIGHT + 0.12 * max(
        0, (0 if view.performance is None else len(view.performance.members)) - 8
    )
    with _RC_LOCK, matplotlib.rc_context(_RC):
        fig, top = _figure(title, view.period_label, source_line(meta), height=height + 0.4)
        ax = fig.add_axes((0.32, 0.24, 0.64, top - 0.24))
        if view.performance is None:
            ax.set_axis_off()
            ax.text(0.5, 0.5, "No comparison group in this release.", ha="center")
        else:
            members = view.performance.members
            members = members[members["value"].notna()].sort_values("value")
            names = [
                f"{view.names.get(str(c), str(c))}" + (" (selected)" if r == "LA" else "")
                for c, r in zip(members["area_code"], members["role"], strict=True)
            ]
            colours = [SELECTED if r == "LA" else NEUTRAL for r in members["role"]]
            ax.barh(range(len(members)), members["value"].astype(float), color=colours)
            ax.set_yticks(range(len(members)), names, fontsize=8)
            if view.comparison is not None and view.comparison.value is not None:
                ax.axvline(
                    view.comparison.value,
                    color=REFERENCE,
                    linestyle=":",
                    linewidth=2,
                    label=view.group.label,
                )
            if view.england is not None:
                ax.axvline(
                    view.england, color=ENGLAND, linestyle="--", linewidth=1.5, label="England"
                )
            ax.set_xlabel(meta.unit)
            ax.legend(
                loc="upper left", bbox_to_anchor=(-0.45, -0.08), ncols=2, fontsize=8, frameon=False
            )
    return _svg(fig, f"{title}, {view.period_label}: bar chart of the group's values.")


def gap_svg(view: GapView) -> str:
    """The LA minus its group's average each year (better side dark blue, worse orange)."""
    meta, series = view.series.meta, view.series
    title = f"{series.la_name} minus its group's {series.group.statistic}: {meta.short_title}"
    labels = [p.period_label for p in view.points]
    trend = (
        view.trend
        if view.trend_from is None
        else (f"{view.trend} over {view.trend_from}-{view.trend_to}")
    )
    period = f"{labels[0]} to {labels[-1]}; the gap is {trend}" if labels else trend
    with _RC_LOCK, matplotlib.rc_context(_RC):
        fig, top = _figure(title, period, source_line(meta), height=HEIGHT - 0.2)
        ax = fig.add_axes((0.1, 0.2, 0.88, top - 0.2))
        gaps = [p.gap for p in view.points]
        polarity = str(meta.polarity)
        colours = [
            NEUTRAL
            if g is None or polarity == "none"
            else BETTER
            if (g > 0) == (polarity == "high")
            else WORSE
            for g in gaps
        ]
        ax.bar(range(len(gaps)), _finite(gaps), color=colours)
        ax.axhline(0, color=ENGLAND, linewidth=1)
        ax.set_xticks(
            range(len(labels)), labels, rotation=0 if len(labels) <= 10 else 45, fontsize=8
        )
        ax.set_ylabel(f"gap ({meta.unit})")
    return _svg(fig, f"{title}, {period}: bar chart of the gap each year.")
