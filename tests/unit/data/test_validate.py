import numpy as np
import pytest

from data.errors import DataFormatError
from data.validate import validate_tables


@pytest.fixture
def tables(demo_tables):
    return {k: v.copy() for k, v in demo_tables.items()}


def test_the_demo_store_is_valid(tables):
    validate_tables(tables)


def test_duplicate_key(tables):
    tables["values"] = tables["values"].iloc[[0, 0, 1]]
    with pytest.raises(DataFormatError, match="duplicate key"):
        validate_tables(tables)


def test_null_value_needs_a_status(tables):
    v = tables["values"]
    v.loc[v.index[0], ["value", "value_status"]] = [np.nan, None]
    with pytest.raises(DataFormatError, match="without a status") as err:
        validate_tables(tables)
    assert err.value.column == "value_status"


def test_unknown_status_and_infinite_value(tables):
    v = tables["values"]
    v.loc[v.index[0], ["value", "value_status"]] = [np.nan, "DNS"]
    with pytest.raises(DataFormatError, match="unknown status"):
        validate_tables(tables)
    v.loc[v.index[0], ["value", "value_status"]] = [np.inf, None]
    with pytest.raises(DataFormatError, match="infinite"):
        validate_tables(tables)


def test_indicator_without_metadata(tables):
    tables["indicators"] = tables["indicators"].iloc[1:]
    with pytest.raises(DataFormatError, match="without metadata"):
        validate_tables(tables)


def test_area_code_must_match_level(tables):
    v = tables["values"]
    v["geographic_level"] = v["geographic_level"].astype(str)
    v.loc[v["area_code"] == "E06000009", "geographic_level"] = "Regional"
    with pytest.raises(DataFormatError, match="has level"):
        validate_tables(tables)


def test_area_codes_match_their_type(tables):
    a = tables["areas"]
    a.loc[a["area_code"] == "E06000009", "area_code"] = "X06000009"
    with pytest.raises(DataFormatError, match="does not match"):
        validate_tables(tables)


def test_neighbour_rules(tables):
    n = tables["statistical_neighbours"]
    n.loc[n.index[0], "neighbour_code"] = n.loc[n.index[0], "area_code"]
    with pytest.raises(DataFormatError, match="own neighbour"):
        validate_tables(tables)


def test_polarity_vocabulary(tables):
    tables["indicators"].loc[tables["indicators"].index[0], "polarity"] = "better"
    with pytest.raises(DataFormatError, match=r"polarity|better"):
        validate_tables(tables)
