"""The N best and N worst LAs on one indicator in one period, England and the median marked.

``best_worst_bar`` draws a ``views.variation.BestWorstView``; ``best_worst_summary`` is its
text alternative and ``best_worst_data`` the numbers drawn (the table and the CSV).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from data.schema import Polarity
from figures.labels import area_name, decimals_of
from figures.style import (
    BETTER,
    ENGLAND,
    NEUTRAL,
    REFERENCE,
    SELECTED,
    WORSE,
    axis_title,
    base_layout,
    empty_figure,
    format_value,
    number_format,
)
from figures.tables import DataView
from views.variation import NO_VALUES, BestWorstView


def _rank_text(row: object) -> str:
    label = getattr(row, "rank_label", None)
    return label if isinstance(label, str) else str(getattr(row, "rank", ""))


def best_worst_bar(view: BestWorstView) -> go.Figure:
    """Horizontal bars: the N best (top) and N worst (bottom) LAs, England and median marked.

    Polarity decides the colours (better dark blue, worse orange); with no polarity both sides
    are neutral and labelled highest/lowest. All LAs tied at the cut-off are drawn.
    """
    result, meta, names = view.result, view.meta, view.names
    if result.best.empty:
        return empty_figure(NO_VALUES)
    top = result.best.assign(side=result.top_label)
    bottom = result.worst.assign(side=result.bottom_label)
    both = pd.concat([top, bottom.iloc[::-1]], ignore_index=True).drop_duplicates("area_code")
    labels = [f"{_rank_text(r)}. {area_name(names, r.area_code)}" for r in both.itertuples()]
    neutral = meta.polarity == Polarity.NONE
    colours = [
        SELECTED
        if code == view.highlight
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
            hovertemplate="%{y}<br>%{x:" + number_format(meta) + "}<br>%{customdata[1]}"
            "<extra></extra>",
            name=meta.short_title,
            showlegend=False,
        )
    )
    title = (
        f"The {result.n} {result.top_label} and {result.n} {result.bottom_label} LAs, "
        f"{view.period_label}"
    )
    fig.update_layout(
        **base_layout(title, height=max(420, 26 * len(both) + 140)),
        xaxis={"title": axis_title(meta), "tickformat": number_format(meta), "zeroline": True},
        yaxis={"autorange": "reversed", "automargin": True},
        bargap=0.25,
    )
    for value, label, colour, dash, position in (
        (view.england, "England", ENGLAND, "dash", "top"),
        (view.median, "Median LA", REFERENCE, "dot", "bottom"),
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


def best_worst_summary(view: BestWorstView) -> str:
    """One or two sentences describing the chart (its text alternative)."""
    result, meta, names = view.result, view.meta, view.names
    if result.best.empty:
        return NO_VALUES
    first = result.best.iloc[0]
    last = result.worst.iloc[0]
    text = (
        f"{result.n_ranked} LAs ranked. {result.top_label.capitalize()}: "
        f"{area_name(names, first.area_code)} ({format_value(first.value, meta)}); "
        f"{result.bottom_label}: {area_name(names, last.area_code)} "
        f"({format_value(last.value, meta)})."
    )
    if result.not_ranked_text:
        text += f" {result.not_ranked_text.capitalize()}."
    if view.highlight:
        both = pd.concat([result.best, result.worst])
        hit = both[both["area_code"] == view.highlight]
        if len(hit):
            text += (
                f" {area_name(names, view.highlight)} is shown, ranked "
                f"{hit.iloc[0].rank_label or hit.iloc[0]['rank']}."
            )
    return text


def best_worst_data(view: BestWorstView) -> DataView:
    """The rows drawn: side, rank, LA, value (and the LAs not ranked, with their status)."""
    result, meta, names = view.result, view.meta, view.names
    rows = []
    for side, frame in ((result.top_label, result.best), (result.bottom_label, result.worst)):
        for r in frame.itertuples():
            rows.append(
                (
                    side,
                    r.rank_label or str(r.rank),
                    r.area_code,
                    area_name(names, r.area_code),
                    r.value,
                    "",
                )
            )
    for r in result.not_ranked.itertuples():
        rows.append(
            ("not ranked", "", r.area_code, area_name(names, r.area_code), np.nan, r.status or "")
        )
    frame = pd.DataFrame(
        rows, columns=["Group", "Rank", "Area code", "Local authority", meta.short_title, "Status"]
    )
    return DataView(frame, f"{meta.title}: best and worst", {meta.short_title: decimals_of(meta)})
