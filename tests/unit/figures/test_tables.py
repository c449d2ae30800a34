"""The table payload the browser draws: text only, formatted like the CSV's numbers."""

import json

import numpy as np
import pandas as pd

from figures.tables import NO_ROWS, DataView, format_cell, table_payload


def view(**kwargs) -> DataView:
    frame = pd.DataFrame(
        {
            "Rank": [1, 2, 3],
            "Area code": ["E06000009", "E06000001", "E06000002"],
            "Local authority": ["Blackpool", "Hartlepool", "<b>Middlesbrough</b>"],
            "Rate (%)": [8.0, np.nan, 12345.678],
            "Status": ["", "c", ""],
        }
    )
    return DataView(frame, "Three LAs", {"Rate (%)": 1}, **kwargs)


def test_cells_are_display_text_with_missing_values_blank():
    payload = table_payload(view())
    assert payload["rows"] == [
        ["1", "E06000009", "Blackpool", "8.0", ""],
        ["2", "E06000001", "Hartlepool", "", "c"],
        ["3", "E06000002", "<b>Middlesbrough</b>", "12,345.7", ""],  # markup stays text
    ]
    assert [c["num"] for c in payload["columns"]] == [False, False, False, True, False]
    assert payload["caption"] == "Three LAs"
    json.dumps(payload)  # plain JSON: no numpy scalars left


def test_the_selected_la_is_marked_and_only_a_known_one():
    assert table_payload(view(), selected="E06000001")["selected"] == [1]
    assert table_payload(view(), selected="E09999999")["selected"] == []
    assert table_payload(view(key=None), selected="E06000001")["selected"] == []


def test_the_name_column_heads_each_row_unless_told_otherwise():
    assert table_payload(view())["row_header"] == 2  # "Local authority"
    assert table_payload(view(row_header="Area code"))["row_header"] == 1
    assert table_payload(view(row_header="not a column"))["row_header"] is None
    plain = DataView(pd.DataFrame({"Value": [1.0]}), "One", {"Value": 0}, key=None)
    assert table_payload(plain)["row_header"] is None


def test_an_empty_view_says_so():
    payload = table_payload(DataView(pd.DataFrame(), "Nothing", key=None))
    assert payload["rows"] == [] and payload["empty"] == NO_ROWS


def test_format_cell_keeps_negative_numbers_and_text():
    assert format_cell(-1234.6, 0) == "-1,235"
    assert format_cell(-0.25, 2) == "-0.25"
    assert format_cell(None, 1) == ""
    assert format_cell(True, 1) == "True"  # a flag is not a number
    assert format_cell(7, None) == "7"


def test_row_headers_link_only_to_paths_on_this_site():
    frame = pd.DataFrame(
        {
            "Local authority": ["Barnet", "Evil", "Elsewhere", "Blank"],
            "href": ["/benchmark?la=E09000003", "javascript:alert(1)", "//evil.example/x", None],
        }
    )
    payload = table_payload(DataView(frame, "Links", key=None, href="href"))
    assert payload["links"] == ["/benchmark?la=E09000003", None, None, None]
    assert [c["name"] for c in payload["columns"]] == ["Local authority"]
    assert payload["rows"][0] == ["Barnet"]
    assert "links" not in table_payload(DataView(frame, "No links", key=None))
