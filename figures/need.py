"""Expected given need: each LA's actual value against the value its need predicts.

``need_chart`` draws a ``views.need.NeedView``: actual (y) against expected (x), the line
y = x, and the 95% and 99.8% prediction limits around it (drawn through each LA's own limits,
in order of expected value), with the selected LA highlighted; ``need_summary`` is its text
alternative (R², n, the LAs most above expected) and ``need_data`` the numbers drawn.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from figures.labels import decimals_of
from figures.style import (
    DARK_BLUE,
    LIGHT_GREY,
    MID_GREY,
    REFERENCE,
    axis_title,
    base_layout,
    empty_figure,
    selected_marker,
)
from figures.tables import DataView
from views.need import NeedView

#: The limits drawn, as (level label, lower column, upper column, dash).
LIMITS = (("95%", "lower_95", "upper_95", "dash"), ("99.8%", "lower_998", "upper_998", "dot"))


def _fitted(view: NeedView) -> pd.DataFrame:
    points = view.points
    return points[points["expected"].notna() & points["actual"].notna()]


def need_chart(view: NeedView) -> go.Figure:
    """Actual against expected, y = x, the prediction limits and the selected LA."""
    points = _fitted(view)
    if view.reason or points.empty:
        return empty_figure(view.reason or "No LA has both a value and every need measure.")
    line = points.sort_values("expected", kind="stable")
    fig = go.Figure()
    for label, low, high, dash in LIMITS:
        for column, show in ((low, True), (high, False)):
            fig.add_trace(
                go.Scatter(
                    x=line["expected"],
                    y=line[column],
                    mode="lines",
                    line={"color": MID_GREY, "dash": dash, "width": 1},
                    name=f"{label} prediction limits",
                    legendgroup=label,
                    showlegend=show,
                    hoverinfo="skip",
                )
            )
    ends = [float(line["expected"].min()), float(line["expected"].max())]
    fig.add_trace(
        go.Scatter(
            x=ends,
            y=ends,
            mode="lines",
            line={"color": REFERENCE, "width": 2},
            name="Actual = expected",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=points["expected"],
            y=points["actual"],
            mode="markers",
            marker={"color": DARK_BLUE, "size": 7, "line": {"color": LIGHT_GREY, "width": 1}},
            customdata=points[["la_name", "difference", "position"]].to_numpy(dtype=object),
            name="Local authority",
            hovertemplate="%{customdata[0]}: actual %{y}, expected %{x:.1f} "
            "(difference %{customdata[1]:.1f}; %{customdata[2]})<extra></extra>",
        )
    )
    chosen = points[points["area_code"] == view.selected]
    if len(chosen):
        fig.add_trace(
            go.Scatter(
                x=chosen["expected"],
                y=chosen["actual"],
                mode="markers",
                marker=selected_marker(14),
                name=str(chosen["la_name"].iloc[0]),
                hovertemplate="%{y} (expected %{x:.1f})<extra>selected</extra>",
            )
        )
    title = axis_title(view.meta)
    fig.update_layout(
        **base_layout(f"{view.meta.short_title}, {view.period_label}", height=460),
        xaxis={"title": f"Expected given need: {title}", "zeroline": False},
        yaxis={"title": f"Actual: {title}", "zeroline": False},
    )
    return fig


def _names(view: NeedView, codes: tuple[str, ...]) -> str:
    names = view.points.set_index("area_code")["la_name"]
    return ", ".join(str(names.get(c, c)) for c in codes) or "none"


def need_summary(view: NeedView) -> str:
    """R² (with its interval), the LAs used and the LAs most above and below expected."""
    if view.reason:
        return view.reason
    r2 = "not defined" if view.r_squared is None else f"{view.r_squared:.2f}"
    interval = (
        f" (95% interval {view.r_squared_low:.2f} to {view.r_squared_high:.2f})"
        if view.r_squared_low is not None and view.r_squared_high is not None
        else ""
    )
    measures = ", ".join(f"{p.predictor.label} ({p.period_label})" for p in view.predictors)
    parts = [
        f"Need ({measures}) accounts for R² = {r2}{interval} of the variance across the "
        f"{view.n_used} LAs with every measure.",
        f"Most above expected: {_names(view, view.above)}.",
        f"Most below expected: {_names(view, view.below)}.",
    ]
    parts += [f"{label} left out: {why}." for label, why in view.dropped]
    return " ".join(parts)


def need_data(view: NeedView) -> DataView:
    """One row per LA: actual, expected, the limits, the difference, z and the position."""
    points = view.points
    frame = pd.DataFrame(
        {
            "Area code": points["area_code"].to_numpy(),
            "Local authority": points["la_name"].to_numpy(),
            "Actual": points["actual"].to_numpy(dtype=float),
            "Expected": points["expected"].to_numpy(dtype=float),
            "95% lower": points["lower_95"].to_numpy(dtype=float),
            "95% upper": points["upper_95"].to_numpy(dtype=float),
            "99.8% lower": points["lower_998"].to_numpy(dtype=float),
            "99.8% upper": points["upper_998"].to_numpy(dtype=float),
            "Actual - expected": points["difference"].to_numpy(dtype=float),
            "z": points["z"].to_numpy(dtype=float),
            "Position": points["position"].fillna("").to_numpy(),
            "Not in the fit because": points["reason"].fillna("").to_numpy(),
        }
    )
    digits = decimals_of(view.meta)
    decimals = dict.fromkeys([c for c in frame.columns[2:10] if c != "z"], digits) | {"z": 2}
    title = f"{view.meta.title}: actual and expected given need, {view.period_label}"
    return DataView(frame, title, decimals)
