"""National context: England's and an LA's series over time, each on its own scale (draws only).

``context_chart`` draws small multiples of ``views.context.ContextView`` series: a row for
England and a row for the chosen LA, a column per measure, every panel on its own y axis (an
LA is never flattened by England's scale). Each point's marker says its source; a missing
year is a gap in the line. ``context_summary`` is the caption and ``context_data`` the numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from figures.labels import OGL, export_name, wrap
from figures.panels import PanelTraces
from figures.style import (
    ENGLAND,
    SELECTED,
    TURQUOISE,
    base_layout,
    empty_figure,
    with_export,
)
from figures.tables import DataView, blank
from views.context import SERIES, SPEND, UNITS, ContextView

#: The three chart blocks: block -> (title, series keys drawn as panels or lines).
BLOCKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "numbers": (
        "Children in need, on child protection plans and looked after: numbers",
        ("cin_number", "cpp_number", "cla_number"),
    ),
    "rates": (
        "Children in need, on child protection plans and looked after: rates per 10,000 children",
        ("cin_rate", "cpp_rate", "cla_rate"),
    ),
    "spend": (
        "Gross spend on children's social care (s251, cash)",
        ("csc_cash", "all_cash", "csc_per_child", "all_per_child"),
    ),
}
#: How each kind of value is written: unit, d3 format, decimals in tables.
_UNITS = {
    kind: (UNITS[kind], fmt, decimals)
    for kind, fmt, decimals in (
        ("number", ",.0f", 0),
        ("rate", ",.1f", 1),
        ("cash", ",.0f", 0),
        ("per_child", ",.0f", 0),
    )
}
#: Axis titles where they differ from the unit (cash is drawn in £ million).
_AXES = {"cash": "£ million (cash)", "per_child": "£ per child (cash)"}
#: Marker symbol of each source (EES and la-variation's EES-based rates: circles).
_SYMBOLS = ("circle", "square", "diamond", "triangle-up")
_KINDS = {s.key: s.kind for s in (*SERIES, *SPEND)}
_GROUPS = {s.key: s.group for s in (*SERIES, *SPEND)}
SOURCE_NOTE = (
    "Source: DfE children in need and children looked after statistics (explore-education-"
    "statistics.service.gov.uk), DfE LAIT, DfE section 251 outturn, ONS mid-year population "
    "estimates."
)


def _text(value: float, kind: str) -> str:
    """A value in words: ``12,345 children``, ``43.4 per 10,000``, ``£1.23bn``, ``£812``."""
    if kind == "number":
        return f"{value:,.0f}"
    if kind == "rate":
        return f"{value:,.1f} per 10,000 children"
    if kind == "cash":
        if abs(value) >= 1e9:
            return f"£{value / 1e9:,.2f} billion"
        return f"£{value / 1e6:,.1f} million"
    return f"£{value:,.0f} per child"


def _change(first: float, last: float, kind: str) -> str:
    """The change from ``first`` to ``last`` in words (with the percentage change)."""
    diff = last - first
    if diff == 0:
        return "no change"
    word = "up" if diff > 0 else "down"
    amount = _text(abs(diff), kind)
    pct = f" ({diff / first:+.1%})" if first else ""
    return f"{word} {amount}{pct}"


def series_sentence(view: ContextView, key: str) -> str:
    """One series of one area: the latest value, its year and the change since the first."""
    points = view.of(key).dropna(subset=["value"])
    title = view.titles[key]
    if points.empty:
        return f"{view.name}: no figures for {title[0].lower() + title[1:]}."
    kind = str(points["kind"].iloc[0])
    first, last = points.iloc[0], points.iloc[-1]
    text = f"{view.name}, {title[0].lower() + title[1:]}: {_text(last['value'], kind)} in "
    text += f"{last['period_label']}"
    if len(points) > 1:
        text += (
            f", {_change(first['value'], last['value'], kind)} since {first['period_label']} "
            f"({_text(first['value'], kind)})"
        )
    every = view.of(key)
    inside = every[every["year_end"].between(first["year_end"], last["year_end"])]
    gaps = int(inside["value"].isna().sum())  # years before the first or after the last: notes
    if gaps:
        text += f"; {gaps} year{'s' if gaps > 1 else ''} without a figure (gaps)"
    return text + "."


def context_summary(block: str, views: Sequence[ContextView]) -> str:
    """The caption: for each area and series, the latest value and the change over the period."""
    keys = BLOCKS[block][1]
    parts = [series_sentence(v, k) for v in views for k in keys]
    notes = [n for v in views[1:] for n in v.notes]
    if block == "spend":
        notes.append(
            "Cash: the shared data hold no deflator, so real-terms figures cannot be given."
        )
    return " ".join(parts + notes)


def _panels(block: str) -> list[tuple[str, list[str]]]:
    """Panel title -> its series keys (spend: cash and per child, two lines each)."""
    keys = BLOCKS[block][1]
    if block == "spend":
        return [
            ("Gross spend, £ million (cash)", ["csc_cash", "all_cash"]),
            ("Gross spend per child aged 0-17 (cash)", ["csc_per_child", "all_per_child"]),
        ]
    return [(_GROUPS[k], [k]) for k in keys]


def context_chart(block: str, views: Sequence[ContextView]) -> go.Figure:
    """Rows: England then the LA; columns: the block's measures; each panel its own scale."""
    panels = _panels(block)
    if all(v.points.empty for v in views):
        return empty_figure("This data release holds none of these series.")
    titles = [f"{v.name}: {title}" for v in views for title, _ in panels]
    fig = make_subplots(
        rows=len(views),
        cols=len(panels),
        subplot_titles=[wrap(t, 44) for t in titles],
        vertical_spacing=0.2,
        horizontal_spacing=0.09 if len(panels) > 2 else 0.14,
    )
    symbols: dict[str, str] = {}
    shown: set[str] = set()
    drawn = PanelTraces(len(panels))
    for r, view in enumerate(views, start=1):
        colour = ENGLAND if r == 1 else SELECTED
        for c, (_, keys) in enumerate(panels, start=1):
            for k, key in enumerate(keys):
                points = view.of(key)
                if points.empty:
                    continue
                kind = _KINDS[key]
                fmt = _UNITS[kind][1]
                prefix = "£" if kind in ("cash", "per_child") else ""
                line_colour = colour if k == 0 else TURQUOISE
                name = _GROUPS[key] if block == "spend" else view.name
                scale = 1e6 if kind == "cash" else 1.0  # cash drawn in £ million
                drawn.add(
                    go.Scatter(
                        x=points["year_end"],
                        y=points["value"] / scale,
                        mode="lines",
                        connectgaps=False,
                        line={
                            "color": line_colour,
                            "width": 2.5,
                            "dash": "solid" if k == 0 else "dash",
                        },
                        name=name,
                        legendgroup=f"line-{name}",
                        showlegend=block == "spend" and f"line-{name}" not in shown,
                        hoverinfo="skip",
                    ),
                    r,
                    c,
                )
                shown.add(f"line-{name}")
                held = points.dropna(subset=["value"])
                for source, group in held.groupby("source", sort=False):
                    symbol = symbols.setdefault(str(source), _SYMBOLS[len(symbols) % 4])
                    legend = f"source-{source}"
                    drawn.add(
                        go.Scatter(
                            x=group["year_end"],
                            y=group["value"] / scale,
                            mode="markers",
                            marker={
                                "color": line_colour,
                                "size": 8,
                                "symbol": symbol,
                                "line": {"color": "white", "width": 1},
                            },
                            name=f"Source: {source}",
                            legendgroup=legend,
                            showlegend=legend not in shown,
                            customdata=group[["period_label", "source"]].to_numpy(dtype=object),
                            hovertemplate=f"{view.name}, %{{customdata[0]}}: "
                            f"{prefix}%{{y:{fmt}}}{' million' if kind == 'cash' else ''}"
                            "<br>%{customdata[1]}<extra></extra>",
                        ),
                        r,
                        c,
                    )
                    shown.add(legend)
            kind = _KINDS[keys[0]]
            drawn.axis(
                "y",
                r,
                c,
                title={"text": wrap(_AXES.get(kind, _UNITS[kind][0]), 24)},
                tickformat=_UNITS[kind][1],
                tickprefix="£" if kind in ("cash", "per_child") else "",
                rangemode="tozero",
            )
            drawn.axis("x", r, c, dtick=2, tickformat="d")
    title = BLOCKS[block][0]
    who = " and ".join(v.name for v in views)
    drawn.draw(fig, base_layout(f"{title}: {who}", height=300 * len(views) + 160))
    fig.update_layout(legend={"orientation": "h", "y": -0.12, "x": 0})
    fig.update_annotations(font_size=12)
    years = pd.concat([v.points["year_end"] for v in views if len(v.points)])
    period = f"{int(years.min())} to {int(years.max())}" if len(years) else ""
    return with_export(
        fig,
        title=f"{title}: {who}",
        period=f"Years ending {period}" if period else "",
        source=SOURCE_NOTE,
        licence=OGL,
        filename=export_name(*(v.name for v in views[1:]), f"context-{block}"),
    )


def context_data(block: str, views: Sequence[ContextView]) -> DataView:
    """Every point drawn, gaps included: area, measure, year, value, source and indicator."""
    keys = BLOCKS[block][1]
    frames = []
    for view in views:
        for key in keys:
            points = view.of(key)
            if points.empty:
                continue
            kind = str(points["kind"].iloc[0])
            frames.append(
                pd.DataFrame(
                    {
                        "Area code": view.area,
                        "Area": view.name,
                        "Measure": view.titles[key],
                        "Year": points["period_label"].to_numpy(),
                        "Year ending": points["year_end"].to_numpy(dtype=int),
                        "Value": points["value"].to_numpy(dtype=float),
                        "Unit": _UNITS[kind][0],
                        "Source": points["source"].to_numpy(),
                        "Indicator": points["indicator_id"].to_numpy(),
                    }
                )
            )
    if not frames:
        return blank("No figures held")
    frame = pd.concat(frames, ignore_index=True)
    decimals = max(_UNITS[_KINDS[k]][2] for k in keys)
    return DataView(frame, BLOCKS[block][0], {"Value": decimals, "Year ending": 0})
