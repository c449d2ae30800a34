"""The newer sources in the real store, cell for cell against the raw files (issue 13).

Ingests all of ../shared/data once, then reads sampled cells of each new file straight from the
raw file with plain readers that share nothing with the loaders (pandas/openpyxl for .xlsx,
csv/pandas for CSV, the standard library's XML parser for .ods) and compares them with the
store. The s251 lines are identified here by DfE's own line numbers (two numbering schemes,
written out below), not by the loader's description table. Skipped when ../shared/data is
absent.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.real_data

# DfE's line numbers -> the store's line ids: 2014-15 and 2015-16 (1-36), then 2016-17 on.
OLD_NUMBERS = dict(
    enumerate(
        [
            "sure_start_centres",
            "sure_start_area_wide",
            "sure_start_management",
            "other_early_years",
            "sure_start_total",
            "residential_care",
            "fostering",
            "adoption",
            "special_guardianship",
            "other_cla_services",
            "short_breaks_cla",
            "family_and_friends",
            "education_cla",
            "leaving_care",
            "asylum_seekers",
            "cla_total",
            "other_children_families",
            "social_work",
            "commissioning_strategy",
            "safeguarding_board",
            "safeguarding_total",
            "direct_payments",
            "short_breaks_disabled",
            "other_disabled_support",
            "targeted_family_support",
            "universal_family_support",
            "family_support_total",
            "young_people_universal",
            "young_people_targeted",
            "young_people_total",
            "youth_justice",
            "cera",
            "cyp_total_excl_cera",
            "cyp_total_incl_cera",
            "substance_misuse",
            "teenage_pregnancy",
        ],
        start=1,
    )
)
NEW_CODES = {
    "3.0.1": "sure_start_centres", "3.0.2": "sure_start_area_wide",
    "3.0.3": "sure_start_management", "3.0.4": "other_early_years", "3.0.5": "sure_start_total",
    "3.1.1": "residential_care", "3.1.2": "fostering", "3.1.2a": "fostering_excl_fees",
    "3.1.2b": "fostering_fees", "3.1.3": "adoption", "3.1.4": "special_guardianship",
    "3.1.5": "other_cla_services", "3.1.6": "short_breaks_cla", "3.1.7": "family_and_friends",
    "3.1.8": "education_cla", "3.1.9": "leaving_care", "3.1.10": "asylum_seekers",
    "3.1.11": "cla_total", "3.2.1": "other_children_families", "3.3.1": "social_work",
    "3.3.2": "commissioning_strategy", "3.3.3": "safeguarding_board",
    "3.3.4": "safeguarding_total", "3.4.1": "direct_payments", "3.4.2": "short_breaks_disabled",
    "3.4.3": "other_disabled_support", "3.4.4": "targeted_family_support",
    "3.4.5": "universal_family_support", "3.4.6": "family_support_total",
    "3.5.1": "young_people_universal", "3.5.2": "young_people_targeted",
    "3.5.3": "young_people_total", "3.6.1": "youth_justice", "4.0.1": "cera",
    "5.0.2": "cyp_total_excl_cera", "5.0.3": "cyp_total_incl_cera", "8a.1": "substance_misuse",
    "8a.2": "teenage_pregnancy",
}  # fmt: skip
MONEY = {
    "OwnProvision": "own_provision",
    "PrivateProvision": "private_provision",
    "OtherPublic": "other_public",
    "Voluntary": "voluntary",
    "TotalExpenditure": "total_expenditure",
    "Income": "income",
    "NetCurrentExpenditure": "net_current_expenditure",
}


@pytest.fixture(scope="module")
def real(shared_data, tmp_path_factory):
    from data.ingest import ingest
    from data.store import Store
    from indicators import derive_indicators

    store_dir = tmp_path_factory.mktemp("real_new") / "store"
    ingest(shared_data, store_dir, derive=derive_indicators, progress=False)
    return Store.open(store_dir)


@pytest.fixture(scope="module")
def code_of(real):
    """DfE number or any GSS code (current or former) -> the store's area code."""
    out = {}
    for rec in real.areas.to_dict(orient="records"):
        out[rec["area_code"]] = rec["area_code"]
        for former in rec["former_codes"]:
            out[former] = rec["area_code"]
        if rec["old_la_code"]:
            out[str(rec["old_la_code"])] = rec["area_code"]
    return out


