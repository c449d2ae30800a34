"""Figures of the LA benchmark page: one LA against its neighbours, region and England.

Four views, each with a builder, a text alternative (``*_summary``) and the numbers drawn
(``*_data``):

* ``series_chart``: the LA's time series with its neighbours' mean or median ("n of 10 with
  data" in hover, a visible warning when fewer than 10 have data), its region and England.
* ``group_bar``: the LA and each neighbour in one year, ranked within the group, the group's
  high and low performer marked, the neighbour average and England as lines.
* ``summary_data``: the LA's value, national rank, quartile band, comparators and
  significance flags for one year, as a table.
* ``spine_chart``: every indicator of a topic for the LA (Fingertips' spine chart), each row
  standardised so that England sits in the centre and better is always to the right.

``spine_rows`` and ``latest_rows`` shape the store's rows for the spine in a few vectorised
steps (the page must stay fast on the full store); they follow the ``indicators`` rules exactly
and the unit tests check them against ``compare_to_neighbours`` and ``quartile_bands``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from data.schema import (
    ALL_STATUS_MEANINGS,
    ENGLAND_CODE,
    IndicatorMeta,
    Polarity,
    ValueType,
)
from figures.style import (
    BETTER,
    DARK_BLUE,
    DARK_GREY,
    ENGLAND,
    NEUTRAL,
    QUARTILE_COLOURS,
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
from indicators import (
    MIN_WITH_DATA,
    NOT_COMPARED,
    Comparator,
    GroupPerformance,
    NeighbourComparison,
    QuartileBands,
    compare_to_benchmark,
    confidence_intervals,
)

#: Most rows a spine chart draws (a topic may hold hundreds of indicators).
SPINE_MAX_ROWS = 40
#: Fill of the all-LA range and of the middle half on the spine (light greys, outlined).
RANGE_FILL = "#E6E6E6"
IQR_FILL = "#B3B3B3"
NO_VALUE = "no value"


def _name(names: Mapping[str, str], code: str) -> str:
    return names.get(code, code)


def _decimals(meta: IndicatorMeta) -> int:
    return 1 if meta.decimals is None else meta.decimals


def status_text(status: str | None) -> str:
    """A publisher symbol with its meaning, e.g. ``"c (confidential: suppressed ...)"``."""
    if not status:
        return NO_VALUE
    meaning = ALL_STATUS_MEANINGS.get(status)
    if status == "no row":
        meaning = "no row for this LA and year (e.g. it did not exist)"
    return f"{status} ({meaning})" if meaning else status


def group_label(sn_release: str, statistic: str, n_members: int | None = None) -> str:
    """Name of the comparison group's average, e.g. ``"Statistical neighbours' mean (2025)"``.

    Examples:
        >>> group_label("2025", "median")
        "Statistical neighbours' median (2025 release)"
        >>> group_label("custom", "mean", 4)
        "Custom group's mean (4 LAs)"
    """
    if sn_release == "custom":
        size = f" ({n_members} LAs)" if n_members else ""
        return f"Custom group's {statistic}{size}"
    return f"Statistical neighbours' {statistic} ({sn_release} release)"


def own_value(values: pd.DataFrame, area_code: str) -> tuple[float | None, str | None]:
    """One area's value and status in a one-period frame (``"no row"`` when it has none)."""
    row = values[values["area_code"] == area_code]
    if row.empty:
        return None, "no row"
    value = float(row["value"].iloc[0])
    if np.isfinite(value):
        return value, None
    status = row["value_status"].iloc[0] if "value_status" in row.columns else None
    return None, "missing" if status is None or pd.isna(status) else str(status)


def unit_title(meta: IndicatorMeta) -> str:
    """A short value-axis title naming the unit (the chart title names the indicator).

    Examples:
        >>> from data.schema import IndicatorMeta, Polarity, ValueType
        >>> m = IndicatorMeta("x", "t", "t", "topic", "%", 1, Polarity.NONE, "Reporting year",
        ...                   "s", "x", None, None, False, ValueType.PROPORTION, 100.0)
        >>> unit_title(m)
        'Per cent (%)'
    """
    unit = meta.unit.strip()
    if unit == "%":
        return "Per cent (%)"
    if unit in ("", "number"):
        return "Number"
    return unit[:1].upper() + unit[1:]


# ---------------------------------------------------------------------------------------------
# Time series
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One period of the LA's series and its comparators (None when not available)."""

    time_period: int
    period_label: str
    la_value: float | None
    la_status: str | None
    neighbours: NeighbourComparison | None
    region: Comparator | None
    england: Comparator | None


def _cval(c: Comparator | None) -> float | None:
    return None if c is None else c.value


def _nval(c: NeighbourComparison | None) -> float | None:
    return None if c is None else c.value


def _has_any(points: Sequence[SeriesPoint]) -> bool:
    return any(
        v is not None
        for p in points
        for v in (p.la_value, _nval(p.neighbours), _cval(p.region), _cval(p.england))
    )


def _neighbour_mark(c: NeighbourComparison | None) -> tuple[str, str]:
    """(marker symbol, text label) showing how complete a neighbour average is."""
    if c is None or c.value is None:
        return "circle", ""
    if c.below_minimum:
        return "x", f"only {c.n_with_data} of {c.n_expected}"
    if c.incomplete:
        return "circle-open", f"{c.n_with_data} of {c.n_expected}"
    return "circle", ""


