"""Spend per child (x) against an outcome (y), one point per LA, quadrants and the fitted line.

``spend_outcome_scatter`` draws a ``views.value.SpendOutcomeView``; ``spend_outcome_summary`` is
its text alternative and ``spend_outcome_data`` the numbers drawn (the table and the CSV).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from data.schema import IndicatorMeta, Polarity
from figures.labels import place_name, wrap
from figures.style import (
    BETTER,
    DARK_GREY,
    ENGLAND,
    MID_GREY,
    NEUTRAL,
    SELECTED,
    WORSE,
    axis_title,
    base_layout,
    empty_figure,
    format_value,
    number_format,
    selected_marker,
)
from figures.tables import DataView, blank
from views.value import SpendOutcomeView


def _finite(value: object) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def polarity_note(meta: IndicatorMeta) -> str:
    """The outcome's better direction in words ("" for no polarity)."""
    return {
        Polarity.HIGH_IS_BETTER: "higher is better",
        Polarity.LOW_IS_BETTER: "lower is better",
    }.get(meta.polarity, "")


def difference_unit(meta: IndicatorMeta) -> str:
    """The unit of a difference between two values ("percentage points" for a %)."""
    if meta.unit == "%":
        return "percentage points"
    return meta.unit if meta.unit not in ("", "number") else "units"


def quadrant_labels(polarity: Polarity) -> dict[tuple[bool, bool], str]:
    """Label of each quadrant by (right of the spend median, above the outcome median)."""
    labels = {}
    for right in (False, True):
        for up in (False, True):
            spend = "higher spend" if right else "lower spend"
            if polarity == Polarity.NONE:
                outcome = "higher outcome" if up else "lower outcome"
            else:
                good = up == (polarity == Polarity.HIGH_IS_BETTER)
                outcome = "better outcome" if good else "worse outcome"
            labels[(right, up)] = f"{spend}, {outcome}"
    return labels


def _residual_group(value: object) -> str:
    if value is True:
        return "better"
    if value is False:
        return "worse"
    return "neutral"


_RESIDUAL_STYLE = {
    "better": (BETTER, "Better outcome than the line gives for its spend"),
    "worse": (WORSE, "Worse outcome than the line gives for its spend"),
    "neutral": (NEUTRAL, "Local authorities"),
}


def spend_outcome_scatter(view: SpendOutcomeView) -> go.Figure:
    """Spend per child (x) against an outcome (y), one point per LA.

    Dotted lines at the two medians split the chart into quadrants labelled by the outcome's
    polarity ("higher spend, better outcome"...). The dark grey line is the least-squares
    line; points are dark blue when the outcome is better than the line gives for the LA's
    spend, orange when worse (neutral for an outcome with no polarity). England is a cross,
    the selected LA a pink diamond.
    """
    if view.result is None:
        return empty_figure(view.reason or "")
    result, names, highlight = view.result, view.names, view.highlight
    spend_meta, outcome_meta, year_label = view.spend_meta, view.outcome_meta, view.year_label
    pts = result.points
    if pts.empty:
        return empty_figure(f"No LA has both a spend and an outcome value for {year_label}.")
    xfmt, yfmt = number_format(spend_meta), number_format(outcome_meta)
    fig = go.Figure()
    groups = pts.assign(group=[_residual_group(v) for v in pts["better_than_fitted"]])
    for key in ("better", "worse", "neutral"):
        group = groups[groups["group"] == key]
        if group.empty:
            continue
        colour, label = _RESIDUAL_STYLE[key]
        fig.add_trace(
            go.Scatter(
                x=group["spend"],
                y=group["outcome"],
                mode="markers",
                marker={"color": colour, "size": 9, "line": {"color": "white", "width": 0.5}},
                text=[place_name(names, c) for c in group["area_code"]],
                customdata=np.column_stack([group["quadrant"], group["residual"]]),
                hovertemplate="%{text}<br>spend %{x:"
                + xfmt
                + "} per child<br>outcome %{y:"
                + yfmt
                + "}<br>%{customdata[0]}<br>residual %{customdata[1]:+,.2f}<extra></extra>",
                name=label,
            )
        )
    if result.slope is not None and result.intercept is not None:
        xs = np.array([pts["spend"].min(), pts["spend"].max()], dtype=float)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=result.intercept + result.slope * xs,
                mode="lines",
                line={"color": ENGLAND, "width": 2},
                hoverinfo="skip",
                name=(
                    "Least-squares line"
                    + (
                        f" (r = {result.r:.2f}, p = {result.p_value:.2g})"
                        if result.r is not None
                        else ""
                    )
                ),
            )
        )
    ex, ey = view.england
    if _finite(ex) and _finite(ey):
        fig.add_trace(
            go.Scatter(
                x=[ex],
                y=[ey],
                mode="markers+text",
                marker={
                    "color": ENGLAND,
                    "size": 13,
                    "symbol": "x-thin",
                    "line": {"width": 3, "color": ENGLAND},
                },
                text=["England"],
                textposition="bottom center",
                hovertemplate="England<br>spend %{x:"
                + xfmt
                + "} per child<br>outcome %{y:"
                + yfmt
                + "}<extra></extra>",
                name="England",
            )
        )
    row = view.highlight_point
    if highlight is not None and row is not None:
        label = place_name(names, highlight)
        fig.add_trace(
            go.Scatter(
                x=[row["spend"]],
                y=[row["outcome"]],
                mode="markers+text",
                marker=selected_marker(16),
                text=[label],
                textposition="top center",
                textfont={"color": SELECTED},
                hovertemplate="%{text}<br>spend %{x:"
                + xfmt
                + "} per child<br>outcome %{y:"
                + yfmt
                + "}<extra></extra>",
                name=f"Selected: {label}",
            )
        )
    for value, vertical in ((result.spend_median, True), (result.outcome_median, False)):
        if _finite(value):
            line = {"color": MID_GREY, "width": 1.5, "dash": "dot"}
            if vertical:
                fig.add_vline(x=value, line=line)
            else:
                fig.add_hline(y=value, line=line)
    labels = quadrant_labels(outcome_meta.polarity)
    for (right, up), text in labels.items():
        fig.add_annotation(
            text=text,
            xref="paper",
            yref="paper",
            x=0.99 if right else 0.01,
            y=0.99 if up else 0.01,
            xanchor="right" if right else "left",
            yanchor="top" if up else "bottom",
            showarrow=False,
            font={"size": 12, "color": DARK_GREY},
            bgcolor="rgba(255,255,255,0.8)",
        )
    note = polarity_note(outcome_meta)
    fig.update_layout(
        **base_layout(f"Spend per child against outcome, {year_label}", height=520),
        xaxis={
            "title": wrap(axis_title(spend_meta) + "; dotted lines: median LAs", 100),
            "tickformat": xfmt,
        },
        yaxis={
            "title": wrap(axis_title(outcome_meta) + (f"; {note}" if note else ""), 42),
            "tickformat": yfmt,
            "automargin": True,
        },
    )
    fig.update_layout(legend={"orientation": "h", "y": -0.2})
    return fig


