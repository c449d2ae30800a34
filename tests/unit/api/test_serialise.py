import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest

from api.serialise import Result, column_values, plain, records, to_csv, to_json


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (float("nan"), None),
        (float("inf"), None),
        (np.float64("nan"), None),
        (np.float32(1.5), 1.5),
        (np.int64(3), 3),
        (np.bool_(True), True),
        (pd.NA, None),
        (pd.NaT, None),
        (None, None),
        (dt.date(2024, 3, 31), "2024-03-31"),
        (pd.Timestamp("2021-04-01"), "2021-04-01"),
        (np.array(["E06000061", "E06000062"], dtype=object), ["E06000061", "E06000062"]),
        ({"a": [1.0, float("nan")]}, {"a": [1.0, None]}),
    ],
)
def test_plain_turns_missing_into_none_and_numpy_into_python(value, expected):
    out = plain(value)
    assert out == expected
    assert type(out) is type(expected)


def test_json_is_strict_and_numbers_are_unrounded():
    text = to_json({"v": 0.1 + 0.2, "n": float("nan"), "big": 1e300, "i": np.int32(7)})
    assert json.loads(text) == {"v": 0.30000000000000004, "n": None, "big": 1e300, "i": 7}
    assert "NaN" not in text and "Infinity" not in text


def test_column_values_fast_paths_keep_types():
    frame = pd.DataFrame(
        {
            "f": [1.25, np.nan],
            "i": [1, 2],
            "n": pd.array([1, None], dtype="Int64"),
            "b": [True, False],
            "s": ["x", None],
        }
    )
    assert column_values(frame["f"]) == [1.25, None]
    assert column_values(frame["i"]) == [1, 2]
    assert column_values(frame["n"]) == [1, None]
    assert column_values(frame["b"]) == [True, False]
    assert column_values(frame["s"]) == ["x", None]
    assert records(frame, {"value": "f", "label": "s"}) == [
        {"value": 1.25, "label": "x"},
        {"value": None, "label": None},
    ]


def test_csv_escapes_formulas_but_keeps_negative_numbers():
    rows = [
        {"name": '=HYPERLINK("http://x")', "value": -5.0, "rank": 3, "ok": True},
        {"name": "+1", "value": float("nan"), "rank": None, "ok": False},
        {"name": "@x", "value": 0.1 + 0.2, "rank": 1, "ok": None},
    ]
    text = to_csv(rows, ["name", "value", "rank", "ok"])
    lines = text.splitlines()
    assert lines[0] == "name,value,rank,ok"
    assert lines[1] == '"\'=HYPERLINK(""http://x"")",-5.0,3,true'
    assert lines[2] == "+1,,,false"  # number-like text runs nothing: left as it is
    assert lines[3] == "'@x,0.30000000000000004,1,"  # numbers exactly as the JSON has them


def test_csv_joins_lists_and_writes_header_when_empty():
    assert to_csv([{"codes": ["A", "B"]}], ["codes"]) == "codes\nA;B\n"
    assert to_csv([], ["a", "b"]) == "a,b\n"


def test_result_makes_json_once_and_serves_csv():
    result = Result({"x": math.nan}, [{"a": 1}], ["a"], "name with spaces/and slash")
    assert result.json_text() == '{"x":null}'
    assert result.json_text() is result.json_text()
    response = result.response("csv")
    assert response.mimetype == "text/csv"
    assert response.get_data(as_text=True) == "a\n1\n"
    assert 'filename="name_with_spaces_and_slash.csv"' in response.headers["Content-Disposition"]
    assert result.response("json").mimetype == "application/json"
