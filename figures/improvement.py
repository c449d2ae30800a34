"""Figures of the pace-of-improvement page: level against improvement, and each LA's change.

The 2014 deck's chart "better-performing LAs improve more slowly" plots each LA's starting
level against its per-annum improvement. ``level_improvement_scatter`` draws the same chart
from ``indicators.level_vs_improvement`` with what the deck left out: the fitted line's
confidence band and the slope regression to the mean alone would give. Improvement is turned
by polarity so that up is always improving (for an indicator with no polarity, up is rising).
``change_chart`` shows every LA's own change per year (``indicators.change_per_year``).

Each builder has a ``*_summary`` (the text alternative) and a ``*_data`` (the numbers drawn).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

import indicators as ind
from data.schema import IndicatorMeta, Polarity
from figures.style import (
    BETTER,
    DARK_GREY,
    ENGLAND,
    LIGHT_GREY,
    NEUTRAL,
    REFERENCE,
    SELECTED,
    SIMILAR,
    WORSE,
    base_layout,
    empty_figure,
    format_value,
    number_format,
)
from figures.tables import DataView

#: Colour of each direction label (``indicators.direction_label`` and ``change_per_year``).
DIRECTION_COLOURS = {
    "improving": BETTER,
    "worsening": WORSE,
    "no change": SIMILAR,
    "no significant change": SIMILAR,
    "rising": NEUTRAL,
    "falling": NEUTRAL,
}
_DIRECTION_LEGEND = {
    "improving": "Improving",
    "worsening": "Worsening",
    "no change": "No change",
    "no significant change": "No significant change (p ≥ 0.05)",
    "rising": "Rising",
    "falling": "Falling",
}
_DIRECTION_ORDER = tuple(_DIRECTION_LEGEND)


def _name(names: Mapping[str, str], code: str) -> str:
    return names.get(code, code)


def _sign(meta: IndicatorMeta) -> float:
    """+1 when up is better (or no polarity), -1 when lower is better."""
    return -1.0 if meta.polarity == Polarity.LOW_IS_BETTER else 1.0


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def per_year_unit(meta: IndicatorMeta) -> str:
    """The unit of a change per year: "percentage points per year" for a percentage.

    Examples:
        >>> from data.schema import IndicatorMeta, Polarity, ValueType
        >>> meta = IndicatorMeta("x", "t", "t", "topic", "%", 1, Polarity.LOW_IS_BETTER,
        ...                      "Reporting year", "s", "x", None, None, False,
        ...                      ValueType.PROPORTION, 100.0)
        >>> per_year_unit(meta)
        'percentage points per year'
    """
    if meta.unit == "%":
        return "percentage points per year"
    if meta.unit in ("", "number"):
        return "per year"
    return f"{meta.unit} per year"


def _change_decimals(meta: IndicatorMeta) -> int:
    """Changes per year are small: one decimal more than the level, and at least two."""
    return max(2, (1 if meta.decimals is None else meta.decimals) + 1)


def format_change(value: float | None, meta: IndicatorMeta) -> str:
    """A change per year with its sign and unit ("not available" when missing)."""
    if not _finite(value):
        return "not available"
    unit = per_year_unit(meta)
    text = f"{value:+,.{_change_decimals(meta)}f}"
    return f"{text} {unit}"


def level_axis_title(meta: IndicatorMeta, *, start_label: str, start_periods: int) -> str:
    """The x axis title: the starting level, its period(s), unit and which end is better."""
    unit = "" if meta.unit in ("", "number") else f" ({meta.unit})"
    when = start_label if start_periods == 1 else f"mean of the first {start_periods} years"
    better = {
        Polarity.HIGH_IS_BETTER: "; higher is better",
        Polarity.LOW_IS_BETTER: "; lower is better",
    }.get(meta.polarity, "")
    return f"Starting level, {when}{unit}{better}"


def improvement_axis_title(meta: IndicatorMeta) -> str:
    """The y axis title: improvement per year, or change per year with no polarity.

    Which way is better is written on the plot itself (``direction_marks``).
    """
    if meta.polarity == Polarity.NONE:
        return f"Change, {per_year_unit(meta)}"
    return f"Improvement, {per_year_unit(meta)}"


def direction_marks(meta: IndicatorMeta) -> list[dict[str, object]]:
    """Annotations at the top and bottom of the y axis: "▲ improving" / "▼ worsening"."""
    up, down = (
        ("rising", "falling") if meta.polarity == Polarity.NONE else ("improving", "worsening")
    )
    return [
        {
            "text": text,
            "xref": "paper",
            "yref": "paper",
            "x": 0.005,
            "y": y,
            "xanchor": "left",
            "yanchor": anchor,
            "showarrow": False,
            "font": {"size": 12, "color": DARK_GREY},
        }
        for text, y, anchor in ((f"▲ {up}", 1.0, "top"), (f"▼ {down}", 0.0, "bottom"))
    ]


def wrap(text: str, width: int = 60) -> str:
    """Break a long axis title into lines (plotly does not wrap)."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def comparable_values(
    values: pd.DataFrame, areas: pd.DataFrame, *, end_period: int
) -> pd.DataFrame:
    """The rows of the LAs that compete in the window's last period (every period kept).

    LAs are those ``indicators.eligible_values`` keeps for ``end_period`` (current single
    LAs, with the 366-day grace used across the app), so abolished LAs, joint rows, England
    and regions drop out and a reorganised area is compared over the years it exists.
    """
    end = values[values["time_period"] == end_period]
    if end.empty:
        return values.iloc[0:0].copy()
    keep = ind.eligible_values(end, areas, include_absent=False, published_grace_days=366)
    return values[values["area_code"].isin(set(keep["area_code"]))].reset_index(drop=True)


