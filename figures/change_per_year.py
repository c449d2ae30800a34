"""Each LA's change per year over a window, ordered: the chart, its text and its numbers.

Draws a ``views.improvement.ChangeView`` (``indicators.change_per_year`` for every compared
LA): improving dark blue, worsening orange, no significant change grey (rising and falling
neutral for an indicator with no polarity).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from data.schema import Polarity
from figures.labels import wrap
from figures.pace import (
    DIRECTION_COLOURS,
    DIRECTION_LEGEND,
    DIRECTION_ORDER,
    add_highlight,
    by_direction,
    change_decimals,
    change_format,
    direction_marks,
    finite,
    format_change,
    improvement_axis_title,
    per_year_unit,
)
from figures.style import LIGHT_GREY, base_layout, empty_figure
from figures.tables import DataView
from views.improvement import ChangeView

NO_SLOPES = "No LA has values in at least 3 years of this window, so no change per year."


def change_chart(view: ChangeView, *, highlight: str | None = None) -> go.Figure:
    """Every LA's change per year, ordered from least to most improving, by label."""
    have, meta = view.ordered, view.meta
    if have.empty:
        return empty_figure(NO_SLOPES)
    unit = per_year_unit(meta)
    rate_fmt = change_format(meta)
    fig = go.Figure()
    for direction, group in by_direction(have):
        fig.add_trace(
            go.Scatter(
                x=group["order"],
                y=group["shown"],
                mode="markers",
                marker={"color": DIRECTION_COLOURS[direction], "size": 7},
                text=group["area_name"].tolist(),
                customdata=np.column_stack([group["p_value"], group["n_points"]]),
                hovertemplate="%{text}<br>%{y:"
                + rate_fmt
                + "} "
                + unit
                + "<br>p = %{customdata[0]:.2g}, %{customdata[1]} years<extra>"
                + DIRECTION_LEGEND[direction]
                + "</extra>",
                name=DIRECTION_LEGEND[direction],
            )
        )
    hover = "%{text}<br>%{y:" + rate_fmt + "} " + unit + "<extra></extra>"
    add_highlight(fig, have, highlight, x="order", y="shown", hover=hover)
    fig.add_hline(y=0, line={"color": LIGHT_GREY, "width": 1.5})
    fig.update_layout(
        **base_layout(f"Each LA's change per year, {view.window.label}", height=380),
        xaxis={
            "title": "Local authorities, ordered from least to most improving"
            if meta.polarity != Polarity.NONE
            else "Local authorities, ordered from most falling to most rising",
            "showticklabels": False,
            "zeroline": False,
        },
        yaxis={
            "title": wrap(improvement_axis_title(meta), 28),
            "tickformat": f",.{change_decimals(meta)}f",
            "zeroline": False,
        },
        annotations=list(direction_marks(meta)),
    )
    return fig


def change_summary(view: ChangeView, *, highlight: str | None = None) -> str:
    """Counts by label (improving / worsening / no significant change) and the selected LA."""
    changes, have, meta = view.changes, view.ordered, view.meta
    if have.empty:
        return NO_SLOPES
    counts = have["direction"].value_counts()
    parts = [f"{int(counts[d])} {d}" for d in DIRECTION_ORDER if d in counts.index]
    text = (
        f"{len(have)} LAs with a change per year (least-squares slope, {per_year_unit(meta)}; "
        f"significance 5%): " + ", ".join(parts) + "."
    )
    missing = len(changes) - len(have)
    if missing:
        text += f" {missing} LA(s) have too few years."
    row = view.row(highlight) if highlight is not None else None
    if row is not None:
        name = row["area_name"]
        text += (
            f" {name}: {format_change(row['slope'], meta)}, {row['direction']}."
            if finite(row["slope"])
            else f" {name}: no change per year ({row['reason']})."
        )
    return text


def change_data(view: ChangeView) -> DataView:
    """Each LA's change per year, its p-value, label and years with data."""
    changes, meta = view.changes, view.meta
    unit = per_year_unit(meta)
    frame = pd.DataFrame(
        {
            "Area code": changes["area_code"].to_numpy(),
            "Local authority": changes["area_name"].to_numpy(),
            f"Change per year ({unit})": changes["slope"].to_numpy(),
            "p-value": changes["p_value"].to_numpy(),
            "Label": changes["direction"].fillna("").to_numpy(),
            "Years with data": changes["n_points"].to_numpy(),
            "First year": changes["first_year"].to_numpy(),
            "Last year": changes["last_year"].to_numpy(),
            "Why no change": changes["reason"].fillna("").to_numpy(),
        }
    ).sort_values([f"Change per year ({unit})", "Local authority"], na_position="last")
    decimals = {
        f"Change per year ({unit})": change_decimals(meta),
        "p-value": 3,
        "Years with data": 0,
        "First year": 0,
        "Last year": 0,
    }
    return DataView(frame.reset_index(drop=True), f"{meta.title}: change per year by LA", decimals)
