"""figures.panels: a grid drawn in two plotly calls is the figure drawn panel by panel."""

import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots

from figures.panels import PanelTraces, axis_key


def _grid() -> go.Figure:
    return make_subplots(rows=2, cols=3, subplot_titles=list("abcdef"))


def test_a_grid_drawn_at_once_is_the_grid_drawn_panel_by_panel():
    one_by_one, at_once = _grid(), _grid()
    panels = PanelTraces(3)
    for row in (1, 2):
        for col in (1, 2, 3):
            trace = go.Scatter(x=[1, 2], y=[row, col], name=f"{row}{col}")
            one_by_one.add_trace(trace, row=row, col=col)
            one_by_one.update_yaxes(
                title_text=f"y{row}{col}", rangemode="tozero", row=row, col=col
            )
            one_by_one.update_xaxes(dtick=1, row=row, col=col)
            panels.add(trace, row, col)
            panels.axis("y", row, col, title={"text": f"y{row}{col}"})
            panels.axis("y", row, col, rangemode="tozero")  # settings merge
            panels.axis("x", row, col, dtick=1)
    one_by_one.update_layout(height=500, title={"text": "t"})
    panels.draw(at_once, {"height": 500, "title": {"text": "t"}})
    assert at_once.to_plotly_json() == one_by_one.to_plotly_json()
    # Each trace sits on its panel's axes: the sixth panel's are x6/y6.
    assert at_once.data[5].xaxis == "x6" and at_once.layout.yaxis6.title.text == "y23"


def test_axis_keys_follow_make_subplots_numbering_and_refuse_other_panels():
    fig = _grid()
    for row in (1, 2):
        for col in (1, 2, 3):
            key = axis_key("x", row, col, 3)
            anchor = fig.layout[key].anchor  # the panel's x axis is anchored to its y axis
            assert anchor == axis_key("y", row, col, 3).replace("axis", "")
    with pytest.raises(ValueError, match="no 'x' axis for panel"):
        axis_key("x", 1, 4, 3)
    with pytest.raises(ValueError, match="no 'z' axis"):
        axis_key("z", 1, 1, 3)


def test_an_empty_grid_gets_its_layout_and_no_traces():
    fig = PanelTraces(2).draw(make_subplots(rows=1, cols=2), {"height": 300})
    assert fig.data == () and fig.layout.height == 300
