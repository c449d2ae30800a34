"""Each loader on the hand-made fixtures in tests/fixtures/raw (one quirk per row)."""

import numpy as np
import pandas as pd
import pytest

from data.areas import AreaResolver
from data.csvio import read_csv_strict
from data.errors import DataFormatError
from data.loaders.ees import load_ees
from data.loaders.ees_family import detect_family
from data.loaders.ees_specs import ees_families, family
from data.loaders.geography import load_boundaries
from data.loaders.lait import load_lait
from data.loaders.s251 import load_s251
from data.loaders.statistical_neighbours import load_neighbours, normalise_closeness

FAMILIES = ees_families()
HEALTH_CONVICTIONS = family("cla_conviction_health")
NEW_PLACEMENTS = family("cla_new_placements")


@pytest.fixture(scope="module")
def resolver():
    return AreaResolver()


def one(frame, **where):
    mask = np.ones(len(frame), dtype=bool)
    for k, v in where.items():
        mask &= (frame[k].astype(str) == str(v)).to_numpy()
    assert mask.sum() == 1, where
    return frame[mask].iloc[0]


def test_lait_dictionary_and_values(raw_dir, resolver):
    result = load_lait(raw_dir, resolver)
    meta = result.indicator_frames[0].set_index("indicator_id")
    values = result.value_frames[0]
    assert len(meta) == 7  # the measure listed under two topics is kept once
    assert meta.loc["lait_lacstable_2016on", "polarity"] == "low"
    assert meta.loc["lait_lac", "polarity"] == "none"
    assert meta.loc["lait_lac", "no_quartile"]
    assert meta.loc["lait_c_ypexpenditure", "polarity"] == "none"  # "NA"
    assert meta.loc["lait_lacstable_2016on", "last_updated"] == "2025-06-01"
    assert "Children in Need" in meta.loc["lait_avg_attain8_score", "description"]
    assert meta.loc["lait_lacstable_2016on", "unit"] == "%"
    assert meta.loc["lait_lac", "value_type"] == "rate"
    assert "\n" in meta.loc["lait_lacstable_2016on", "methodology"]
    # one row per label form, the label kept
    row = one(values, indicator_id="lait_c_ypexpenditure", area_code="E06000009")
    assert (row.time_period, row.year_end, row.period_label) == (202425, 2025, "2024-25 (OT)")
    row = one(values, indicator_id="lait_rta", area_code="E06000009")
    assert (row.time_period, row.time_identifier, row.value) == (
        201416,
        "Calendar years (span)",
        39.45,
    )
    row = one(values, indicator_id="lait_ks2rwm_expected_std", area_code="E06000055")
    assert row.value == pytest.approx(0.07) and row.time_period == 201516
    row = one(values, indicator_id="lait_lacstable_2016on", area_code="E09000001")
    assert np.isnan(row.value) and row.value_status == "-"
    assert (
        one(values, indicator_id="lait_lacstable_2016on", area_code="E13000001").geographic_level
        == "Regional"
    )
    assert one(values, indicator_id="lait_lacstable_2016on", area_code="E92000001").value == 10
    assert (
        one(values, indicator_id="lait_c_ypexpenditure", area_code="E06000010").value == 90000000
    )
    report = result.reports[1]
    assert report.rows_read == 17 and report.rows_rejected == 1
    assert report.rejected_reasons == {"undated (Years = 0)": 1}
    report.check()


def test_lait_unknown_token_names_the_record(raw_dir, resolver):
    import pyarrow.parquet as pq

    path = raw_dir / "lait/lait_bds_long.parquet"
    table = pq.read_table(path).to_pandas()
    table.loc[3, "Values"] = "N/A"
    pq.write_table(__import__("pyarrow").Table.from_pandas(table, preserve_index=False), path)
    with pytest.raises(DataFormatError) as err:
        load_lait(raw_dir, resolver)
    assert (err.value.row, err.value.column, err.value.token) == (4, "Values", "N/A")


