"""Peer trajectories: the LAs at our level k years ago and their paths since."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from data.schema import Polarity
from figures.labels import OGL, area_name, decimals_of, export_name, source_line, unit_title
from figures.style import (
    LIGHT_GREY,
    SELECTED,
    base_layout,
    empty_figure,
    format_value,
    number_format,
    with_export,
)
from figures.tables import DataView
from views.peers import PEER_BAND_SD, PeerView

__all__ = ["peers_chart", "peers_data", "peers_summary"]


def _question(view: PeerView) -> str:
    return f"LAs at {view.la_name}'s level {view.lag} year(s) ago: where are they now?"


def peers_chart(view: PeerView) -> go.Figure:
    """Each peer's path from the base year to the latest (grey), the LA's own (pink)."""
    result, meta = view.result, view.meta
    if result.n_peers == 0:
        return empty_figure(f"No peers: {result.reason}.")
    fmt = number_format(meta)
    fig = go.Figure()
    paths = result.paths
    for code, path in paths[paths["role"] == "peer"].groupby("area_code", sort=True):
        name = area_name(view.names, str(code))
        fig.add_trace(
            go.Scatter(
                x=path["year_end"].astype(int).tolist(),
                y=path["value"].tolist(),
                mode="lines+markers",
                name=name,
                line={"color": LIGHT_GREY, "width": 1.5},
                marker={"size": 5},
                showlegend=False,
                hovertemplate=name + " %{x}: %{y:" + fmt + "}<extra></extra>",
            )
        )
    own = paths[paths["role"] == "la"]
    fig.add_trace(
        go.Scatter(
            x=own["year_end"].astype(int).tolist(),
            y=own["value"].tolist(),
            mode="lines+markers",
            name=f"{view.la_name} (selected)",
            line={"color": SELECTED, "width": 3.5},
            marker={"size": 9},
            hovertemplate=view.la_name + " %{x}: %{y:" + fmt + "}<extra></extra>",
        )
    )
    title = _question(view)
    fig.update_layout(
        **base_layout(title, height=400),
        xaxis={"title": "Year ending", "dtick": 1},
        yaxis={"title": unit_title(meta), "tickformat": fmt},
    )
    return with_export(
        fig,
        title=f"{title} ({meta.short_title})",
        period=f"{view.base_label} to {view.latest_label}",
        source=source_line(meta),
        licence=OGL,
        filename=export_name(view.la_name, meta.indicator_id, "peers", view.latest_label),
    )


def peers_summary(view: PeerView) -> str:
    """The text alternative: how many peers, how many improved, the LA's own change."""
    result, meta = view.result, view.meta
    if result.n_peers == 0:
        return f"{_question(view)} No peers: {result.reason}."
    moved = (
        f"{result.n_up} rose, {result.n_down} fell and {result.n_same} did not change"
        if meta.polarity is Polarity.NONE
        else f"{sum(result.peers['outcome'] == 'improved')} improved "
        f"({result.share_improved:.0%}), "
        f"{sum(result.peers['outcome'] == 'worsened')} worsened"
    )
    own = (
        f"{view.la_name} went from {format_value(result.la_base_value, meta)} to "
        f"{format_value(result.la_latest_value, meta)} ({result.la_outcome})"
        if result.la_outcome
        else f"{view.la_name} has no value in one of the two years"
    )
    return (
        f"{result.n_peers} other LAs were {result.band_text} (within {PEER_BAND_SD:g} of the "
        f"standard deviation across LAs). By {view.latest_label}, {moved}. {own}. "
        "Peers are chosen on one value, so some of their movement is regression to the mean."
    )


def peers_data(view: PeerView) -> DataView:
    """One row per peer: its base and latest value, change and outcome."""
    result, meta = view.result, view.meta
    peers = result.peers
    base, latest = f"Value in {view.base_label}", f"Value in {view.latest_label}"
    frame = pd.DataFrame(
        {
            "Local authority": [area_name(view.names, str(c)) for c in peers["area_code"]],
            "Area code": peers["area_code"].astype(str).to_numpy(),
            base: peers["base_value"].to_numpy(dtype=float),
            latest: peers["latest_value"].to_numpy(dtype=float),
            "Change": peers["change"].to_numpy(dtype=float),
            "Outcome": peers["outcome"].to_numpy(dtype=object),
            f"Now compared with {view.la_name}": peers["now_vs_la"].to_numpy(dtype=object),
        }
    )
    digits = decimals_of(meta)
    return DataView(
        frame,
        f"{meta.title}: {_question(view)}",
        dict.fromkeys((base, latest, "Change"), digits),
    )
