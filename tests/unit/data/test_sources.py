"""Source families: a required source missing, unreadable or not recognised stops the ingest.

The fixture folder (``tests/conftest.build_raw_dir``) is declared here family by family, as
``data.sources.SOURCE_FAMILIES`` declares ``../shared/data``; each test damages one file the way
it was found damaged on the real data (a broken symbolic link, a directory or a FIFO in its
place, deleted, a workbook whose header moved down) and checks the ingest stops naming it,
without blocking and without loading anything else first.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import openpyxl
import pytest

from data.discovery import discover
from data.errors import DataFormatError
from data.ingest import build_tables
from data.sources import SOURCE_FAMILIES, Need, SourceFamily, family_of

R, OPT, IGN = Need.REQUIRED, Need.OPTIONAL, Need.IGNORED
FIXTURE_FAMILIES = (
    SourceFamily("lait_bds", "lait/lait_bds_long.parquet", R, "LAIT values"),
    SourceFamily("lait_dictionary", "lait/lait_data_dictionary.csv", R, "LAIT dictionary"),
    SourceFamily("cin_b1", "ees_cin/b1_*.csv", R, "CIN B1"),
    SourceFamily("cla_stability", "ees_cla/placement_stability*.csv", R, "CLA stability"),
    SourceFamily("workforce", "ees_workforce/csww_indicators*.csv", R, "Workforce"),
    SourceFamily("population", "population/*.csv", R, "Population"),
    SourceFamily("s251_finance", "s251/lait_s251_finance.csv", R, "s251 LAIT"),
    SourceFamily("s251_lines", "s251/outturn_*.csv", R, "s251 lines"),
    SourceFamily("s251_cyp", "s251/cyp_outturn_*.csv", OPT, "s251 lines (old name)"),
    SourceFamily("s251_national", "s251/ees_national/*.csv", OPT, "s251 EES national"),
    SourceFamily("s251_table_a1", "s251/table_a1/*", OPT, "s251 Table A1 workbooks"),
    SourceFamily("neighbours_long", "statistical_neighbours/sn_long*", OPT, "Neighbours, long"),
    SourceFamily("neighbours", "statistical_neighbours/sn_*", R, "Neighbours"),
    SourceFamily("boundaries", "geography/*.geojson", R, "Boundaries"),
    SourceFamily("ro3", "mhclg_ro3/*", OPT, "RO3"),
    SourceFamily("need_iod", "need/iod_*.xlsx", OPT, "IoD"),
    SourceFamily("need_low_income", "need/children-relative-low-income-*.csv", OPT, "Low income"),
    SourceFamily("need_population_age", "need/mye*.csv", OPT, "Population by age"),
    SourceFamily("extras", "extras/*", IGN, "Not read"),
)


def check(raw: Path, **kwargs):
    return build_tables(raw, progress=False, families=FIXTURE_FAMILIES, **kwargs)


def test_the_undamaged_fixture_folder_loads_every_declared_family(raw_dir):
    _, manifest, _ = check(raw_dir)
    account = {f["name"]: f["status"] for f in manifest["checks"]["sources"]["families"]}
    assert account["lait_bds"] == account["cin_b1"] == "loaded"
    assert account["extras"] == "ignored"
    assert manifest["checks"]["sources"]["problems"] == []
    assert manifest["checks"]["sources"]["undeclared_loaded"] == []


def damage(raw: Path, rel: str, how: str) -> Path:
    path = raw / rel
    path.unlink()
    if how == "broken symlink":
        path.symlink_to(raw / "gone" / path.name)
    elif how == "directory":
        path.mkdir()
        (path / "inner.txt").write_text("x")
    elif how == "fifo":
        os.mkfifo(path)
    return path


@pytest.mark.parametrize(
    ("rel", "how", "words"),
    [
        ("lait/lait_bds_long.parquet", "broken symlink", "broken symbolic link"),
        ("ees_cin/b1_children_in_need.csv", "directory", "a directory, not a file"),
        ("ees_cin/b1_children_in_need.csv", "fifo", "FIFO"),
        ("population/population_0_17.csv", "fifo", "FIFO"),
        ("lait/lait_data_dictionary.csv", "deleted", "no file matches"),
        ("statistical_neighbours/sn_groups_sample_2025.csv", "deleted", "no file matches"),
    ],
)
def test_a_required_source_that_cannot_be_read_stops_the_ingest(raw_dir, rel, how, words):
    damage(raw_dir, rel, how)
    outcome: dict[str, BaseException | None] = {}

    def run() -> None:
        try:
            check(raw_dir)
            outcome["error"] = None
        except BaseException as exc:  # handed back to the test thread
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive(), "the ingest blocked (opened a FIFO?)"
    err = outcome["error"]
    assert isinstance(err, DataFormatError), err
    family = family_of(rel, FIXTURE_FAMILIES)
    assert family is not None
    assert err.rule == "BI-36"
    assert f"{family.name} (" in str(err)
    assert words in str(err)
    if how != "deleted":
        assert rel in str(err)


def test_an_optional_or_undeclared_file_that_cannot_be_read_is_listed_not_fatal(raw_dir):
    (raw_dir / "s251/cyp_outturn_1314.csv").unlink()
    (raw_dir / "s251/cyp_outturn_1314.csv").symlink_to(raw_dir / "nowhere.csv")
    os.mkfifo(raw_dir / "stray.csv")
    (raw_dir / "extras").mkdir()
    os.mkfifo(raw_dir / "extras" / "pipe.csv")  # declared ignored: never opened
    _, manifest, _ = check(raw_dir)
    listed = {item["file"]: item for item in manifest["skipped_files"]}
    assert listed["s251/cyp_outturn_1314.csv"]["expected"] is False
    assert listed["s251/cyp_outturn_1314.csv"]["family"] == "s251_cyp"
    assert "broken symbolic link" in listed["s251/cyp_outturn_1314.csv"]["reason"]
    assert listed["stray.csv"] == {
        "file": "stray.csv",
        "reason": "not a regular file: a FIFO (named pipe)",
        "family": None,
        "need": None,
        "expected": False,
    }
    assert listed["extras/pipe.csv"]["expected"] is True


def test_partial_lists_a_missing_required_source_and_says_so(raw_dir):
    (raw_dir / "ees_workforce/csww_indicators.csv").unlink()
    with pytest.raises(DataFormatError, match="workforce"):
        check(raw_dir)
    _, manifest, _ = check(raw_dir, require=False)
    sources = manifest["checks"]["sources"]
    assert sources["required_enforced"] is False
    missing = "workforce (no file matches 'ees_workforce/csww_indicators*.csv')"
    assert sources["problems"] == [missing]


def sn_workbook(path: Path, rows: list[list[object]], *, preamble: int = 0) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "LA SN Groups"
    for i in range(preamble):
        sheet.append([f"note {i + 1}"])
    for row in rows:
        sheet.append(row)
    book.save(path)


def sn_rows(raw: Path) -> list[list[object]]:
    import csv

    text = (raw / "statistical_neighbours/sn_groups_sample_2025.csv").read_text()
    return [list(r) for r in csv.reader(text.splitlines())]


def test_a_workbook_whose_header_moved_down_is_named_not_skipped_in_silence(raw_dir):
    rows = sn_rows(raw_dir)
    (raw_dir / "statistical_neighbours/sn_groups_sample_2025.csv").unlink()
    sn_workbook(raw_dir / "statistical_neighbours/sn_may_2025.xlsx", rows, preamble=20)
    with pytest.raises(DataFormatError) as err:
        check(raw_dir)
    message = str(err.value)
    assert err.value.rule == "BI-36"
    assert "statistical_neighbours/sn_may_2025.xlsx" in message
    assert "no header row with 'LA num'" in message and "first 20 rows" in message


def test_a_formula_without_a_value_in_an_la_number_cell_is_an_error(raw_dir):
    rows = sn_rows(raw_dir)
    rows[2][0] = "=888+1"  # openpyxl saves formulas without a cached value
    (raw_dir / "statistical_neighbours/sn_groups_sample_2025.csv").unlink()
    sn_workbook(raw_dir / "statistical_neighbours/sn_may_2025.xlsx", rows)
    with pytest.raises(DataFormatError) as err:
        check(raw_dir)
    assert err.value.rule == "BI-30"
    assert (err.value.row, err.value.column) == (3, "A")
    assert "no cached value" in str(err.value)


@pytest.mark.real_data
def test_the_declaration_matches_the_official_data_folder(shared_data):
    found = discover(shared_data)  # raises if a required family is missing or unreadable
    seen = [str(p.relative_to(shared_data)) for p in shared_data.rglob("*") if p.is_file()]
    undeclared = [f for f in seen if family_of(f, SOURCE_FAMILIES) is None]
    assert undeclared == []
    for family in SOURCE_FAMILIES:
        if family.need is Need.REQUIRED:
            assert any(family.matches(f) for f in seen), family.name
    assert found.lait


def test_family_names_are_unique_and_described():
    names = [f.name for f in SOURCE_FAMILIES]
    assert len(names) == len(set(names))
    assert all(f.description and f.pattern for f in SOURCE_FAMILIES)