def fit_band(result: ind.LevelVsImprovement, *, n_grid: int = 60) -> pd.DataFrame:
    """The fitted line and its confidence band for the mean, on the raw change scale.

    The band is the usual t-based interval of the fitted mean,
    ``fitted ± t * s * sqrt(1/n + (x - xbar)^2 / Sxx)``, written with the fit's own slope
    interval: ``t * s / sqrt(Sxx)`` is the slope's half-width ``h``, so the band is
    ``fitted ± h * sqrt(Sxx / n + (x - xbar)^2)``. ``x`` runs over the included LAs'
    starting levels. Empty without a fit.

    Returns:
        ``start_level``, ``fitted``, ``low``, ``high`` (change per year, indicator's unit).
    """
    fit = result.fit
    columns = ["start_level", "fitted", "low", "high"]
    if fit is None:
        return pd.DataFrame(columns=columns, dtype=float)
    x = result.points.loc[result.points["included"], "start_level"].to_numpy(dtype=float)
    xbar = float(x.mean())
    sxx = float(((x - xbar) ** 2).sum())
    grid = np.linspace(float(x.min()), float(x.max()), n_grid)
    fitted = fit.intercept + fit.slope * grid
    half = fit.slope_ci_high - fit.slope
    width = half * np.sqrt(sxx / fit.n + (grid - xbar) ** 2)
    return pd.DataFrame(
        {"start_level": grid, "fitted": fitted, "low": fitted - width, "high": fitted + width}
    )


def noise_reference(result: ind.LevelVsImprovement) -> pd.DataFrame:
    """Lines through the LAs' centre with the noise-only slopes (expected, low, high).

    Least-squares lines pass through the mean point, and the noise-only data keep each LA's
    start and the spread of trends, so the line regression to the mean alone would give
    passes through the same centre with the null's expected slope. Empty without a null.

    Returns:
        ``start_level`` (two ends) and ``expected``, ``low``, ``high`` (raw change per year).
    """
    null = result.null
    columns = ["start_level", "expected", "low", "high"]
    if null is None or result.fit is None:
        return pd.DataFrame(columns=columns, dtype=float)
    pts = result.points[result.points["included"]]
    x = pts["start_level"].to_numpy(dtype=float)
    y = pts["change_per_year"].to_numpy(dtype=float)
    xbar, ybar = float(x.mean()), float(y.mean())
    ends = np.array([x.min(), x.max()], dtype=float)
    return pd.DataFrame(
        {
            "start_level": ends,
            "expected": ybar + null.expected_slope * (ends - xbar),
            "low": ybar + null.low * (ends - xbar),
            "high": ybar + null.high * (ends - xbar),
        }
    )


