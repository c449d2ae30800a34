"""Figures of the variation page: best and worst N, the distribution, the funnel plot.

Each builder takes an ``indicators`` result and the indicator's metadata and returns a plotly
figure; ``*_summary`` gives the text alternative and ``*_data`` the numbers drawn.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from data.schema import IndicatorMeta, Polarity
from figures.style import (
    BETTER,
    ENGLAND,
    LIGHT_GREY,
    NEUTRAL,
    REFERENCE,
    SELECTED,
    SIMILAR,
    WORSE,
    axis_title,
    base_layout,
    empty_figure,
    format_value,
    number_format,
)
from figures.tables import DataView
from indicators import BestWorst, Funnel, Spread


def _name(names: Mapping[str, str], code: object) -> str:
    """The area's name, or its code when the store names no such area."""
    return names.get(str(code), str(code))


def best_worst_bar(
    result: BestWorst,
    meta: IndicatorMeta,
    *,
    names: Mapping[str, str],
    period_label: str,
    england: float | None = None,
    median: float | None = None,
    highlight: str | None = None,
) -> go.Figure:
    """Horizontal bars: the N best (top) and N worst (bottom) LAs, England and median marked.

    Polarity decides the colours (better dark blue, worse orange); with no polarity both sides
    are neutral and labelled highest/lowest. All LAs tied at the cut-off are drawn.
    """
    if result.best.empty:
        return empty_figure("No LA has a published value for this indicator and period.")
    top = result.best.assign(side=result.top_label)
    bottom = result.worst.assign(side=result.bottom_label)
    both = pd.concat([top, bottom.iloc[::-1]], ignore_index=True).drop_duplicates("area_code")
    labels = [
        f"{r.rank_label if isinstance(r.rank_label, str) else r.rank!s}. "
        f"{_name(names, r.area_code)}"
        for r in both.itertuples()
    ]
    neutral = meta.polarity == Polarity.NONE
    colours = [
        SELECTED
        if code == highlight
        else (NEUTRAL if neutral else (BETTER if side == result.top_label else WORSE))
        for code, side in zip(both["area_code"], both["side"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=both["value"],
            y=labels,
            orientation="h",
            marker={"color": colours},
            customdata=np.column_stack([both["area_code"], both["side"]]),
            hovertemplate="%{y}<br>%{x:" + number_format(meta)[0:] + "}<br>%{customdata[1]}"
            "<extra></extra>",
            name=meta.short_title,
            showlegend=False,
        )
    )
    title = (
        f"The {result.n} {result.top_label} and {result.n} {result.bottom_label} LAs, "
        f"{period_label}"
    )
    fig.update_layout(
        **base_layout(title, height=max(420, 26 * len(both) + 140)),
        xaxis={"title": axis_title(meta), "tickformat": number_format(meta), "zeroline": True},
        yaxis={"autorange": "reversed", "automargin": True},
        bargap=0.25,
    )
    for value, label, colour, dash, position in (
        (england, "England", ENGLAND, "dash", "top"),
        (median, "Median LA", REFERENCE, "dot", "bottom"),
    ):
        if value is not None and np.isfinite(value):
            fig.add_vline(
                x=value,
                line={"color": colour, "dash": dash, "width": 2},
                annotation_text=f"{label}: {format_value(value, meta)}",
                annotation_position=position,
                annotation_font={"color": colour},
            )
    return fig


def best_worst_summary(
    result: BestWorst, meta: IndicatorMeta, *, names: Mapping[str, str], highlight: str | None
) -> str:
    """One or two sentences describing the chart (its text alternative)."""
    if result.best.empty:
        return "No LA has a published value for this indicator and period."
    first = result.best.iloc[0]
    last = result.worst.iloc[0]
    text = (
        f"{result.n_ranked} LAs ranked. {result.top_label.capitalize()}: "
        f"{_name(names, first.area_code)} ({format_value(first.value, meta)}); "
        f"{result.bottom_label}: {_name(names, last.area_code)} "
        f"({format_value(last.value, meta)})."
    )
    if result.not_ranked_text:
        text += f" {result.not_ranked_text.capitalize()}."
    if highlight:
        both = pd.concat([result.best, result.worst])
        hit = both[both["area_code"] == highlight]
        if len(hit):
            text += (
                f" {_name(names, highlight)} is shown, ranked "
                f"{hit.iloc[0].rank_label or hit.iloc[0]['rank']}."
            )
    return text


def best_worst_data(
    result: BestWorst, meta: IndicatorMeta, *, names: Mapping[str, str]
) -> DataView:
    """The rows drawn: side, rank, LA, value (and the LAs not ranked, with their status)."""
    rows: list[tuple[object, ...]] = []
    for side, frame in ((result.top_label, result.best), (result.bottom_label, result.worst)):
        for r in frame.itertuples():
            rows.append(
                (
                    side,
                    r.rank_label or str(r.rank),
                    r.area_code,
                    _name(names, r.area_code),
                    r.value,
                    "",
                )
            )
    for r in result.not_ranked.itertuples():
        rows.append(
            ("not ranked", "", r.area_code, _name(names, r.area_code), np.nan, r.status or "")
        )
    frame = pd.DataFrame(
        rows, columns=["Group", "Rank", "Area code", "Local authority", meta.short_title, "Status"]
    )
    decimals = {meta.short_title: 1 if meta.decimals is None else meta.decimals}
    return DataView(frame, f"{meta.title}: best and worst", decimals)


def _jitter(codes: pd.Series) -> np.ndarray:
    """A stable vertical offset per LA (the same on every render)."""
    return (
        np.array(
            [int(hashlib.md5(c.encode()).hexdigest()[:6], 16) / 0xFFFFFF - 0.5 for c in codes]
        )
        * 0.6
    )


def distribution_strip(
    ranked: pd.DataFrame,
    meta: IndicatorMeta,
    *,
    names: Mapping[str, str],
    period_label: str,
    england: float | None = None,
    highlight: str | None = None,
) -> go.Figure:
    """Every ranked LA as a point (hover names it) over a box of the distribution."""
    data = ranked[ranked["value"].notna()]
    if data.empty:
        return empty_figure("No LA has a published value for this indicator and period.")
    fmt = number_format(meta)
    text = [_name(names, c) for c in data["area_code"]]
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
            y=_jitter(data["area_code"]),
            mode="markers",
            marker={"color": NEUTRAL, "size": 8, "opacity": 0.75},
            text=text,
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
                marker={
                    "color": SELECTED,
                    "size": 16,
                    "symbol": "diamond",
                    "line": {"color": "white", "width": 2},
                },
                text=[_name(names, highlight)],
                textposition="top center",
                textfont={"color": SELECTED},
                hovertemplate="%{text}<br>%{x:" + fmt + "}<extra></extra>",
                name=f"Selected: {_name(names, highlight)}",
                yaxis="y2",
            )
        )
    fig.update_layout(
        **base_layout(f"Every LA, {period_label}", height=320),
        xaxis={"title": axis_title(meta), "tickformat": fmt},
        yaxis={"visible": False},
        yaxis2={"visible": False, "overlaying": "y", "range": [-0.6, 0.6]},
    )
    if england is not None and np.isfinite(england):
        fig.add_vline(
            x=england,
            line={"color": ENGLAND, "dash": "dash", "width": 2},
            annotation_text=f"England: {format_value(england, meta)}",
            annotation_position="top",
        )
    return fig


