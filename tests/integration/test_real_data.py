"""Ingest all of ../shared/data and check the store against the raw files, cell for cell.

Skipped when ../shared/data is absent. Expected values are read from the raw files here with
plain pandas/pyarrow, independently of the loaders.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from data.schema import STATUS_SYMBOLS

pytestmark = pytest.mark.real_data

NUMBER = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")
LAIT_REGIONS = {
    970: "E92000001",
    980: "E12000001",
    981: "E12000002",
    982: "E12000003",
    983: "E12000004",
    984: "E12000005",
    985: "E12000006",
    986: "E12000007",
    987: "E13000001",
    988: "E13000002",
    989: "E12000008",
    990: "E12000009",
}


@pytest.fixture(scope="module")
def real(shared_data, tmp_path_factory):
    from data.ingest import ingest
    from data.store import Store
    from indicators import derive_indicators

    store_dir = tmp_path_factory.mktemp("real") / "store"
    ingest(shared_data, store_dir, derive=derive_indicators, progress=False)
    return Store.open(store_dir)


@pytest.fixture(scope="module")
def area_of(real):
    """DfE number (text) -> store area code, from the store's areas table."""
    areas = real.areas.dropna(subset=["old_la_code"])
    return dict(zip(areas["old_la_code"], areas["area_code"], strict=True))


def lookup(real, indicator_id):
    rows = real.indicator_values(indicator_id)
    return rows.set_index(["area_code", "time_period"])


def expect_cell(text: str) -> tuple[float, str | None]:
    """What a raw cell must become: (value, status)."""
    text = text.strip()
    if NUMBER.match(text):
        return float(text), None
    assert text in STATUS_SYMBOLS, text
    return np.nan, text


def assert_cell(row, text):
    value, status = expect_cell(text)
    if status is None:
        assert row["value"] == pytest.approx(value, rel=1e-12, abs=1e-9)
    else:
        assert np.isnan(row["value"]) and row["value_status"] == status


# ---------------------------------------------------------------------------------------------
def test_coverage(real, shared_data):
    areas = real.areas
    current = areas[(areas["area_type"] == "Local authority") & areas["valid_to"].isna()]
    with_values = set(real.values["area_code"].astype(str))
    assert len(set(current["area_code"]) & with_values) >= 150
    lait = real.indicators[real.indicators["source_id"] == "lait"]
    assert len(lait) == 434
    assert set(lait["indicator_id"]) <= set(real.values["indicator_id"].astype(str))
    finance = pd.read_csv(shared_data / "s251/lait_s251_childrens_services_finance.csv", dtype=str)
    years = {int(y[:4]) * 100 + int(y[5:]) for y in finance["financial_year"].unique()}
    assert set(real.periods("s251_c_ypexpenditure")["time_period"]) == years
    line = real.periods("s251_line_residential_care__private_provision")
    assert set(line["time_period"]) >= {201112, 201213}
    for prefix in (
        "ks2_",
        "ks4_",
        "absence_",
        "care_leavers_activity_",
        "cla_outcomes_",
        "cla_stability_",
        "cin_",
        "cpp_",
        "workforce_",
    ):
        assert real.indicators["indicator_id"].str.startswith(prefix).any(), prefix
    releases = real.neighbours.groupby("sn_release")["area_code"].nunique()
    assert set(releases.index) == {"2021", "2025"}
    sn25 = real.neighbours[real.neighbours["sn_release"] == "2025"]
    current_sn = sn25[sn25["area_code"].isin(current["area_code"])]
    assert current_sn["area_code"].nunique() == 153
    assert (current_sn.groupby("area_code").size() == 10).all()
    assert real.boundaries is not None and len(real.boundaries["features"]) == 153