def _directions(
    pts: pd.DataFrame, meta: IndicatorMeta, directions: Mapping[str, str] | None
) -> list[str]:
    signed = [ind.direction_label(v, polarity=meta.polarity) for v in pts["change_per_year"]]
    if directions is None:
        return signed
    return [
        directions.get(code, fallback)
        for code, fallback in zip(pts["area_code"], signed, strict=True)
    ]


def not_enough_text(result: ind.LevelVsImprovement) -> str:
    """The verdict when there is no fit, with the commonest reason LAs were left out."""
    reasons = result.points["reason"].dropna()
    if reasons.empty:
        return result.verdict
    top = reasons.value_counts()
    return (
        f"{result.verdict} Most LAs were left out because: {top.index[0]} "
        f"({int(top.iloc[0])} of {len(result.points)}). Choose a longer window or another "
        "indicator."
    )


def _highlight_trace(
    x: float, y: float, label: str, hover: str, *, textposition: str = "top center"
) -> go.Scatter:
    return go.Scatter(
        x=[x],
        y=[y],
        mode="markers+text",
        marker={
            "color": SELECTED,
            "size": 16,
            "symbol": "diamond",
            "line": {"color": "white", "width": 2},
        },
        text=[label],
        textposition=textposition,
        textfont={"color": SELECTED},
        hovertemplate=hover,
        name=f"Selected: {label}",
    )


def level_improvement_scatter(
    result: ind.LevelVsImprovement,
    meta: IndicatorMeta,
    *,
    names: Mapping[str, str],
    start_label: str,
    window_label: str,
    highlight: str | None = None,
    directions: Mapping[str, str] | None = None,
) -> go.Figure:
    """Starting level (x) against improvement per year (y, up = improving), one point per LA.

    Polarity decides the y sign (improvement is the change turned so that up is better) and
    the colours (improving dark blue, worsening orange, no significant change grey, no
    polarity neutral). ``directions`` maps area codes to their ``change_per_year`` label
    (with its significance test), so both charts label an LA alike; without it the sign of
    the change is used. The fitted line
    (dark grey) has its 95% band; the turquoise dashed line is the slope regression to the
    mean alone would give, with its noise-only range dotted. ``highlight`` is a pink diamond.
    """
    if result.fit is None:
        return empty_figure(not_enough_text(result))
    sign = _sign(meta)
    pts = result.points[result.points["included"]].copy()
    pts["shown"] = sign * pts["change_per_year"]
    pts["direction"] = _directions(pts, meta, directions)
    fmt = number_format(meta)
    rate_fmt = f"+,.{_change_decimals(meta)}f"
    unit = per_year_unit(meta)
    fig = go.Figure()
    band = fit_band(result)
    low, high = (band["low"], band["high"]) if sign > 0 else (band["high"], band["low"])
    fig.add_trace(
        go.Scatter(
            x=pd.concat([band["start_level"], band["start_level"].iloc[::-1]]),
            y=pd.concat([sign * high, (sign * low).iloc[::-1]]),
            fill="toself",
            fillcolor="rgba(61,61,61,0.14)",
            line={"width": 0},
            hoverinfo="skip",
            name=f"{result.fit.confidence:.0%} confidence band of the fitted line",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=band["start_level"],
            y=sign * band["fitted"],
            mode="lines",
            line={"color": ENGLAND, "width": 2.5},
            hoverinfo="skip",
            name=f"Fitted line (slope {result.fit.slope:.3g} per year)",
        )
    )
    ref = noise_reference(result)
    if len(ref):
        fig.add_trace(
            go.Scatter(
                x=ref["start_level"],
                y=sign * ref["expected"],
                mode="lines",
                line={"color": REFERENCE, "width": 2.5, "dash": "dash"},
                hoverinfo="skip",
                name=(
                    "Regression to the mean alone (expected slope "
                    f"{result.null.expected_slope:.3g})"  # type: ignore[union-attr]
                ),
            )
        )
        for column, shown in (("low", True), ("high", False)):
            fig.add_trace(
                go.Scatter(
                    x=ref["start_level"],
                    y=sign * ref[column],
                    mode="lines",
                    line={"color": REFERENCE, "width": 1.5, "dash": "dot"},
                    hoverinfo="skip",
                    name=f"Noise-only {result.fit.confidence:.0%} range",
                    legendgroup="noise-range",
                    showlegend=shown,
                )
            )
    for direction in _DIRECTION_ORDER:
        group = pts[pts["direction"] == direction]
        if group.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=group["start_level"],
                y=group["shown"],
                mode="markers",
                marker={
                    "color": DIRECTION_COLOURS[direction],
                    "size": 8,
                    "opacity": 0.85,
                    "line": {"color": "white", "width": 0.5},
                },
                text=[_name(names, c) for c in group["area_code"]],
                customdata=group["n_points"],
                hovertemplate="%{text}<br>start %{x:"
                + fmt
                + "}<br>%{y:"
                + rate_fmt
                + "} "
                + unit
                + "<br>%{customdata} years with data<extra>"
                + _DIRECTION_LEGEND[direction]
                + "</extra>",
                name=f"{_DIRECTION_LEGEND[direction]} LAs",
            )
        )
    if highlight is not None and (pts["area_code"] == highlight).any():
        row = pts[pts["area_code"] == highlight].iloc[0]
        label = _name(names, highlight)
        fig.add_trace(
            _highlight_trace(
                float(row["start_level"]),
                float(row["shown"]),
                label,
                "%{text}<br>start %{x:"
                + fmt
                + "}<br>%{y:"
                + rate_fmt
                + "} "
                + unit
                + "<extra></extra>",
            )
        )
    fig.add_hline(
        y=0,
        line={"color": LIGHT_GREY, "width": 1.5},
        annotation_text="no change",
        annotation_position="bottom right",
    )
    fig.update_layout(
        **base_layout(f"Starting level against pace of change, {window_label}", height=520),
        xaxis={
            "title": wrap(
                level_axis_title(
                    meta, start_label=start_label, start_periods=result.start_periods
                ),
                90,
            ),
            "tickformat": fmt,
            "zeroline": False,
        },
        yaxis={
            "title": wrap(improvement_axis_title(meta), 50),
            "tickformat": f",.{_change_decimals(meta)}f",
            "zeroline": False,
        },
        annotations=[*fig.layout.annotations, *direction_marks(meta)],
    )
    fig.update_layout(legend={"orientation": "h", "y": -0.22})
    return fig