def store_cell(real, indicator, area, period):
    rows = real.indicator_values(indicator)
    rows = rows[(rows["area_code"] == area) & (rows["time_period"] == period)]
    assert len(rows) == 1, (indicator, area, period)
    return rows.iloc[0]


def line_of(description: str) -> str:
    code = re.match(r"^(\d+[a-z]?(?:\.\d+[a-z]?)*)", description.strip()).group(1)
    return NEW_CODES[code] if "." in code else OLD_NUMBERS[int(code)]


def test_every_new_file_is_loaded_not_skipped(real):
    skipped = {s["file"] for s in real.manifest["skipped_files"]}
    for name in skipped:
        assert not name.startswith(("s251/table_a1/", "need/", "mhclg_ro3/")), name
        assert not name.endswith((".csv", ".parquet")) or name.startswith(
            ("geography/", "lait/")
        ), name
    loaded = {Path(s["file"]).name for s in real.manifest["sources"]}
    for name in (
        "s251ye2015.xlsx", "s251ye2016.xlsx", "s251ye2017.xlsx", "S251ye2018.xlsx",
        "S251ye2019.xlsx", "s251_childrens_young_peoples_services_national3.csv",
        "File_11_-_IoD2019_Local_Authority_District_Summaries__upper-tier__.xlsx",
        "File_10_-_IoD2019_Local_Authority_District_Summaries__lower-tier__.xlsx",
        "children-relative-low-income-0-4-2015-22-code.csv", "mye24tablesew.csv",
        "RO3_2022-23_data_by_LA.ods", "RO3_LA_Data_2024-25_data_by_LA.ods",
        "ro3_childrens_social_care_2022-23_to_2024-25_tidy.parquet",
        "statistical_neighbours_long.csv",
    ):  # fmt: skip
        assert name in loaded, name


@pytest.mark.parametrize(
    ("name", "period"),
    [
        ("s251ye2015.xlsx", 201415),
        ("s251ye2016.xlsx", 201516),
        ("s251ye2017.xlsx", 201617),
        ("S251ye2018.xlsx", 201718),
        ("S251ye2019.xlsx", 201819),
    ],
)
def test_table_a1_cell_for_cell(real, shared_data, code_of, name, period):
    raw = pd.read_excel(shared_data / "s251/table_a1" / name, dtype=object)
    raw["line"] = raw["Description"].map(line_of)
    blank_all = {
        (line, column): raw.loc[raw["line"] == line, column].isna().all()
        for line in raw["line"].unique()
        for column in MONEY
    }
    for rec in raw.sample(250, random_state=period).to_dict(orient="records"):
        area = code_of[str(rec["LA"])]
        for column, measure in MONEY.items():
            row = store_cell(real, f"s251_line_{rec['line']}__{measure}", area, period)
            if pd.isna(rec[column]):
                expected = "z" if blank_all[(rec["line"], column)] else "x"
                assert np.isnan(row["value"]) and row["value_status"] == expected
            else:
                assert row["value"] == pytest.approx(float(rec[column]), abs=1e-6)
    if period == 201819:  # fostering = 3.1.2a + 3.1.2b, marked derived
        parts = raw[raw["line"].isin(["fostering_excl_fees", "fostering_fees"])]
        sums = parts.groupby("LA")["PrivateProvision"].sum()
        for number in sums.sample(30, random_state=1).index:
            row = store_cell(
                real, "s251_line_fostering__private_provision", code_of[str(number)], period
            )
            assert row["value"] == pytest.approx(float(sums[number]))
            assert row["value_status"] == "derived"


def test_ees_national_cell_for_cell_in_pounds(real, shared_data):
    raw = pd.read_csv(
        shared_data / "s251/ees_national/s251_childrens_young_peoples_services_national3.csv",
        dtype=str,
        keep_default_na=False,
        encoding="utf-8-sig",
    )
    columns = {
        "own_provision": "own_provision",
        "private_provision": "private_provision",
        "other_public_sector_provision": "other_public",
        "voluntary_provision": "voluntary",
        "total_expenditure": "total_expenditure",
        "income": "income",
        "net_current_expenditure": "net_current_expenditure",
    }
    for rec in raw.to_dict(orient="records"):
        line = line_of(rec["description_of_expenditure"])
        for column, measure in columns.items():
            row = store_cell(
                real, f"s251_line_{line}__{measure}", "E92000001", int(rec["time_period"])
            )
            if rec[column] in ("x", "low"):
                assert np.isnan(row["value"]) and row["value_status"] == rec[column]
            else:
                assert row["value"] == pytest.approx(float(rec[column]) * 1e6, abs=0.5)


