"""The funnel plot: each LA's value against its size, with 95% and 99.8% control limits.

``funnel_chart`` draws a ``views.variation.FunnelView``; ``funnel_summary`` is its text
alternative and ``funnel_data`` the numbers drawn (the table and the CSV). An indicator
without counts gets the view's reason in all three.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from data.schema import Polarity
from figures.labels import area_name
from figures.style import (
    BETTER,
    ENGLAND,
    NEUTRAL,
    SELECTED,
    SIMILAR,
    WORSE,
    axis_title,
    base_layout,
    empty_figure,
    format_value,
    number_format,
    selected_marker,
)
from figures.tables import DataView
from views.variation import FunnelView

TARGET_LABEL = "England"
_COLOURS = {
    "better": BETTER,
    "worse": WORSE,
    "higher": NEUTRAL,
    "lower": NEUTRAL,
    "similar": SIMILAR,
}
_LEGEND = {
    "better": "Better than expected (outside 95%)",
    "worse": "Worse than expected (outside 95%)",
    "higher": "Higher than expected (outside 95%)",
    "lower": "Lower than expected (outside 95%)",
    "similar": "Within 95% limits",
}
NO_COUNTS = "No numerators and denominators are published for this indicator."


def funnel_side(position: str, polarity: Polarity) -> str:
    """The side of a funnel position: better, worse or similar (higher or lower unjudged)."""
    if position.startswith("within"):
        return "similar"
    high = position.startswith("above")
    if polarity == Polarity.NONE:
        return "higher" if high else "lower"
    better = high == (polarity == Polarity.HIGH_IS_BETTER)
    return "better" if better else "worse"


def funnel_chart(view: FunnelView) -> go.Figure:
    """LAs by size (denominator) against value, with 95% and 99.8% control limits."""
    funnel, meta, names, highlight = view.funnel, view.meta, view.names, view.highlight
    if funnel is None:
        return empty_figure(view.reason or NO_COUNTS)
    points = funnel.points
    if points.empty:
        return empty_figure(NO_COUNTS)
    fmt = number_format(meta)
    fig = go.Figure()
    curve = funnel.curve
    for column, label, dash in (
        ("lower_998", "99.8% limits", "dot"),
        ("upper_998", None, "dot"),
        ("lower_95", "95% limits", "dash"),
        ("upper_95", None, "dash"),
    ):
        fig.add_trace(
            go.Scatter(
                x=curve["denominator"],
                y=curve[column],
                mode="lines",
                line={"color": "#6F777B", "dash": dash, "width": 1.5},
                name=label or column,
                showlegend=label is not None,
                legendgroup=dash,
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=curve["denominator"],
            y=curve["target"],
            mode="lines",
            line={"color": ENGLAND, "width": 2},
            name=f"Target ({TARGET_LABEL}): {format_value(funnel.target, meta)}",
            hoverinfo="skip",
        )
    )
    frame = points.assign(side=[funnel_side(p, meta.polarity) for p in points["position"]])
    for side, group in frame.groupby("side", sort=False):
        fig.add_trace(
            go.Scatter(
                x=group["denominator"],
                y=group["value"],
                mode="markers",
                marker={
                    "color": _COLOURS[str(side)],
                    "size": 8,
                    "line": {"color": "white", "width": 0.5},
                },
                text=[area_name(names, c) for c in group["area_code"]],
                customdata=group["position"],
                hovertemplate="%{text}<br>%{y:" + fmt + "} (n = %{x:,.0f})<br>%{customdata}"
                "<extra></extra>",
                name=_LEGEND[str(side)],
            )
        )
    if highlight is not None and (points["area_code"] == highlight).any():
        row = points[points["area_code"] == highlight].iloc[0]
        fig.add_trace(
            go.Scatter(
                x=[row["denominator"]],
                y=[row["value"]],
                mode="markers+text",
                marker=selected_marker(15),
                text=[area_name(names, highlight)],
                textposition="top center",
                textfont={"color": SELECTED},
                name=f"Selected: {area_name(names, highlight)}",
                hovertemplate="%{text}<br>%{y:" + fmt + "}<extra></extra>",
            )
        )
    low, high = float(points["value"].min()), float(points["value"].max())
    pad = max((high - low) * 0.15, abs(funnel.target) * 0.05 if np.isfinite(funnel.target) else 1)
    fig.update_layout(
        **base_layout(f"Funnel plot, {view.period_label}", height=460),
        xaxis={"title": "Denominator (children or pupils in the measure)", "tickformat": ",.0f"},
        yaxis={"title": axis_title(meta), "tickformat": fmt, "range": [low - pad, high + pad]},
    )
    return fig


def funnel_summary(view: FunnelView) -> str:
    """The text alternative: how many LAs lie outside each limit, and the method."""
    funnel, meta = view.funnel, view.meta
    if funnel is None:
        return view.reason or NO_COUNTS
    points = funnel.points
    if points.empty:
        return "No numerators and denominators are published for this indicator and period."
    outside95 = int((~points["position"].str.startswith("within")).sum())
    outside998 = int(points["position"].str.contains("99.8").sum())
    return (
        f"{len(points)} LAs plotted against {TARGET_LABEL} "
        f"({format_value(funnel.target, meta)}): {outside95} outside the 95% limits, "
        f"{outside998} outside the 99.8% limits. Method: {funnel.method}."
    )


def funnel_data(view: FunnelView) -> DataView:
    """Each LA's numerator, denominator, value, limits at its size and position."""
    funnel, meta = view.funnel, view.meta
    if funnel is None:
        return DataView(pd.DataFrame(), view.reason or NO_COUNTS)
    p = funnel.points
    decimals = 1 if meta.decimals is None else max(meta.decimals, 1)
    frame = pd.DataFrame(
        {
            "Area code": p["area_code"].to_numpy(),
            "Local authority": [area_name(view.names, c) for c in p["area_code"]],
            "Numerator": p["numerator"].to_numpy(),
            "Denominator": p["denominator"].to_numpy(),
            meta.short_title: p["value"].to_numpy(),
            "95% lower": p["lower_95"].to_numpy(),
            "95% upper": p["upper_95"].to_numpy(),
            "99.8% lower": p["lower_998"].to_numpy(),
            "99.8% upper": p["upper_998"].to_numpy(),
            "Position": p["position"].to_numpy(),
        }
    )
    limits = ("95% lower", "95% upper", "99.8% lower", "99.8% upper")
    numbers = dict.fromkeys((meta.short_title, *limits), decimals)
    numbers.update({"Numerator": 0, "Denominator": 0})
    return DataView(frame, f"{meta.title}: funnel plot ({funnel.method})", numbers)
