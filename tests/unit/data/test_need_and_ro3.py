"""Measures of need (IoD, DWP low income, ONS single-year populations), MHCLG RO3 and the
long neighbour file, on tiny hand-made files (tests/raw_workbooks.py, tests/fixtures/raw)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from data.areas import AreaResolver
from data.discovery import discover
from data.errors import DataFormatError
from data.ingest import build_tables
from data.loaders.deprivation import load_deprivation
from data.loaders.kinds import classify
from data.loaders.low_income import load_low_income
from data.loaders.population_age import load_population_age
from data.loaders.ro3 import load_ro3
from data.loaders.statistical_neighbours import load_neighbours
from data.need_rates import derive_need_rates
from tests.raw_workbooks import ro3_rows
from tests.workbook_support import write_workbook


def frame(result):
    return pd.concat(result.value_frames, ignore_index=True).astype(
        {"indicator_id": str, "area_code": str}
    )


def one(values, indicator, area, period=None):
    rows = values[(values["indicator_id"] == indicator) & (values["area_code"] == area)]
    if period is not None:
        rows = rows[rows["time_period"] == period]
    assert len(rows) == 1, (indicator, area, period)
    return rows.iloc[0]


def test_files_are_recognised_by_content(raw_dir):
    kinds = {str(p.relative_to(raw_dir)): classify(p) for p in raw_dir.rglob("*") if p.is_file()}
    assert kinds["need/iod_upper_tier_2019.xlsx"] == "deprivation"
    assert kinds["need/children-relative-low-income-0-4-sample.csv"] == "low_income"
    assert kinds["need/mye23_single_year_sample.csv"] == "population_age"
    assert kinds["mhclg_ro3/ro3_2024-25.ods"] == "ro3"
    assert kinds["s251/table_a1/S251ye2019.ods"] == "s251"
    assert kinds["statistical_neighbours/sn_long_sample.csv"] == "neighbours_long"
    assert kinds["ees_cin/b1_children_in_need.csv"] is None  # left to the EES rules
    found = discover(raw_dir, require=False)  # the fixtures hold only some sources
    assert not found.skipped  # every fixture file is read by some loader


def test_iod_upper_tier_and_estimates_for_later_authorities(raw_dir):
    paths = sorted((raw_dir / "need").glob("iod_*.xlsx"))
    result = load_deprivation(paths, AreaResolver())
    v = frame(result)
    blackpool = one(v, "iod_idaci_average_score", "E06000009")
    assert blackpool.value == 0.3 and blackpool.time_period == 2019
    assert blackpool.period_label == "IoD2019" and pd.isna(blackpool.value_status)
    assert one(v, "iod_idaci_lsoas_most_deprived_10pct", "E06000009").value == 50.0  # a %
    # North Northamptonshire = Corby (pop 100, 0.2), East Northants, Kettering,
    # Wellingborough (pop 200 each, 0.1, 0.15, 0.15): (20 + 20 + 30 + 30) / 700
    north = one(v, "iod_idaci_average_score", "E06000061")
    assert north.value == pytest.approx(100 / 700) and north.value_status == "est"
    # IMD scores are on their own scale (x100 in the fixture)
    # West: Daventry 10, Northampton 20, South Northants 5 (equal populations)
    assert one(v, "iod_imd_average_score", "E06000062").value == pytest.approx(35 / 3)
    (check,) = result.checks
    assert check["compared"] == 4 and check["name"].startswith("IoD: estimate method")
    upper = next(r for r in result.reports if "upper" in Path(r.file).name)
    assert upper.coercions["value outside LA lifetime (kept)"] == 8  # the 2021 authorities


def test_low_income_counts_bands_and_the_under_16_sum(raw_dir):
    paths = sorted((raw_dir / "need").glob("children-relative-low-income-*.csv"))
    result = load_low_income(paths, AreaResolver())
    v = frame(result)
    b = one(v, "dwp_children_low_income_age_0_4", "E06000009", 202122)
    assert b.value == 2229 and b.period_label == "2021/22 (p)"
    assert b.time_identifier == "Financial year" and b.year_end == 2022
    # North Yorkshire's former code is stored under the current one
    assert one(v, "dwp_children_low_income_age_0_4", "E06000065", 202021).value == 4219
    total = one(v, "dwp_children_low_income_age_0_15", "E06000009", 202021)
    assert total.value == 2175 + 3262 + 2718 and total.value_status == "derived"
    assert one(v, "dwp_children_low_income_age_0_19", "E06000009", 202021).value == 8700
    report = next(r for r in result.reports if "0-4" in Path(r.file).name)
    assert report.rejected_reasons == {
        "area outside England's upper-tier authorities": 2,
        "UK total row": 1,
    }


def test_population_by_age_and_low_income_rates(raw_dir):
    resolver = AreaResolver()
    pop = load_population_age([raw_dir / "need/mye23_single_year_sample.csv"], resolver)
    p = frame(pop)
    assert one(p, "ons_population_age_0_4", "E06000009").value == 7500
    assert one(p, "ons_population_age_16_17", "E06000009").value == 4000  # 1,500 + 2,500
    assert one(p, "ons_population_age_0_15", "E12000002").value == 16 * 300
    assert pop.reports[0].rows_rejected == 3  # England and Wales, a district, a met county
    low = load_low_income(sorted((raw_dir / "need").glob("children-*.csv")), resolver)
    values = pd.concat([frame(low), p], ignore_index=True)
    meta = pd.concat(low.indicator_frames + pop.indicator_frames, ignore_index=True)
    rates, rate_meta = derive_need_rates(values, meta)
    rate = one(rates, "dwp_children_low_income_age_0_4_pct", "E06000009", 202122)
    assert rate.value == pytest.approx(100 * 2229 / 7500)
    assert (rate.numerator, rate.denominator) == (2229, 7500)
    missing = one(rates, "dwp_children_low_income_age_0_4_pct", "E06000061", 202122)
    assert np.isnan(missing.value) and missing.value_status == "nd"  # no population row
    assert "dwp_children_low_income_age_0_19_pct" not in set(rates["indicator_id"])
    assert (
        "mid-2023"
        in rate_meta.set_index("indicator_id").loc["dwp_children_low_income_age_0_4_pct", "title"]
    )


def test_ro3_workbook_services_measures_and_rows(raw_dir):
    result = load_ro3([raw_dir / "mhclg_ro3/ro3_2024-25.ods"], AreaResolver())
    v = frame(result)
    c3 = one(v, "ro3_cla__total_expenditure_c3", "E06000009", 202425)
    assert c3.value == 300_000  # £ thousand -> £
    assert one(v, "ro3_sure_start__employees_c1", "E92000001", 202425).value == 1000
    note = one(v, "ro3_cla_residential__employees_c1", "E08000037", 202425)
    assert np.isnan(note.value) and note.value_status == "[x]"
    slough = one(v, "ro3_cla__total_expenditure_c3", "E06000039", 202425)
    assert slough.value_status == "[x]"
    assert not v["indicator_id"].str.contains("adult").any()
    (report,) = result.reports
    assert report.rejected_reasons == {
        "not a children's services authority (class SD)": 1,
        "class total row": 1,
    }
    assert report.coercions["'[note N]' in a value cell read as [x]"] == 3


def test_ro3_older_header_style_with_the_service_above_the_measure(tmp_path):
    rows = ro3_rows()
    header = rows[3]
    above = [None] * len(header)
    for j, text in enumerate(header):
        if " - " in text and "(C" in text:
            service, measure = text.rsplit(" - ", 1)
            header[j] = measure.replace(" (", "\n (")
            if measure.startswith("Employees"):
                above[j] = service
    rows.insert(3, above)
    path = write_workbook(tmp_path / "RO3_2023-24_data_by_LA.ods", {"RO3_LA_Data_2023-24": rows})
    rows[0] = ["Revenue Outturn (RO) 2023-24"]
    v = frame(load_ro3([path], AreaResolver()))
    assert one(v, "ro3_cla_residential__total_expenditure_c3", "E06000009").value == 110_000


def test_ro3_unknown_childrens_column_names_row_and_column(tmp_path):
    rows = ro3_rows()
    rows[3][9] = "Children's social care - Virtual schools - Employees (C1)"
    path = write_workbook(tmp_path / "ro3.ods", {"RO3": rows})
    with pytest.raises(DataFormatError) as err:
        load_ro3([path], AreaResolver())
    assert err.value.row == 4 and err.value.column == "J"
    assert "data/ro3_services.csv" in err.value.message


def test_ro3_tidy_parquet_is_compared_not_stored(raw_dir, tmp_path):
    tidy = pa.table(
        {
            "financial_year": ["2024-25", "2024-25"],
            "ons_code": ["E06000009", "E06000009"],
            "service": ["Children Looked After", "Children Looked After"],
            "measure": ["total_expenditure_c3", "employees_c1"],
            "value": ["300", "99"],
            "value_gbp_thousands": [300.0, 99.0],
        }
    )
    pq.write_table(tidy, tmp_path / "ro3_tidy.parquet")
    result = load_ro3(
        [raw_dir / "mhclg_ro3/ro3_2024-25.ods", tmp_path / "ro3_tidy.parquet"], AreaResolver()
    )
    assert len(result.value_frames) == 1  # the Parquet adds no values
    (check,) = result.checks
    assert (check["compared"], check["agreeing"]) == (2, 1)
    (diff,) = check["differences"]
    assert diff["measure"] == "ro3_cla__employees_c1" and diff["difference"] == -1000.0


def test_long_neighbour_file_is_a_check_of_the_workbooks(raw_dir):
    paths = sorted((raw_dir / "statistical_neighbours").glob("*.csv"))
    result = load_neighbours(paths, AreaResolver())
    (check,) = result.checks
    assert check["compared"] == 130 and check["agreeing"] == 130
    long_report = next(r for r in result.reports if "sn_long" in Path(r.file).name)
    assert long_report.rows_read == long_report.rows_loaded == 130
    changed = raw_dir / "statistical_neighbours/sn_long_sample.csv"
    text = changed.read_text().replace(",1,889,", ",1,888,", 1)
    changed.write_text(text)
    (check,) = load_neighbours(paths, AreaResolver()).checks
    assert check["agreeing"] == 129 and check["differences"][0]["measure"] == "neighbour 1"


def test_ingest_of_the_fixtures_records_every_check(raw_dir):
    _, manifest, _ = build_tables(raw_dir, progress=False, require=False)
    names = {c["name"] for c in manifest["cross_source_checks"]}
    assert {
        "IoD: estimate method v published county values",
        "Statistical neighbours: long file v workbooks",
        "s251 England v sum of LAs",
        "ONS ages 0-17: single-year file v 0-17 file",
    } <= names
    for check in manifest["cross_source_checks"]:
        assert check["agreeing"] <= check["compared"]
        assert len(check["differences"]) == check["compared"] - check["agreeing"] or (
            check["name"].startswith("Statistical")
        )
    checks = manifest["cross_source_checks"]
    population = next(c for c in checks if c["name"].startswith("ONS ages"))
    by_area = {d["area_code"]: d["values"] for d in population["differences"]}
    assert "E06000009" not in by_area  # 28,000 in both
    assert by_area["E06000065"] == {"ONS single year of age": 108000.0, "ONS 0-17 file": 120000.0}
