"""The LA's time series against its comparison group, its region and England.

``series_chart`` draws a ``views.benchmark.SeriesView``; ``series_summary`` is its text
alternative and ``series_data`` the numbers drawn (the table and the CSV).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from data.schema import IndicatorMeta
from figures.labels import OGL, decimals_of, export_name, source_line, status_text, unit_title
from figures.style import (
    DARK_BLUE,
    DARK_GREY,
    ENGLAND,
    REFERENCE,
    SELECTED,
    base_layout,
    empty_figure,
    format_value,
    number_format,
    with_export,
)
from figures.tables import DataView
from indicators import MIN_WITH_DATA, Comparator, NeighbourComparison
from views.benchmark import SeriesPoint, SeriesView


def _cval(c: Comparator | None) -> float | None:
    return None if c is None else c.value


def _nval(c: NeighbourComparison | None) -> float | None:
    return None if c is None else c.value


def _has_any(points: Sequence[SeriesPoint]) -> bool:
    return any(
        v is not None
        for p in points
        for v in (p.la_value, _nval(p.neighbours), _cval(p.region), _cval(p.england))
    )


def _neighbour_mark(c: NeighbourComparison | None) -> tuple[str, str]:
    """(marker symbol, text label) showing how complete a neighbour average is."""
    if c is None or c.value is None:
        return "circle", ""
    if c.below_minimum:
        return "x", f"only {c.n_with_data} of {c.n_expected}"
    if c.incomplete:
        return "circle-open", f"{c.n_with_data} of {c.n_expected}"
    return "circle", ""


def series_chart(view: SeriesView) -> go.Figure:
    """The LA's values over time with its neighbours' average, its region and England.

    Missing years are gaps (never zero); the LA's unpublished years are marked along the foot
    of the chart with their status in the hover. Neighbour averages with fewer than all
    neighbours are open circles labelled "9 of 10"; below ``MIN_WITH_DATA`` a cross labelled
    "only 4 of 10". Years in which the LA did not exist are marked as such, not as unpublished.
    """
    points, meta, la_name = view.points, view.meta, view.la_name
    average_label, region_name = view.group.label, view.region_name
    if not points or not _has_any(points):
        return empty_figure(f"No values are published for {meta.short_title} in any year.")
    x = [p.period_label for p in points]
    fmt = number_format(meta)
    # Totals (a count's England is the national total) get a panel of their own below, so
    # that England's scale never flattens the LA's line.
    apart = view.separate_scale
    comparator_axis = "y3" if apart else "y"
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[_cval(p.england) for p in points],
            yaxis=comparator_axis,
            mode="lines+markers",
            name="England (lower panel)" if apart else "England",
            line={"color": ENGLAND, "dash": "dash", "width": 2},
            marker={"symbol": "square", "size": 7},
            hovertemplate="England %{x}: %{y:" + fmt + "}<extra></extra>",
        )
    )
    if region_name is not None:
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[_cval(p.region) for p in points],
                yaxis=comparator_axis,
                mode="lines+markers",
                name=f"{region_name} (lower panel)" if apart else region_name,
                line={"color": DARK_BLUE, "dash": "dashdot", "width": 2},
                marker={"symbol": "triangle-up", "size": 8},
                text=[p.region.label if p.region else "" for p in points],
                hovertemplate="%{text} %{x}: %{y:" + fmt + "}<extra></extra>",
            )
        )
    marks = [_neighbour_mark(p.neighbours) for p in points]
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[_nval(p.neighbours) for p in points],
            mode="lines+markers+text",
            name=average_label,
            line={"color": REFERENCE, "dash": "dot", "width": 2.5},
            marker={"symbol": [m[0] for m in marks], "size": 9, "line": {"width": 2}},
            text=[m[1] for m in marks],
            textposition="top center",
            textfont={"color": DARK_GREY, "size": 11},
            customdata=[
                [
                    p.neighbours.n_with_data if p.neighbours else 0,
                    p.neighbours.n_expected if p.neighbours else 0,
                    p.neighbours.missing_text if p.neighbours else "",
                ]
                for p in points
            ],
            hovertemplate=average_label
            + " %{x}: %{y:"
            + fmt
            + "}<br>%{customdata[0]} of %{customdata[1]} with data (%{customdata[2]})"
            "<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[p.la_value for p in points],
            mode="lines+markers",
            name=f"{la_name} (selected)",
            line={"color": SELECTED, "width": 3.5},
            marker={"size": 9},
            hovertemplate=la_name + " %{x}: %{y:" + fmt + "}<extra></extra>",
        )
    )
    gaps = [p for p in points if p.la_value is None]
    if gaps:
        fig.add_trace(
            go.Scatter(
                x=[p.period_label for p in gaps],
                y=[0.03] * len(gaps),
                yaxis="y2",
                mode="markers",
                name=f"{la_name}: no value",
                marker={
                    "symbol": "x-thin-open",
                    "size": 11,
                    "color": SELECTED,
                    "line": {"width": 2},
                },
                text=[
                    f"not published, {status_text(p.la_status)}"
                    if p.existed
                    else "did not exist in this year (reorganisation)"
                    for p in gaps
                ],
                hovertemplate=la_name + " %{x}: %{text}<extra></extra>",
            )
        )
    fig.update_layout(
        **base_layout(f"{la_name}: {meta.short_title}", height=560 if apart else 440),
        xaxis={"title": "Year", "type": "category", "categoryorder": "array", "categoryarray": x},
        yaxis={"title": unit_title(meta), "tickformat": fmt},
        yaxis2={"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True},
        hovermode="closest",
    )
    if apart:
        fig.update_layout(_panels(meta, fmt))
    for at, _ in view.breaks:
        if at > 0:  # a break inside the series: a dotted line between the two years
            fig.add_shape(
                type="line",
                x0=at - 0.5,
                x1=at - 0.5,
                xref="x",
                y0=0,
                y1=1,
                yref="paper",
                line={"color": DARK_GREY, "dash": "dot", "width": 1.5},
            )
            fig.add_annotation(
                x=at - 0.5,
                xref="x",
                y=1,
                yref="paper",
                text="series break",
                showarrow=False,
                yanchor="bottom",
                font={"color": DARK_GREY, "size": 11},
            )
    return with_export(
        fig,
        title=f"{la_name}: {meta.short_title}",
        period=f"{x[0]} to {x[-1]}",
        source=source_line(meta),
        licence=OGL,
        filename=export_name(la_name, meta.indicator_id, x[-1]),
    )


def _panels(meta: IndicatorMeta, fmt: str) -> dict[str, object]:
    """Two panels: the LA and its group above, England and the region on their own scale."""
    return {
        "yaxis": {"title": unit_title(meta), "tickformat": fmt, "domain": [0.4, 1.0]},
        "yaxis2": {
            "overlaying": "y",
            "range": [0, 1],
            "visible": False,
            "fixedrange": True,
            "domain": [0.4, 1.0],
        },
        "yaxis3": {
            "title": "England and region",
            "tickformat": fmt,
            "domain": [0.0, 0.28],
            "anchor": "x",
        },
    }


def series_summary(view: SeriesView) -> str:
    """The text alternative of the time series: latest values and data gaps."""
    points, meta, la_name, average_label = view.points, view.meta, view.la_name, view.group.label
    if not points or not _has_any(points):
        return f"No values are published for {meta.short_title} in any year."
    latest = next((p for p in reversed(points) if p.la_value is not None), None)
    parts: list[str] = []
    if latest is None:
        parts.append(f"{la_name} has no published value in any year shown.")
    else:
        parts.append(f"{la_name}: {format_value(latest.la_value, meta)} in {latest.period_label}.")
        nb = latest.neighbours
        if nb is not None and nb.value is not None:
            parts.append(
                f"{average_label}: {format_value(nb.value, meta)} "
                f"({nb.n_with_data} of {nb.n_expected} with data)."
            )
        if latest.region is not None and latest.region.value is not None:
            parts.append(f"{latest.region.label}: {format_value(latest.region.value, meta)}.")
        if latest.england is not None:
            parts.append(f"England: {format_value(latest.england.value, meta)}.")
    gaps = [
        f"{p.period_label} ({p.la_status})" for p in points if p.la_value is None and p.existed
    ]
    if gaps:
        parts.append(f"Not published for {la_name}: {', '.join(gaps)}.")
    absent = [p.period_label for p in points if not p.existed]
    if absent:
        parts.append(f"{la_name} did not exist in {', '.join(absent)}.")
    for _, why in view.breaks:
        parts.append(f"Series break: {why}.")
    if not view.group.available:
        parts.append(
            f"{la_name} has no statistical neighbours in the {view.group.sn_release} release."
        )
    short = [
        f"{p.period_label} ({p.neighbours.n_with_data} of {p.neighbours.n_expected})"
        for p in points
        if p.neighbours is not None and p.neighbours.value is not None and p.neighbours.incomplete
    ]
    if short:
        parts.append(f"Years when not every neighbour had data: {', '.join(short)}.")
    weak = [
        p.period_label for p in points if p.neighbours is not None and p.neighbours.below_minimum
    ]
    if weak:
        parts.append(
            f"Warning: fewer than {MIN_WITH_DATA} neighbours had data in {', '.join(weak)}; "
            "treat those averages with caution."
        )
    return " ".join(parts)


def series_data(view: SeriesView) -> DataView:
    """One row per year: the LA (value or status), its neighbours with n, region, England."""
    points, meta, la_name, average_label = view.points, view.meta, view.la_name, view.group.label
    frame = pd.DataFrame(
        {
            "Year": [p.period_label for p in points],
            f"{la_name}": [p.la_value for p in points],
            f"{la_name}: status": [p.la_status or "" for p in points],
            average_label: [_nval(p.neighbours) for p in points],
            "Neighbours with data": [
                f"{p.neighbours.n_with_data} of {p.neighbours.n_expected}" if p.neighbours else ""
                for p in points
            ],
            "Neighbours without data": [
                p.neighbours.missing_text if p.neighbours else "" for p in points
            ],
            "Region": [p.region.label if p.region else "" for p in points],
            "Region value": [_cval(p.region) for p in points],
            "England": [_cval(p.england) for p in points],
        }
    ).astype({la_name: float, average_label: float, "Region value": float, "England": float})
    numbers = dict.fromkeys((la_name, average_label, "Region value", "England"), decimals_of(meta))
    return DataView(frame, f"{meta.title}: {la_name} over time", numbers, key=None)