def distribution_summary(spread: Spread, meta: IndicatorMeta) -> str:
    """The text alternative of the distribution chart."""
    if not spread.n:
        return "No LA has a published value for this indicator and period."
    return (
        f"{spread.n} LAs; values run from {format_value(spread.minimum, meta)} to "
        f"{format_value(spread.maximum, meta)}, median {format_value(spread.median, meta)}."
    )


def distribution_data(
    ranked: pd.DataFrame, meta: IndicatorMeta, *, names: Mapping[str, str]
) -> DataView:
    """Every LA's value and rank (ranked first, then the not ranked with their status)."""
    frame = pd.DataFrame(
        {
            "Rank": ranked["rank_label"].fillna("").to_numpy(),
            "Area code": ranked["area_code"].to_numpy(),
            "Local authority": [_name(names, c) for c in ranked["area_code"]],
            meta.short_title: ranked["value"].to_numpy(),
            "Status": ranked["value_status"].fillna("").to_numpy(),
        }
    )
    decimals = {meta.short_title: 1 if meta.decimals is None else meta.decimals}
    return DataView(frame, f"{meta.title}: every LA", decimals)


def _funnel_side(position: str, polarity: Polarity) -> str:
    if position.startswith("within"):
        return "similar"
    high = position.startswith("above")
    if polarity == Polarity.NONE:
        return "higher" if high else "lower"
    better = high == (polarity == Polarity.HIGH_IS_BETTER)
    return "better" if better else "worse"