def test_iod_upper_tier_and_estimates(real, shared_data, code_of):
    need = shared_data / "need"
    upper = need / "File_11_-_IoD2019_Local_Authority_District_Summaries__upper-tier__.xlsx"
    lower = need / "File_10_-_IoD2019_Local_Authority_District_Summaries__lower-tier__.xlsx"
    sheet = pd.read_excel(upper, sheet_name="IDACI")
    sheet.columns = [" ".join(c.split()) for c in sheet.columns]
    for rec in sheet.to_dict(orient="records"):
        area = code_of[rec["Upper Tier Local Authority District code (2019)"]]
        score = store_cell(real, "iod_idaci_average_score", area, 2019)
        assert score["value"] == rec["IDACI - Average score"] and pd.isna(score["value_status"])
        share = store_cell(real, "iod_idaci_lsoas_most_deprived_10pct", area, 2019)
        key = "IDACI - Proportion of LSOAs in most deprived 10% nationally"
        assert share["value"] == pytest.approx(100 * rec[key])
    idaci = pd.read_excel(lower, sheet_name="IDACI").set_index(
        "Local Authority District code (2019)"
    )
    income = pd.read_excel(lower, sheet_name="Income").set_index(
        "Local Authority District code (2019)"
    )
    income.columns = [c.strip() for c in income.columns]
    weight = income["Income scale"] / income["Income - Average score"]
    districts = {
        "E06000063": ["E07000026", "E07000028", "E07000029"],
        "E06000064": ["E07000027", "E07000030", "E07000031"],
        "E06000061": ["E07000150", "E07000152", "E07000153", "E07000156"],
        "E06000062": ["E07000151", "E07000154", "E07000155"],
    }
    score = next(c for c in idaci.columns if c.startswith("IDACI - Average score"))
    for area, codes in districts.items():
        w = weight[codes]
        expected = float((idaci.loc[codes, score] * w).sum() / w.sum())
        row = store_cell(real, "iod_idaci_average_score", area, 2019)
        assert row["value"] == pytest.approx(expected) and row["value_status"] == "est"


@pytest.mark.parametrize("band", ["0-4", "5-10", "11-15", "0-19"])
def test_low_income_cell_for_cell(real, shared_data, code_of, band):
    path = shared_data / f"need/children-relative-low-income-{band}-2015-22-code.csv"
    records = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    header = next(r for r in records if r and r[0] == "Year")
    indicator = "dwp_children_low_income_age_" + band.replace("-", "_")
    checked = 0
    for rec in records:
        if not rec or not re.match(r"^E(06|08|09|10)\d{6}$", rec[0]):
            continue
        for j, label in enumerate(header):
            if j == 0 or "Annotations" in label or not label:
                continue
            period = int(label[:4]) * 100 + int(label[5:7])
            row = store_cell(real, indicator, code_of[rec[0]], period)
            assert row["value"] == float(rec[j]) and row["period_label"] == label
            checked += 1
    assert checked == 152 * 8


def test_single_year_population_groups(real, shared_data, code_of):
    raw = pd.read_csv(shared_data / "need/mye24tablesew.csv", dtype=str, encoding="utf-8-sig")
    groups = {"0_4": range(0, 5), "5_10": range(5, 11), "11_15": range(11, 16),
              "16_17": range(16, 18), "0_15": range(0, 16)}  # fmt: skip
    upper = raw[raw["Code"].str.match(r"^E(06|08|09|10|12)\d{6}$|^E92000001$")]
    assert len(upper) == 153 + 9 + 1
    for rec in upper.to_dict(orient="records"):
        for name, ages in groups.items():
            row = store_cell(real, f"ons_population_age_{name}", code_of[rec["Code"]], 2024)
            assert row["value"] == sum(int(rec[str(a)]) for a in ages)


def _ods_rows(path: Path, sheet_prefix: str, max_columns: int) -> list[list[str]]:
    """Rows of one ODS sheet, read with the standard library's XML parser."""
    ns = {
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    }
    t = "{" + ns["table"] + "}"
    o = "{" + ns["office"] + "}"
    rows: list[list[str]] = []
    inside = False
    with zipfile.ZipFile(path) as book, book.open("content.xml") as handle:
        for event, el in ET.iterparse(handle, events=("start", "end")):
            if event == "start" and el.tag == t + "table":
                inside = el.get(t + "name", "").startswith(sheet_prefix)
            if event != "end":
                continue
            if el.tag == t + "table-row" and inside:
                cells: list[str] = []
                for cell in el:
                    repeat = int(cell.get(t + "number-columns-repeated", "1"))
                    value = cell.get(o + "value")
                    if value is None:
                        value = "\n".join("".join(p.itertext()) for p in cell)
                    cells += [value] * min(repeat, max_columns)
                    if len(cells) >= max_columns:
                        break
                rows.append(cells[:max_columns])
                el.clear()
            elif el.tag == t + "table":
                if inside:
                    break
                el.clear()
    return rows


