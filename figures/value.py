"""Figures of the value page: spend per child against an outcome, and where the money goes.

* ``spend_outcome_scatter``: LAs by spend per child (x) and an outcome (y), quadrant lines at
  the medians labelled by the outcome's polarity, the least-squares line, each LA's residual
  (``indicators.spend_vs_outcome``).
* ``provision_mix_chart``: shares of one s251 line's spend by provider (own provision,
  private, other public, voluntary) over time for England and an LA
  (``indicators.provision_shares``).
* ``service_lines_chart``: gross spend per child by service line over time, England against
  an LA (the 2014 deck's spend context).

Each builder has a ``*_summary`` (text alternative) and a ``*_data`` (the numbers drawn); the
``*_rows``/``aligned_years`` helpers shape store rows for them.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import indicators as ind
from data.schema import ENGLAND_CODE, IndicatorMeta, Polarity, ValueType
from figures.style import (
    BETTER,
    DARK_BLUE,
    DARK_GREY,
    ENGLAND,
    LIGHT_PURPLE,
    MID_GREY,
    NEUTRAL,
    SELECTED,
    TURQUOISE,
    WORSE,
    axis_title,
    base_layout,
    empty_figure,
    format_value,
    number_format,
)
from figures.tables import DataView

#: The all-services total among the spend-per-child measures (the others are its lines).
SERVICE_TOTAL = "s251_c_ypexpenditure_per_child"
#: Measures that are part of another line (leaving care support is within children looked
#: after), left out of the service-line shares so nothing is counted twice.
SERVICE_SUBLINES = frozenset({"s251_leavecaresupservtotexp_per_child"})

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


def _name(names: Mapping[str, str], code: str) -> str:
    return "England" if code == ENGLAND_CODE else names.get(code, code)


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def polarity_note(meta: IndicatorMeta) -> str:
    """The outcome's better direction in words ("" for no polarity)."""
    return {
        Polarity.HIGH_IS_BETTER: "higher is better",
        Polarity.LOW_IS_BETTER: "lower is better",
    }.get(meta.polarity, "")


