"""The fast workbook reader against openpyxl and odfpy, on tiny workbooks made here."""

import zipfile

import pandas as pd
import pytest

from data.errors import DataFormatError
from data.workbooks import MAX_ROWS, column_letter, peek, read_sheets
from tests.workbook_support import write_ods, write_ods_xml, write_workbook, write_xlsx

ROWS = [
    ["LA", "LA Name", "Description", "OwnProvision", "Flag"],
    [890, "Blackpool", "3.1.1 Residential care", 557263.11, True],
    [835, "Dorset (Pre LGR 2019)", "21 Total  Safeguarding  ", -12.5, False],
    [None, None, None, None, None],  # an empty row inside the table is kept
    [928, "Northamptonshire", "Children’s & families\nservices", 0, None],
]
EXPECTED = [
    ("LA", "LA Name", "Description", "OwnProvision", "Flag"),
    ("890", "Blackpool", "3.1.1 Residential care", "557263.11", "TRUE"),
    ("835", "Dorset (Pre LGR 2019)", "21 Total  Safeguarding  ", "-12.5", "FALSE"),
    (),
    ("928", "Northamptonshire", "Children’s & families\nservices", "0"),
]


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_cells_come_back_as_text_in_sheet_rows(tmp_path, suffix):
    path = write_workbook(tmp_path / f"t{suffix}", {"First": [["x"]], "Table A1": ROWS})
    sheets = read_sheets(path)
    assert [s.name for s in sheets] == ["First", "Table A1"]
    assert sheets[1].rows == tuple(EXPECTED)
    assert sheets[1].cell(2, 3) == "557263.11"
    assert sheets[1].cell(4, 0) == "" and sheets[1].cell(99, 99) == ""


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_agrees_with_pandas_readers_cell_for_cell(tmp_path, suffix):
    rows = [["a", "b", "c"]] + [[i, f"name {i}", i / 7] for i in range(40)]
    path = write_workbook(tmp_path / f"t{suffix}", {"S": rows})
    ours = read_sheets(path)[0].rows
    theirs = pd.read_excel(path, header=None, engine="odf" if suffix == ".ods" else "openpyxl")
    for i, row in enumerate(ours):
        for j, text in enumerate(row):
            want = theirs.iloc[i, j]
            number = isinstance(want, int | float) and not isinstance(want, bool)
            assert (float(text) == want) if number else (text == str(want))


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_sheet_filter_max_columns_columns_and_peek(tmp_path, suffix):
    wide = [[f"c{j}" for j in range(12)]] + [[j * 10 + i for j in range(12)] for i in range(30)]
    path = write_workbook(tmp_path / f"t{suffix}", {"Notes": [["n"]], "Data": wide})
    only = read_sheets(path, sheets=lambda n: n == "Data")
    assert [s.name for s in only] == ["Data"] and len(only[0].rows) == 31
    narrow = read_sheets(path, sheets=lambda n: n == "Data", max_columns=3)[0]
    assert all(len(r) == 3 for r in narrow.rows)
    picked = read_sheets(path, sheets=lambda n: n == "Data", columns=[1, 4])[0]
    assert picked.rows[1] == ("", "10", "", "", "40")
    first = peek(path, rows=5)
    assert [len(s.rows) for s in first] == [1, 5]


def test_ods_repeats_spaces_annotations_and_covered_cells(tmp_path):
    xml = (
        '<table:table table:name="S">'
        '<table:table-row><table:table-cell office:value-type="string">'
        '<text:p>a<text:s text:c="3"/>b<text:tab/>c</text:p>'
        "<office:annotation><text:p>a comment</text:p></office:annotation>"
        "</table:table-cell>"
        '<table:table-cell table:number-columns-repeated="2" office:value-type="float" '
        'office:value="7"><text:p>7</text:p></table:table-cell>'
        "<table:covered-table-cell/>"
        '<table:table-cell office:value-type="percentage" office:value="0.25"/>'
        '<table:table-cell table:number-columns-repeated="16000"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="2"><table:table-cell '
        'office:value-type="string"><text:p>x &amp; y</text:p></table:table-cell>'
        "</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048570"><table:table-cell/>'
        "</table:table-row></table:table>"
    )
    sheet = read_sheets(write_ods_xml(tmp_path / "x.ods", xml))[0]
    assert sheet.rows == (("a   b\tc", "7", "7", "", "0.25"), ("x & y",), ("x & y",))


def test_xlsx_rich_text_inline_strings_and_formulas_use_the_full_parser(tmp_path):
    path = write_xlsx(tmp_path / "t.xlsx", {"S": [["x", 1]]})
    sheet_xml = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData><row r="2"><c r="B2" t="inlineStr"><is><r><t>'
        'rich </t></r><r><t>text</t></r></is></c><c r="D2"><f>1+1</f><v>2</v></c></row>'
        '<row r="4"><c r="A4" t="str"><v>a_x000D_b</v></c></row></sheetData></worksheet>'
    )
    rebuilt = tmp_path / "r.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(rebuilt, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode()
            dst.writestr(item, data)
    assert read_sheets(rebuilt)[0].rows == ((), ("", "rich text", "", "2"), (), ("a\rb",))


def test_bad_and_hostile_files_are_clear_errors(tmp_path):
    not_zip = tmp_path / "bad.xlsx"
    not_zip.write_text("LA,LA Name\n")
    with pytest.raises(DataFormatError, match="not a workbook"):
        read_sheets(not_zip)
    xml = (
        '<table:table table:name="S"><table:table-row table:number-rows-repeated='
        f'"{MAX_ROWS + 5}"><table:table-cell office:value-type="float" office:value="1"/>'
        "</table:table-row></table:table>"
    )
    with pytest.raises(DataFormatError, match="more than") as err:
        read_sheets(write_ods_xml(tmp_path / "many.ods", xml))
    assert err.value.row == MAX_ROWS + 1


def test_column_letters():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 16383)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "XFD",
    ]


def test_odfpy_written_file_has_the_values_odfpy_wrote(tmp_path):
    path = write_ods(tmp_path / "t.ods", {"S": [["a", 1.5, None, "b"]]})
    assert read_sheets(path)[0].rows == (("a", "1.5", "", "b"),)
