import numpy as np
import pandas as pd
import pytest

from data.cells import parse_value_column
from data.errors import DataFormatError
from data.schema import STATUS_SYMBOLS


def parse(cells, **kw):
    return parse_value_column(
        pd.Series(cells, dtype="str"), file="f.csv", column="v", first_row=2, **kw
    )


@pytest.mark.parametrize("symbol", sorted(STATUS_SYMBOLS))
def test_every_symbol_becomes_null_with_the_symbol_kept(symbol):
    out = parse(["5", symbol])
    assert out.value[0] == 5.0
    assert np.isnan(out.value[1])
    assert out.status[1] == symbol
    assert out.status[0] is None


def test_low_is_never_zero_and_x_is_never_zero():
    out = parse(["low", "[x]", "k", "~"])
    assert np.isnan(out.value).all()
    assert list(out.status) == ["low", "[x]", "k", "~"]


@pytest.mark.parametrize(
    "token",
    [
        "NA",
        "N/A",
        "NULL",
        "None",
        "nan",
        "#N/A",
        "n/a",
        "null",
        "DNS",
        "*",
        "SUPP",
        "inf",
        "NaN",
        "-inf",
        "12p",
        "12r",
        "free text",
        "£12",
        "12m",
        "(123)",
        "\u22125",
        "5\u201310",
        "1,23",
        "12,34,567",
        "45%",
    ],
)
def test_unknown_token_stops_with_file_row_column_and_token(token):
    with pytest.raises(DataFormatError) as err:
        parse(["1", "c", token])
    e = err.value
    assert (e.file, e.row, e.column, e.token) == ("f.csv", 4, "v", token)
    assert repr(token) in str(e)


def test_blank_cell_is_an_error_unless_the_source_maps_it():
    with pytest.raises(DataFormatError) as err:
        parse(["1", ""])
    assert err.value.row == 3
    assert "empty cell" in err.value.message
    out = parse(["1", ""], blank="z")
    assert out.status[1] == "z"
    assert out.coercions["blank"] == 1


def test_out_of_range_number_is_an_error():
    with pytest.raises(DataFormatError, match="out of range"):
        parse(["1e309"])


def test_documented_coercions_are_counted():
    out = parse([" 12 ", "12\u00a0", "1,234", "7.0000000000000007E-2", "-5", ".5", "+3"])
    assert list(out.value) == [12.0, 12.0, 1234.0, 0.07, -5.0, 0.5, 3.0]
    assert out.coercions["stripped"] == 2
    assert out.coercions["thousands"] == 1


def test_percent_sign_only_in_percentage_columns():
    out = parse(["45%", "45.5 %"], percent_ok=True)
    assert list(out.value) == [45.0, 45.5]
    assert out.coercions["percent_sign"] == 2


def test_source_specific_symbols():
    out = parse(["NULL", "3"], extra_symbols={"NULL": "z"})
    assert out.status[0] == "z" and out.value[1] == 3.0
