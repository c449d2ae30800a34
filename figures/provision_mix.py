"""Who provides one s251 line's services: shares of its spend by provider over time.

``provision_mix_chart`` draws a ``views.spend_lines.ProvisionView`` (England, then the LA);
``provision_mix_summary`` is its text alternative and ``provision_mix_data`` the numbers drawn.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from data.schema import ENGLAND_CODE
from figures.labels import place_name
from figures.style import DARK_BLUE, DARK_GREY, LIGHT_PURPLE, TURQUOISE, base_layout, empty_figure
from figures.tables import DataView, blank
from indicators import PROVISION_PARTS
from views.spend_lines import ProvisionView

PART_LABELS = {
    "own_provision": "Own provision (the LA)",
    "private_provision": "Private providers",
    "other_public": "Other public bodies",
    "voluntary": "Voluntary sector",
}
_PART_WORDS = {
    "own_provision": "own provision",
    "private_provision": "private",
    "other_public": "other public",
    "voluntary": "voluntary",
}
#: Analysis Function categorical colours; segments are also split by white lines and named
#: in the legend, hover and table.
PART_COLOURS = {
    "own_provision": DARK_BLUE,
    "private_provision": TURQUOISE,
    "other_public": DARK_GREY,
    "voluntary": LIGHT_PURPLE,
}


def _england_label(method: str) -> str:
    return "England" if method in ("published", "") else f"England ({method})"


def provision_mix_chart(view: ProvisionView) -> go.Figure:
    """Stacked shares of the line's spend by provider over time: England, then the LA."""
    shares, line_title, names, la = view.shares, view.line_title, view.names, view.la
    period_labels, england_method = view.period_labels, view.england_method
    if shares.empty or shares["share"].notna().sum() == 0:
        return empty_figure(f"No provider split of {line_title} spend is held for these areas.")
    areas = [ENGLAND_CODE] + ([la] if la is not None else [])
    titles = [_england_label(england_method)] + ([place_name(names, la)] if la is not None else [])
    fig = make_subplots(
        rows=1, cols=len(areas), shared_yaxes=True, subplot_titles=titles, horizontal_spacing=0.06
    )
    periods = sorted(shares["time_period"].unique())
    categories = [period_labels.get(int(p), str(p)) for p in periods]
    for col, code in enumerate(areas, start=1):
        mine = shares[shares["area_code"] == code]
        if mine["share"].notna().sum() == 0:
            fig.add_annotation(
                text=f"No provider split held for {place_name(names, code)}",
                xref=f"x{'' if col == 1 else col} domain",
                yref="y domain",
                x=0.5,
                y=0.5,
                showarrow=False,
            )
        for part in PROVISION_PARTS:
            rows = mine[mine["part"] == part].set_index("time_period").reindex(periods)
            fig.add_trace(
                go.Bar(
                    x=categories,
                    y=rows["share"] * 100,
                    name=PART_LABELS[part],
                    legendgroup=part,
                    showlegend=col == 1,
                    marker={"color": PART_COLOURS[part], "line": {"color": "white", "width": 1.5}},
                    customdata=rows["amount"].to_numpy(),
                    hovertemplate=f"{place_name(names, code)}, %{{x}}<br>{PART_LABELS[part]}: "
                    "%{y:.1f}%<br>£%{customdata:,.0f}<extra></extra>",
                ),
                row=1,
                col=col,
            )
        fig.update_xaxes(
            type="category",
            categoryorder="array",
            categoryarray=categories,
            row=1,
            col=col,
        )
    fig.update_yaxes(
        title_text="Share of the line's provider spend (%)", range=[0, 100], row=1, col=1
    )
    fig.update_layout(
        **base_layout(f"Who provides {line_title}: shares of spend by provider", height=440),
        barmode="stack",
        bargap=0.3,
    )
    fig.update_layout(legend={"orientation": "h", "y": -0.25})
    return fig


def provision_mix_summary(view: ProvisionView) -> str:
    """The text alternative: which years hold a provider split, and the split itself.

    Says so plainly when the chosen year has none; gives the chosen (else latest) year's
    split for England and the LA.
    """
    shares, line_title, names, la = view.shares, view.line_title, view.names, view.la
    period_labels, england_method = view.period_labels, view.england_method
    year_end = view.year_end
    have = shares[shares["share"].notna()] if len(shares) else shares
    if have.empty:
        return f"No provider split of {line_title} spend is held for these areas."
    years = sorted(have["year_end"].astype(int).unique())
    held = ", ".join(
        period_labels.get(int(p), str(p)) for p in sorted(have["time_period"].unique())
    )
    text = f"Provider split of {line_title} spend is held for {held}."
    if year_end is not None and int(year_end) not in years:
        text = (
            f"No provider split for the year ending {year_end}: it is held only for {held}. "
            "The chart shows those years."
        )
    for code in [ENGLAND_CODE] + ([la] if la is not None else []):
        mine = have[have["area_code"] == code]
        label = _england_label(england_method) if code == ENGLAND_CODE else place_name(names, code)
        if mine.empty:
            text += f" {label}: no provider split held."
            continue
        wanted = (
            int(year_end)
            if year_end is not None and int(year_end) in set(mine["year_end"])
            else None
        )
        latest = mine[
            mine["year_end"] == (wanted if wanted is not None else mine["year_end"].max())
        ]
        period = period_labels.get(
            int(latest["time_period"].iloc[0]), str(latest["time_period"].iloc[0])
        )
        parts = ", ".join(f"{_PART_WORDS[str(r.part)]} {r.share:.0%}" for r in latest.itertuples())
        text += f" {label}, {period}: {parts}."
    undefined = shares[shares["share"].isna() & shares["note"].notna()]
    if len(undefined):
        text += " Some years have no shares (a part missing or negative): see the table."
    return text


def provision_mix_data(view: ProvisionView) -> DataView:
    """Each area, year and provider: amount (£), share (%) and any note."""
    shares, names, period_labels = view.shares, view.names, view.period_labels
    if shares.empty:
        return blank("No provider split held")
    frame = pd.DataFrame(
        {
            "Area code": shares["area_code"].to_numpy(),
            "Area": [
                _england_label(view.england_method) if c == ENGLAND_CODE else place_name(names, c)
                for c in shares["area_code"]
            ],
            "Year": [period_labels.get(int(p), str(p)) for p in shares["time_period"]],
            "Provider": [PART_LABELS[p] for p in shares["part"]],
            "Amount (£)": shares["amount"].to_numpy(),
            "Share (%)": (shares["share"] * 100).to_numpy(),
            "Note": shares["note"].fillna("").to_numpy(),
        }
    )
    return DataView(frame, "Spend by provider", {"Amount (£)": 0, "Share (%)": 1})