def verdict_facts(result: ind.LevelVsImprovement, meta: IndicatorMeta) -> list[tuple[str, str]]:
    """The numbers behind the verdict, as (label, text) pairs for a definition list."""
    fit, null = result.fit, result.null
    if meta.unit == "%":
        one = "1 percentage point"
    elif meta.unit.startswith("£"):
        one = f"£1{meta.unit[1:]}"
    else:
        one = f"1 {meta.unit}" if meta.unit not in ("", "number") else "1 unit"
    n_out = int((~result.points["included"]).sum())
    facts: list[tuple[str, str]] = []
    if fit is None:
        facts.append(
            ("LAs with a start level and a trend", str(int(result.points["included"].sum())))
        )
        return facts
    pct = f"{fit.confidence:.0%}"
    facts += [
        (
            "Slope of the fitted line",
            f"{fit.slope:.3g} per year ({pct} CI {fit.slope_ci_low:.3g} to "
            f"{fit.slope_ci_high:.3g})"
            f": an LA starting {one} higher changes by {abs(fit.slope):.3g} "
            f"{per_year_unit(meta)} {'less' if fit.slope < 0 else 'more'}",
        ),
        ("Correlation", f"r = {fit.r:.2f}, p = {fit.p_value:.2g}"),
        ("LAs in the fit", f"{fit.n}" + (f" ({n_out} left out: too few years)" if n_out else "")),
    ]
    if null is not None:
        facts += [
            (
                "Slope from regression to the mean alone (expected)",
                f"{null.expected_slope:.3g} per year",
            ),
            (
                f"Noise-only {pct} range",
                f"{null.low:.3g} to {null.high:.3g} per year ({null.n_draws} simulated data sets)",
            ),
        ]
    if result.oldham_r is not None:
        facts.append(
            (
                "Oldham's check (change against mean of start and end)",
                f"r = {result.oldham_r:.2f}, p = {result.oldham_p:.2g}",
            )
        )
    return facts


