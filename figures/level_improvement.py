"""Starting level against improvement per year: the scatter, its verdict, text and numbers.

The 2014 deck's chart "better-performing LAs improve more slowly" plots each LA's starting
level against its per-annum improvement. ``level_improvement_chart`` draws the same chart from
a ``views.improvement.LevelImprovementView`` with what the deck left out: the fitted line's
confidence band and the slope regression to the mean alone would give. Improvement is the
change turned by polarity, so up is always improving (rising with no polarity); the view
turns every number, and the legend states the slopes of the lines as drawn.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from data.schema import IndicatorMeta, Polarity
from figures.labels import wrap
from figures.pace import (
    DIRECTION_COLOURS,
    DIRECTION_LEGEND,
    add_highlight,
    by_direction,
    change_decimals,
    change_format,
    direction_marks,
    format_change,
    improvement_axis_title,
    level_axis_title,
    per_year_unit,
)
from figures.style import (
    ENGLAND,
    LIGHT_GREY,
    REFERENCE,
    base_layout,
    empty_figure,
    format_value,
    number_format,
)
from figures.tables import DataView
from views.improvement import LevelImprovementView


def not_enough_text(view: LevelImprovementView) -> str:
    """The verdict when there is no fit, with the commonest reason LAs were left out."""
    result = view.result
    if view.top_reason is None:
        return result.verdict
    reason, count = view.top_reason
    return (
        f"{result.verdict} Most LAs were left out because: {reason} "
        f"({count} of {len(view.points)}). Choose a longer window or another indicator."
    )


def _hover(fmt: str, meta: IndicatorMeta, extra: str = "", name: str = "") -> str:
    return (
        "%{text}<br>start %{x:"
        + fmt
        + "}<br>%{y:"
        + change_format(meta)
        + "} "
        + per_year_unit(meta)
        + extra
        + f"<extra>{name}</extra>"
    )


def slope_label(slope: float) -> str:
    """A drawn line's slope as the legend states it, e.g. ``"-0.0512"``."""
    return f"{slope:.3g}"


def level_improvement_chart(
    view: LevelImprovementView, *, highlight: str | None = None
) -> go.Figure:
    """Starting level (x) against improvement per year (y, up = improving), one point per LA.

    Colours by each LA's ``change_per_year`` label (with its significance test): improving
    dark blue, worsening orange, no significant change grey, no polarity neutral. The fitted
    line (dark grey) has its 95% band; the turquoise dashed line is the slope regression to
    the mean alone would give, with its noise-only range dotted. ``highlight`` is a pink
    diamond. The legend gives each line's slope as drawn (improvement per year per unit of
    starting level).
    """
    result, meta = view.result, view.meta
    fit = result.fit
    if fit is None or view.drawn_slope is None:
        return empty_figure(not_enough_text(view))
    pts = view.included
    fmt = number_format(meta)
    band = view.band
    confidence = f"{fit.confidence:.0%}"
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=pd.concat([band["start_level"], band["start_level"].iloc[::-1]]),
            y=pd.concat([band["high"], band["low"].iloc[::-1]]),
            fill="toself",
            fillcolor="rgba(61,61,61,0.14)",
            line={"width": 0},
            hoverinfo="skip",
            name=f"{confidence} confidence band of the fitted line",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=band["start_level"],
            y=band["fitted"],
            mode="lines",
            line={"color": ENGLAND, "width": 2.5},
            hoverinfo="skip",
            name=f"Fitted line (slope {slope_label(view.drawn_slope)} per year)",
        )
    )
    noise = view.noise
    if len(noise) and view.noise_slope is not None:
        fig.add_trace(
            go.Scatter(
                x=noise["start_level"],
                y=noise["expected"],
                mode="lines",
                line={"color": REFERENCE, "width": 2.5, "dash": "dash"},
                hoverinfo="skip",
                name="Regression to the mean alone (expected slope "
                f"{slope_label(view.noise_slope)})",
            )
        )
        for column, shown in (("low", True), ("high", False)):
            fig.add_trace(
                go.Scatter(
                    x=noise["start_level"],
                    y=noise[column],
                    mode="lines",
                    line={"color": REFERENCE, "width": 1.5, "dash": "dot"},
                    hoverinfo="skip",
                    name=f"Noise-only {confidence} range",
                    legendgroup="noise-range",
                    showlegend=shown,
                )
            )
    for direction, group in by_direction(pts):
        fig.add_trace(
            go.Scatter(
                x=group["start_level"],
                y=group["improvement_per_year"],
                mode="markers",
                marker={
                    "color": DIRECTION_COLOURS[direction],
                    "size": 8,
                    "opacity": 0.85,
                    "line": {"color": "white", "width": 0.5},
                },
                text=group["area_name"].tolist(),
                customdata=group["n_points"],
                hovertemplate=_hover(
                    fmt, meta, "<br>%{customdata} years with data", DIRECTION_LEGEND[direction]
                ),
                name=f"{DIRECTION_LEGEND[direction]} LAs",
            )
        )
    add_highlight(
        fig, pts, highlight, x="start_level", y="improvement_per_year", hover=_hover(fmt, meta)
    )
    fig.add_hline(
        y=0,
        line={"color": LIGHT_GREY, "width": 1.5},
        annotation_text="no change",
        annotation_position="bottom right",
    )
    window = view.window
    x_title = level_axis_title(
        meta, start_label=window.start_label, start_periods=view.start_periods
    )
    fig.update_layout(
        **base_layout(f"Starting level against pace of change, {window.label}", height=520),
        xaxis={"title": wrap(x_title, 90), "tickformat": fmt, "zeroline": False},
        yaxis={
            "title": wrap(improvement_axis_title(meta), 50),
            "tickformat": f",.{change_decimals(meta)}f",
            "zeroline": False,
        },
        annotations=[*fig.layout.annotations, *direction_marks(meta)],
    )
    fig.update_layout(legend={"orientation": "h", "y": -0.22})
    return fig


