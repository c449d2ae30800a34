"""s251 line-level outturn in every layout: Table A1 (.xlsx, .ods), CSV and EES, one series per
line across DfE's renumberings, on tiny hand-made files (tests/raw_workbooks.py)."""

import numpy as np
import pandas as pd
import pytest

from data.areas import AreaResolver
from data.errors import DataFormatError
from data.loaders.s251 import load_s251
from data.loaders.s251_line_files import read_line_file, year_of_file
from data.loaders.s251_lines import LineError, LineTable, load_line_table
from tests.raw_workbooks import table_a1_2015, table_a1_2019
from tests.workbook_support import write_workbook

BLACKPOOL, DORSET, NORTHANTS = "E06000009", "E10000009", "E10000021"


def values_of(result):
    return pd.concat(result.value_frames, ignore_index=True).astype(
        {"indicator_id": str, "area_code": str, "period_label": str}
    )


def cell(values, line, measure, area, period):
    rows = values[
        (values["indicator_id"] == f"s251_line_{line}__{measure}")
        & (values["area_code"] == area)
        & (values["time_period"] == period)
    ]
    assert len(rows) == 1, (line, measure, area, period)
    return rows.iloc[0]


@pytest.fixture
def a1_2015(tmp_path):
    return write_workbook(tmp_path / "s251ye2015.xlsx", {"Sheet1": table_a1_2015()})


@pytest.fixture
def a1_2019(tmp_path):
    return write_workbook(tmp_path / "S251ye2019.ods", {"Table A1": table_a1_2019()})


def test_table_a1_2014_15_numbering_and_quirks(a1_2015):
    result = load_s251([a1_2015], AreaResolver())
    v = values_of(result)
    # rows out of order and renumbered lines land on the stable line ids
    assert cell(v, "residential_care", "own_provision", BLACKPOOL, 201415).value == 1000
    assert cell(v, "cla_total", "total_expenditure", BLACKPOOL, 201415).value == 10000
    # "21 Total Safeguarding" says s251line 16 (Total CLA): the description wins
    assert cell(v, "safeguarding_total", "total_expenditure", BLACKPOOL, 201415).value == 700
    report = result.reports[0]
    assert (
        report.coercions[
            "s251line disagrees with the description's line number (description used)"
        ]
        == 2
    )
    # "Comissioning" and double spaces
    assert cell(v, "commissioning_strategy", "total_expenditure", DORSET, 201415).value == 300
    # blanks are never zero: a line without a provider split is "z", a missing return "x"
    youth = cell(v, "youth_justice", "own_provision", BLACKPOOL, 201415)
    assert np.isnan(youth.value) and youth.value_status == "z"
    assert cell(v, "youth_justice", "total_expenditure", BLACKPOOL, 201415).value == 500
    teen = cell(v, "teenage_pregnancy", "income", BLACKPOOL, 201415)
    assert np.isnan(teen.value) and teen.value_status == "x"
    assert cell(v, "teenage_pregnancy", "income", DORSET, 201415).value == 5
    # negative values stay negative; a pre-2019 LA keeps its own code
    assert cell(v, "fostering", "income", DORSET, 201415).value == -50
    assert cell(v, "residential_care", "private_provision", DORSET, 201415).value == 6000
    assert report.rows_read == report.rows_loaded == 14


def test_table_a1_2018_19_ident_column_and_fostering_derived(a1_2019):
    result = load_s251([a1_2019], AreaResolver())
    v = values_of(result)
    fostering = cell(v, "fostering", "own_provision", BLACKPOOL, 201819)
    assert fostering.value == 500 and fostering.value_status == "derived"  # 100 + 400
    assert cell(v, "fostering", "total_expenditure", BLACKPOOL, 201819).value == 750
    part = cell(v, "fostering_excl_fees", "own_provision", BLACKPOOL, 201819)
    assert part.value == 100 and pd.isna(part.value_status)
    # OrderLine 16 twice (asylum seekers and the total): both kept, by description
    assert cell(v, "asylum_seekers", "own_provision", NORTHANTS, 201819).value == 10
    assert cell(v, "cla_total", "private_provision", NORTHANTS, 201819).value == 4203
    # "Dorset (Pre LGR 2019)" is 835 Dorset county
    assert cell(v, "residential_care", "private_provision", DORSET, 201819).value == 4002
    assert "ident" in result.reports[0].ignored_columns
    meta = pd.concat(result.indicator_frames).set_index("indicator_id")
    assert "3.1.2a" in meta.loc["s251_line_fostering__own_provision", "derivation"]
    assert meta.loc["s251_line_fostering__own_provision", "unit"] == "£"