def series_chart(
    points: Sequence[SeriesPoint],
    meta: IndicatorMeta,
    *,
    la_name: str,
    average_label: str,
    region_name: str | None,
) -> go.Figure:
    """The LA's values over time with its neighbours' average, its region and England.

    Missing years are gaps (never zero); the LA's unpublished years are marked along the foot
    of the chart with their status in the hover. Neighbour averages with fewer than all
    neighbours are open circles labelled "9 of 10"; below ``MIN_WITH_DATA`` a cross labelled
    "only 4 of 10".
    """
    if not points or not _has_any(points):
        return empty_figure(f"No values are published for {meta.short_title} in any year.")
    x = [p.period_label for p in points]
    fmt = number_format(meta)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[_cval(p.england) for p in points],
            mode="lines+markers",
            name="England",
            line={"color": ENGLAND, "dash": "dash", "width": 2},
            marker={"symbol": "square", "size": 7},
            hovertemplate="England %{x}: %{y:" + fmt + "}<extra></extra>",
        )
    )
    if region_name is not None:
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[_cval(p.region) for p in points],
                mode="lines+markers",
                name=region_name,
                line={"color": DARK_BLUE, "dash": "dashdot", "width": 2},
                marker={"symbol": "triangle-up", "size": 8},
                text=[p.region.label if p.region else "" for p in points],
                hovertemplate="%{text} %{x}: %{y:" + fmt + "}<extra></extra>",
            )
        )
    marks = [_neighbour_mark(p.neighbours) for p in points]
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[_nval(p.neighbours) for p in points],
            mode="lines+markers+text",
            name=average_label,
            line={"color": REFERENCE, "dash": "dot", "width": 2.5},
            marker={"symbol": [m[0] for m in marks], "size": 9, "line": {"width": 2}},
            text=[m[1] for m in marks],
            textposition="top center",
            textfont={"color": DARK_GREY, "size": 11},
            customdata=[
                [
                    p.neighbours.n_with_data if p.neighbours else 0,
                    p.neighbours.n_expected if p.neighbours else 0,
                    p.neighbours.missing_text if p.neighbours else "",
                ]
                for p in points
            ],
            hovertemplate=average_label
            + " %{x}: %{y:"
            + fmt
            + "}<br>%{customdata[0]} of %{customdata[1]} with data (%{customdata[2]})"
            "<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[p.la_value for p in points],
            mode="lines+markers",
            name=f"{la_name} (selected)",
            line={"color": SELECTED, "width": 3.5},
            marker={"size": 9},
            hovertemplate=la_name + " %{x}: %{y:" + fmt + "}<extra></extra>",
        )
    )
    gaps = [p for p in points if p.la_value is None]
    if gaps:
        fig.add_trace(
            go.Scatter(
                x=[p.period_label for p in gaps],
                y=[0.03] * len(gaps),
                yaxis="y2",
                mode="markers",
                name=f"{la_name}: not published",
                marker={
                    "symbol": "x-thin-open",
                    "size": 11,
                    "color": SELECTED,
                    "line": {"width": 2},
                },
                text=[status_text(p.la_status) for p in gaps],
                hovertemplate=la_name + " %{x}: not published, %{text}<extra></extra>",
            )
        )
    fig.update_layout(
        **base_layout(f"{la_name}: {meta.short_title}", height=440),
        xaxis={"title": "Year", "type": "category", "categoryorder": "array", "categoryarray": x},
        yaxis={"title": unit_title(meta), "tickformat": fmt},
        yaxis2={"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True},
        hovermode="closest",
    )
    return fig


def series_summary(
    points: Sequence[SeriesPoint], meta: IndicatorMeta, *, la_name: str, average_label: str
) -> str:
    """The text alternative of the time series: latest values and data gaps."""
    if not points or not _has_any(points):
        return f"No values are published for {meta.short_title} in any year."
    latest = next((p for p in reversed(points) if p.la_value is not None), None)
    parts: list[str] = []
    if latest is None:
        parts.append(f"{la_name} has no published value in any year shown.")
    else:
        parts.append(f"{la_name}: {format_value(latest.la_value, meta)} in {latest.period_label}.")
        nb = latest.neighbours
        if nb is not None and nb.value is not None:
            parts.append(
                f"{average_label}: {format_value(nb.value, meta)} "
                f"({nb.n_with_data} of {nb.n_expected} with data)."
            )
        if latest.region is not None and latest.region.value is not None:
            parts.append(f"{latest.region.label}: {format_value(latest.region.value, meta)}.")
        if latest.england is not None:
            parts.append(f"England: {format_value(latest.england.value, meta)}.")
    gaps = [f"{p.period_label} ({p.la_status})" for p in points if p.la_value is None]
    if gaps:
        parts.append(f"Not published for {la_name}: {', '.join(gaps)}.")
    short = [
        f"{p.period_label} ({p.neighbours.n_with_data} of {p.neighbours.n_expected})"
        for p in points
        if p.neighbours is not None and p.neighbours.value is not None and p.neighbours.incomplete
    ]
    if short:
        parts.append(f"Years when not every neighbour had data: {', '.join(short)}.")
    weak = [
        p.period_label for p in points if p.neighbours is not None and p.neighbours.below_minimum
    ]
    if weak:
        parts.append(
            f"Warning: fewer than {MIN_WITH_DATA} neighbours had data in {', '.join(weak)}; "
            "treat those averages with caution."
        )
    return " ".join(parts)


def series_data(
    points: Sequence[SeriesPoint], meta: IndicatorMeta, *, la_name: str, average_label: str
) -> DataView:
    """One row per year: the LA (value or status), its neighbours with n, region, England."""
    frame = pd.DataFrame(
        {
            "Year": [p.period_label for p in points],
            f"{la_name}": [p.la_value for p in points],
            f"{la_name}: status": [p.la_status or "" for p in points],
            average_label: [_nval(p.neighbours) for p in points],
            "Neighbours with data": [
                f"{p.neighbours.n_with_data} of {p.neighbours.n_expected}" if p.neighbours else ""
                for p in points
            ],
            "Neighbours without data": [
                p.neighbours.missing_text if p.neighbours else "" for p in points
            ],
            "Region": [p.region.label if p.region else "" for p in points],
            "Region value": [_cval(p.region) for p in points],
            "England": [_cval(p.england) for p in points],
        }
    ).astype({la_name: float, average_label: float, "Region value": float, "England": float})
    numbers = dict.fromkeys((la_name, average_label, "Region value", "England"), _decimals(meta))
    return DataView(frame, f"{meta.title}: {la_name} over time", numbers, key=None)


# ---------------------------------------------------------------------------------------------
# Neighbour group bar chart
# ---------------------------------------------------------------------------------------------
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
        name = _name(names, r.area_code)
        extra = " (selected)" if r.role == "LA" else ""
        if isinstance(r.closeness, str) and r.closeness:
            extra = f" ({r.closeness})"
        if pd.isna(r.group_rank):
            labels.append(f"– {name}{extra}: no value ({r.status})")
        else:
            labels.append(f"{r.group_rank_label}. {name}{extra}")
    return m.assign(mark=marks, label=labels, name=[_name(names, c) for c in m["area_code"]])


def group_bar(
    perf: GroupPerformance,
    comparison: NeighbourComparison,
    meta: IndicatorMeta,
    *,
    names: Mapping[str, str],
    period_label: str,
    average_label: str,
    england: float | None = None,
) -> go.Figure:
    """Horizontal bars: the LA and each neighbour in one year, ranked within the group.

    The group's best and worst (highest and lowest when no direction is better) are coloured
    and labelled, the LA is dark pink and labelled "(selected)", other members are grey.
    Members with no value stay listed ("no value (z)") with no bar: never a zero bar.
    """
    frame = _group_frame(perf, names)
    if frame["value"].notna().sum() == 0:
        return empty_figure(
            f"Neither {_name(names, perf.area_code)} nor any member of its group has a "
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
            f"{_name(names, perf.area_code)} and its group, {period_label}",
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
    return fig


def group_summary(
    perf: GroupPerformance,
    comparison: NeighbourComparison,
    meta: IndicatorMeta,
    *,
    names: Mapping[str, str],
    period_label: str,
    average_label: str,
) -> str:
    """The text alternative of the group chart: the LA's place, the ends, the average."""
    la = _name(names, perf.area_code)
    members = perf.members
    if members["value"].notna().sum() == 0:
        return f"Neither {la} nor any member of its group has a published value in {period_label}."
    own = members.iloc[0]
    if pd.isna(own["group_rank"]):
        place = f"{la} has no value in {period_label} ({own['status']})."
    else:
        mark = "joint " if str(own["group_rank_label"]).startswith("=") else ""
        place = (
            f"{la} is {mark}{_ordinal(int(own['group_rank']))} of the {perf.n_with_data} "
            f"members with data in {period_label} (1 = {perf.top_label})."
        )

    def who(codes: tuple[str, ...]) -> str:
        vals = members.set_index("area_code")["value"]
        return "; ".join(
            f"{_name(names, c)} ({format_value(float(vals[c]), meta)})" for c in codes
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
            f"{_name(names, c)} ({s})"
            for c, s in zip(missing["area_code"], missing["status"], strict=True)
        )
        parts.append(f"No value: {listed}.")
    if comparison.below_minimum:
        parts.append(f"Warning: fewer than {MIN_WITH_DATA} neighbours have data.")
    return " ".join(parts)


def group_data(
    perf: GroupPerformance, meta: IndicatorMeta, *, names: Mapping[str, str]
) -> DataView:
    """Each member: rank in the group, code, name, role, closeness, value or status, mark."""
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
        f"{meta.title}: {_name(names, perf.area_code)} and its comparison group",
        {meta.short_title: _decimals(meta)},
    )


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# ---------------------------------------------------------------------------------------------
# Summary table
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Significance:
    """A Fingertips comparison of the LA's interval with one benchmark."""

    label: str
    detail: str


@dataclass(frozen=True, slots=True)
class BenchmarkSummary:
    """Everything the summary table shows for one LA, indicator and year."""

    la_name: str
    period_label: str
    la_value: float | None
    la_status: str | None
    rank_text: str
    band: str
    band_note: str
    england: Comparator
    region: Comparator | None
    neighbours: NeighbourComparison | None
    average_label: str
    interval: tuple[float | None, float | None, str]
    vs_england: Significance
    vs_neighbours: Significance


def summary_data(summary: BenchmarkSummary, meta: IndicatorMeta) -> DataView:
    """The summary table: one row per measure, with a plain number where there is one."""
    s = summary
    lower, upper, ci_note = s.interval
    nb = s.neighbours
    rows: list[tuple[str, str, float | None, str]] = [
        (
            f"{s.la_name} value",
            format_value(s.la_value, meta),
            s.la_value,
            "" if s.la_value is not None else status_text(s.la_status),
        ),
        ("Rank among all LAs", s.rank_text, None, "competition ranking, as DfE LAIT"),
        ("Quartile band (A = best quarter)", s.band, None, s.band_note),
        (
            "95% confidence interval",
            "-"
            if lower is None or upper is None
            else f"{format_value(lower, meta)} to {format_value(upper, meta)}",
            None,
            ci_note,
        ),
        ("England", format_value(s.england.value, meta), s.england.value, s.england.label),
    ]
    if s.region is not None:
        rows.append(("Region", format_value(s.region.value, meta), s.region.value, s.region.label))
    if nb is not None:
        rows.append(
            (
                s.average_label,
                format_value(nb.value, meta),
                nb.value,
                f"{nb.n_with_data} of {nb.n_expected} with data ({nb.missing_text})"
                + (f"; fewer than {MIN_WITH_DATA}: use with caution" if nb.below_minimum else ""),
            )
        )
    rows.append(("Compared with England", s.vs_england.label, None, s.vs_england.detail))
    rows.append(
        (f"Compared with: {s.average_label}", s.vs_neighbours.label, None, s.vs_neighbours.detail)
    )
    frame = pd.DataFrame(rows, columns=["Measure", "Value", "Number", "Notes"]).astype(
        {"Number": float}
    )
    return DataView(
        frame,
        f"{meta.title}: {s.la_name}, {s.period_label}",
        {"Number": max(_decimals(meta), 1)},
        key=None,
    )


def summary_text(summary: BenchmarkSummary, meta: IndicatorMeta) -> str:
    """One or two sentences for the summary table's caption."""
    s = summary
    england = f"England: {format_value(s.england.value, meta)}"
    if s.la_value is None:
        return (
            f"{s.la_name} has no published value for {s.period_label} "
            f"({status_text(s.la_status)}). {england}."
        )
    nb = s.neighbours
    text = (
        f"{s.la_name}, {s.period_label}: {format_value(s.la_value, meta)}, {s.rank_text}; "
        f"quartile band {s.band}. {_upper_first(compared_with(s.vs_england.label, 'England'))} "
        f"({format_value(s.england.value, meta)})"
    )
    if nb is not None:
        text += (
            f"; {compared_with(s.vs_neighbours.label, 'the neighbour ' + nb.statistic)} "
            f"({format_value(nb.value, meta)}, {nb.n_with_data} of {nb.n_expected} with data)"
        )
    return text + "."


def band_of(bands: QuartileBands, area_code: str) -> tuple[str, str]:
    """An LA's LAIT quartile band ("-" with the reason when there is none)."""
    if bands.reason is not None:
        return "-", bands.reason
    row = bands.bands[bands.bands["area_code"] == area_code]
    band = row["band"].iloc[0] if len(row) else None
    if band is None or (isinstance(band, float) and np.isnan(band)):
        return "-", "no value, so no band"
    assert bands.breaks is not None
    q = bands.breaks
    return str(band), f"quartiles of {bands.n_values} LAs: {q[1]:.4g}, {q[2]:.4g}, {q[3]:.4g}"


def own_interval(
    intervals: pd.DataFrame, area_code: str
) -> tuple[float | None, float | None, str]:
    """An LA's interval from a ``confidence_intervals`` frame: (lower, upper, method or reason)."""
    row = intervals[intervals["area_code"] == area_code]
    if row.empty:
        return None, None, "the LA has no row for this year"
    lower, upper = float(row["lower"].iloc[0]), float(row["upper"].iloc[0])
    if not (np.isfinite(lower) and np.isfinite(upper)):
        return None, None, str(row["ci_reason"].iloc[0])
    return lower, upper, f"{row['ci_method'].iloc[0]} method (as OHID Fingertips)"


def significance(
    lower: float | None,
    upper: float | None,
    benchmark: float | None,
    label: str,
    meta: IndicatorMeta,
    *,
    interval_note: str,
) -> Significance:
    """Wrap a ``benchmark_label`` result with the numbers behind it, or why it is missing."""
    if lower is None or upper is None:
        return Significance(NOT_COMPARED, f"no confidence interval: {interval_note}")
    if benchmark is None:
        return Significance(NOT_COMPARED, "no benchmark value")
    return Significance(
        label,
        f"95% interval {format_value(lower, meta)} to {format_value(upper, meta)}, "
        f"benchmark {format_value(benchmark, meta)}",
    )


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def compared_with(label: str, what: str) -> str:
    """``("better", "England")`` -> ``"better than England"``; ``"similar to ..."`` etc."""
    if label == NOT_COMPARED:
        return f"not compared with {what}"
    if label == "similar":
        return f"similar to {what}"
    return f"{label} than {what}"


# ---------------------------------------------------------------------------------------------
# Spine chart
# ---------------------------------------------------------------------------------------------
def _categorical(column: pd.Series) -> pd.Series:
    return column if isinstance(column.dtype, pd.CategoricalDtype) else column.astype("category")


def latest_rows(
    values: pd.DataFrame,
    indicator_ids: Sequence[str],
    periods: Mapping[str, Sequence[tuple[int, str]]],
    *,
    la_codes: Collection[str],
    limit: int = SPINE_MAX_ROWS,
) -> tuple[pd.DataFrame, int]:
    """Rows of each indicator's latest period, for the first ``limit`` with LA values there.

    Args:
        values: The store's whole ``values`` table (it is only read).
        indicator_ids: The indicators wanted, in display order.
        periods: ``Catalogue.periods`` (each indicator's periods, oldest first).
        la_codes: Codes of single LAs (the store's ``la_codes``).
        limit: Most indicators returned.

    Returns:
        ``(rows, n_with_data)``: the latest-period rows (every area) of the first ``limit``
        indicators of ``indicator_ids`` that have a finite value for at least one single LA
        in their latest period, and how many indicators in all have one. Text columns come
        back as plain strings.

    Notes:
        Vectorised over the category codes of the whole table (no per-indicator filtering),
        so a topic of hundreds of indicators costs a few milliseconds.
    """
    indicators = _categorical(values["indicator_id"])
    cats = indicators.cat.categories
    codes = indicators.cat.codes.to_numpy()
    latest = {i: p[-1][0] for i in indicator_ids if (p := periods.get(i))}
    position = dict(zip(latest, cats.get_indexer(list(latest)), strict=True))
    wanted = np.full(len(cats) + 1, -1, dtype=np.int64)  # the extra slot catches code -1
    for indicator_id, pos in position.items():
        if pos >= 0:
            wanted[pos] = latest[indicator_id]
    in_latest = values["time_period"].to_numpy() == wanted[codes]
    areas = _categorical(values["area_code"])
    is_la = np.append(areas.cat.categories.isin(list(la_codes)), False)[areas.cat.codes]
    finite = np.isfinite(values["value"].to_numpy(dtype=float, na_value=np.nan))
    counts = np.bincount(codes[in_latest & is_la & finite], minlength=len(cats))
    with_data = [i for i in indicator_ids if position.get(i, -1) >= 0 and counts[position[i]]]
    keep = np.zeros(len(cats) + 1, dtype=bool)
    keep[[position[i] for i in with_data[:limit]]] = True
    rows = values.iloc[np.flatnonzero(in_latest & keep[codes])]
    columns = [c for c in ROW_COLUMNS if c in rows.columns]
    rows = rows[columns].reset_index(drop=True)
    text = [c for c in ("indicator_id", "area_code") if c in rows.columns]
    return rows.astype(dict.fromkeys(text, "str")), len(with_data)


ROW_COLUMNS = (
    "indicator_id",
    "area_code",
    "time_period",
    "value",
    "value_status",
    "numerator",
    "denominator",
    "period_label",
)


def spine_rows(
    rows: pd.DataFrame,
    metas: Sequence[IndicatorMeta],
    *,
    area_code: str,
    la_codes: Collection[str],
    neighbour_codes: Sequence[str],
    statistic: str,
) -> pd.DataFrame:
    """One row per indicator for the spine chart.

    Args:
        rows: ``latest_rows`` of the indicators (each indicator's latest period, all areas).
        metas: The indicators' metadata, in display order (those absent from ``rows`` or
            with no LA value are left out).
        area_code: The LA.
        la_codes: Codes of single LAs (the store's ``la_codes``). An LA row with a finite
            value counts in the distribution; the data layer keeps a published value of an
            LA only within a year of its lifetime, so this is the set of finite values
            ``eligible_values(..., published_grace_days=366)`` keeps (the tests check it).
        neighbour_codes: The LA's comparison group (statistical neighbours or custom).
        statistic: ``"mean"`` or ``"median"`` of the neighbours with data (as
            ``compare_to_neighbours``; the tests check they agree).

    Returns:
        A new frame in ``metas`` order: ``indicator_id``, ``title``, ``short_title``,
        ``unit``, ``decimals``, ``polarity``, ``period_label``, ``n`` (LAs with a value),
        ``minimum``, ``p25``, ``median``, ``p75``, ``maximum``, ``england`` (the published
        row; NaN when there is none), ``la_value``, ``la_status``, ``neighbour_value``,
        ``n_with_data``, ``n_expected``, ``band`` (A-D or None), ``lower``/``upper`` (95%
        interval of the LA's value), ``vs_england`` (Fingertips label), ``centred_on``
        ("England" or "median LA"), ``centre``, ``half``, ``sign`` and the standardised
        positions ``x_la``, ``x_neighbours``, ``x_min``, ``x_max``, ``x_p25``, ``x_p75``.

    Notes:
        Units: every value in its indicator's unit; positions are dimensionless. Polarity:
        quartile bands as LAIT (A best; none for no polarity or ``no_quartile``); positions
        flipped for low-is-better so better is to the right. Standardisation (Fingertips'
        spine): each row is centred on England (on the median LA when England is not
        published or lies outside the LAs' range, as a count's national total does) and
        scaled so the LA furthest from the centre sits at 1. Ties: a value on a quartile
        falls in the band below it (upper edges closed). Missing values: never
        counted as zero; an LA without a value keeps its status.
    """
    if rows.empty:
        return _empty_spine()
    value = pd.to_numeric(rows["value"]).astype(float)
    rows = rows.assign(value=value)
    finite = np.isfinite(value.to_numpy())
    la_rows = rows[rows["area_code"].isin(set(la_codes)).to_numpy() & finite]
    grouped = la_rows.groupby("indicator_id", sort=False)["value"]
    stats = pd.DataFrame(
        {
            "n": grouped.size(),
            "minimum": grouped.min(),
            "p25": grouped.quantile(0.25),
            "median": grouped.quantile(0.5),
            "p75": grouped.quantile(0.75),
            "maximum": grouped.max(),
        }
    )
    metas = [m for m in metas if m.indicator_id in stats.index]
    if not metas:
        return _empty_spine()
    keep = [m.indicator_id for m in metas]
    own = rows[rows["area_code"] == area_code].set_index("indicator_id")
    england = rows[rows["area_code"] == ENGLAND_CODE].set_index("indicator_id")["value"]
    group = rows[rows["area_code"].isin(list(neighbour_codes)).to_numpy() & finite]
    by_group = group.groupby("indicator_id", sort=False)["value"]
    neighbour = by_group.median() if statistic == "median" else by_group.mean()
    labels = rows.drop_duplicates("indicator_id").set_index("indicator_id")["period_label"]
    la_value = own["value"].reindex(keep).to_numpy(dtype=float)
    status = own["value_status"].reindex(keep).to_numpy(dtype=object, na_value=None)
    out = pd.DataFrame(
        {
            "indicator_id": keep,
            "title": [m.title for m in metas],
            "short_title": [m.short_title for m in metas],
            "unit": [m.unit for m in metas],
            "decimals": [_decimals(m) for m in metas],
            "polarity": [str(m.polarity) for m in metas],
            "period_label": labels.reindex(keep).to_numpy(dtype=object),
            **{c: stats[c].reindex(keep).to_numpy() for c in stats.columns},
            "england": england.reindex(keep).to_numpy(dtype=float),
            "la_value": la_value,
            "la_status": [
                None
                if np.isfinite(v)
                else ("no row" if i not in own.index else (s if s is not None else "missing"))
                for i, v, s in zip(keep, la_value, status, strict=True)
            ],
            "neighbour_value": neighbour.reindex(keep).to_numpy(dtype=float),
            "n_with_data": by_group.size().reindex(keep).fillna(0).to_numpy(dtype=int),
            "n_expected": len(neighbour_codes),
        }
    )
    # Object columns: pandas would otherwise store None as NaN in a string column.
    out["band"] = pd.Series(_bands(out, metas), dtype=object)
    out["la_status"] = out["la_status"].astype(object).where(out["la_status"].notna(), None)
    return _standardise(_with_intervals(out, own, metas))


def _empty_spine() -> pd.DataFrame:
    return pd.DataFrame(
        {
            c: pd.Series(dtype=float)
            for c in ("la_value", "x_la", "england", "neighbour_value", "minimum", "maximum")
        }
    )


def _bands(out: pd.DataFrame, metas: Sequence[IndicatorMeta]) -> list[str | None]:
    """LAIT bands of the LA's value against each row's quartiles (A always best).

    The same rule as ``indicators.quartile_bands`` applied to one LA per row: quarters
    closed on their upper edge, the lowest closed on both.
    """
    bands: list[str | None] = []
    for meta, v, q1, q2, q3 in zip(
        metas, out["la_value"], out["p25"], out["median"], out["p75"], strict=True
    ):
        if meta.polarity is Polarity.NONE or meta.no_quartile or not np.isfinite(v):
            bands.append(None)
            continue
        quarter = 0 if v <= q1 else 1 if v <= q2 else 2 if v <= q3 else 3
        letters = "DCBA" if meta.polarity is Polarity.HIGH_IS_BETTER else "ABCD"
        bands.append(letters[quarter])
    return bands


def _with_intervals(
    out: pd.DataFrame, own: pd.DataFrame, metas: Sequence[IndicatorMeta]
) -> pd.DataFrame:
    """Add the LA's 95% interval and its Fingertips comparison with England per row."""
    lower = np.full(len(out), np.nan)
    upper = np.full(len(out), np.nan)
    label = np.full(len(out), NOT_COMPARED, dtype=object)
    groups: dict[tuple[ValueType, float | None, Polarity], list[int]] = {}
    for pos, meta in enumerate(metas):
        groups.setdefault((meta.value_type, meta.multiplier, meta.polarity), []).append(pos)
    for (value_type, multiplier, polarity), positions in groups.items():
        if value_type not in (ValueType.PROPORTION, ValueType.RATE) or not multiplier:
            continue
        ids = out["indicator_id"].to_numpy()[positions]
        counts = pd.DataFrame(
            {
                column: own[column].reindex(ids).to_numpy(dtype=float)
                for column in ("numerator", "denominator")
            }
        ).assign(england=out["england"].to_numpy()[positions])
        ci = confidence_intervals(counts, value_type=value_type, multiplier=multiplier)
        compared = compare_to_benchmark(ci, polarity=polarity, benchmark_column="england")
        lower[positions] = compared["lower"].to_numpy()
        upper[positions] = compared["upper"].to_numpy()
        label[positions] = compared["comparison"].to_numpy()
    return out.assign(lower=lower, upper=upper, vs_england=label)


def _standardise(out: pd.DataFrame) -> pd.DataFrame:
    england = out["england"].astype(float)
    # England is the centre only when it lies among the LAs: a count's England value is the
    # national total, not comparable with one LA, and is left off the spine.
    on_england = np.isfinite(england) & (england >= out["minimum"]) & (england <= out["maximum"])
    centre = england.where(on_england, out["median"]).astype(float)
    half = np.maximum(centre - out["minimum"], out["maximum"] - centre).astype(float)
    half = half.where(half > 0, 1.0)
    sign = np.where(out["polarity"] == str(Polarity.LOW_IS_BETTER), -1.0, 1.0)

    def pos(column: str) -> np.ndarray:
        return (sign * (out[column].astype(float) - centre) / half).to_numpy()

    return out.assign(
        centred_on=np.where(on_england, "England", "median LA"),
        centre=centre,
        half=half,
        sign=sign,
        x_la=pos("la_value"),
        x_neighbours=pos("neighbour_value"),
        x_min=pos("minimum"),
        x_max=pos("maximum"),
        x_p25=pos("p25"),
        x_p75=pos("p75"),
    )


_SIGNIFICANCE_STYLE: dict[str | None, tuple[str, str]] = {
    "better": (BETTER, "better than England (95% interval)"),
    "similar": (SIMILAR, "similar to England"),
    "worse": (WORSE, "worse than England (95% interval)"),
    "higher": (NEUTRAL, "higher than England (no better direction)"),
    "lower": ("#5B84B1", "lower than England (no better direction)"),
    NOT_COMPARED: ("white", "not compared (no counts published behind the value)"),
}
_BAND_STYLE: dict[str | None, tuple[str, str]] = {
    **{band: (colour, f"quartile {band}") for band, colour in QUARTILE_COLOURS.items()},
    None: ("white", "no quartile band"),
}


def _row_labels(rows: pd.DataFrame) -> list[str]:
    labels: list[str] = []
    shortest = [
        min(a, b, key=len) for a, b in zip(rows["title"], rows["short_title"], strict=True)
    ]
    for title, polarity, period in zip(
        shortest, rows["polarity"], rows["period_label"], strict=True
    ):
        text = title if len(title) <= 58 else title[:56].rstrip() + "…"
        text += f" ({period})"
        if polarity == str(Polarity.NONE):
            text += " · higher →"
        while text in labels:  # category axes merge equal labels
            text += " "
        labels.append(text)
    return labels


def _fmt(value: float, unit: str, decimals: int) -> str:
    """A spine value with its unit (compact: the row's own decimals, at most 1)."""
    if not np.isfinite(value):
        return NO_VALUE
    places = min(decimals, 1) if abs(value) < 1000 else 0
    text = f"{value:,.{places}f}"
    if unit == "%":
        return text + "%"
    return "£" + text if unit.startswith("£") else text


def spine_chart(
    rows: pd.DataFrame, *, la_name: str, colour_by: str, average_label: str
) -> go.Figure:
    """Fingertips-style spine: a row per indicator, England centred, better to the right.

    Each row shows the range of all LAs (light bar), their middle half (darker bar), England
    (a tick at the centre), the neighbour average (turquoise diamond) and the LA (a dot
    coloured by its quartile band, or by its comparison with England when ``colour_by`` is
    ``"significance"``), with the LA's value printed at the right so colour is never the
    only carrier. Rows with no better direction put higher values to the right.
    """
    if rows.empty:
        return empty_figure("No indicator of this topic has LA values in its latest year.")
    y = _row_labels(rows)
    units, decimals = rows["unit"].tolist(), rows["decimals"].tolist()

    def text(column: str) -> list[str]:
        return [
            _fmt(v, u, d)
            for v, u, d in zip(rows[column].astype(float), units, decimals, strict=True)
        ]

    def span(a: str, b: str) -> tuple[np.ndarray, np.ndarray]:
        lo = np.minimum(rows[a], rows[b]).to_numpy(dtype=float)
        return lo, np.maximum(rows[a], rows[b]).to_numpy(dtype=float) - lo

    fig = go.Figure()
    for (a, b, lo_text, hi_text), name, fill, width in (
        (("x_min", "x_max", "minimum", "maximum"), "All LAs: lowest to highest", RANGE_FILL, 0.8),
        (
            ("x_p25", "x_p75", "p25", "p75"),
            "Middle half of LAs (25th to 75th percentile)",
            IQR_FILL,
            0.5,
        ),
    ):
        base, length = span(a, b)
        fig.add_trace(
            go.Bar(
                y=y,
                x=length,
                base=base,
                width=width,
                orientation="h",
                name=name,
                marker={"color": fill, "line": {"color": "#8C8C8C", "width": 1}},
                customdata=[
                    f"{p} to {q}" for p, q in zip(text(lo_text), text(hi_text), strict=True)
                ],
                hovertemplate="%{y}<br>" + name + ": %{customdata}<extra></extra>",
            )
        )
    has_england = (rows["centred_on"] == "England").to_numpy()
    fig.add_trace(
        go.Scatter(
            y=[label for label, ok in zip(y, has_england, strict=True) if ok],
            x=np.zeros(int(has_england.sum())),
            mode="markers",
            name="England (centre of each row)",
            marker={"symbol": "line-ns", "size": 22, "line": {"color": ENGLAND, "width": 3}},
            customdata=[t for t, ok in zip(text("england"), has_england, strict=True) if ok],
            hovertemplate="%{y}<br>England: %{customdata}<extra></extra>",
        )
    )
    has_group = np.isfinite(rows["x_neighbours"].to_numpy(dtype=float))
    group_text = [
        f"{t} ({n} of {e} with data)"
        for t, n, e in zip(
            text("neighbour_value"), rows["n_with_data"], rows["n_expected"], strict=True
        )
    ]
    fig.add_trace(
        go.Scatter(
            y=[label for label, ok in zip(y, has_group, strict=True) if ok],
            x=rows["x_neighbours"].to_numpy(dtype=float)[has_group],
            mode="markers",
            name=average_label,
            marker={
                "symbol": "diamond",
                "size": 11,
                "color": REFERENCE,
                "line": {"color": DARK_GREY, "width": 1},
            },
            customdata=[t for t, ok in zip(group_text, has_group, strict=True) if ok],
            hovertemplate="%{y}<br>" + average_label + ": %{customdata}<extra></extra>",
        )
    )
    key, styles = (
        ("band", _BAND_STYLE) if colour_by == "band" else ("vs_england", _SIGNIFICANCE_STYLE)
    )
    has_la = np.isfinite(rows["x_la"].to_numpy(dtype=float))
    category = rows[key].to_numpy(dtype=object)
    la_text = [
        f"{t}; band {b or '-'}; {c} compared with England"
        for t, b, c in zip(text("la_value"), rows["band"], rows["vs_england"], strict=True)
    ]
    for value, (colour, legend) in styles.items():
        pick = has_la & np.array([c == value for c in category], dtype=bool)
        if pick.any():
            fig.add_trace(
                go.Scatter(
                    y=[label for label, ok in zip(y, pick, strict=True) if ok],
                    x=rows["x_la"].to_numpy(dtype=float)[pick],
                    mode="markers",
                    name=f"{la_name}: {legend}",
                    marker={
                        "size": 14,
                        "color": colour,
                        "line": {"color": DARK_GREY, "width": 1.5},
                    },
                    customdata=[t for t, ok in zip(la_text, pick, strict=True) if ok],
                    hovertemplate="%{y}<br>" + la_name + ": %{customdata}<extra></extra>",
                )
            )
    values = [
        t if np.isfinite(v) else f"no value ({s})"
        for t, v, s in zip(text("la_value"), rows["la_value"], rows["la_status"], strict=True)
    ]
    fig.add_trace(
        go.Scatter(
            y=y,
            x=np.full(len(y), 1.2),
            mode="text",
            text=values,
            textposition="middle right",
            name=f"{la_name}: value",
            showlegend=False,
            hoverinfo="skip",
        )
    )
    height = max(360, 30 * len(rows) + 220)
    layout = base_layout(
        f"{la_name} on every indicator of the topic (latest year of each)", height=height
    )
    layout["legend"] = {"orientation": "h", "y": -90 / height}  # close under a tall plot
    fig.update_layout(
        **layout,
        barmode="overlay",
        xaxis={
            "range": [-1.15, 1.9],
            "tickvals": [-1, 0, 1, 1.4],
            "ticktext": ["← worse", "England", "better →", f"{la_name}'s value"],
            "zeroline": False,
            "showgrid": False,
            "fixedrange": True,
            "title": "Each row: England in the centre, the LA furthest from it at the edge",
        },
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
    )
    return fig


def spine_summary(
    rows: pd.DataFrame,
    *,
    la_name: str,
    topic: str,
    n_with_data: int,
    n_in_topic: int,
    colour_by: str,
) -> str:
    """The text alternative of the spine: counts by band and by comparison, and the method."""
    if rows.empty:
        return f"No indicator of '{topic}' has LA values in its latest year."
    has = np.isfinite(rows["la_value"].astype(float))
    bands = rows.loc[has, "band"].value_counts()
    flags = rows.loc[has, "vs_england"].value_counts()
    coloured = "quartile band" if colour_by == "band" else "comparison with England"
    parts = [
        f"{la_name} on {len(rows)} indicators of '{topic}' (each in its latest year), "
        f"{int(has.sum())} with a value for {la_name}."
    ]
    if int(has.sum()):
        parts.append(
            "Quartile bands: "
            + ", ".join(f"{b} {int(bands.get(b, 0))}" for b in "ABCD")
            + f", no band {int(has.sum() - bands.sum())}."
        )
        parts.append(
            "Against England (95% intervals): "
            + ", ".join(f"{k} {int(v)}" for k, v in flags.items())
            + "."
        )
    no_england = int((rows["centred_on"] != "England").sum())
    parts.append(
        "Each row is centred on England and scaled so the LA furthest from it reaches the edge; "
        "rows where lower is better are flipped, so better is always to the right; rows with no "
        f"better direction put higher to the right. The LA's dot is coloured by its {coloured}."
    )
    if no_england:
        parts.append(
            f"{no_england} rows are centred on the median LA instead: England is not "
            "published, or lies outside the range of LAs (e.g. a national total)."
        )
    if n_in_topic > n_with_data:
        parts.append(
            f"{n_in_topic - n_with_data} indicators of the topic have no LA values in their "
            "latest year and are not shown."
        )
    if n_with_data > len(rows):
        parts.append(
            f"Showing the first {len(rows)} of {n_with_data} indicators with data "
            "(alphabetical by title)."
        )
    return " ".join(parts)


def spine_data(rows: pd.DataFrame, *, la_name: str, average_label: str) -> DataView:
    """The numbers behind the spine: each indicator's LA value, comparators and spread."""
    if rows.empty:
        return DataView(pd.DataFrame(), "Spine chart: no rows", key=None)
    direction = {
        "high": "higher is better",
        "low": "lower is better",
        "none": "no better direction",
    }
    numbers = {
        la_name: "la_value",
        "95% lower": "lower",
        "95% upper": "upper",
        "England": "england",
        average_label: "neighbour_value",
        "Lowest LA": "minimum",
        "25th percentile": "p25",
        "Median LA": "median",
        "75th percentile": "p75",
        "Highest LA": "maximum",
    }
    frame = pd.DataFrame(
        {
            "Indicator": rows["title"].to_numpy(),
            "Year": rows["period_label"].to_numpy(),
            "Unit": rows["unit"].to_numpy(),
            "Direction": [direction.get(p, p) for p in rows["polarity"]],
            f"{la_name}: status": [s or "" for s in rows["la_status"]],
            "Quartile band": [b or "-" for b in rows["band"]],
            "Compared with England": rows["vs_england"].to_numpy(),
            "Neighbours with data": [
                f"{n} of {e}" for n, e in zip(rows["n_with_data"], rows["n_expected"], strict=True)
            ],
            "LAs with a value": rows["n"].astype(int).to_numpy(),
            "Row centred on": rows["centred_on"].to_numpy(),
            **{
                header: rows[column].astype(float).to_numpy() for header, column in numbers.items()
            },
        }
    )
    places = min(max(int(rows["decimals"].max()), 1), 2)
    decimals = dict.fromkeys(numbers, places)
    decimals["LAs with a value"] = 0
    return DataView(
        frame, f"{la_name} on every indicator of a topic (spine chart)", decimals, key=None
    )
