"""Do similar areas vary as much? The within-group share for each neighbour release.

``within_groups_chart`` draws a ``views.within_groups.SharesView``: each release's share of
the variance across LAs found within statistical-neighbour groups, with its 95% bootstrap
interval and the value groups of LAs picked at random would give; ``within_groups_summary``
is its text alternative and ``within_groups_data`` the numbers drawn (the table and the CSV).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from figures.style import DARK_BLUE, MID_GREY, base_layout, empty_figure
from figures.tables import DataView
from indicators import VarianceShare
from views.within_groups import SharesView

#: How to read the ratio (the page explains the share in full above the chart).
READING = "A ratio of 1 means neighbours are no more alike than LAs picked at random."
NO_RELEASE = "The data release holds no statistical-neighbour groups."
AXIS = "Within-group share of the variance across all LAs"


def _number(value: float | None) -> str:
    return "not defined" if value is None else f"{value:.2f}"


def release_label(share: VarianceShare) -> str:
    """A release's row label, e.g. "2025 neighbours"."""
    return f"{share.sn_release} neighbours"


def within_groups_chart(view: SharesView) -> go.Figure:
    """Each release's share (point and 95% interval) and the random-groups value (tick)."""
    drawn = [s for s in view.shares if s.within_share is not None]
    if not view.shares:
        return empty_figure(NO_RELEASE)
    if not drawn:
        return empty_figure(view.shares[0].interpretation.capitalize() + ".")
    labels = [release_label(s) for s in drawn]
    share = [float(s.within_share) for s in drawn]  # type: ignore[arg-type]
    low = [s.ci_low if s.ci_low is not None else v for s, v in zip(drawn, share, strict=True)]
    high = [s.ci_high if s.ci_high is not None else v for s, v in zip(drawn, share, strict=True)]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[s.random_share for s in drawn],
            y=labels,
            mode="markers",
            marker={"symbol": "line-ns", "size": 22, "line": {"width": 3, "color": MID_GREY}},
            name="Groups of LAs picked at random",
            hovertemplate="%{y}: random groups would give %{x:.0%}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=share,
            y=labels,
            mode="markers",
            marker={"color": DARK_BLUE, "size": 12},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [h - v for h, v in zip(high, share, strict=True)],
                "arrayminus": [v - lo for v, lo in zip(share, low, strict=True)],
                "color": DARK_BLUE,
                "thickness": 2,
                "width": 6,
            },
            customdata=list(zip(low, high, [s.relative_to_random for s in drawn], strict=True)),
            name="Within-group share (95% interval)",
            hovertemplate="%{y}: %{x:.0%} (95% interval %{customdata[0]:.0%} to "
            "%{customdata[1]:.0%})<br>ratio to random groups %{customdata[2]:.2f}"
            "<extra></extra>",
        )
    )
    top = max([1.1, *high, *(s.random_share or 0 for s in drawn)])
    fig.update_layout(
        **{
            **base_layout(f"{view.meta.short_title}, {view.period_label}", height=300),
            "legend": {"orientation": "h", "y": -0.5},
        },
        xaxis={"title": AXIS, "range": [0, top * 1.05], "tickformat": ".0%", "zeroline": True},
        yaxis={"automargin": True, "autorange": "reversed"},
    )
    return fig


def _percent(value: float | None) -> str:
    return "not defined" if value is None else f"{value:.0%}"


def share_sentence(share: VarianceShare) -> str:
    """A release's share, interval and random-groups value in a few words."""
    if share.within_share is None:
        return f"{release_label(share)}: {share.interpretation}."
    interval = (
        f"95% interval {_percent(share.ci_low)} to {_percent(share.ci_high)}; "
        if share.ci_low is not None
        else ""
    )
    return (
        f"{release_label(share)}: {_percent(share.within_share)} ({interval}random groups "
        f"{_percent(share.random_share)})."
    )


def within_groups_summary(view: SharesView) -> str:
    """The text alternative: the newest release's reading, the others' numbers, the ratios."""
    if not view.shares:
        return NO_RELEASE
    newest, *others = view.shares
    parts = [f"{release_label(newest)}: {newest.interpretation}"]
    parts += [share_sentence(s) for s in others]
    ratios = [
        f"{_number(s.relative_to_random)} with the {release_label(s)}"
        for s in view.shares
        if s.relative_to_random is not None
    ]
    if ratios:
        parts.append(f"Ratio to random groups: {', '.join(ratios)}. {READING}")
    return " ".join(parts)


def within_groups_data(view: SharesView) -> DataView:
    """One row per neighbour release: the share, its interval, the random value, the reading."""
    frame = pd.DataFrame(
        {
            "Neighbour release": [s.sn_release for s in view.shares],
            "Within-group share": [s.within_share for s in view.shares],
            "95% lower": [s.ci_low for s in view.shares],
            "95% upper": [s.ci_high for s in view.shares],
            "Random groups": [s.random_share for s in view.shares],
            "Ratio to random (1 = no more alike)": [s.relative_to_random for s in view.shares],
            "LAs with a value": [s.n_las for s in view.shares],
            "Groups used": [s.n_groups for s in view.shares],
            "LAs without a group": [s.n_left_out for s in view.shares],
            "Reading": [s.interpretation for s in view.shares],
        }
    )
    numbers = ["Within-group share", "95% lower", "95% upper", "Random groups"]
    decimals = dict.fromkeys([*numbers, "Ratio to random (1 = no more alike)"], 3)
    title = f"{view.meta.title}: variance within neighbour groups, {view.period_label}"
    return DataView(
        frame.astype(dict.fromkeys(numbers, float)),
        title,
        decimals,
        key=None,
        row_header="Neighbour release",
    )
