"""Every LA as a point over a box of the distribution, England marked.

``distribution_strip`` draws a ``views.variation.DistributionView``; ``distribution_summary``
is its text alternative and ``distribution_data`` the numbers drawn (the table and the CSV).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from figures.labels import area_name, decimals_of
from figures.style import (
    ENGLAND,
    LIGHT_GREY,
    NEUTRAL,
    SELECTED,
    axis_title,
    base_layout,
    empty_figure,
    format_value,
    number_format,
    selected_marker,
)
from figures.tables import DataView
from views.variation import NO_VALUES, DistributionView


def jitter(codes: pd.Series) -> np.ndarray:
    """A stable vertical offset per LA in [-0.3, 0.3] (the same on every render)."""
    return (
        np.array(
            [int(hashlib.md5(c.encode()).hexdigest()[:6], 16) / 0xFFFFFF - 0.5 for c in codes]
        )
        * 0.6
    )


def distribution_strip(view: DistributionView) -> go.Figure:
    """Every ranked LA as a point (hover names it) over a box of the distribution."""
    meta, names, highlight = view.meta, view.names, view.highlight
    data = view.ranked[view.ranked["value"].notna()]
    if data.empty:
        return empty_figure(NO_VALUES)
    fmt = number_format(meta)
    fig = go.Figure()
    fig.add_trace(
        go.Box(
            x=data["value"],
            name="All LAs",
            boxpoints=False,
            marker={"color": LIGHT_GREY},
            line={"color": "#6F777B"},
            fillcolor="rgba(191,191,191,0.25)",
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=data["value"],
            y=jitter(data["area_code"]),
            mode="markers",
            marker={"color": NEUTRAL, "size": 8, "opacity": 0.75},
            text=[area_name(names, c) for c in data["area_code"]],
            customdata=data["rank_label"].fillna(""),
            hovertemplate="%{text}<br>%{x:" + fmt + "}<br>rank %{customdata}<extra></extra>",
            name="Local authorities",
            yaxis="y2",
        )
    )
    if highlight is not None and (data["area_code"] == highlight).any():
        row = data[data["area_code"] == highlight].iloc[0]
        fig.add_trace(
            go.Scatter(
                x=[row["value"]],
                y=[0],
                mode="markers+text",
                marker=selected_marker(16),
                text=[area_name(names, highlight)],
                textposition="top center",
                textfont={"color": SELECTED},
                hovertemplate="%{text}<br>%{x:" + fmt + "}<extra></extra>",
                name=f"Selected: {area_name(names, highlight)}",
                yaxis="y2",
            )
        )
    fig.update_layout(
        **base_layout(f"Every LA, {view.period_label}", height=320),
        xaxis={"title": axis_title(meta), "tickformat": fmt},
        yaxis={"visible": False},
        yaxis2={"visible": False, "overlaying": "y", "range": [-0.6, 0.6]},
    )
    if view.england is not None and np.isfinite(view.england):
        fig.add_vline(
            x=view.england,
            line={"color": ENGLAND, "dash": "dash", "width": 2},
            annotation_text=f"England: {format_value(view.england, meta)}",
            annotation_position="top",
        )
    return fig


def distribution_summary(view: DistributionView) -> str:
    """The text alternative of the distribution chart."""
    spread, meta = view.spread, view.meta
    if not spread.n:
        return NO_VALUES
    return (
        f"{spread.n} LAs; values run from {format_value(spread.minimum, meta)} to "
        f"{format_value(spread.maximum, meta)}, median {format_value(spread.median, meta)}."
    )


def distribution_data(view: DistributionView) -> DataView:
    """Every LA's value and rank (ranked first, then the not ranked with their status)."""
    ranked, meta = view.ranked, view.meta
    frame = pd.DataFrame(
        {
            "Rank": ranked["rank_label"].fillna("").to_numpy(),
            "Area code": ranked["area_code"].to_numpy(),
            "Local authority": [area_name(view.names, c) for c in ranked["area_code"]],
            meta.short_title: ranked["value"].to_numpy(),
            "Status": ranked["value_status"].fillna("").to_numpy(),
        }
    )
    return DataView(frame, f"{meta.title}: every LA", {meta.short_title: decimals_of(meta)})