def funnel_chart(
    funnel: Funnel,
    meta: IndicatorMeta,
    *,
    names: Mapping[str, str],
    period_label: str,
    highlight: str | None = None,
    target_label: str = "England",
) -> go.Figure:
    """LAs by size (denominator) against value, with 95% and 99.8% control limits."""
    points = funnel.points
    if points.empty:
        return empty_figure("No numerators and denominators are published for this indicator.")
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
            name=f"Target ({target_label}): {format_value(funnel.target, meta)}",
            hoverinfo="skip",
        )
    )
    sides = [_funnel_side(p, meta.polarity) for p in points["position"]]
    colours = {
        "better": BETTER,
        "worse": WORSE,
        "higher": NEUTRAL,
        "lower": NEUTRAL,
        "similar": SIMILAR,
    }
    legend = {
        "better": "Better than expected (outside 95%)",
        "worse": "Worse than expected (outside 95%)",
        "higher": "Higher than expected (outside 95%)",
        "lower": "Lower than expected (outside 95%)",
        "similar": "Within 95% limits",
    }
    frame = points.assign(side=sides)
    for side, group in frame.groupby("side", sort=False):
        fig.add_trace(
            go.Scatter(
                x=group["denominator"],
                y=group["value"],
                mode="markers",
                marker={
                    "color": colours[str(side)],
                    "size": 8,
                    "line": {"color": "white", "width": 0.5},
                },
                text=[_name(names, c) for c in group["area_code"]],
                customdata=group["position"],
                hovertemplate="%{text}<br>%{y:" + fmt + "} (n = %{x:,.0f})<br>%{customdata}"
                "<extra></extra>",
                name=legend[str(side)],
            )
        )
    if highlight is not None and (points["area_code"] == highlight).any():
        row = points[points["area_code"] == highlight].iloc[0]
        fig.add_trace(
            go.Scatter(
                x=[row["denominator"]],
                y=[row["value"]],
                mode="markers+text",
                marker={
                    "color": SELECTED,
                    "size": 15,
                    "symbol": "diamond",
                    "line": {"color": "white", "width": 2},
                },
                text=[_name(names, highlight)],
                textposition="top center",
                textfont={"color": SELECTED},
                name=f"Selected: {_name(names, highlight)}",
                hovertemplate="%{text}<br>%{y:" + fmt + "}<extra></extra>",
            )
        )
    low, high = float(points["value"].min()), float(points["value"].max())
    pad = max((high - low) * 0.15, abs(funnel.target) * 0.05 if np.isfinite(funnel.target) else 1)
    fig.update_layout(
        **base_layout(f"Funnel plot, {period_label}", height=460),
        xaxis={"title": "Denominator (children or pupils in the measure)", "tickformat": ",.0f"},
        yaxis={"title": axis_title(meta), "tickformat": fmt, "range": [low - pad, high + pad]},
    )
    return fig


def funnel_summary(funnel: Funnel, meta: IndicatorMeta, *, target_label: str = "England") -> str:
    """The text alternative: how many LAs lie outside each limit, and the method."""
    points = funnel.points
    if points.empty:
        return "No numerators and denominators are published for this indicator and period."
    outside95 = int((~points["position"].str.startswith("within")).sum())
    outside998 = int(points["position"].str.contains("99.8").sum())
    return (
        f"{len(points)} LAs plotted against {target_label} "
        f"({format_value(funnel.target, meta)}): {outside95} outside the 95% limits, "
        f"{outside998} outside the 99.8% limits. Method: {funnel.method}."
    )


def funnel_data(funnel: Funnel, meta: IndicatorMeta, *, names: Mapping[str, str]) -> DataView:
    """Each LA's numerator, denominator, value, limits at its size and position."""
    p = funnel.points
    decimals = 1 if meta.decimals is None else max(meta.decimals, 1)
    frame = pd.DataFrame(
        {
            "Area code": p["area_code"].to_numpy(),
            "Local authority": [_name(names, c) for c in p["area_code"]],
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
