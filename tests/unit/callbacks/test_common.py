import pandas as pd
import pytest
from dash.exceptions import PreventUpdate

from callbacks.common import (
    checked_indicator,
    checked_la,
    checked_las,
    checked_period,
    csv_text,
    safe_filename,
)
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
                "Area": ['=HYPERLINK("x")', "+1", "@SUM(A1)", "-cmd", "Leeds"],
                "Value": [-5.0, 1.0, 2.0, 3.0, 4.0],
            }
        ),
        "t",
        {"Value": 1},
    )
    text = csv_text(view)
    assert "'=HYPERLINK" in text and "'+1" in text and "'@SUM" in text and "'-cmd" in text
    assert '\n\'=HYPERLINK(""x"")",-5.0' in text or ",-5.0" in text
    assert "Leeds,4.0" in text


def test_safe_filename():
    assert safe_filename("a/b", "../c d") == "a_b-___c_d.csv"
