"""Recognising the files of the newer sources by their content (never their names).

``classify(path)`` looks at a file's first rows (a CSV's first lines, a workbook's first rows of
every sheet, a Parquet file's column names) and says which loader reads it:

* ``s251``: a line-level s251 table in a workbook (Table A1 layout and the others of
  ``data.loaders.s251_line_files``); s251 CSVs are recognised by the ingest's CSV rules;
* ``deprivation``: an English Indices of Deprivation local-authority summary workbook;
* ``ro3``: an MHCLG revenue outturn RO3 workbook, or the tidy RO3 Parquet derived from them;
* ``low_income``: a DWP Stat-Xplore export of children in low income families;
* ``population_age``: an ONS mid-year estimate table by single year of age;
* ``neighbours_long``: the long statistical-neighbour CSV (read as a check of the workbooks).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq

from data.areas import AreaResolver
from data.csvio import decode_utf8
from data.errors import DataFormatError
from data.files import open_regular
from data.loaders.common import LoadResult
from data.loaders.deprivation import load_deprivation
from data.loaders.low_income import load_low_income
from data.loaders.population_age import load_population_age
from data.loaders.ro3 import load_ro3
from data.loaders.s251_line_files import detect_layout, near_miss
from data.workbooks import is_workbook, peek

Loader = Callable[[list[Path], AreaResolver], LoadResult]
#: The loader of each kind the ingest sorts into ``Discovered.extra`` (s251 and the long
#: neighbour file go to the s251 and neighbour loaders).
EXTRA_LOADERS: dict[str, Loader] = {
    "deprivation": load_deprivation,
    "ro3": load_ro3,
    "low_income": load_low_income,
    "population_age": load_population_age,
}
RO3_TIDY_COLUMNS = frozenset({"financial_year", "ons_code", "service", "measure", "value"})
SN_LONG_COLUMNS = frozenset({"sn_version", "la_code", "rank", "neighbour_code"})
POPULATION_AGE_COLUMNS = ("Code", "Name", "Geography", "All ages", "0", "1", "17")


def first_lines(path: Path, count: int = 40, size: int = 1 << 16) -> list[list[str]]:
    """The first ``count`` CSV records of a text file (its first ``size`` bytes), BOM removed."""
    with open_regular(Path(path)) as handle:  # never blocks on a FIFO
        head = handle.read(size)
    cut = head.rfind(b"\n")
    head = head[: cut + 1] if cut > 0 and len(head) == size else head
    text, _ = decode_utf8(Path(path), head)
    return [row for _, row in zip(range(count), csv.reader(text.splitlines()), strict=False)]


def is_low_income_export(lines: list[list[str]]) -> bool:
    """A DWP Stat-Xplore table: a "Year" row of financial years after a title block."""
    flat = " ".join(" ".join(r) for r in lines[:15]).casefold()
    has_year_row = any(r and r[0].strip() == "Year" and len(r) > 2 for r in lines)
    return "low income" in flat and has_year_row


def classify_csv(path: Path) -> str | None:
    """The kind of a CSV file by its first lines (``None``: not one of these kinds)."""
    try:
        lines = first_lines(path)
    except DataFormatError:
        return None
    if not lines:
        return None
    header = {c.strip() for c in lines[0]}
    if header >= SN_LONG_COLUMNS:
        return "neighbours_long"
    if set(POPULATION_AGE_COLUMNS) <= header:
        return "population_age"
    if is_low_income_export(lines):
        return "low_income"
    return None


def classify_workbook(path: Path) -> str | None:
    """The kind of a workbook by the first rows of its sheets."""
    sheets = peek(path, columns=40)  # every header this looks for starts in its first columns
    for sheet in sheets:
        for row in sheet.rows[:10]:
            header = tuple(c.strip() for c in row)
            if detect_layout(header) is not None or near_miss(header) is not None:
                return "s251"  # a near miss stops in the loader, naming the missing column
    for sheet in sheets:
        first = sheet.rows[0] if sheet.rows else ()
        if first and "local authority district code" in first[0].casefold():
            names = " ".join(first).casefold()
            if "average score" in names and "most deprived 10%" in names:
                return "deprivation"
        for row in sheet.rows[:25]:
            if row and row[0].strip() == "E-code" and "ONS Code" in (c.strip() for c in row):
                return "ro3"
    return None


def classify(path: Path) -> str | None:
    """The kind of any file (CSV, workbook or Parquet), or ``None``."""
    path = Path(path)
    suffix = path.suffix.casefold()
    if suffix == ".csv":
        return classify_csv(path)
    if is_workbook(path):
        return classify_workbook(path)
    if suffix == ".parquet":
        try:
            names = set(pq.read_schema(path).names)
        except (OSError, ValueError):
            return None
        return "ro3" if names >= RO3_TIDY_COLUMNS else None
    return None