def _one_unit(meta: IndicatorMeta) -> str:
    if meta.unit == "%":
        return "1 percentage point"
    if meta.unit.startswith("£"):
        return f"£1{meta.unit[1:]}"
    return f"1 {meta.unit}" if meta.unit not in ("", "number") else "1 unit"


def verdict_facts(view: LevelImprovementView) -> list[tuple[str, str]]:
    """The numbers behind the verdict, as (label, text) pairs for a definition list.

    Slopes are those of the lines drawn (improvement on starting level); where lower is
    better, that is the fitted slope of the change turned, and the change's own slope (the
    one the verdict quotes) is given too.
    """
    result, meta = view.result, view.meta
    fit, null = result.fit, result.null
    n_out = int((~result.points["included"]).sum())
    if fit is None or view.drawn_slope is None:
        return [("LAs with a start level and a trend", str(int(result.points["included"].sum())))]
    pct = f"{fit.confidence:.0%}"
    sign = view.window.sign
    low, high = sorted((sign * fit.slope_ci_low, sign * fit.slope_ci_high))
    drawn = view.drawn_slope
    verb = "changes" if sign > 0 else "improves"
    slope_text = (
        f"{slope_label(drawn)} per year{'' if sign > 0 else ' as drawn'} ({pct} CI {low:.3g} "
        f"to {high:.3g}): an LA starting {_one_unit(meta)} higher {verb} by {abs(drawn):.3g} "
        f"{per_year_unit(meta)} {'less' if drawn < 0 else 'more'}"
    )
    if sign < 0:
        slope_text += (
            "; lower is better, so the chart draws the change turned, and the slope of the "
            f"change itself (which the verdict quotes) is {fit.slope:.3g}"
        )
    facts = [
        ("Slope of the fitted line", slope_text),
        ("Correlation", f"r = {fit.r:.2f}, p = {fit.p_value:.2g}"),
        ("LAs in the fit", f"{fit.n}" + (f" ({n_out} left out: too few years)" if n_out else "")),
    ]
    if null is not None and view.noise_slope is not None:
        null_low, null_high = sorted((sign * null.low, sign * null.high))
        facts += [
            (
                "Slope from regression to the mean alone (expected)",
                f"{slope_label(view.noise_slope)} per year",
            ),
            (
                f"Noise-only {pct} range",
                f"{null_low:.3g} to {null_high:.3g} per year ({null.n_draws} simulated data sets)",
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


def level_improvement_summary(view: LevelImprovementView, *, highlight: str | None = None) -> str:
    """The chart's text alternative: the verdict, who is left out, the selected LA."""
    result, meta = view.result, view.meta
    text = result.verdict if result.fit is not None else not_enough_text(view)
    n_out = int((~view.points["included"]).sum())
    if n_out and result.fit is not None:
        text += f" {n_out} LA(s) left out for too few years in the window."
    row = view.row(highlight) if highlight is not None else None
    if row is not None:
        name = row["area_name"]
        if row["included"]:
            text += (
                f" {name} started at {format_value(row['start_level'], meta)} and changed "  # type: ignore[arg-type]
                f"{format_change(row['change_per_year'], meta)} ({row['direction']})."
            )
        else:
            text += f" {name} is not in the chart: {row['reason']}."
    return text


def level_improvement_data(view: LevelImprovementView) -> DataView:
    """Every LA's numbers behind the scatter.

    Start and end level, change and improvement per year, the label (as both charts give
    it), the fitted line at its start, whether it is drawn and why not.
    """
    meta, pts, fit = view.meta, view.points, view.result.fit
    unit = per_year_unit(meta)
    level = "Improvement" if meta.polarity != Polarity.NONE else "Change"
    frame = pd.DataFrame(
        {
            "Area code": pts["area_code"].to_numpy(),
            "Local authority": pts["area_name"].to_numpy(),
            "Start level": pts["start_level"].to_numpy(),
            "End level": pts["end_level"].to_numpy(),
            f"Change per year ({unit})": pts["change_per_year"].to_numpy(),
            f"{level} per year ({unit})": pts["improvement_per_year"].to_numpy(),
            "Direction": pts["direction"].to_numpy(),
            f"Fitted line at this start ({unit})": pts["fitted"].to_numpy(),
            "Years with data": pts["n_points"].to_numpy(),
            "In the chart": ["yes" if i else "no" for i in pts["included"]],
            "Reason left out": pts["reason"].fillna("").to_numpy(),
        }
    )
    frame = frame.sort_values(["In the chart", "Local authority"], ascending=[False, True])
    d = 1 if meta.decimals is None else meta.decimals
    c = change_decimals(meta)
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