def test_ees_placement_stability(raw_dir, resolver):
    result = load_ees(sorted((raw_dir / "ees_cla").glob("*.csv")), FAMILIES, resolver)
    values = result.value_frames[0]
    meta = result.indicator_frames[0].set_index("indicator_id")
    pct = "cla_stability_at_31_march_3plus_placements_year_pct"
    assert meta.loc[pct, "polarity"] == "low"
    assert meta.loc[pct, "unit"] == "%"
    assert "cla_stability_at_31_march_total_pct" not in meta.index  # a total's share of itself
    row = one(values, indicator_id=pct, area_code="E06000009", time_period=2024)
    assert (row.value, row.numerator, row.denominator) == (8.0, 48.0, 600.0)
    row = one(
        values, indicator_id=pct, area_code="E06000023", time_period=2024
    )  # "Bristol, City of"
    assert row.value == 9.0
    row = one(values, indicator_id=pct, area_code="E09000001", time_period=2024)
    assert np.isnan(row.value) and row.value_status == "c"
    row = one(values, indicator_id=pct, area_code="E10000006", time_period=2023)
    assert row.value_status == "k" and np.isnan(row.value)  # "rounds to zero", never 0
    row = one(values, indicator_id=pct, area_code="E10000006", time_period=2024)
    assert row.value_status == "z"
    row = one(values, indicator_id=pct, area_code="E12000002", time_period=2024)
    assert row.geographic_level == "Regional" and row.value == 11.0


def test_ees_cin_codes_change_but_the_series_keeps_one_code(raw_dir, resolver):
    result = load_ees([raw_dir / "ees_cin/b1_children_in_need.csv"], FAMILIES, resolver)
    values = result.value_frames[0]
    nyorks = values[
        (values["indicator_id"] == "cin_at_31_march") & (values["area_code"] == "E06000065")
    ]
    assert sorted(nyorks["time_period"]) == [2023, 2024]
    row = one(
        values, indicator_id="cin_awaiting_assessment", area_code="E06000009", time_period=2024
    )
    assert row.value_status == "u"
    row = one(values, indicator_id="cin_at_31_march", area_code="E09000012", time_period=2024)
    assert row.value_status == "x"


def test_ees_workforce_joint_rows_and_new_codes(raw_dir, resolver):
    result = load_ees([raw_dir / "ees_workforce/csww_indicators.csv"], FAMILIES, resolver)
    values = result.value_frames[0]
    joint = one(values, indicator_id="workforce_turnover_pct", area_code="E06000061 / E06000062")
    assert joint.value == 10.4 and joint.geographic_level == "Local authority"
    barnsley = values[
        (values["indicator_id"] == "workforce_turnover_pct") & (values["area_code"] == "E08000038")
    ]
    assert sorted(barnsley["time_period"]) == [2024, 2025]  # E08000016 in 2024, E08000038 in 2025
    low = one(values, indicator_id="workforce_absence_pct", area_code="E09000021 / E09000027")
    assert low.value_status == "low" and np.isnan(low.value)


def test_ees_family_needs_its_columns(raw_dir, resolver):
    path = raw_dir / "ees_cla/placement_stability_sample.csv"
    text = path.read_text(encoding="utf-8-sig").replace("children_percent", "children_pct", 1)
    path.write_text(text)
    assert detect_family(read_csv_strict(path).header, FAMILIES) == []  # no longer recognised


def test_same_header_families_told_apart_by_values(tmp_path, resolver):
    header = (
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
        "region_name,old_la_code,la_name,new_la_code,characteristic,breakdown,children_count,"
        "children_percent\n"
    )
    path = tmp_path / "health.csv"
    path.write_text(
        header + "2024,Reporting year,National,E92000001,England,,,,,,Health "
        "assessments: Children looked after all ages,Total all ages,100,100\n"
    )
    raw = read_csv_strict(path)
    assert detect_family(raw.header, FAMILIES, raw) == [HEALTH_CONVICTIONS]
    path.write_text(
        header + "2024,Reporting year,National,E92000001,England,,,,,,Location of "
        "new placements during the year,Total new placements,100,100\n"
    )
    raw = read_csv_strict(path)
    assert detect_family(raw.header, FAMILIES, raw) == [NEW_PLACEMENTS]


