"""Hostile and damaged files: each message names file, row and column, in bounded memory and time.

The big cases (a 50 MB cell, label or header line) run the ingest in a child process whose
address space is capped at 4 GiB: before the caps, a 50 MB label made numpy ask for 64.5 GiB,
and a 50 MB header stopped the csv module with "field larger than field limit", naming nothing.
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from data.errors import DataFormatError
from data.ingest import build_tables
from data.rates import derive_rates

ROOT = Path(__file__).resolve().parents[3]
BAD = ROOT / "tests" / "fixtures" / "bad"
FIFTY_MB = 50_000_000
MEMORY_CAP = 4 << 30

CHILD = """
import json, sys
from data.errors import DataFormatError
from data.ingest import build_tables
try:
    build_tables(sys.argv[1], progress=False, require=False)
    print(json.dumps({"ok": True}))
except DataFormatError as e:
    print(json.dumps({"file": e.file, "row": e.row, "column": e.column, "rule": e.rule,
                      "message": str(e)[:2000], "length": len(str(e))}))
"""


def bounded_ingest(data: Path) -> dict:
    """The ingest's error in a child process with at most 4 GiB of address space."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(data)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=cap,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    result["seconds"] = time.perf_counter() - start
    return result


def b1_with(tmp_path: Path, old: str, new: str, *, name: str = "b1.csv") -> Path:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    text = (BAD / "no_bom.csv").read_text()
    assert old in text
    (data / name).write_text(text.replace(old, new, 1))
    return data


def test_a_50mb_cell_names_file_row_and_column(tmp_path):
    data = b1_with(tmp_path, "Blackpool", "B" * FIFTY_MB)
    error = bounded_ingest(data)
    assert error["file"].endswith("b1.csv")
    assert (error["row"], error["column"], error["rule"]) == (3, "la_name", "BI-34")
    assert error["length"] < 1000  # the message quotes no 50 MB token
    assert error["seconds"] < 60


def test_a_50mb_label_names_file_row_and_column(tmp_path):
    data = b1_with(tmp_path, "Reporting year,Local", "R" * FIFTY_MB + ",Local")
    error = bounded_ingest(data)
    assert (error["row"], error["column"], error["rule"]) == (3, "time_identifier", "BI-34")


def test_a_50mb_header_line_is_refused_on_row_1(tmp_path):
    data = b1_with(tmp_path, "la_name", "la_name" + "x" * FIFTY_MB)
    error = bounded_ingest(data)
    assert (error["row"], error["rule"]) == (1, "BI-34")
    assert "header line is longer than" in error["message"]


