"""The gap between the LA and its comparison group over time (chart, text, table)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from data.schema import IndicatorMeta, Polarity
from figures.labels import OGL, decimals_of, export_name, source_line, unit_title
from figures.style import (
    BETTER,
    DARK_GREY,
    NEUTRAL,
    WORSE,
    base_layout,
    empty_figure,
    format_value,
    number_format,
    with_export,
)
from figures.tables import DataView
from views.gap import GapView

__all__ = ["gap_chart", "gap_data", "gap_summary", "gap_text"]


def _average_name(view: GapView) -> str:
    label = view.series.group.label
    return label[:1].lower() + label[1:]


def _colour(gap: float | None, polarity: Polarity) -> str:
    if gap is None or polarity is Polarity.NONE:
        return NEUTRAL
    good = gap > 0 if polarity is Polarity.HIGH_IS_BETTER else gap < 0
    return BETTER if good else WORSE


def gap_text(value: float, meta: IndicatorMeta) -> str:
    """A gap in the indicator's unit; a gap between two percentages is in percentage points.

    Examples:
        >>> from data.schema import IndicatorMeta, ValueType
        >>> m = IndicatorMeta("x", "t", "t", "topic", "%", 1, Polarity.NONE, "Reporting year",
        ...                   "s", "x", None, None, False, ValueType.PROPORTION, 100.0)
        >>> gap_text(-1.25, m)
        '-1.2 percentage points'
    """
    if meta.unit == "%":
        return f"{value:,.{decimals_of(meta)}f} percentage points"
    return format_value(value, meta)


def _trend_text(view: GapView) -> str:
    if view.trend_from is None or view.trend_to is None:
        return f"trend: {view.trend}"
    return f"{view.trend} over {view.trend_from}-{view.trend_to}"


def gap_chart(view: GapView) -> go.Figure:
    """Bars of LA minus the group's average each year (zero line: level with the group).

    Bars on the better side (by polarity) are dark blue, on the worse side orange; with no
    polarity all are one colour. Years without a gap are left empty, never zero.
    """
    series, meta = view.series, view.series.meta
    if not view.has_gap:
        return empty_figure(f"No year has both {series.la_name}'s value and its group's.")
    x = [p.period_label for p in view.points]
    gaps = [p.gap for p in view.points]
    fmt = number_format(meta)
    fig = go.Figure(
        go.Bar(
            x=x,
            y=gaps,
            name=f"{series.la_name} minus {_average_name(view)}",
            marker={"color": [_colour(g, meta.polarity) for g in gaps]},
            customdata=[[p.n_with_data, p.n_expected] for p in view.points],
            hovertemplate="%{x}: gap %{y:"
            + fmt
            + "}<br>%{customdata[0]} of %{customdata[1]} neighbours with data<extra></extra>",
        )
    )
    fig.add_hline(y=0, line={"color": DARK_GREY, "width": 1.5})
    title = f"{series.la_name} minus {_average_name(view)}: {meta.short_title}"
    fig.update_layout(
        **base_layout(title, height=360),
        xaxis={"title": "Year", "type": "category", "categoryorder": "array", "categoryarray": x},
        yaxis={"title": f"Gap: {unit_title(meta)}", "tickformat": fmt, "zeroline": True},
        showlegend=False,
    )
    latest = next((p for p in reversed(view.points) if p.gap is not None), None)
    period = latest.period_label if latest else ""
    return with_export(
        fig,
        title=title,
        period=f"{x[0]} to {x[-1]}; {_trend_text(view)}",
        source=source_line(meta),
        licence=OGL,
        filename=export_name(series.la_name, meta.indicator_id, "gap", period),
    )


def gap_summary(view: GapView) -> str:
    """The text alternative: the latest gap and whether it has been closing or widening."""
    series, meta = view.series, view.series.meta
    with_gap = [p for p in view.points if p.gap is not None]
    if not with_gap:
        return f"No year has both {series.la_name}'s value and its group's, so no gap."
    last = with_gap[-1]
    gap = last.gap
    assert gap is not None
    side = "above" if gap > 0 else "below" if gap < 0 else "level with"
    text = (
        f"In {last.period_label} {series.la_name} was {gap_text(abs(gap), meta)} "
        f"{side} its {_average_name(view)}"
        if gap
        else f"In {last.period_label} {series.la_name} was level with its {_average_name(view)}"
    )
    if view.trend_from is None:
        return f"{text}. Gap trend: {view.trend}."
    assert view.gap_first is not None
    assert view.gap_last is not None
    return (
        f"{text}. Over {view.trend_from}-{view.trend_to} the fitted gap went from "
        f"{gap_text(view.gap_first, meta)} to {gap_text(view.gap_last, meta)}: "
        f"{view.trend} (changes smaller than {gap_text(view.tolerance, meta)}, a quarter "
        "of the spread across LAs, count as none)."
    )


def gap_data(view: GapView) -> DataView:
    """One row per year: the LA, the group's average with n, and the gap."""
    series, meta = view.series, view.series.meta
    average = series.group.label
    gap_name = f"Gap ({series.la_name} minus the group)"
    frame = pd.DataFrame(
        {
            "Year": [p.period_label for p in view.points],
            series.la_name: [p.la_value for p in view.points],
            average: [p.average for p in view.points],
            "Neighbours with data": [f"{p.n_with_data} of {p.n_expected}" for p in view.points],
            gap_name: [p.gap for p in view.points],
        }
    ).astype({series.la_name: float, average: float, gap_name: float})
    digits = decimals_of(meta)
    return DataView(
        frame,
        f"{meta.title}: {series.la_name} minus {_average_name(view)}, {_trend_text(view)}",
        dict.fromkeys((series.la_name, average, gap_name), digits),
        key=None,
    )