def test_s251_files_recognised_by_header_any_later_year(raw_dir, resolver):
    result = load_s251(sorted((raw_dir / "s251").glob("*.csv")), resolver)
    values = pd.concat(result.value_frames)
    res = values[values["indicator_id"] == "s251_line_residential_care__private_provision"]
    res = res[res["area_code"] == "E06000009"].sort_values("time_period")
    assert res["time_period"].tolist() == [201112, 201213, 201314]
    assert res["value"].tolist() == [3000000.0, 3100000.0, 3300000.0]
    budget = values[(values["indicator_id"] == "s251_line_cyp_total_excl_cera__own_provision")]
    assert set(budget["value_status"]) == {"z"}  # NULL (2011-12) and blank (2012-13)
    assert one(values, indicator_id="s251_c_ypexpenditure", area_code="E92000001").value == 16e9
    assert (
        one(values, indicator_id="s251_c_ypexpenditure", area_code="E09000001").value_status == "-"
    )
    assert (
        one(values, indicator_id="s251_lacfinance", area_code="E13000001").geographic_level
        == "Regional"
    )
    meta = pd.concat(result.indicator_frames).set_index("indicator_id")
    assert meta.loc["s251_lacfinance", "unit"] == "£ per child per week"
    assert meta.loc["s251_c_ypexpenditure", "polarity"] == "none"


def test_statistical_neighbours(raw_dir, resolver):
    result = load_neighbours(sorted((raw_dir / "statistical_neighbours").glob("*")), resolver)
    rows = result.neighbour_frames[0]
    assert set(rows["sn_release"]) == {"2025"}
    blackpool = rows[rows["area_code"] == "E06000009"].sort_values("neighbour_rank")
    assert blackpool["neighbour_rank"].tolist() == list(range(1, 11))
    assert blackpool["neighbour_code"].iloc[0] == "E06000008"  # 889 Blackburn with Darwen
    assert set(rows["closeness"]) <= {
        "Extremely close",
        "Very close",
        "Close",
        "Somewhat close",
        "Not close",
    }
    assert "E10000006" in set(rows["area_code"])  # Cumbria from the "Old SNs:" block
    report = result.reports[0]
    assert report.rejected_reasons == {"section label 'Old SNs:'": 1}
    report.check()


def test_neighbour_files_of_one_release_must_agree(raw_dir, resolver):
    src = raw_dir / "statistical_neighbours/sn_groups_sample_2025.csv"
    copy = raw_dir / "statistical_neighbours/sn_copy_2025.csv"
    lines = src.read_text().splitlines()
    cells = lines[1].split(",")
    cells[5], cells[7] = cells[7], cells[5]  # swap Blackpool's neighbours 1 and 2
    lines[1] = ",".join(cells)
    copy.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataFormatError, match="disagrees"):
        load_neighbours([src, copy], resolver)


def test_closeness_labels_normalised():
    assert normalise_closeness("Close ") == "Close"
    assert normalise_closeness("Very Close") == "Very close"
    assert normalise_closeness("Quite close") is None


def test_boundaries_use_store_codes_and_skip_outside_england(raw_dir, resolver):
    import json

    result = load_boundaries(raw_dir / "geography/boundaries_sample.geojson", resolver)
    doc = json.loads(result.extra_files["boundaries.geojson"])
    assert [f["properties"]["area_code"] for f in doc["features"]] == ["E06000009", "E08000038"]
    assert result.reports[0].rejected_reasons == {"outside England": 1}


def test_the_ees_families_are_data_and_a_bad_field_is_named(tmp_path):
    assert len(FAMILIES) >= 18 and all(f.measures for f in FAMILIES)
    specs = tmp_path / "families.toml"
    specs.write_text('[[family]]\nname = "x"\nsource_id = "s"\nunkown_field = 1\n')
    with pytest.raises(DataFormatError) as caught:
        ees_families(specs)
    assert caught.value.column == "unkown_field" and "families.toml" in str(caught.value)
    specs.write_text(
        '[[family]]\nname = "x"\n[[family.measures]]\ncolumn = "c"\nkey = "k"\n'
        'label = "l"\nvalue_type = "velocity"\n'
    )
    with pytest.raises(DataFormatError, match="velocity"):
        ees_families(specs)


def test_a_rejection_records_each_row_never_a_bare_count():
    from data.loaders.common import SourceReport

    report = SourceReport(file="f.csv", source_id="x", sha256="", rows_read=5, rows_loaded=3)
    with pytest.raises(TypeError, match="not a count"):
        report.reject("undated", 2, rule="BI-31")
    report.reject("undated", [4, 6], rule="BI-31", column="Years", tokens=["0", "0"])
    entry = report.as_manifest()["rejections"]
    assert entry == [
        {
            "rule": "BI-31",
            "action": "row rejected",
            "reason": "undated",
            "column": "Years",
            "count": 2,
            "first_row": 4,
            "first_token": "0",
        }
    ]
