"""The LA and its comparison group in one year: a bar per member, ranked within the group.

``group_bar`` draws a ``views.benchmark.GroupView``; ``group_summary`` is its text alternative
and ``group_data`` the numbers drawn.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from data.schema import Polarity
from figures.labels import (
    OGL,
    area_name,
    decimals_of,
    export_name,
    ordinal,
    source_line,
    status_text,
)
from figures.style import (
    BETTER,
    DARK_GREY,
    ENGLAND,
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
    with_export,
)
from figures.tables import DataView
from indicators import MIN_WITH_DATA, GroupPerformance
from views.benchmark import GroupView


def no_group_text(view: GroupView) -> str:
    """Why there is no group chart: the LA is not in the chosen neighbour release."""
    return (
        f"{view.la_name} has no statistical neighbours in the {view.group.sn_release} "
        "release: choose the other release or a custom group."
    )


def _group_frame(perf: GroupPerformance, names: Mapping[str, str]) -> pd.DataFrame:
    """Members in display order (ranked first, then those without a value) with labels."""
    members = perf.members
    rank = members["group_rank"]
    order = np.lexsort(
        (
            members["neighbour_rank"].to_numpy(),
            rank.fillna(10**6).to_numpy(dtype=float),
        )
    )
    m = members.iloc[order].reset_index(drop=True)
    top, bottom = set(perf.top), set(perf.bottom)
    marks = []
    for code in m["area_code"]:
        mark = []
        if code in top:
            mark.append(f"{perf.top_label} in group")
        if code in bottom and len(perf.members) > 1 and top != bottom:
            mark.append(f"{perf.bottom_label} in group")
        marks.append(", ".join(mark))
    labels = []
    for r in m.itertuples():
        name = area_name(names, r.area_code)
        extra = " (selected)" if r.role == "LA" else ""
        if isinstance(r.closeness, str) and r.closeness:
            extra = f" ({r.closeness})"
        # pandas-stubs: pd.isna's scalar overload leaves out Period and Interval, two of the
        # types it gives itertuples' fields.
        if pd.isna(r.group_rank):  # type: ignore[arg-type]
            labels.append(f"– {name}{extra}: no value ({r.status})")
        else:
            labels.append(f"{r.group_rank_label}. {name}{extra}")
    return m.assign(mark=marks, label=labels, name=[area_name(names, c) for c in m["area_code"]])


def group_bar(view: GroupView) -> go.Figure:
    """Horizontal bars: the LA and each neighbour in one year, ranked within the group.

    The group's best and worst (highest and lowest when no direction is better) are coloured
    and labelled, the LA is dark pink and labelled "(selected)", other members are grey.
    Members with no value stay listed ("no value (z)") with no bar: never a zero bar.
    """
    if view.performance is None or view.comparison is None:
        return empty_figure(no_group_text(view))
    perf, comparison, meta, names = view.performance, view.comparison, view.meta, view.names
    period_label, average_label, england = view.period_label, view.group.label, view.england
    frame = _group_frame(perf, names)
    if frame["value"].notna().sum() == 0:
        return empty_figure(
            f"Neither {area_name(names, perf.area_code)} nor any member of its group has a "
            f"published value in {period_label}."
        )
    neutral = meta.polarity == Polarity.NONE
    top, bottom = set(perf.top), set(perf.bottom)
    colours = []
    for code, role in zip(frame["area_code"], frame["role"], strict=True):
        if role == "LA":
            colours.append(SELECTED)
        elif code in top:
            colours.append(NEUTRAL if neutral else BETTER)
        elif code in bottom:
            colours.append(NEUTRAL if neutral else WORSE)
        else:
            colours.append(SIMILAR)
    text = [
        "" if pd.isna(v) else format_value(float(v), meta) + (f"  ({mark})" if mark else "")
        for v, mark in zip(frame["value"], frame["mark"], strict=True)
    ]
    fmt = number_format(meta)
    fig = go.Figure(
        go.Bar(
            x=[None if pd.isna(v) else float(v) for v in frame["value"]],
            y=frame["label"],
            orientation="h",
            marker={"color": colours, "line": {"color": DARK_GREY, "width": 1}},
            text=text,
            textposition="outside",
            cliponaxis=False,
            customdata=np.column_stack([frame["area_code"], frame["mark"]]),
            hovertemplate="%{y}<br>%{x:" + fmt + "}<br>%{customdata[1]}<extra></extra>",
            name=meta.short_title,
            showlegend=False,
        )
    )
    present = [float(v) for v in frame["value"].dropna()]
    present += [r for r in (comparison.value, england) if r is not None and np.isfinite(r)]
    low, high = min(0.0, *present), max(0.0, *present)
    span = (high - low) or 1.0
    x_range = [low - (0.05 * span if low < 0 else 0.0), high + 0.4 * span]
    fig.update_layout(
        **base_layout(
            f"{area_name(names, perf.area_code)} and its group, {period_label}",
            height=max(380, 34 * len(frame) + 160),
        ),
        xaxis={"title": axis_title(meta), "tickformat": fmt, "range": x_range},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        bargap=0.3,
    )
    # Label the lines above the plot, the lower line's label to its left and the higher's to
    # its right, so close lines never print over each other or over a bar. Text is dark grey
    # (turquoise text would fail contrast); the line style says which is which.
    nb_left = england is None or comparison.value is None or comparison.value <= england
    lines = [
        (comparison.value, f"{average_label} (dotted): ", REFERENCE, "dot", nb_left),
        (england, "England (dashed): ", ENGLAND, "dash", not nb_left),
    ]
    for value, label, colour, dash, left in lines:
        if value is not None and np.isfinite(value):
            fig.add_vline(x=value, line={"color": colour, "dash": dash, "width": 2})
            fig.add_annotation(
                x=value,
                xref="x",
                y=1.0,
                yref="paper",
                yanchor="bottom",
                xanchor="right" if left else "left",
                text=label + format_value(value, meta),
                showarrow=False,
                font={"color": DARK_GREY, "size": 12},
            )
    fig.update_layout(margin={"t": 90})
    return with_export(
        fig,
        title=f"{view.la_name} and its comparison group: {meta.short_title}",
        period=view.period_label,
        source=source_line(meta),
        licence=OGL,
        filename=export_name(view.la_name, meta.indicator_id, view.period_label),
    )


def group_summary(view: GroupView) -> str:
    """The text alternative of the group chart: the LA's place, the ends, the average."""
    if view.performance is None or view.comparison is None:
        return no_group_text(view)
    perf, comparison, meta, names = view.performance, view.comparison, view.meta, view.names
    period_label, average_label = view.period_label, view.group.label
    la = area_name(names, perf.area_code)
    members = perf.members
    if members["value"].notna().sum() == 0:
        return f"Neither {la} nor any member of its group has a published value in {period_label}."
    own = members.iloc[0]
    if pd.isna(own["group_rank"]):
        place = f"{la} has no value in {period_label} ({own['status']})."
    else:
        mark = "joint " if str(own["group_rank_label"]).startswith("=") else ""
        place = (
            f"{la} is {mark}{ordinal(int(own['group_rank']))} of the {perf.n_with_data} "
            f"members with data in {period_label} (1 = {perf.top_label})."
        )

    def who(codes: tuple[str, ...]) -> str:
        vals = members.set_index("area_code")["value"]
        return "; ".join(
            f"{area_name(names, c)} ({format_value(float(vals[c]), meta)})" for c in codes
        )

    parts = [place, f"{perf.top_label.capitalize()}: {who(perf.top)}."]
    parts.append(f"{perf.bottom_label.capitalize()}: {who(perf.bottom)}.")
    if comparison.value is not None:
        parts.append(
            f"{average_label}: {format_value(comparison.value, meta)} "
            f"({comparison.n_with_data} of {comparison.n_expected} neighbours with data)."
        )
    missing = members[members["value"].isna() & (members["role"] != "LA")]
    if len(missing):
        listed = ", ".join(
            f"{area_name(names, c)} ({s})"
            for c, s in zip(missing["area_code"], missing["status"], strict=True)
        )
        parts.append(f"No value: {listed}.")
    if comparison.below_minimum:
        parts.append(f"Warning: fewer than {MIN_WITH_DATA} neighbours have data.")
    return " ".join(parts)


def group_data(view: GroupView) -> DataView:
    """Each member: rank in the group, code, name, role, closeness, value or status, mark."""
    if view.performance is None:
        return DataView(pd.DataFrame(), no_group_text(view), key=None)
    perf, meta, names = view.performance, view.meta, view.names
    f = _group_frame(perf, names)
    frame = pd.DataFrame(
        {
            "Rank in group": f["group_rank_label"].fillna("").to_numpy(),
            "Area code": f["area_code"].to_numpy(),
            "Local authority": f["name"].to_numpy(),
            "Role": ["selected LA" if r == "LA" else "neighbour" for r in f["role"]],
            "Closeness": f["closeness"].fillna("").to_numpy(),
            meta.short_title: f["value"].astype(float).to_numpy(),
            "Status": [status_text(s) if s else "" for s in f["status"]],
            "Marked": f["mark"].to_numpy(),
        }
    )
    return DataView(
        frame,
        f"{meta.title}: {area_name(names, perf.area_code)} and its comparison group",
        {meta.short_title: decimals_of(meta)},
    )