def wrap(text: str, width: int = 60) -> str:
    """Break a long axis title into lines (plotly does not wrap)."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def difference_unit(meta: IndicatorMeta) -> str:
    """The unit of a difference between two values ("percentage points" for a %)."""
    if meta.unit == "%":
        return "percentage points"
    return meta.unit if meta.unit not in ("", "number") else "units"


# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------
def aligned_years(
    spend_periods: pd.DataFrame, outcome_periods: pd.DataFrame
) -> list[tuple[int, str]]:
    """The ``year_end`` values both indicators have, newest first, labelled with both periods.

    E.g. ``(2025, "Year ending 2025: spend 2024-25 (OT), outcome 2025")``.

    Args:
        spend_periods: ``Store.periods`` of the spend measure (``time_period``,
            ``year_end``, ``period_label``).
        outcome_periods: ``Store.periods`` of the outcome.
    """
    spend = dict(
        zip(spend_periods["year_end"].astype(int), spend_periods["period_label"], strict=True)
    )
    outcome = dict(
        zip(outcome_periods["year_end"].astype(int), outcome_periods["period_label"], strict=True)
    )
    years = sorted(set(spend) & set(outcome), reverse=True)
    return [(y, f"Year ending {y}: spend {spend[y]}, outcome {outcome[y]}") for y in years]


def period_for(periods: pd.DataFrame, year_end: int) -> int | None:
    """The ``time_period`` of an indicator ending in ``year_end`` (the latest if several)."""
    match = periods[periods["year_end"].astype(int) == int(year_end)]
    return None if match.empty else int(match["time_period"].iloc[-1])


# ---------------------------------------------------------------------------------------------
# Spend against outcome
# ---------------------------------------------------------------------------------------------
def quadrant_labels(polarity: Polarity) -> dict[tuple[bool, bool], str]:
    """Label of each quadrant by (right of the spend median, above the outcome median)."""
    labels = {}
    for right in (False, True):
        for up in (False, True):
            spend = "higher spend" if right else "lower spend"
            if polarity == Polarity.NONE:
                outcome = "higher outcome" if up else "lower outcome"
            else:
                good = up == (polarity == Polarity.HIGH_IS_BETTER)
                outcome = "better outcome" if good else "worse outcome"
            labels[(right, up)] = f"{spend}, {outcome}"
    return labels


def _residual_group(value: object) -> str:
    if value is True:
        return "better"
    if value is False:
        return "worse"
    return "neutral"


_RESIDUAL_STYLE = {
    "better": (BETTER, "Better outcome than the line gives for its spend"),
    "worse": (WORSE, "Worse outcome than the line gives for its spend"),
    "neutral": (NEUTRAL, "Local authorities"),
}


def spend_outcome_scatter(
    result: ind.SpendVsOutcome,
    spend_meta: IndicatorMeta,
    outcome_meta: IndicatorMeta,
    *,
    names: Mapping[str, str],
    year_label: str,
    highlight: str | None = None,
    england: tuple[float | None, float | None] = (None, None),
) -> go.Figure:
    """Spend per child (x) against an outcome (y), one point per LA.

    Dotted lines at the two medians split the chart into quadrants labelled by the outcome's
    polarity ("higher spend, better outcome"...). The dark grey line is the least-squares
    line; points are dark blue when the outcome is better than the line gives for the LA's
    spend, orange when worse (neutral for an outcome with no polarity). England is a cross,
    the selected LA a pink diamond.
    """
    pts = result.points
    if pts.empty:
        return empty_figure(f"No LA has both a spend and an outcome value for {year_label}.")
    xfmt, yfmt = number_format(spend_meta), number_format(outcome_meta)
    fig = go.Figure()
    groups = pts.assign(group=[_residual_group(v) for v in pts["better_than_fitted"]])
    for key in ("better", "worse", "neutral"):
        group = groups[groups["group"] == key]
        if group.empty:
            continue
        colour, label = _RESIDUAL_STYLE[key]
        fig.add_trace(
            go.Scatter(
                x=group["spend"],
                y=group["outcome"],
                mode="markers",
                marker={"color": colour, "size": 9, "line": {"color": "white", "width": 0.5}},
                text=[_name(names, c) for c in group["area_code"]],
                customdata=np.column_stack([group["quadrant"], group["residual"]]),
                hovertemplate="%{text}<br>spend %{x:"
                + xfmt
                + "} per child<br>outcome %{y:"
                + yfmt
                + "}<br>%{customdata[0]}<br>residual %{customdata[1]:+,.2f}<extra></extra>",
                name=label,
            )
        )
    if result.slope is not None and result.intercept is not None:
        xs = np.array([pts["spend"].min(), pts["spend"].max()], dtype=float)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=result.intercept + result.slope * xs,
                mode="lines",
                line={"color": ENGLAND, "width": 2},
                hoverinfo="skip",
                name=(
                    "Least-squares line"
                    + (
                        f" (r = {result.r:.2f}, p = {result.p_value:.2g})"
                        if result.r is not None
                        else ""
                    )
                ),
            )
        )
    ex, ey = england
    if _finite(ex) and _finite(ey):
        fig.add_trace(
            go.Scatter(
                x=[ex],
                y=[ey],
                mode="markers+text",
                marker={
                    "color": ENGLAND,
                    "size": 13,
                    "symbol": "x-thin",
                    "line": {"width": 3, "color": ENGLAND},
                },
                text=["England"],
                textposition="bottom center",
                hovertemplate="England<br>spend %{x:"
                + xfmt
                + "} per child<br>outcome %{y:"
                + yfmt
                + "}<extra></extra>",
                name="England",
            )
        )
    if highlight is not None and (pts["area_code"] == highlight).any():
        row = pts[pts["area_code"] == highlight].iloc[0]
        label = _name(names, highlight)
        fig.add_trace(
            go.Scatter(
                x=[row["spend"]],
                y=[row["outcome"]],
                mode="markers+text",
                marker={
                    "color": SELECTED,
                    "size": 16,
                    "symbol": "diamond",
                    "line": {"color": "white", "width": 2},
                },
                text=[label],
                textposition="top center",
                textfont={"color": SELECTED},
                hovertemplate="%{text}<br>spend %{x:"
                + xfmt
                + "} per child<br>outcome %{y:"
                + yfmt
                + "}<extra></extra>",
                name=f"Selected: {label}",
            )
        )
    for value, vertical in ((result.spend_median, True), (result.outcome_median, False)):
        if _finite(value):
            line = {"color": MID_GREY, "width": 1.5, "dash": "dot"}
            if vertical:
                fig.add_vline(x=value, line=line)
            else:
                fig.add_hline(y=value, line=line)
    labels = quadrant_labels(outcome_meta.polarity)
    for (right, up), text in labels.items():
        fig.add_annotation(
            text=text,
            xref="paper",
            yref="paper",
            x=0.99 if right else 0.01,
            y=0.99 if up else 0.01,
            xanchor="right" if right else "left",
            yanchor="top" if up else "bottom",
            showarrow=False,
            font={"size": 12, "color": DARK_GREY},
            bgcolor="rgba(255,255,255,0.8)",
        )
    note = polarity_note(outcome_meta)
    fig.update_layout(
        **base_layout(f"Spend per child against outcome, {year_label}", height=520),
        xaxis={
            "title": wrap(axis_title(spend_meta) + "; dotted lines: median LAs", 100),
            "tickformat": xfmt,
        },
        yaxis={
            "title": wrap(axis_title(outcome_meta) + (f"; {note}" if note else ""), 42),
            "tickformat": yfmt,
            "automargin": True,
        },
    )
    fig.update_layout(legend={"orientation": "h", "y": -0.2})
    return fig


def spend_outcome_summary(
    result: ind.SpendVsOutcome,
    spend_meta: IndicatorMeta,
    outcome_meta: IndicatorMeta,
    *,
    names: Mapping[str, str],
    year_label: str,
    highlight: str | None = None,
) -> str:
    """The scatter's text alternative: counts by quadrant, the line and the selected LA."""
    pts = result.points
    if pts.empty:
        return f"No LA has both a spend and an outcome value for {year_label}."
    counts = pts["quadrant"].value_counts()
    quadrants = "; ".join(f"{q}: {int(n)}" for q, n in counts.items())
    text = (
        f"{len(pts)} LAs with both values ({year_label}). Medians: spend "
        f"{format_value(result.spend_median, spend_meta)}, outcome "
        f"{format_value(result.outcome_median, outcome_meta)}. {quadrants}."
    )
    if result.slope is not None:
        text += (
            f" Least-squares line: {result.slope * 100:+.3g} {difference_unit(outcome_meta)} "
            "per £100 more spend per child"
        ) + (f" (r = {result.r:.2f}, p = {result.p_value:.2g})." if result.r is not None else ".")
    if len(result.excluded):
        text += f" {len(result.excluded)} LA(s) lack one of the values (see the table)."
    if highlight is not None:
        row = pts[pts["area_code"] == highlight]
        name = _name(names, highlight)
        if row.empty:
            text += f" {name} is not in the chart: it lacks a spend or outcome value."
        else:
            r = row.iloc[0]
            text += (
                f" {name}: {format_value(r['spend'], spend_meta)}, "
                f"{format_value(r['outcome'], outcome_meta)}, {r['quadrant']}"
            )
            if _finite(r["residual"]):
                verdict = {True: "better than", False: "worse than"}.get(
                    r["better_than_fitted"], "off"
                )
                text += (
                    f"; {verdict} the line by {abs(r['residual']):,.2f} "
                    f"{difference_unit(outcome_meta)}"
                )
            text += "."
    return text + " Spending more is not shown to cause a better outcome: need differs."


