"""The spine chart: one LA on every indicator of a topic (OHID Fingertips' spine).

Each row is standardised (``indicators.spine.spine_positions``, done by the view) so that
England sits in the centre and better is always to the right. ``spine_chart`` draws a
``views.benchmark_spine.SpineView``; ``spine_summary`` is its text alternative and ``spine_data``
the numbers drawn.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from data.schema import Polarity
from figures.labels import NO_VALUE, OGL, export_name
from figures.style import (
    BETTER,
    DARK_GREY,
    ENGLAND,
    NEUTRAL,
    QUARTILE_COLOURS,
    REFERENCE,
    SIMILAR,
    WORSE,
    base_layout,
    empty_figure,
    with_export,
)
from figures.tables import DataView
from indicators import NOT_COMPARED
from views.benchmark_spine import SpineView

#: Fill of the all-LA range and of the middle half on the spine (light greys, outlined).
RANGE_FILL = "#E6E6E6"
IQR_FILL = "#B3B3B3"


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


def spine_chart(view: SpineView, *, colour_by: str) -> go.Figure:
    """Fingertips-style spine: a row per indicator, England centred, better to the right.

    Each row shows the range of all LAs (light bar), their middle half (darker bar), England
    (a tick at the centre), the neighbour average (turquoise diamond) and the LA (a dot
    coloured by its quartile band, or by its comparison with England when ``colour_by`` is
    ``"significance"``), with the LA's value printed at the right so colour is never the
    only carrier. Rows with no better direction put higher values to the right.
    """
    rows, la_name, average_label = view.rows, view.la_name, view.group.label
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
        first, second = rows[a].to_numpy(dtype=float), rows[b].to_numpy(dtype=float)
        lo = np.minimum(first, second)
        return lo, np.maximum(first, second) - lo

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
    category = [c if isinstance(c, str) else None for c in rows[key]]  # NaN means none
    la_text = [
        f"{t}; band {b if isinstance(b, str) else '-'}; {c} compared with England"
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
    return with_export(
        fig,
        title=f"{la_name}: every indicator of {view.topic}",
        period="each indicator's latest year with a value for the LA",
        source="Source: DfE and ONS statistics (each indicator's source: Data and definitions)",
        licence=OGL,
        filename=export_name(la_name, view.topic, "spine"),
    )


def spine_summary(view: SpineView, *, colour_by: str) -> str:
    """The text alternative of the spine: counts by band and by comparison, and the method."""
    rows, la_name, topic = view.rows, view.la_name, view.topic
    n_with_data, n_in_topic = view.n_with_data, view.n_in_topic
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


def spine_data(view: SpineView) -> DataView:
    """The numbers behind the spine: each indicator's LA value, comparators and spread."""
    rows, la_name, average_label = view.rows, view.la_name, view.group.label
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
            f"{la_name}: status": [s if isinstance(s, str) else "" for s in rows["la_status"]],
            "Quartile band": [b if isinstance(b, str) else "-" for b in rows["band"]],
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
