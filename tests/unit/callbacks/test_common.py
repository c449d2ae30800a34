import pandas as pd
import pytest
from dash.exceptions import PreventUpdate

from callbacks.common import (
    checked_indicator,
    checked_la,
    checked_las,
    checked_period,
)
from callbacks.csv_files import csv_text, safe_filename
from figures.tables import DataView


def test_checks_reject_anything_unknown(tiny_store):
    for bad in (None, 5, ["x"], "nope", "javascript:alert(1)", "x" * 10_000):
        with pytest.raises(PreventUpdate):
            checked_indicator(tiny_store, bad)
        assert checked_la(tiny_store, bad) is None
    assert checked_la(tiny_store, "E06000009") == "E06000009"
    assert checked_la(tiny_store, "E92000001") is None  # England is not an LA
    latest = tiny_store.catalogue.periods["lait_lacstable_2016on"][-1][0]
    assert checked_period(tiny_store, "lait_lacstable_2016on", "junk") == latest
    codes = checked_las(tiny_store, ["E06000009", "bogus", "E06000009"] + ["E06000001"] * 10_000)
    assert codes == ["E06000009", "E06000001"]
    assert len(checked_las(tiny_store, list(tiny_store.la_codes))) == 20


def test_csv_neutralises_formulas_but_keeps_negative_numbers():
    view = DataView(
        pd.DataFrame(
            {
                "Area": ['=HYPERLINK("x")', "+1", "@SUM(A1)", "-cmd", "Leeds", "-", "=7"],
                "Value": [-5.0, 1.0, 2.0, 3.0, 4.0, float("nan"), 6.25],
            }
        ),
        "t",
        {"Value": 1},
    )
    lines = csv_text(view).splitlines()
    assert lines == [
        "Area,Value",
        '"\'=HYPERLINK(""x"")",-5',  # a formula is neutralised; a whole number has no .0
        "+1,1",  # number-like text runs nothing: left as it is
        "'@SUM(A1),2",
        "'-cmd,3",
        "Leeds,4",
        "-,",  # a suppression symbol stays as published, never '-
        "7 (tied),6.2",  # a tied rank keeps its tie; the value is rounded to 1 decimal
    ]


def test_csv_headers_from_the_data_never_carry_a_live_formula():
    view = DataView(pd.DataFrame({'=HYPERLINK("https://evil.example")': [1.0]}), "t")
    assert csv_text(view).splitlines()[0] == '"\'=HYPERLINK(""https://evil.example"")"'


def test_csv_numbers_carry_no_float_noise_without_decimals():
    view = DataView(pd.DataFrame({"Gap": [-29.799999999999997, 184.0, 0.1 + 0.2]}), "t")
    assert csv_text(view).splitlines() == ["Gap", "-29.8", "184", "0.3"]


def test_safe_filename():
    assert safe_filename("a/b", "../c d") == "a_b-___c_d.csv"


def test_table_open_follows_the_summary_clicks():
    from callbacks.common import table_open

    assert [table_open(n) for n in (None, 0, 1, 2, 3)] == [False, False, True, False, True]
    assert not table_open(True) and not table_open("1")


def test_register_table_fills_the_table_only_while_open(tiny_store):
    """Through Dash's own dispatch: closed -> nothing, open -> the view's rows, LA marked."""
    import json

    import pandas as pd
    from dash import Dash, dcc, html

    from callbacks.common import ChartBlock, register_table
    from figures.tables import DataView

    calls = []

    def handler(store, la):
        calls.append(la)
        frame = pd.DataFrame({"Area code": ["E06000009", "E06000001"], "Value": [8.0, 9.5]})
        return None, "caption", DataView(frame, "Two LAs", {"Value": 1})

    app = Dash(__name__)
    controls = [dcc.Input(id="la", value="E06000009"), html.Summary(id="t-summary")]
    app.layout = html.Div([*controls, html.Div(id="t-table"), dcc.Store(id="t-table-data")])
    register_table(app, tiny_store, ChartBlock("t", handler, ("la",), la_index=0))
    client = app.server.test_client()

    def table(n_clicks):
        body = {
            "output": "t-table-data.data",
            "outputs": {"id": "t-table-data", "property": "data"},
            "inputs": [
                {"id": "t-summary", "property": "n_clicks", "value": n_clicks},
                {"id": "la", "property": "value", "value": "E06000009"},
            ],
            "changedPropIds": ["t-summary.n_clicks"],
        }
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 200
        return json.loads(response.data)["response"]["t-table-data"]["data"]

    assert table(0) is None and calls == []  # closed: the handler is not even called
    opened = table(1)
    assert opened["caption"] == "Two LAs"
    assert opened["rows"] == [["E06000009", "8.0"], ["E06000001", "9.5"]]
    assert opened["columns"][1] == {"name": "Value", "num": True}
    assert opened["selected"] == [0]  # the chosen LA's row is marked
    assert calls == ["E06000009"]
    assert table(2) is None  # closed again


def test_period_choices_without_periods_do_not_update(tiny_store):
    from dash.exceptions import PreventUpdate

    from callbacks.common import period_choices

    with pytest.raises(PreventUpdate):
        period_choices(tiny_store, "not_an_indicator", None)


def test_every_graph_drawn_with_its_page_is_as_tall_as_its_figure(tiny_store, clear_dash_pages):
    """A graph box of another height makes dcc.Graph draw the chart twice (Plots.resize).

    Both for the first chart, drawn with its page, and for the charts put off (computed by
    their callback when the reader comes to them, from the same fill).
    """
    import dash
    from dash import dcc

    from app import create_app
    from callbacks.common import graph_style, message
    from callbacks.initial import initial_outputs

    app = create_app(store=tiny_store)
    blocks = [b for b in initial_outputs(app).blocks if b.chart is not None]
    drawn, put_off = 0, 0
    for page in dash.page_registry.values():
        layout = page["layout"]()
        components = {
            c.id: c for c in layout._traverse() if isinstance(getattr(c, "id", None), str)
        }
        figures = {}
        for graph in components.values():
            if isinstance(graph, dcc.Graph) and getattr(graph, "figure", None) is not None:
                figures[graph.id] = (graph.figure, graph.style)
                drawn += 1
        for block in blocks:
            graph_id = f"{block.chart}-graph"
            if graph_id in figures or graph_id not in components:
                continue
            values = [getattr(components[i], "value", None) for i in block.inputs]
            outputs = block.fill(*values)
            figures[graph_id] = (outputs[(graph_id, "figure")], outputs[(graph_id, "style")])
            put_off += 1
        for graph_id, (figure, style) in figures.items():
            height = figure["layout"].get("height")
            assert height, f"{page['path']} {graph_id}: a figure with no height"
            assert style == {"height": f"{height}px"}, f"{page['path']} {graph_id}"
    assert drawn >= 6  # the first chart of every page with charts but the map (drawn once open)
    assert drawn + put_off >= 15
    assert graph_style(message("nothing to draw")[0]) == {"height": "300px"}
