"""Gross spend per child by service line over time, England against an LA (small multiples).

``service_lines_chart`` draws a ``views.spend_lines.ServicesView``; ``service_lines_summary`` is
its text alternative and ``service_lines_data`` the numbers drawn.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from data.schema import ENGLAND_CODE
from figures.labels import place_name, wrap
from figures.panels import PanelTraces
from figures.style import ENGLAND, SELECTED, base_layout, empty_figure
from figures.tables import DataView, blank
from views.spend_lines import SERVICE_TOTAL, ServicesView


def service_lines_chart(view: ServicesView) -> go.Figure:
    """Small multiples of spend per child on each service line over time.

    England is dark grey and dashed, the LA pink and solid; each panel has its own scale.
    The panel of ``chosen`` (the spend measure on the scatter) has a bold title.
    """
    if view.reason is not None:
        return empty_figure(view.reason)
    rows, names, la, chosen = view.rows, view.names, view.la, view.chosen
    if rows.empty or rows["value"].notna().sum() == 0:
        return empty_figure("No spend per child is held for England or this LA.")
    services = list(dict.fromkeys(rows["service"]))
    chosen_titles = set(rows.loc[rows["indicator_id"] == chosen, "service"])
    ncols = min(3, len(services))
    nrows = math.ceil(len(services) / ncols)
    fig = make_subplots(
        rows=nrows,
        cols=ncols,
        subplot_titles=[
            f"<b>{wrap(s + ' (on the scatter)', 34)}</b>" if s in chosen_titles else wrap(s, 34)
            for s in services
        ],
        vertical_spacing=0.2 if nrows < 3 else 0.13,
        horizontal_spacing=0.07,
    )
    style = {
        ENGLAND_CODE: {"color": ENGLAND, "dash": "dash", "width": 2},
    }
    panels = PanelTraces(ncols)
    for k, service in enumerate(services):
        r, c = divmod(k, ncols)
        mine = rows[rows["service"] == service]
        labels = mine.drop_duplicates("year_end").sort_values("year_end")["period_label"]
        for code in [ENGLAND_CODE] + ([la] if la is not None else []):
            series = mine[mine["area_code"] == code].sort_values("year_end")
            if series.empty:
                continue
            panels.add(
                go.Scatter(
                    x=series["period_label"],
                    y=series["value"],
                    mode="lines+markers",
                    line=style.get(code, {"color": SELECTED, "width": 2.5}),
                    marker={"size": 5, "color": ENGLAND if code == ENGLAND_CODE else SELECTED},
                    name=place_name(names, code),
                    legendgroup=code,
                    showlegend=k == 0,
                    hovertemplate=f"{place_name(names, code)}, %{{x}}<br>{service}: "
                    "£%{y:,.0f} per child<extra></extra>",
                ),
                r + 1,
                c + 1,
            )
        panels.axis(
            "x",
            r + 1,
            c + 1,
            type="category",
            categoryorder="array",
            categoryarray=labels.tolist(),
            tickangle=-45,
            tickfont={"size": 10},
        )
        panels.axis(
            "y",
            r + 1,
            c + 1,
            title={"text": "£ per child" if c == 0 else None},
            tickprefix="£",
            tickformat=",.0f",
            rangemode="tozero",
        )
    who = "England" + (f" and {place_name(names, la)}" if la is not None else "")
    layout = base_layout(
        f"Gross spend per child aged 0-17 by service line: {who}",
        height=max(360, 280 * nrows + 120),
    )
    panels.draw(fig, layout)
    fig.update_annotations(font_size=12)  # the panel titles
    fig.update_layout(
        legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top"},
        margin={"l": 60, "r": 130, "t": 80, "b": 70},
    )
    return fig


def service_lines_summary(view: ServicesView) -> str:
    """The latest year's total and largest line for England and the LA."""
    if view.reason is not None:
        return view.reason
    rows, names, la = view.rows, view.names, view.la
    have = rows[rows["value"].notna()] if len(rows) else rows
    if have.empty:
        return "No spend per child is held for England or this LA."
    parts = []
    for code in [ENGLAND_CODE] + ([la] if la is not None else []):
        mine = have[have["area_code"] == code]
        if mine.empty:
            parts.append(f"{place_name(names, code)}: no spend per child held.")
            continue
        latest = mine[mine["year_end"] == mine["year_end"].max()]
        label = latest["period_label"].iloc[0]
        total = latest[latest["indicator_id"] == SERVICE_TOTAL]
        lines = latest[latest["share"].notna()].sort_values("share", ascending=False)
        text = f"{place_name(names, code)}, {label}:"
        if len(total):
            text += f" £{total['value'].iloc[0]:,.0f} per child on all services"
        if len(lines):
            top = lines.iloc[0]
            text += (
                f"; the largest line is {top['service']} "
                f"({top['share']:.0%}, £{top['value']:,.0f})"
            )
        parts.append(text + ".")
    return " ".join(parts)


def service_lines_data(view: ServicesView) -> DataView:
    """Each service, area and year: spend per child and share of the all-services total."""
    if view.reason is not None:
        return blank(view.reason)
    rows, names = view.rows, view.names
    if rows.empty:
        return blank("No spend per child held")
    frame = pd.DataFrame(
        {
            "Service": rows["service"].to_numpy(),
            "Area code": rows["area_code"].to_numpy(),
            "Area": [place_name(names, c) for c in rows["area_code"]],
            "Year": rows["period_label"].to_numpy(),
            "£ per child": rows["value"].to_numpy(),
            "Share of all services (%)": (rows["share"] * 100).to_numpy(),
        }
    )
    return DataView(
        frame,
        "Gross spend per child by service line",
        {"£ per child": 0, "Share of all services (%)": 1},
    )