def test_manifest_accounts_for_every_file(real, shared_data):
    sources = real.manifest["sources"]
    assert len(sources) >= 25
    for src in sources:
        assert src["rows_read"] == src["rows_loaded"] + src["rows_rejected"], src["file"]
        digest = hashlib.sha256(Path(src["file"]).read_bytes()).hexdigest()
        assert digest == src["sha256"]
    assert real.manifest["synthetic"] is False


def test_lait_cell_for_cell(real, shared_data, area_of):
    raw = pq.read_table(shared_data / "lait/lait_bds_long.parquet").to_pandas()
    raw = raw[raw["Years"] != "0"].sample(2000, random_state=11)
    for rec in raw.to_dict(orient="records"):
        ind = "lait_" + re.sub(
            r"[^a-z0-9]+", "_", rec["Short Desc"].lower().replace("%", "_pct")
        ).strip("_")
        number = int(rec["LA Number"])
        code = LAIT_REGIONS.get(number) or area_of[str(number)]
        rows = real.indicator_values(ind)
        match = rows[(rows["area_code"] == code) & (rows["period_label"] == rec["Years"])]
        assert len(match) == 1, (ind, code, rec["Years"])
        assert_cell(match.iloc[0], rec["Values"])


def read_ees(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def ees_code(rec, area_of):
    if rec["geographic_level"] == "National":
        return "E92000001"
    if rec["geographic_level"] == "Regional":
        return rec["region_code"]
    return area_of[rec["old_la_code"]]


@pytest.mark.parametrize(
    ("relpath", "column", "indicator", "where"),
    [
        ("ees_cin/b1_children_in_need_2013_to_2025.csv", "At31_episodes", "cin_at_31_march", {}),
        (
            "ees_cin/d3_cpps_subsequent_plan_2013_to_2025.csv",
            "CPP_subsequent_percent",
            "cpp_subsequent_pct",
            {},
        ),
        (
            "ees_cla/cla_number_and_rate_per_10k_children.csv",
            "rate_per_10000",
            "cla_at_31_march_rate",
            {"population_type": "Children looked after on 31 March each year"},
        ),
        (
            "ees_cla/la_cla_placement_stability.csv",
            "children_percent",
            "cla_stability_at_31_march_3plus_placements_year_pct",
            {
                "cla_group": "CLA on 31 March",
                "placement_stability": "With 3 or more placements during the year",
            },
        ),
        (
            "cla_outcomes/ks4_la.csv",
            "avg_att8",
            "ks4_cla12m_attainment8",
            {"social_care_group": "CLA 12 months at 31 March"},
        ),
        (
            "cla_outcomes/la_care_leavers_activity.csv",
            "care_leaver_percent",
            "care_leavers_activity_age_19_21_eet_pct",
            {
                "care_leaver_age": "19 to 21 years",
                "breakdown": "Total in education, employment or training",
            },
        ),
        (
            "ees_workforce/csww_indicators_2017_to_2025.csv",
            "turnover_rate_fte",
            "workforce_turnover_pct",
            {},
        ),
        (
            "population/ons_mid-year_population_estimates_2012_to_2024.csv",
            "population_estimate",
            "ons_population_0_17",
            {},
        ),
    ],
)
def test_ees_cell_for_cell(real, shared_data, area_of, relpath, column, indicator, where):
    raw = read_ees(shared_data / relpath)
    for key, value in where.items():
        raw = raw[raw[key] == value]
    raw = raw.sample(min(len(raw), 400), random_state=5)
    store = lookup(real, indicator)
    for rec in raw.to_dict(orient="records"):
        row = store.loc[(ees_code(rec, area_of), int(rec["time_period"]))]
        assert_cell(row, rec[column])


def test_s251_cell_for_cell(real, shared_data, area_of):
    finance = pd.read_csv(
        shared_data / "s251/lait_s251_childrens_services_finance.csv",
        dtype=str,
        keep_default_na=False,
    ).sample(500, random_state=3)
    for rec in finance.to_dict(orient="records"):
        ind = "s251_" + re.sub(r"[^a-z0-9]+", "_", rec["measure_short"].lower()).strip("_")
        number = int(rec["la_number"])
        code = LAIT_REGIONS.get(number) or area_of[str(number)]
        tp = int(rec["financial_year"][:4]) * 100 + int(rec["financial_year"][5:])
        assert_cell(lookup(real, ind).loc[(code, tp)], rec["value"])
    line = pd.read_csv(
        shared_data / "s251/s251_outturn_cyp_services_2012-13_la.csv",
        dtype=str,
        keep_default_na=False,
    )
    fostering = line[line["CYPServiceDescription"].str.contains("Fostering services")]
    store = lookup(real, "s251_line_fostering__private_provision")
    for rec in fostering.to_dict(orient="records"):
        assert store.loc[(area_of[rec["LA"]], 201213), "value"] == float(rec["PrivateProvision"])


def test_known_facts(real):
    lacstable = lookup(real, "lait_lacstable_2016on")
    assert lacstable.loc[("E06000009", 202425), "value"] == 8  # Blackpool, year to March 2025
    cla = lookup(real, "cla_at_31_march_rate")
    assert cla.loc[("E92000001", 2025), "value"] == 67  # the published England rate
    # Our CIN rate (counts / population) reproduces LAIT's published rate for Blackpool.
    ours = lookup(real, "cin_at_31_march_rate").loc[("E06000009", 2025), "value"]
    lait = lookup(real, "lait_cin").loc[("E06000009", 2025), "value"]  # LAIT: "Annual"
    assert ours == pytest.approx(lait, abs=0.05)
    # North Yorkshire keeps one code across its 2023 code change.
    ny = real.indicator_values("cin_at_31_march")
    assert set(ny[ny["area_code"] == "E06000065"]["time_period"]) >= set(range(2013, 2026))
    # Hackney's cyber-attack years are 'x', not zero.
    hackney = lookup(real, "cin_at_31_march")
    assert hackney.loc[("E09000012", 2021), "value_status"] == "x"
    # Joint workforce rows stay joint.
    assert "E06000061 / E06000062" in set(
        real.indicator_values("workforce_turnover_pct")["area_code"]
    )


def test_only_documented_quirks_are_set_aside(real):
    """The real data breaks no range rule except the publisher quirks of range_exceptions.csv,
    and every exception there still matches real values (none is stale or a blanket waiver)."""
    entries = [
        (Path(src["file"]).name, e) for src in real.manifest["sources"] for e in src["rejections"]
    ]
    rules = {e["rule"] for _, e in entries}
    assert rules <= {"BI-31", "BI-33", "BI-38", "BI-42", "BI-43", "BI-44", "BI-46"}, rules
    # Rows of areas the store does not keep, and RO3's repeated header: only where documented.
    by_source = {
        (src["source_id"], e["rule"])
        for src in real.manifest["sources"]
        for e in src["rejections"]
        if e["rule"] in ("BI-43", "BI-46")
    }
    need = ("dwp_low_income", "iod", "mhclg_ro3", "ons_population_age")
    assert by_source <= {(s, "BI-43") for s in need} | {("mhclg_ro3", "BI-46")}, by_source
    for name, e in entries:
        if e["rule"] == "BI-38":  # only the documented rejection of LAIT's count rows
            assert name == "lait_bds_long.parquet"
            assert e["reason"].startswith("documented exception")
        if e["rule"] == "BI-42":
            assert e["action"] == "numerator and denominator dropped"
    used = real.manifest["range_exceptions"]
    assert used and all(e["values"] > 0 for e in used), used
    values = real.values
    lait_pct = values[values["indicator_id"] == "lait_prechilddea"]
    assert set(lait_pct["geographic_level"].astype(str)) == {"Local authority"}
    checks = real.manifest["checks"]["sources"]
    assert checks["required_enforced"] and checks["problems"] == []
    assert checks["undeclared_loaded"] == []
    assert not any(not item["expected"] for item in real.manifest["skipped_files"])