def test_xlsx_ods_and_csv_copies_of_a_table_load_the_same(tmp_path):
    rows = table_a1_2019()
    frames = []
    for name in ("S251ye2019.xlsx", "S251ye2019.ods"):
        frames.append(
            values_of(load_s251([write_workbook(tmp_path / name, {"T": rows})], AreaResolver()))
        )
    csv = tmp_path / "S251ye2019.csv"
    pd.DataFrame(rows[1:], columns=rows[0]).to_csv(csv, index=False)
    frames.append(values_of(load_s251([csv], AreaResolver())))
    key = ["indicator_id", "area_code", "time_period"]
    first = frames[0].sort_values(key).reset_index(drop=True)
    for other in frames[1:]:
        other = other.sort_values(key).reset_index(drop=True)
        assert first[key].equals(other[key])
        np.testing.assert_array_equal(first["value"].to_numpy(), other["value"].to_numpy())


def test_an_unknown_line_names_file_row_column_and_line(tmp_path):
    rows = table_a1_2019()
    rows.insert(
        3, [1, 890, "Blackpool", "CLA", 9, "3.1.12 Virtual school heads", "3.1.12", *[1] * 10]
    )
    path = write_workbook(tmp_path / "S251ye2020.xlsx", {"Table A1": rows})
    with pytest.raises(DataFormatError) as err:
        load_s251([path], AreaResolver())
    assert err.value.row == 4 and err.value.column == "Description"
    assert "unknown s251 line '3.1.12 Virtual school heads'" in err.value.message
    assert "data/s251_lines.csv" in err.value.message


def test_a_renamed_key_column_is_an_unknown_layout_error(tmp_path):
    rows = table_a1_2019()
    rows[0] = ["Descr" if c == "Description" else c for c in rows[0]]
    path = write_workbook(tmp_path / "S251ye2019.xlsx", {"Table A1": rows})
    with pytest.raises(DataFormatError) as err:
        read_line_file(path)
    assert err.value.row == 1 and err.value.column == "Description"
    assert "lacks column(s)" in err.value.message


def test_a_workbook_without_an_s251_table_is_not_recognised(tmp_path):
    path = write_workbook(tmp_path / "codes.xlsx", {"S": [["LA Number", "LA Name"], [890, "x"]]})
    assert read_line_file(path) is None


@pytest.mark.parametrize(
    ("name", "year"),
    [
        ("s251ye2020.xlsx", "2019-20"),
        ("S251ye2015.ods", "2014-15"),
        ("table_a1_2020-21.xlsx", "2020-21"),
        ("outturn_202122.csv", "2021-22"),
        ("s251_yearending2023.xlsx", "2022-23"),
    ],
)
def test_year_of_a_one_year_file_from_its_name(tmp_path, name, year):
    path = write_workbook(tmp_path / (name.rsplit(".", 1)[0] + ".xlsx"), {"T": table_a1_2019()})
    lf = read_line_file(path)
    lf.path = tmp_path / name
    assert year_of_file(lf) == year


def test_no_year_in_the_name_is_an_error(tmp_path):
    path = write_workbook(tmp_path / "table_a1.xlsx", {"T": table_a1_2019()})
    with pytest.raises(DataFormatError, match="cannot tell the financial year"):
        load_s251([path], AreaResolver())


def test_ees_national_summary_in_millions_becomes_pounds(raw_dir):
    path = raw_dir / "s251/ees_national/s251_childrens_services_national_sample.csv"
    result = load_s251([path], AreaResolver())
    v = values_of(result)
    own = cell(v, "residential_care", "own_provision", "E92000001", 201819)
    assert own.value == 389_870_000 and own.geographic_level == "National"
    low = cell(v, "residential_care", "other_public", "E92000001", 201920)
    assert np.isnan(low.value) and low.value_status == "low"
    youth = cell(v, "youth_justice", "own_provision", "E92000001", 201819)
    assert np.isnan(youth.value) and youth.value_status == "x"
    # "Total Fostering services" and "Total fostering services": one line, both years
    assert cell(v, "fostering", "private_provision", "E92000001", 201920).value == 750_330_000
    assert "£ million (2 decimals) converted to £" in result.reports[0].notes[0]


