"""The bad-input corpus (tests/fixtures/bad/cases.csv): every case's exact outcome.

Each hand-made file reproduces one quirk found in real files. An ``error`` case must stop the
ingest with a message naming the file, the row and column as in the file, the token and the
rule; a ``coerce`` case must apply the documented coercion and count it in the manifest; an
``ok`` case must load, keeping every symbol; a ``rejected`` case must load without the value,
recorded in the release's rejections (file, row, column, rule, token); a ``pair dropped`` case
must keep the value without its numerator and denominator, recorded the same way.
"""

import csv
import io
import shutil
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from data.errors import DataFormatError
from data.ingest import build_tables
from data.schema import STATUS_SYMBOLS

BAD = Path(__file__).resolve().parents[2] / "fixtures" / "bad"
CASES = list(csv.DictReader((BAD / "cases.csv").read_text(encoding="utf-8").splitlines()))


def ingest_one(tmp_path, name):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(BAD / name, data / name)
    return build_tables(data, progress=False, require=False), data / name


@pytest.mark.parametrize(
    "case", [c for c in CASES if c["outcome"] == "error"], ids=lambda c: c["case"]
)
def test_error_cases_name_file_row_column_token_and_rule(tmp_path, case):
    with pytest.raises(DataFormatError) as err:
        ingest_one(tmp_path, case["file"])
    e = err.value
    message = str(e)
    assert e.file.endswith(case["file"])
    assert case["file"] in message
    if case["row"]:
        assert e.row == int(case["row"])
        assert f"row {case['row']}" in message
    else:
        assert e.row is None
    if case["column"]:
        assert e.column == case["column"]
        assert f"column {case['column']!r}" in message
    if case["token"]:
        assert e.token == case["token"]
        assert repr(case["token"]) in message or case["token"] in message
    if case["rule"]:
        assert e.rule == case["rule"]
        assert f"[rule {case['rule']}]" in message
    assert case["expect"] in message


@pytest.mark.parametrize(
    "case", [c for c in CASES if c["outcome"] == "coerce"], ids=lambda c: c["case"]
)
def test_coercions_are_applied_and_counted(tmp_path, case):
    (tables, manifest, _), _ = ingest_one(tmp_path, case["file"])
    key, count = case["expect"].split("=")
    assert manifest["sources"][0]["coercions"][key] == int(count)
    values = tables["values"]
    assert np.isfinite(values["value"]).any()


def rejections_of(extras):
    return pq.read_table(io.BytesIO(extras["rejections.parquet"])).to_pandas()


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c["outcome"] in ("rejected", "pair dropped")],
    ids=lambda c: c["case"],
)
def test_rejections_are_recorded_with_file_row_column_rule_and_token(tmp_path, case):
    (tables, manifest, extras), path = ingest_one(tmp_path, case["file"])
    found = rejections_of(extras)
    hit = found[(found["row"] == int(case["row"])) & (found["rule"] == case["rule"])]
    assert len(hit) == 1, found
    record = hit.iloc[0]
    assert record["file"] == str(path)
    assert record["column"] == case["column"]
    assert record["token"] == case["token"]
    assert case["expect"] in record["reason"]
    values = tables["values"]
    stored = values[
        (values["indicator_id"] == record["indicator_id"])
        & (values["area_code"] == record["area_code"])
        & (values["time_period"] == record["time_period"])
    ]
    src = manifest["sources"][0]
    if case["outcome"] == "rejected":
        assert record["action"] == "value rejected"
        assert stored.empty  # never live
        assert src["values_rejected"] >= 1
    else:
        assert record["action"] == "numerator and denominator dropped"
        assert len(stored) == 1 and np.isfinite(stored["value"].iloc[0])
        assert stored["numerator"].isna().all() and stored["denominator"].isna().all()
        assert src["pairs_dropped"] >= 1
    entry = next(e for e in src["rejections"] if e["rule"] == case["rule"])
    assert entry["first_row"] == int(case["row"])


