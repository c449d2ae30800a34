"""Is variation narrowing? The spread across LAs year by year, the within-group share beside it.

``narrowing_chart`` draws a ``views.within_groups.NarrowingView`` in two panels sharing the
years: on top the headline measure of spread (the coefficient of variation where it is
defined in every year, else the interquartile range), below the within-group share with its
95% interval and the value random groups would give. ``narrowing_summary`` is its text
alternative (the trend statement) and ``narrowing_data`` the numbers (the table and the CSV).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from figures.labels import decimals_of, unit_title
from figures.style import DARK_BLUE, MID_GREY, REFERENCE, base_layout, empty_figure, number_format
from figures.tables import DataView
from views.within_groups import NarrowingView

HEADLINES = {"cv": "Coefficient of variation", "iqr": "Interquartile range"}
SHARE_TITLE = "Within-group share ({release} neighbours)"
NO_YEARS = "No year has LA values for this indicator."


def _labels(view: NarrowingView) -> list[str]:
    years = view.trend.years
    return [view.labels.get(int(tp), str(tp)) for tp in years["time_period"]]


def _every_period(view: NarrowingView) -> tuple[list[str], pd.DataFrame]:
    """Every period's label and its row of ``years`` (NaN in a period without values)."""
    years = view.trend.years.set_index(view.trend.years["time_period"].astype(int))
    order = [tp for tp in view.labels if tp in years.index or tp in view.empty]
    return [view.labels[tp] for tp in order], years.reindex(order)


def _optional(values: pd.Series) -> list[float | None]:
    return [float(v) if np.isfinite(v) else None for v in values.to_numpy(dtype=float)]


def narrowing_chart(view: NarrowingView) -> go.Figure:
    """Two panels by year: the headline spread measure, and the within-group share."""
    meta = view.meta
    if view.trend.years.empty:
        return empty_figure(NO_YEARS)
    x, years = _every_period(view)  # a period without values is a gap in the lines
    headline = view.trend.headline_measure
    share_title = SHARE_TITLE.format(release=view.sn_release)
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.14,
        subplot_titles=(HEADLINES[headline], share_title),
    )
    fmt = ".0%" if headline == "cv" else number_format(meta)
    fig.add_trace(
        go.Scatter(
            x=x,
            y=_optional(years[headline]),
            mode="lines+markers",
            line={"color": DARK_BLUE, "width": 2.5},
            name=HEADLINES[headline],
            hovertemplate="%{x}: %{y:" + fmt + "}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    if "within_share" in years.columns:
        share = years["within_share"].to_numpy(dtype=float)
        low = np.where(np.isfinite(years["within_low"]), years["within_low"], share)
        high = np.where(np.isfinite(years["within_high"]), years["within_high"], share)
        fig.add_trace(
            go.Scatter(
                x=x,
                y=_optional(years["random_share"]),
                mode="lines",
                line={"color": MID_GREY, "dash": "dot", "width": 2},
                name="Groups of LAs picked at random",
                hovertemplate="%{x}: random groups %{y:.0%}<extra></extra>",
            ),
            row=2,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=_optional(years["within_share"]),
                mode="lines+markers",
                line={"color": REFERENCE, "width": 2.5},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": _optional(pd.Series(high - share)),
                    "arrayminus": _optional(pd.Series(share - low)),
                    "color": REFERENCE,
                    "thickness": 1.5,
                    "width": 4,
                },
                name="Within-group share (95% interval)",
                hovertemplate="%{x}: %{y:.0%}<extra></extra>",
            ),
            row=2,
            col=1,
        )
    fig.update_layout(**base_layout(meta.short_title, height=560))
    fig.update_yaxes(
        title_text="" if headline == "cv" else unit_title(meta),
        tickformat=fmt,
        rangemode="tozero",
        row=1,
        col=1,
    )
    fig.update_yaxes(title_text="Share", tickformat=".0%", rangemode="tozero", row=2, col=1)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=x)
    fig.update_xaxes(title_text="Year", row=2, col=1)
    return fig


def narrowing_summary(view: NarrowingView) -> str:
    """The trend statement, and the direction of the within-group share."""
    if view.trend.years.empty:
        return NO_YEARS
    trends = view.trend.trends.set_index("measure")
    text = view.trend.statement
    if view.empty:
        empty = ", ".join(view.labels[tp] for tp in view.empty)
        text += f" No LA has a value in {empty}: left out."
    if "within_share" in trends.index:
        row = trends.loc["within_share"]
        direction = str(row["direction"])
        if row["reason"] is not None and not pd.isna(row["reason"]):
            direction += f" ({row['reason']})"
        text += f" Within-group share ({view.sn_release} neighbours): {direction}."
    return text


def narrowing_data(view: NarrowingView) -> DataView:
    """One row per year: the spread measures and the within-group share with its interval."""
    years, meta = view.trend.years, view.meta
    columns = {
        "n": "LAs with a value",
        "p10": "10th percentile",
        "p25": "25th percentile",
        "median": "Median",
        "p75": "75th percentile",
        "p90": "90th percentile",
        "iqr": "Interquartile range",
        "p90_p10_ratio": "P90 / P10",
        "cv": "Coefficient of variation",
        "within_share": "Within-group share",
        "within_low": "Share: 95% lower",
        "within_high": "Share: 95% upper",
        "random_share": "Random groups",
    }
    present = {k: v for k, v in columns.items() if k in years.columns}
    frame = years[list(present)].rename(columns=present)
    frame.insert(0, "Year", _labels(view))
    ratios = {"p90_p10_ratio", "cv", "within_share", "within_low", "within_high", "random_share"}
    decimals = {name: 3 if key in ratios else decimals_of(meta) for key, name in present.items()}
    decimals["LAs with a value"] = 0
    title = f"{meta.title}: spread by year ({view.sn_release} neighbours)"
    return DataView(frame.reset_index(drop=True), title, decimals, key=None)
