"""The N best and N worst LAs on one indicator in one period, England and the median marked.

``best_worst_bar`` draws a ``views.variation.BestWorstView``; ``best_worst_summary`` is its
text alternative and ``best_worst_data`` the numbers drawn (the table and the CSV).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from data.schema import Polarity
from figures.labels import area_name, decimals_of
from figures.style import (
    BETTER,
    DARK_GREY,
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
from views.variation import NO_VALUES, BestWorstView, RankRanges

RANGE_AXIS = "Rank (1 = top), 95% range from the counts"
WIDE_LEGEND = "Range spans more than half the ranking"
RANGE_COLUMN = "Rank range (95%)"


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
    bars = go.Bar(
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
    title = (
        f"The {result.n} {result.top_label} and {result.n} {result.bottom_label} LAs, "
        f"{view.period_label}"
    )
    ranged = _ranges(both, view.ranges)
    layout = base_layout(title, height=max(420, 26 * len(both) + 140))
    value_axis = {"title": axis_title(meta), "tickformat": number_format(meta), "zeroline": True}
    if ranged.empty:
        fig = go.Figure(bars)
        fig.update_layout(
            **layout,
            xaxis=value_axis,
            yaxis={"autorange": "reversed", "automargin": True},
            bargap=0.25,
        )
    else:
        fig = make_subplots(
            rows=1, cols=2, shared_yaxes=True, column_widths=[0.64, 0.36], horizontal_spacing=0.04
        )
        fig.add_trace(bars, row=1, col=1)
        _add_rank_ranges(fig, ranged, labels, both, result.n_ranked)
        fig.update_layout(**layout, bargap=0.25)
        fig.update_xaxes(value_axis, row=1, col=1)
        fig.update_xaxes(
            title=RANGE_AXIS,
            side="top",
            range=[0.5, result.n_ranked + 0.5],
            zeroline=False,
            row=1,
            col=2,
        )
        fig.update_yaxes(autorange="reversed", automargin=True)
    cell = {} if ranged.empty else {"row": 1, "col": 1}
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
                **cell,
            )
    return fig


def _ranges(shown: pd.DataFrame, ranges: RankRanges) -> pd.DataFrame:
    """The rank ranges of the LAs shown (in their order); empty when none has one."""
    frame = shown[["area_code", "rank"]].merge(ranges.ranks, on="area_code", how="left")
    return frame[frame["rank_low"].notna()]


def _add_rank_ranges(
    fig: go.Figure, ranged: pd.DataFrame, labels: list[str], shown: pd.DataFrame, n_ranked: int
) -> None:
    """Each shown LA's rank as a point with its 95% range as a line, beside its bar."""
    y_of = dict(zip(shown["area_code"], labels, strict=True))
    for wide, group in ranged.groupby("spans_most", sort=True):
        rank = group["rank"].to_numpy(dtype=float)
        low = group["rank_low"].to_numpy(dtype=float)
        high = group["rank_high"].to_numpy(dtype=float)
        fig.add_trace(
            go.Scatter(
                x=rank,
                y=[y_of[c] for c in group["area_code"]],
                mode="markers",
                marker={
                    "color": DARK_GREY,
                    "size": 11 if wide else 9,
                    "symbol": "diamond-open" if wide else "line-ns",
                    "line": {"width": 2, "color": DARK_GREY},
                },
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": high - rank,
                    "arrayminus": rank - low,
                    "color": DARK_GREY,
                    "thickness": 2,
                    "width": 4,
                },
                customdata=np.column_stack([low, high]),
                hovertemplate="%{y}<br>rank %{x} of "
                + str(n_ranked)
                + "<br>95% range: %{customdata[0]} to %{customdata[1]}<extra></extra>",
                name=WIDE_LEGEND if wide else "Rank and its 95% range",
                showlegend=True,
            ),
            row=1,
            col=2,
        )


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
    text += _ranges_text(view)
    if view.highlight:
        both = pd.concat([result.best, result.worst])
        hit = both[both["area_code"] == view.highlight]
        if len(hit):
            text += (
                f" {area_name(names, view.highlight)} is shown, ranked "
                f"{hit.iloc[0].rank_label or hit.iloc[0]['rank']}."
            )
    return text


def _ranges_text(view: BestWorstView) -> str:
    """What the rank ranges say about the LAs shown (empty when none has a range)."""
    result, names = view.result, view.names
    shown = pd.concat([result.best, result.worst]).drop_duplicates("area_code")
    ranged = _ranges(shown, view.ranges)
    if ranged.empty:
        return ""
    text = " Beside each bar, the rank's 95% range from the counts."
    wide = [
        f"{area_name(names, r.area_code)}: {r.note}"
        for r in ranged.itertuples()
        if r.spans_most and isinstance(r.note, str)
    ]
    if wide:
        text += " Wide ranges: " + "; ".join(wide) + "."
    return text


def range_text(row: dict[str, object] | None) -> tuple[str, str]:
    """An LA's rank range as text ("3 to 17") and its note or why it has none."""
    if row is None:
        return "", ""
    low, high = row["rank_low"], row["rank_high"]
    if pd.isna(low) or pd.isna(high):  # type: ignore[call-overload]
        reason = row["interval_reason"]
        return "", "" if reason is None or pd.isna(reason) else f"no range: {reason}"  # type: ignore[call-overload]
    note = row["note"]
    return f"{low} to {high}", "" if note is None or pd.isna(note) else str(note)  # type: ignore[call-overload]


def best_worst_data(view: BestWorstView) -> DataView:
    """The rows drawn: side, rank, LA, value (and the LAs not ranked, with their status)."""
    result, meta, names = view.result, view.meta, view.names
    rows: list[tuple[object, ...]] = []
    for side, frame in ((result.top_label, result.best), (result.bottom_label, result.worst)):
        for r in frame.itertuples():
            rank_range, note = range_text(view.ranges.of(str(r.area_code)))
            rows.append(
                (
                    side,
                    r.rank_label or str(r.rank),
                    rank_range,
                    r.area_code,
                    area_name(names, r.area_code),
                    r.value,
                    "",
                    note,
                )
            )
    for r in result.not_ranked.itertuples():
        name = area_name(names, r.area_code)
        rows.append(("not ranked", "", "", r.area_code, name, np.nan, r.status or "", ""))
    columns = ["Group", "Rank", RANGE_COLUMN, "Area code", "Local authority", meta.short_title]
    frame = pd.DataFrame(rows, columns=[*columns, "Status", "Rank range note"])
    return DataView(frame, f"{meta.title}: best and worst", {meta.short_title: decimals_of(meta)})
