"""Any indicator against any other: the scatter, its sentence and its table (draws only)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from figures.labels import decimals_of
from figures.style import (
    DARK_BLUE,
    LIGHT_GREY,
    ORANGE,
    axis_title,
    base_layout,
    empty_figure,
    selected_marker,
)
from figures.tables import DataView
from views.correlation import CorrelationView

#: How each role of point is drawn: legend name, marker.
_STYLES = {
    "other": ("Local authority", {"color": DARK_BLUE, "size": 7, "opacity": 0.6}),
    "neighbour": ("Statistical neighbour", {"color": ORANGE, "size": 10, "symbol": "square"}),
}


def _coefficient(value: float | None, low: float | None, high: float | None) -> str:
    if value is None:
        return "not defined"
    interval = f" (95% CI {low:.2f} to {high:.2f})" if low is not None and high is not None else ""
    return f"{value:.2f}{interval}"


def _strength(r: float) -> str:
    """Words for a coefficient's size (Cohen's conventional 0.1 / 0.3 / 0.5) and sign."""
    size = abs(r)
    if size < 0.1:
        return "no clear association"
    word = "weak" if size < 0.3 else "moderate" if size < 0.5 else "strong"
    return f"a {word} {'positive' if r > 0 else 'negative'} association"


def correlation_summary(view: CorrelationView) -> str:
    """The sentence: n, both coefficients with intervals, and what they say."""
    result = view.result
    x = f"{view.x_meta.short_title} ({view.x_label})"
    y = f"{view.y_meta.short_title} ({view.y_label})"
    if result.pearson_r is None:
        return f"{x} against {y}: no correlation can be given ({result.reason})."
    pearson = _coefficient(result.pearson_r, result.pearson_low, result.pearson_high)
    spearman = _coefficient(result.spearman_rho, result.spearman_low, result.spearman_high)
    rho = result.spearman_rho if result.spearman_rho is not None else result.pearson_r
    parts = [
        f"{x} against {y}, {result.n} LAs with a value on both "
        f"({result.n_dropped} left out without one).",
        f"Pearson's r = {pearson}; Spearman's rho = {spearman}: {_strength(rho)} across LAs "
        "(not a cause).",
    ]
    if view.same:
        parts.append("Both axes are the same indicator and year, so r is 1 by definition.")
    chosen = view.points[view.points["role"] == "selected"]
    if len(chosen):
        row = chosen.iloc[0]
        parts.append(f"{row['la_name']} is the diamond; its statistical neighbours are squares.")
    elif view.la is not None:
        parts.append("The chosen LA has no value on both indicators.")
    return " ".join(parts)


def correlation_chart(view: CorrelationView) -> go.Figure:
    """Every LA with a value on both: the chosen LA and its neighbours marked."""
    if view.points.empty:
        return empty_figure("No local authority has a value on both indicators.")
    fig = go.Figure()
    for role in ("other", "neighbour"):
        points = view.points[view.points["role"] == role]
        if points.empty:
            continue
        name, marker = _STYLES[role]
        fig.add_trace(
            go.Scatter(
                x=points["x"],
                y=points["y"],
                mode="markers",
                marker={**marker, "line": {"color": LIGHT_GREY, "width": 1}},
                name=name,
                customdata=points[["la_name"]].to_numpy(dtype=object),
                hovertemplate="%{customdata[0]}: %{x}, %{y}<extra></extra>",
            )
        )
    chosen = view.points[view.points["role"] == "selected"]
    if len(chosen):
        fig.add_trace(
            go.Scatter(
                x=chosen["x"],
                y=chosen["y"],
                mode="markers",
                marker=selected_marker(14),
                name=str(chosen["la_name"].iloc[0]),
                hovertemplate="%{x}, %{y}<extra>selected</extra>",
            )
        )
    fig.update_layout(
        **base_layout(f"{view.x_meta.short_title} against {view.y_meta.short_title}", height=520),
        xaxis={"title": f"{axis_title(view.x_meta)}, {view.x_label}", "zeroline": False},
        yaxis={"title": f"{axis_title(view.y_meta)}, {view.y_label}", "zeroline": False},
    )
    return fig


def correlation_data(view: CorrelationView) -> DataView:
    """One row per LA with a value on both: the two values and how it is marked."""
    points = view.points.sort_values("area_code", kind="stable")
    x_column = f"{view.x_meta.short_title} ({view.x_label})"
    y_column = f"{view.y_meta.short_title} ({view.y_label})"
    if x_column == y_column:
        y_column += " [up]"
    frame = pd.DataFrame(
        {
            "Area code": points["area_code"].to_numpy(),
            "Local authority": points["la_name"].to_numpy(),
            x_column: points["x"].to_numpy(dtype=float),
            y_column: points["y"].to_numpy(dtype=float),
            "Marked as": points["role"].replace({"other": ""}).to_numpy(),
        }
    )
    decimals = {x_column: decimals_of(view.x_meta), y_column: decimals_of(view.y_meta)}
    title = f"{view.x_meta.title} against {view.y_meta.title}"
    return DataView(frame, title, decimals)