def level_improvement_summary(
    result: ind.LevelVsImprovement,
    meta: IndicatorMeta,
    *,
    names: Mapping[str, str],
    highlight: str | None = None,
    directions: Mapping[str, str] | None = None,
) -> str:
    """The chart's text alternative: the verdict, who is left out, the selected LA."""
    text = result.verdict if result.fit is not None else not_enough_text(result)
    pts = result.points
    out = pts[~pts["included"]]
    if len(out) and result.fit is not None:
        text += f" {len(out)} LA(s) left out for too few years in the window."
    if highlight is not None and (pts["area_code"] == highlight).any():
        row = pts[pts["area_code"] == highlight].iloc[0]
        name = _name(names, highlight)
        if row["included"]:
            direction = _directions(pts[pts["area_code"] == highlight], meta, directions)[0]
            text += (
                f" {name} started at {format_value(row['start_level'], meta)} and changed "
                f"{format_change(row['change_per_year'], meta)} ({direction})."
            )
        else:
            text += f" {name} is not in the chart: {row['reason']}."
    return text


def level_improvement_data(
    result: ind.LevelVsImprovement, meta: IndicatorMeta, *, names: Mapping[str, str]
) -> DataView:
    """Every LA's numbers behind the scatter.

    Start and end level, change and improvement per year, the fitted line at its start,
    whether it is drawn and why not.
    """
    pts = result.points
    sign = _sign(meta)
    fit = result.fit
    fitted = (
        sign * (fit.intercept + fit.slope * pts["start_level"])
        if fit is not None
        else pd.Series(np.nan, index=pts.index)
    )
    unit = per_year_unit(meta)
    level = "Improvement" if meta.polarity != Polarity.NONE else "Change"
    frame = pd.DataFrame(
        {
            "Area code": pts["area_code"].to_numpy(),
            "Local authority": [_name(names, c) for c in pts["area_code"]],
            "Start level": pts["start_level"].to_numpy(),
            "End level": pts["end_level"].to_numpy(),
            f"Change per year ({unit})": pts["change_per_year"].to_numpy(),
            f"{level} per year ({unit})": (sign * pts["change_per_year"]).to_numpy(),
            "Direction": [
                ind.direction_label(v, polarity=meta.polarity) for v in pts["change_per_year"]
            ],
            f"Fitted line at this start ({unit})": np.where(pts["included"], fitted, np.nan),
            "Years with data": pts["n_points"].to_numpy(),
            "In the chart": np.where(pts["included"], "yes", "no"),
            "Reason left out": pts["reason"].fillna("").to_numpy(),
        }
    )
    frame = frame.sort_values(["In the chart", "Local authority"], ascending=[False, True])
    d = 1 if meta.decimals is None else meta.decimals
    c = _change_decimals(meta)
    decimals = {
        "Start level": d,
        "End level": d,
        f"Change per year ({unit})": c,
        f"{level} per year ({unit})": c,
        f"Fitted line at this start ({unit})": c,
        "Years with data": 0,
    }
    caption = f"{meta.title}: starting level and change per year"
    if fit is not None:
        caption += (
            f" (fitted line: change per year = {fit.intercept:.4g} + {fit.slope:.4g} "
            "x start level)"
        )
    return DataView(frame.reset_index(drop=True), caption, decimals)


def ordered_changes(changes: pd.DataFrame, meta: IndicatorMeta) -> pd.DataFrame:
    """LAs with a slope, ordered from least to most improving, with positions from 1.

    ``shown`` is the change turned so that up is better (the raw change for no polarity);
    ``order`` is the position on the chart's x axis.
    """
    have = changes[changes["slope"].notna()].copy()
    have["shown"] = _sign(meta) * have["slope"]
    have = have.sort_values(["shown", "area_code"]).reset_index(drop=True)
    have["order"] = np.arange(1, len(have) + 1)
    return have