def test_overlapping_files_keep_the_ees_file_and_record_the_differences(tmp_path, a1_2019):
    header = (
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
        "region_name,old_la_code,new_la_code,la_name,description_of_expenditure,own_provision,"
        "private_provision,other_public_sector_provision,voluntary_provision,total_expenditure,"
        "income,net_current_expenditure\n"
    )
    row = (
        "201819,Financial year,Local authority,E92000001,England,E12000002,North West,890,"
        "E06000009,Blackpool,3.1.1 Residential care,1000,{private},0,0,{total},0,{total}\n"
    )
    ees = tmp_path / "s251_la_regional_national.csv"
    ees.write_text(header + row.format(private=4100, total=5100))
    result = load_s251([a1_2019, ees], AreaResolver())
    v = values_of(result)
    assert cell(v, "residential_care", "private_provision", BLACKPOOL, 201819).value == 4100
    assert cell(v, "fostering", "own_provision", BLACKPOOL, 201819).value == 500  # A1 only
    (check,) = result.checks
    assert check["name"] == "s251 line-level files that overlap"
    assert check["compared"] == 7 and check["agreeing"] == 4  # private, total and net differ
    diffs = {d["measure"]: d["values"] for d in check["differences"]}
    assert diffs["s251_line_residential_care__private_provision"] == {
        "kept": 4100.0,
        "dropped": 4001.0,
    }
    a1_report = next(r for r in result.reports if r.file == str(a1_2019))
    assert any("not stored" in note for note in a1_report.notes)


@pytest.mark.parametrize(
    ("text", "line_id"),
    [
        ("Residential care", "residential_care"),
        ("6. Residential care", "residential_care"),
        ("3.1.1 Residential care", "residential_care"),
        ("6 Fostering services\t", "fostering"),
        ("3.1.2 Total Fostering services", "fostering"),
        (
            "3.1.2a Fostering services (excluding fees and allowances for LA foster carers)",
            "fostering_excl_fees",
        ),
        ("16 Total Children Looked After", "cla_total"),
        ("3.1.11 Total Children Looked After", "cla_total"),
        ("21 Total  Safeguarding Children and Young People's Services", "safeguarding_total"),
        ("Total Children and Young People's Safety/children social care", "safeguarding_total"),
        ("18 Comissioning and Children's Services Strategy", "commissioning_strategy"),
        ("3.3.3 Local Safeguarding Children Boards", "safeguarding_board"),
        ("3.2.1 Other children and families services", "other_children_families"),
        ("16 Other childrens and family services", "other_children_families"),
        ("Other early years funding", "other_early_years"),
        ("3.0.4 Other spend on children under 5", "other_early_years"),
        ("33 CHILDREN AND YOUNG PEOPLE'S SERVICES BUDGET (excluding CERA)", "cyp_total_excl_cera"),
        (
            "5.0.2 TOTAL CHILDREN AND YOUNG PEOPLE'S SERVICES EXPENDITURE(excluding CERA)",
            "cyp_total_excl_cera",
        ),
        ("3.1.10 Asylum seeker services children", "asylum_seekers"),
        (
            "8a.1 Substance misuse services (Drugs, Alcohol and Volatile substances)",
            "substance_misuse",
        ),
    ],
)
def test_descriptions_of_every_year_map_to_one_line(text, line_id):
    assert load_line_table().identify(text).line_id == line_id


def test_the_mapping_table_is_consistent():
    table = load_line_table()
    ids = [line.line_id for line in table.lines]
    assert len(ids) == len(set(ids))
    codes = [line.code for line in table.lines if line.code]
    assert len(codes) == len(set(codes))
    assert table.by_id("fostering").sum_of == ("fostering_excl_fees", "fostering_fees")
    with pytest.raises(LineError, match="unknown s251 line"):
        table.identify("3.9.9 Something new")


def test_overlapping_patterns_are_reported_as_ambiguous():
    table = load_line_table()
    doubled = LineTable((*table.lines, table.by_id("residential_care")))
    with pytest.raises(LineError, match="matches several lines"):
        doubled.identify("Residential care")


def test_ees_files_may_say_n_a_as_their_guidance_documents(tmp_path):
    header = (
        "time_period,time_identifier,geographic_level,country_code,country_name,"
        "description_of_expenditure,own_provision,private_provision,"
        "other_public_sector_provision,voluntary_provision,total_expenditure,income,"
        "net_current_expenditure\n"
    )
    path = tmp_path / "s251_national.csv"
    path.write_text(
        header + "202021,Financial year,National,E92000001,England,3.1.1 Residential care,"
        "1.5,N/A,0,0,1.5,0,1.5\n"
    )
    result = load_s251([path], AreaResolver())
    v = values_of(result)
    n_a = cell(v, "residential_care", "private_provision", "E92000001", 202021)
    assert np.isnan(n_a.value) and n_a.value_status == "x"
    assert result.reports[0].coercions["'N/A' read as 'x' (the layout's own guidance)"] == 1