@pytest.mark.parametrize(
    ("name", "sheet", "period"),
    [
        ("RO3_2022-23_data_by_LA.ods", "RO3_LA_Data_2022-23", 202223),
        ("RO3_LA_Data_2024-25_data_by_LA.ods", "RO3_LA_Data_2024", 202425),
    ],
)
def test_ro3_cell_for_cell(real, shared_data, code_of, name, sheet, period):
    rows = _ods_rows(shared_data / "mhclg_ro3" / name, sheet, 100)
    h = next(i for i, r in enumerate(rows) if r and r[0] == "E-code")
    header = rows[h]
    if period == 202425:  # one header row: "<service> - <measure>"
        column = {
            "ro3_cla__total_expenditure_c3": header.index(
                "Children's social care - Children Looked After - Total Expenditure (C3 = C1 + C2)"
            ),
            "ro3_cla_residential__employees_c1": header.index(
                "Children's social care - Children Looked After of which residential care - "
                "Employees (C1)"
            ),
        }
    else:  # the service in the row above its first measure
        above = rows[h - 1]
        cla = above.index("Children's social care - Children Looked After")
        res = above.index(
            "Children's social care - Children Looked After of which residential care"
        )
        column = {
            "ro3_cla__total_expenditure_c3": cla + 2,
            "ro3_cla_residential__employees_c1": res,
        }
    checked = 0
    for rec in rows[h + 1 :]:
        if (
            len(rec) < 8
            or rec[4] not in ("UA", "MD", "LB", "SC")
            or not re.match(r"^E(06|08|09|10)\d{6}$", rec[1])
        ):
            continue
        for indicator, j in column.items():
            row = store_cell(real, indicator, code_of[rec[1]], period)
            if rec[j].startswith("["):
                assert np.isnan(row["value"]) and row["value_status"] == "[x]"
            else:
                assert row["value"] == pytest.approx(float(rec[j]) * 1000, abs=0.01)
            checked += 1
    assert checked >= 2 * 152


def test_long_neighbour_file_matches_the_store(real, shared_data, code_of):
    long = pd.read_csv(shared_data / "statistical_neighbours/statistical_neighbours_long.csv")
    long["release"] = long["sn_version"].str.extract(r"^(\d{4})")[0]
    table = real.neighbours.set_index(["sn_release", "area_code", "neighbour_rank"])
    for rec in long.sample(500, random_state=2).to_dict(orient="records"):
        key = (rec["release"], code_of[str(rec["la_code"])], int(rec["rank"]))
        assert table.loc[key, "neighbour_code"] == code_of[str(rec["neighbour_code"])]
    (check,) = [c for c in real.checks if c["name"].startswith("Statistical neighbours")]
    assert check["compared"] == len(long) == check["agreeing"]


def test_checks_record_the_known_differences(real):
    checks = {c["name"]: c for c in real.checks}
    lait = checks["s251 line-level v LAIT finance"]
    assert lait["compared"] > 4000 and lait["agreeing"] == lait["compared"] - 1
    (slough,) = lait["differences"]
    assert (slough["area_name"], slough["time_period"], slough["measure"]) == (
        "Slough",
        201718,
        "C&YPExpenditure",
    )
    assert slough["values"] == {"s251 line-level": 37033088.0, "LAIT s251 finance": 36177772.0}
    national = checks["s251 England v sum of LAs"]
    gap = {
        d["measure"]: d["difference"]
        for d in national["differences"]
        if d["time_period"] == 201718
    }
    assert gap["s251_line_residential_care__private_provision"] == pytest.approx(60e6, rel=0.02)
    assert all(d["time_period"] != 201516 for d in national["differences"])
    ro3 = checks["RO3 tidy Parquet v RO3 workbooks"]
    assert ro3["agreeing"] == ro3["compared"] > 30000
    assert checks["ONS ages 0-17: single-year file v 0-17 file"]["agreeing"] >= 153