def spend_outcome_data(
    result: ind.SpendVsOutcome,
    spend_meta: IndicatorMeta,
    outcome_meta: IndicatorMeta,
    *,
    names: Mapping[str, str],
) -> DataView:
    """Each LA's spend, outcome, quadrant, the line's value and residual.

    LAs lacking one of the values follow, with the reason.
    """
    pts = result.points
    spend_col = f"Spend ({spend_meta.unit})"
    outcome_col = f"{outcome_meta.short_title}"
    better = pts["better_than_fitted"].map({True: "better", False: "worse"}).fillna("")
    drawn = pd.DataFrame(
        {
            "Area code": pts["area_code"].to_numpy(),
            "Local authority": [_name(names, c) for c in pts["area_code"]],
            spend_col: pts["spend"].to_numpy(),
            outcome_col: pts["outcome"].to_numpy(),
            "Quadrant": pts["quadrant"].to_numpy(),
            "Line at this spend": pts["fitted"].to_numpy(),
            "Residual (outcome minus line)": pts["residual"].to_numpy(),
            "Than the line": better.to_numpy(),
            "Note": "",
        }
    ).sort_values("Local authority")
    out = pd.DataFrame(
        {
            "Area code": result.excluded["area_code"].to_numpy(),
            "Local authority": [_name(names, c) for c in result.excluded["area_code"]],
            "Note": result.excluded["reason"].to_numpy(),
        }
    ).sort_values("Local authority")
    frame = pd.concat([drawn, out], ignore_index=True) if len(out) else drawn
    d_out = 1 if outcome_meta.decimals is None else outcome_meta.decimals
    decimals = {
        spend_col: 0 if spend_meta.decimals is None else spend_meta.decimals,
        outcome_col: d_out,
        "Line at this spend": d_out + 1,
        "Residual (outcome minus line)": d_out + 1,
    }
    caption = f"{spend_meta.short_title} against {outcome_meta.short_title}"
    if result.slope is not None:
        caption += f" (line: outcome = {result.intercept:.4g} + {result.slope:.4g} x spend)"
    return DataView(frame.reset_index(drop=True), caption, decimals)


