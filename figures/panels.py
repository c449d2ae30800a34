"""Small multiples drawn in few plotly calls: a grid's axis names, traces added at once.

Each ``fig.add_trace(..., row=, col=)``, ``update_xaxes(row=, col=)`` and
``update_yaxes(row=, col=)`` costs plotly a validation pass over the figure, and a chart of a
dozen panels made hundreds of them (the value page's service lines: about 70 ms of plotly per
draw). The builders collect their traces and axis settings and hand them over in one
``add_traces`` and one ``update_layout``; the figure is the same.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go


def axis_key(axis: str, row: int, col: int, ncols: int) -> str:
    """The layout key of the ``axis`` ("x" or "y") of panel (``row``, ``col``), 1-based.

    ``make_subplots`` numbers a grid's panels row by row from the top left; the first
    panel's axes are ``xaxis`` and ``yaxis``.

    >>> axis_key("x", 1, 1, 3), axis_key("y", 2, 1, 3), axis_key("x", 2, 3, 3)
    ('xaxis', 'yaxis4', 'xaxis6')
    """
    if axis not in ("x", "y") or row < 1 or not 1 <= col <= ncols:
        raise ValueError(f"no {axis!r} axis for panel ({row}, {col}) of a {ncols}-column grid")
    n = (row - 1) * ncols + col
    return f"{axis}axis{'' if n == 1 else n}"


class PanelTraces:
    """Traces and axis settings for a ``make_subplots`` grid, added to it in two calls."""

    def __init__(self, ncols: int) -> None:
        self.ncols = ncols
        self.traces: list[go.Scatter | go.Bar | go.Box] = []
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.axes: dict[str, dict[str, Any]] = {}

    def add(self, trace: go.Scatter | go.Bar | go.Box, row: int, col: int) -> None:
        """Draw ``trace`` in panel (``row``, ``col``), 1-based."""
        self.traces.append(trace)
        self.rows.append(row)
        self.cols.append(col)

    def axis(self, axis: str, row: int, col: int, **settings: Any) -> None:
        """Settings of panel (``row``, ``col``)'s ``axis`` ("x" or "y"), merged with earlier."""
        self.axes.setdefault(axis_key(axis, row, col, self.ncols), {}).update(settings)

    def draw(self, fig: go.Figure, layout: dict[str, Any]) -> go.Figure:
        """``fig`` with the traces added and ``layout`` and the axis settings applied."""
        if self.traces:
            fig.add_traces(self.traces, rows=self.rows, cols=self.cols)
        fig.update_layout({**layout, **self.axes})
        return fig