def change_chart(
    changes: pd.DataFrame,
    meta: IndicatorMeta,
    *,
    names: Mapping[str, str],
    window_label: str,
    highlight: str | None = None,
) -> go.Figure:
    """Every LA's change per year (``indicators.change_per_year``), ordered.

    Coloured by its label: improving dark blue, worsening orange, no significant change grey
    (rising and falling neutral for an indicator with no polarity).
    """
    have = ordered_changes(changes, meta)
    if have.empty:
        return empty_figure(
            "No LA has values in at least 3 years of this window, so no change per year."
        )
    unit = per_year_unit(meta)
    rate_fmt = f"+,.{_change_decimals(meta)}f"
    fig = go.Figure()
    for direction in _DIRECTION_ORDER:
        group = have[have["direction"] == direction]
        if group.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=group["order"],
                y=group["shown"],
                mode="markers",
                marker={"color": DIRECTION_COLOURS[direction], "size": 7},
                text=[_name(names, c) for c in group["area_code"]],
                customdata=np.column_stack([group["p_value"], group["n_points"]]),
                hovertemplate="%{text}<br>%{y:"
                + rate_fmt
                + "} "
                + unit
                + "<br>p = %{customdata[0]:.2g}, %{customdata[1]} years<extra>"
                + _DIRECTION_LEGEND[direction]
                + "</extra>",
                name=_DIRECTION_LEGEND[direction],
            )
        )
    if highlight is not None and (have["area_code"] == highlight).any():
        row = have[have["area_code"] == highlight].iloc[0]
        fig.add_trace(
            _highlight_trace(
                float(row["order"]),
                float(row["shown"]),
                _name(names, highlight),
                "%{text}<br>%{y:" + rate_fmt + "} " + unit + "<extra></extra>",
            )
        )
    fig.add_hline(y=0, line={"color": LIGHT_GREY, "width": 1.5})
    fig.update_layout(
        **base_layout(f"Each LA's change per year, {window_label}", height=380),
        xaxis={
            "title": "Local authorities, ordered from least to most improving"
            if meta.polarity != Polarity.NONE
            else "Local authorities, ordered from most falling to most rising",
            "showticklabels": False,
            "zeroline": False,
        },
        yaxis={
            "title": wrap(improvement_axis_title(meta), 28),
            "tickformat": f",.{_change_decimals(meta)}f",
            "zeroline": False,
        },
        annotations=list(direction_marks(meta)),
    )
    return fig


def change_summary(
    changes: pd.DataFrame,
    meta: IndicatorMeta,
    *,
    names: Mapping[str, str],
    highlight: str | None = None,
) -> str:
    """Counts by label (improving / worsening / no significant change) and the selected LA."""
    have = changes[changes["slope"].notna()]
    if have.empty:
        return "No LA has values in at least 3 years of this window, so no change per year."
    counts = have["direction"].value_counts()
    parts = [f"{int(counts[d])} {d}" for d in _DIRECTION_ORDER if d in counts.index]
    text = (
        f"{len(have)} LAs with a change per year (least-squares slope, {per_year_unit(meta)}; "
        f"significance 5%): " + ", ".join(parts) + "."
    )
    missing = len(changes) - len(have)
    if missing:
        text += f" {missing} LA(s) have too few years."
    if highlight is not None and (changes["area_code"] == highlight).any():
        row = changes[changes["area_code"] == highlight].iloc[0]
        name = _name(names, highlight)
        text += (
            f" {name}: {format_change(row['slope'], meta)}, {row['direction']}."
            if _finite(row["slope"])
            else f" {name}: no change per year ({row['reason']})."
        )
    return text


def change_data(
    changes: pd.DataFrame, meta: IndicatorMeta, *, names: Mapping[str, str]
) -> DataView:
    """Each LA's change per year, its p-value, label and years with data."""
    unit = per_year_unit(meta)
    frame = pd.DataFrame(
        {
            "Area code": changes["area_code"].to_numpy(),
            "Local authority": [_name(names, c) for c in changes["area_code"]],
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
        f"Change per year ({unit})": _change_decimals(meta),
        "p-value": 3,
        "Years with data": 0,
        "First year": 0,
        "Last year": 0,
    }
    return DataView(frame.reset_index(drop=True), f"{meta.title}: change per year by LA", decimals)