# ---------------------------------------------------------------------------------------------
# Provision mix
# ---------------------------------------------------------------------------------------------
def provision_rows(
    parts: Mapping[str, pd.DataFrame], areas: pd.DataFrame, *, la: str | None
) -> tuple[pd.DataFrame, str]:
    """England's and the LA's rows of one s251 line's four provider parts.

    Args:
        parts: indicator id (``s251_line_<line>__<part>``) -> its store rows (all levels and
            periods).
        areas: The store's ``areas`` table.
        la: The LA's code, or None for England only.

    Returns:
        The rows (``indicator_id``, ``area_code``, ``time_period``, ``year_end``, ``value``)
        for ``indicators.provision_shares``, and how England was obtained: England's
        published row where there is one, else the sum of the current LAs
        (``indicators.england_value``), e.g. ``"published"`` or ``"sum of LAs"``.
    """
    frames, methods = [], []
    for indicator_id, rows in parts.items():
        for _, group in rows.groupby("time_period", sort=True):
            england = ind.england_value(group, areas, value_type=ValueType.CURRENCY)
            methods.append(england.method)
            frames.append(
                pd.DataFrame(
                    {
                        "indicator_id": [indicator_id],
                        "area_code": [ENGLAND_CODE],
                        "time_period": [int(group["time_period"].iloc[0])],
                        "year_end": [int(group["year_end"].iloc[0])],
                        "value": [np.nan if england.value is None else float(england.value)],
                    }
                )
            )
        if la is not None:
            mine = rows[rows["area_code"] == la]
            frames.append(
                mine[["area_code", "time_period", "year_end", "value"]].assign(
                    indicator_id=indicator_id
                )
            )
    columns = ["indicator_id", "area_code", "time_period", "year_end", "value"]
    if not frames:
        return pd.DataFrame(columns=columns), ""
    out = pd.concat(frames, ignore_index=True)[columns]
    method = pd.Series(methods).mode().iloc[0] if methods else ""
    return out.astype({"value": float}), str(method)


def _england_label(method: str) -> str:
    return "England" if method in ("published", "") else f"England ({method})"


def provision_mix_chart(
    shares: pd.DataFrame,
    *,
    line_title: str,
    names: Mapping[str, str],
    period_labels: Mapping[int, str],
    la: str | None,
    england_method: str = "published",
) -> go.Figure:
    """Stacked shares of the line's spend by provider over time: England, then the LA."""
    if shares.empty or shares["share"].notna().sum() == 0:
        return empty_figure(f"No provider split of {line_title} spend is held for these areas.")
    areas = [ENGLAND_CODE] + ([la] if la is not None else [])
    titles = [_england_label(england_method)] + ([_name(names, la)] if la is not None else [])
    fig = make_subplots(
        rows=1, cols=len(areas), shared_yaxes=True, subplot_titles=titles, horizontal_spacing=0.06
    )
    periods = sorted(shares["time_period"].unique())
    categories = [period_labels.get(int(p), str(p)) for p in periods]
    for col, code in enumerate(areas, start=1):
        mine = shares[shares["area_code"] == code]
        if mine["share"].notna().sum() == 0:
            fig.add_annotation(
                text=f"No provider split held for {_name(names, code)}",
                xref=f"x{'' if col == 1 else col} domain",
                yref="y domain",
                x=0.5,
                y=0.5,
                showarrow=False,
            )
        for part in ind.PROVISION_PARTS:
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
                    hovertemplate=f"{_name(names, code)}, %{{x}}<br>{PART_LABELS[part]}: "
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