def test_a_50mb_field_in_a_neighbour_csv_is_named(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    raw = (
        ROOT / "tests/fixtures/raw/statistical_neighbours/sn_groups_sample_2025.csv"
    ).read_text()
    lines = raw.splitlines()
    lines[2] = lines[2].replace("Blackburn with Darwen", "D" * FIFTY_MB, 1)
    (data / "sn_groups_2025.csv").write_text("\n".join(lines) + "\n")
    error = bounded_ingest(data)
    assert (error["row"], error["column"], error["rule"]) == (3, "LA Name", "BI-34")


def test_a_cell_over_the_cap_but_under_the_line_cap_is_named_exactly(tmp_path):
    data = b1_with(tmp_path, "Blackpool", "B" * 5_000)
    with pytest.raises(DataFormatError) as err:
        build_tables(data, progress=False, require=False)
    assert (err.value.row, err.value.column, err.value.rule) == (3, "la_name", "BI-34")
    assert "5,000 characters" in str(err.value)


def workbook_bytes(rows: int) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "LA SN Groups"
    for i in range(rows):
        sheet.append([i, "x"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def without_dimension(data: bytes) -> bytes:
    """The same workbook with the sheet's <dimension> element removed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                text = body.decode()
                start = text.index("<dimension")
                body = (text[:start] + text[text.index("/>", start) + 2 :]).encode()
                assert b"<dimension" not in body
            target.writestr(item, body)
    return out.getvalue()


def test_a_sheet_without_dimension_is_capped_while_streaming(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "sn_huge_2025.xlsx").write_bytes(without_dimension(workbook_bytes(60_000)))
    start = time.perf_counter()
    with pytest.raises(DataFormatError) as err:
        build_tables(data, progress=False, require=False)
    assert time.perf_counter() - start < 10  # stops at row 5,001, never reads 60,000
    assert (err.value.row, err.value.rule) == (5_001, "BI-34")
    assert "more than 5,000 rows" in str(err.value)


def test_a_zip_bomb_workbook_is_refused_before_it_is_unpacked(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("xl/sharedStrings.xml", b"\0" * (300 << 20))
    (data / "sn_bomb_2025.xlsx").write_bytes(buffer.getvalue())
    with pytest.raises(DataFormatError, match="unpacks to") as err:
        build_tables(data, progress=False, require=False)
    assert err.value.rule == "BI-34"


def test_a_duplicate_key_across_two_files_names_both_files_and_rows(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    text = (BAD / "no_bom.csv").read_text()
    (data / "b1_first.csv").write_text(text)
    lines = text.splitlines()
    (data / "b1_second.csv").write_text("\n".join([lines[0], lines[2]]) + "\n")
    with pytest.raises(DataFormatError) as err:
        build_tables(data, progress=False, require=False)
    message = str(err.value)
    assert err.value.rule == "BI-23"
    assert err.value.file.endswith("b1_second.csv") and err.value.row == 2
    assert f"{data / 'b1_first.csv'} row 3" in message
    assert f"{data / 'b1_second.csv'} row 2" in message
    assert err.value.column == "Anypoint_episodes"


def test_1e308_behind_a_rate_is_rejected_naming_file_row_and_la(raw_dir):
    path = raw_dir / "ees_cin/b1_children_in_need.csv"
    text = path.read_text()
    head, rest = text.split("\n", 1)
    lines = rest.splitlines()
    i = next(k for k, line in enumerate(lines) if "North Yorkshire" in line)
    cells = lines[i].split(",")
    at31 = head.split(",").index("At31_episodes")
    cells[at31] = "1e308"
    lines[i] = ",".join(cells)
    path.write_text(head + "\n" + "\n".join(lines) + "\n")
    tables, _, extras = build_tables(raw_dir, progress=False, require=False)
    import pyarrow.parquet as pq

    found = pq.read_table(io.BytesIO(extras["rejections.parquet"])).to_pandas()
    hit = found[found["rule"] == "BI-41"].iloc[0]
    assert (hit["file"], hit["row"], hit["column"]) == (str(path), i + 2, "At31_episodes")
    assert (hit["area_code"], hit["token"]) == ("E06000065", "1e+308")
    values = tables["values"]
    rate = values[
        (values["indicator_id"] == "cin_at_31_march_rate")
        & (values["area_code"] == "E06000065")
        & (values["time_period"] == int(hit["time_period"]))
    ]
    assert rate.empty or rate["value"].isna().all()
    assert np.isfinite(values["value"].dropna()).all()


def test_a_rate_that_overflows_names_the_count_file_row_and_la():
    from data.loaders.common import values_frame, with_origin

    def rows(indicator: str, year: int, value: float) -> pd.DataFrame:
        frame = values_frame(
            indicator_id=[indicator],
            area_code=["E06000009"],
            geographic_level=["Local authority"],
            time_period=[year],
            time_identifier=["Reporting year"],
            year_end=[year],
            value=[value],
            period_label=[str(year)],
            source_id=["test"],
        )
        return with_origin(frame, file="b1.csv", rows=np.array([7]), column="At31_episodes")

    values = pd.concat(
        [rows("cin_at_31_march", 2024, 1e308), rows("ons_population_0_17", 2023, 1e-300)],
        ignore_index=True,
    )
    meta = pd.DataFrame(
        {
            "indicator_id": ["cin_at_31_march"],
            "time_identifier": ["Reporting year"],
            "source_url": [None],
            "description": ["CIN"],
            "year_type": [None],
        }
    )
    with pytest.raises(DataFormatError) as err:
        derive_rates(values, meta)
    assert (err.value.file, err.value.row, err.value.column) == ("b1.csv", 7, "At31_episodes")
    assert "E06000009" in str(err.value) and err.value.rule == "BI-41"


def test_a_row_listing_neighbours_without_an_la_number_is_not_a_section_label(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    raw = (
        ROOT / "tests/fixtures/raw/statistical_neighbours/sn_groups_sample_2025.csv"
    ).read_text()
    lines = raw.splitlines()
    lines[2] = "see note" + lines[2][lines[2].index(",") :]
    (data / "sn_groups_2025.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(DataFormatError) as err:
        build_tables(data, progress=False, require=False)
    assert (err.value.row, err.value.column, err.value.rule) == (3, "LA num", "BI-33")
    assert err.value.token == "see note"