def spend_outcome_summary(view: SpendOutcomeView) -> str:
    """The scatter's text alternative: counts by quadrant, the line and the selected LA."""
    if view.result is None:
        return view.reason or ""
    result, names, highlight = view.result, view.names, view.highlight
    spend_meta, outcome_meta, year_label = view.spend_meta, view.outcome_meta, view.year_label
    pts = result.points
    if pts.empty:
        return f"No LA has both a spend and an outcome value for {year_label}."
    quadrants = "; ".join(f"{q}: {n}" for q, n in view.quadrant_counts)
    text = (
        f"{len(pts)} LAs with both values ({year_label}). Medians: spend "
        f"{format_value(result.spend_median, spend_meta)}, outcome "
        f"{format_value(result.outcome_median, outcome_meta)}. {quadrants}."
    )
    if result.slope is not None:
        text += (
            f" Least-squares line: {result.slope * 100:+.3g} {difference_unit(outcome_meta)} "
            "per £100 more spend per child"
        ) + (f" (r = {result.r:.2f}, p = {result.p_value:.2g})." if result.r is not None else ".")
    if len(result.excluded):
        text += f" {len(result.excluded)} LA(s) lack one of the values (see the table)."
    if highlight is not None:
        r = view.highlight_point
        name = place_name(names, highlight)
        if r is None:
            text += f" {name} is not in the chart: it lacks a spend or outcome value."
        else:
            text += (
                f" {name}: {format_value(r['spend'], spend_meta)}, "
                f"{format_value(r['outcome'], outcome_meta)}, {r['quadrant']}"
            )
            if _finite(r["residual"]):
                verdict = {True: "better than", False: "worse than"}.get(
                    r["better_than_fitted"], "off"
                )
                text += (
                    f"; {verdict} the line by {abs(r['residual']):,.2f} "
                    f"{difference_unit(outcome_meta)}"
                )
            text += "."
    return text + " Spending more is not shown to cause a better outcome: need differs."


def spend_outcome_data(view: SpendOutcomeView) -> DataView:
    """Each LA's spend, outcome, quadrant, the line's value and residual.

    LAs lacking one of the values follow, with the reason.
    """
    if view.result is None:
        return blank(view.reason or "")
    result, names = view.result, view.names
    spend_meta, outcome_meta = view.spend_meta, view.outcome_meta
    pts = result.points
    spend_col = f"Spend ({spend_meta.unit})"
    outcome_col = f"{outcome_meta.short_title}"
    better = pts["better_than_fitted"].map({True: "better", False: "worse"}).fillna("")
    drawn = pd.DataFrame(
        {
            "Area code": pts["area_code"].to_numpy(),
            "Local authority": [place_name(names, c) for c in pts["area_code"]],
            spend_col: pts["spend"].to_numpy(),
            outcome_col: pts["outcome"].to_numpy(),
            "Quadrant": pts["quadrant"].to_numpy(),
            "Line at this spend": pts["fitted"].to_numpy(),
            "Residual (outcome minus line)": pts["residual"].to_numpy(),
            "Than the line": better.to_numpy(),
            "Note": "",
        }
    ).sort_values("Local authority")
    out = pd.DataFrame(
        {
            "Area code": result.excluded["area_code"].to_numpy(),
            "Local authority": [place_name(names, c) for c in result.excluded["area_code"]],
            "Note": result.excluded["reason"].to_numpy(),
        }
    ).sort_values("Local authority")
    frame = pd.concat([drawn, out], ignore_index=True) if len(out) else drawn
    d_out = 1 if outcome_meta.decimals is None else outcome_meta.decimals
    decimals = {
        spend_col: 0 if spend_meta.decimals is None else spend_meta.decimals,
        outcome_col: d_out,
        "Line at this spend": d_out + 1,
        "Residual (outcome minus line)": d_out + 1,
    }
    caption = f"{spend_meta.short_title} against {outcome_meta.short_title}"
    if result.slope is not None:
        caption += f" (line: outcome = {result.intercept:.4g} + {result.slope:.4g} x spend)"
    return DataView(frame.reset_index(drop=True), caption, decimals)