def provision_mix_summary(
    shares: pd.DataFrame,
    *,
    line_title: str,
    names: Mapping[str, str],
    period_labels: Mapping[int, str],
    la: str | None,
    year_end: int | None,
    england_method: str = "published",
) -> str:
    """The text alternative: which years hold a provider split, and the split itself.

    Says so plainly when the chosen year has none; gives the chosen (else latest) year's
    split for England and the LA.
    """
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
        label = _england_label(england_method) if code == ENGLAND_CODE else _name(names, code)
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


def provision_mix_data(
    shares: pd.DataFrame,
    *,
    names: Mapping[str, str],
    period_labels: Mapping[int, str],
    england_method: str = "published",
) -> DataView:
    """Each area, year and provider: amount (£), share (%) and any note."""
    if shares.empty:
        return DataView(pd.DataFrame(), "No provider split held")
    frame = pd.DataFrame(
        {
            "Area code": shares["area_code"].to_numpy(),
            "Area": [
                _england_label(england_method) if c == ENGLAND_CODE else _name(names, c)
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


# ---------------------------------------------------------------------------------------------
# Spend by service line
# ---------------------------------------------------------------------------------------------
def service_title(meta: IndicatorMeta) -> str:
    """A short service name from a spend-per-child measure's title.

    Examples:
        >>> from data.schema import IndicatorMeta, Polarity, ValueType
        >>> meta = IndicatorMeta("s251_totallacfinance_per_child", "t",
        ...     "Total Children Looked After (finance) - Gross per child", "Spend",
        ...     "£ per child", 0, Polarity.NONE, "Financial year", "s", "x", None, None,
        ...     False, ValueType.CURRENCY, None)
        >>> service_title(meta)
        'Children Looked After'
    """
    if meta.indicator_id == SERVICE_TOTAL:
        return "All children's and young people's services"
    text = meta.short_title.split(" - Gross")[0].replace("(finance)", "")
    text = text.removesuffix(" per child")
    return " ".join(text.removeprefix("Total ").split())


def service_rows(
    frames: Mapping[str, pd.DataFrame], metas: Mapping[str, IndicatorMeta], *, la: str | None
) -> pd.DataFrame:
    """England's and the LA's spend per child on each service line over time.

    Args:
        frames: spend-per-child indicator id -> its store rows.
        metas: The same ids' metadata.
        la: The LA, or None for England only.

    Returns:
        ``indicator_id``, ``service``, ``area_code``, ``time_period``, ``year_end``,
        ``period_label``, ``value`` (£ per child) and ``share`` (of the all-services total
        for the same area and year, 0-1; NaN for the total itself, for lines inside another
        line and where there is no total).
    """
    wanted = {ENGLAND_CODE} | ({la} if la is not None else set())
    parts = []
    for indicator_id, rows in frames.items():
        mine = rows[rows["area_code"].isin(wanted)]
        parts.append(
            mine[["area_code", "time_period", "year_end", "period_label", "value"]].assign(
                indicator_id=indicator_id, service=service_title(metas[indicator_id])
            )
        )
    columns = [
        "indicator_id",
        "service",
        "area_code",
        "time_period",
        "year_end",
        "period_label",
        "value",
        "share",
    ]
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)
    total = out[out["indicator_id"] == SERVICE_TOTAL][["area_code", "year_end", "value"]]
    out = out.merge(
        total.rename(columns={"value": "_total"}), on=["area_code", "year_end"], how="left"
    )
    is_line = ~out["indicator_id"].isin(SERVICE_SUBLINES | {SERVICE_TOTAL})
    with np.errstate(invalid="ignore", divide="ignore"):
        share = out["value"] / out["_total"]
    out["share"] = share.where(is_line & (out["_total"] > 0))
    order = {
        i: k
        for k, i in enumerate(
            sorted(frames, key=lambda i: (i != SERVICE_TOTAL, service_title(metas[i])))
        )
    }
    out = out.assign(_order=out["indicator_id"].map(order)).sort_values(
        ["_order", "area_code", "year_end"]
    )
    return out[columns].reset_index(drop=True)


def service_lines_chart(
    rows: pd.DataFrame, *, names: Mapping[str, str], la: str | None, chosen: str | None = None
) -> go.Figure:
    """Small multiples of spend per child on each service line over time.

    England is dark grey and dashed, the LA pink and solid; each panel has its own scale.
    The panel of ``chosen`` (the spend measure on the scatter) has a bold title.
    """
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
    for k, service in enumerate(services):
        r, c = divmod(k, ncols)
        mine = rows[rows["service"] == service]
        labels = mine.drop_duplicates("year_end").sort_values("year_end")["period_label"]
        for code in [ENGLAND_CODE] + ([la] if la is not None else []):
            series = mine[mine["area_code"] == code].sort_values("year_end")
            if series.empty:
                continue
            fig.add_trace(
                go.Scatter(
                    x=series["period_label"],
                    y=series["value"],
                    mode="lines+markers",
                    line=style.get(code, {"color": SELECTED, "width": 2.5}),
                    marker={"size": 5, "color": ENGLAND if code == ENGLAND_CODE else SELECTED},
                    name=_name(names, code),
                    legendgroup=code,
                    showlegend=k == 0,
                    hovertemplate=f"{_name(names, code)}, %{{x}}<br>{service}: "
                    "£%{y:,.0f} per child<extra></extra>",
                ),
                row=r + 1,
                col=c + 1,
            )
        fig.update_xaxes(
            type="category",
            categoryorder="array",
            categoryarray=labels.tolist(),
            row=r + 1,
            col=c + 1,
            tickangle=-45,
            tickfont={"size": 10},
        )
        fig.update_yaxes(
            title_text="£ per child" if c == 0 else None,
            tickformat="£,.0f",
            rangemode="tozero",
            row=r + 1,
            col=c + 1,
        )
    who = "England" + (f" and {_name(names, la)}" if la is not None else "")
    fig.update_layout(
        **base_layout(
            f"Gross spend per child aged 0-17 by service line: {who}",
            height=max(360, 280 * nrows + 120),
        ),
    )
    fig.update_annotations(font_size=12)  # the panel titles
    fig.update_layout(
        legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top"},
        margin={"l": 60, "r": 130, "t": 80, "b": 70},
    )
    return fig


def service_lines_summary(rows: pd.DataFrame, *, names: Mapping[str, str], la: str | None) -> str:
    """The latest year's total and largest line for England and the LA."""
    have = rows[rows["value"].notna()] if len(rows) else rows
    if have.empty:
        return "No spend per child is held for England or this LA."
    parts = []
    for code in [ENGLAND_CODE] + ([la] if la is not None else []):
        mine = have[have["area_code"] == code]
        if mine.empty:
            parts.append(f"{_name(names, code)}: no spend per child held.")
            continue
        latest = mine[mine["year_end"] == mine["year_end"].max()]
        label = latest["period_label"].iloc[0]
        total = latest[latest["indicator_id"] == SERVICE_TOTAL]
        lines = latest[latest["share"].notna()].sort_values("share", ascending=False)
        text = f"{_name(names, code)}, {label}:"
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


def service_lines_data(rows: pd.DataFrame, *, names: Mapping[str, str]) -> DataView:
    """Each service, area and year: spend per child and share of the all-services total."""
    if rows.empty:
        return DataView(pd.DataFrame(), "No spend per child held")
    frame = pd.DataFrame(
        {
            "Service": rows["service"].to_numpy(),
            "Area code": rows["area_code"].to_numpy(),
            "Area": [_name(names, c) for c in rows["area_code"]],
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


def spend_measures(indicator_ids: Sequence[str]) -> list[str]:
    """The spend-per-child measures among ``indicator_ids`` (the total first)."""
    found = [i for i in indicator_ids if i.endswith("_per_child")]
    return sorted(found, key=lambda i: (i != SERVICE_TOTAL, i))