def test_every_symbol_is_kept_never_zero(tmp_path):
    (tables, manifest, _), _ = ingest_one(tmp_path, "every_symbol.csv")
    values = tables["values"]
    rows = values[
        (values["indicator_id"] == "cin_anypoint_episodes") & (values["area_code"] == "E06000009")
    ]
    statuses = set(rows["value_status"].dropna().astype(str))
    assert statuses == {
        "c",
        "x",
        "z",
        "u",
        "low",
        "k",
        "[c]",
        "[x]",
        "[z]",
        "[low]",
        ":",
        "~",
        "-",
        "..",
    }
    assert statuses <= STATUS_SYMBOLS
    assert rows["value"].isna().all()  # never 0
    src = manifest["sources"][0]
    assert src["rows_read"] == src["rows_loaded"] + src["rows_rejected"]


def test_bom_and_no_bom_load_identically(tmp_path):
    (a, _, _), _ = (
        ingest_one(tmp_path / "a", "bom.csv") if (tmp_path / "a").mkdir() is None else None
    )
    (b, _, _), _ = (
        ingest_one(tmp_path / "b", "no_bom.csv") if (tmp_path / "b").mkdir() is None else None
    )
    cols = ["indicator_id", "area_code", "time_period", "value"]
    left = a["values"][cols].astype(str).sort_values(cols).reset_index(drop=True)
    right = b["values"][cols].astype(str).sort_values(cols).reset_index(drop=True)
    assert left.equals(right)


def test_z_after_abolition_is_kept_not_an_error(tmp_path):
    (tables, _, _), _ = ingest_one(tmp_path, "z_after_abolition.csv")
    dorset = tables["values"][tables["values"]["area_code"] == "E10000009"]
    assert set(dorset["value_status"].astype(str)) == {"z"}


def test_joint_rows_stay_joint(tmp_path):
    (tables, _, _), _ = ingest_one(tmp_path, "joint_rows.csv")
    assert set(tables["values"]["area_code"].astype(str)) == {"E06000061 / E06000062"}


def test_unstored_levels_are_rejected_and_counted(tmp_path):
    (_, manifest, _), _ = ingest_one(tmp_path, "unknown_level.csv")
    src = manifest["sources"][0]
    assert src["rows_rejected"] == 1
    assert src["rejected_reasons"] == {
        "geographic level 'Parliamentary constituency' is not stored": 1
    }
    assert src["rows_read"] == src["rows_loaded"] + src["rows_rejected"]


def test_workbook_with_preamble_rows_loads(tmp_path):
    (tables, _, _), _ = ingest_one(tmp_path, "sn_preamble_2025.xlsx")
    neighbours = tables["statistical_neighbours"]
    assert neighbours["area_code"].nunique() == 13
    assert set(neighbours["sn_release"]) == {"2025"}


def test_workbook_header_mismatch_names_the_header_row(tmp_path):
    with pytest.raises(DataFormatError) as err:
        ingest_one(tmp_path, "sn_header_mismatch_2025.xlsx")
    assert err.value.row == 7  # six preamble rows, then the header
    assert err.value.rule == "BI-29"
    assert "expected 10 neighbour columns" in str(err.value)


def test_oversized_workbook_is_refused(tmp_path, monkeypatch):
    import openpyxl

    import data.loaders.statistical_neighbours as sn

    monkeypatch.setattr(sn, "MAX_SHEET_ROWS", 50)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "LA SN Groups"
    for i in range(80):
        sheet.append([i, "x"])
    data = tmp_path / "data"
    data.mkdir()
    book.save(data / "sn_huge_2025.xlsx")
    with pytest.raises(DataFormatError) as err:
        build_tables(data, progress=False, require=False)
    assert err.value.rule == "BI-34"
    monkeypatch.setattr(sn, "MAX_SHEET_ROWS", 5000)
    monkeypatch.setattr(sn, "MAX_WORKBOOK_BYTES", 100)
    with pytest.raises(DataFormatError, match="larger than"):
        build_tables(data, progress=False, require=False)


def test_every_error_case_is_listed_once():
    files = [c["file"] for c in CASES]
    assert len(files) == len(set(files))
    on_disk = {
        p.name for p in BAD.iterdir() if p.suffix in (".csv", ".xlsx") and p.name != "cases.csv"
    }
    assert on_disk - set(files) == {
        "no_bom.csv",
        "sn_preamble_2025.xlsx",
        "sn_header_mismatch_2025.xlsx",
    }
