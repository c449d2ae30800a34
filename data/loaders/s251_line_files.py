"""Section 251 line-level outturn, in every layout DfE has published, as one set of series.

Layouts, recognised by their header row (never by file name), in ``.csv``, ``.xlsx`` or ``.ods``:

* **CSV layout** (2011-12, 2012-13 underlying data, and later years in the same format):
  ``LA, LA Name, LineNumber, CYPServiceDescription, [ReportGroup], OwnProvision, ...``; the year
  from a year column, else the file name.
* **Table A1 layout** (2014-15 to 2018-19): ``[ident], LA, LA Name, ReportGroup, OrderLine,
  Description, s251line, OwnProvision, ...``, header on row 1; the year from the file name
  (``s251ye2015`` = year ending March 2015, or ``2014-15``...).
* **EES layout** ("LA and school expenditure" releases, 2015-16 onward): the EES id columns,
  ``description_of_expenditure`` and ``own_provision, private_provision,
  other_public_sector_provision, voluntary_provision, total_expenditure, income,
  net_current_expenditure``; years from ``time_period``. The LA/regional/national file is in £;
  the national summary file in £ million (2 decimals), told apart by magnitude (a gross total
  above 1,000,000 means pounds) and converted to £.

Every row's line is identified through ``data/s251_lines.csv`` (``data.loaders.s251_lines``), so a
line is one series from 2011-12 on whatever its number. Quirks handled: the undocumented
``ident`` column, rows out of order, ``OrderLine`` repeated within an LA (2017-18), the wrong
``s251line`` of "21 Total Safeguarding" (2014-15, 2015-16; counted), descriptions with double
spaces and spelling variants. A total published only as parts (fostering in 2018-19 = 3.1.2a +
3.1.2b) is derived, with ``value_status`` "derived". Blank or ``NULL`` cells are never zero: "z"
(not collected) where the whole line is blank in that column in the file (e.g. no provider split
for youth justice), else "x" (not returned by that LA).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from data.csvio import read_csv_strict, sha256_of
from data.errors import DataFormatError
from data.workbooks import is_workbook, read_sheets

SOURCE_ID = "s251"
SOURCE_URL = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/la-and-school-expenditure"
)
LINE_TOPIC = "Spend (section 251): budget lines and provision"
DERIVED_STATUS = "derived"
#: The money columns loaded: our key, label, and the column of each layout.
MEASURES: tuple[tuple[str, str, str, str], ...] = (
    ("own_provision", "own provision", "OwnProvision", "own_provision"),
    ("private_provision", "private provision", "PrivateProvision", "private_provision"),
    (
        "other_public",
        "other public sector provision",
        "OtherPublic",
        "other_public_sector_provision",
    ),
    ("voluntary", "voluntary sector provision", "Voluntary", "voluntary_provision"),
    ("total_expenditure", "total (gross) expenditure", "TotalExpenditure", "total_expenditure"),
    ("income", "income", "Income", "income"),
    (
        "net_current_expenditure",
        "net current expenditure",
        "NetCurrentExpenditure",
        "net_current_expenditure",
    ),
)
KEY_COLUMNS = {
    "csv": ("LA", "LA Name", "LineNumber", "CYPServiceDescription"),
    "table_a1": ("LA", "LA Name", "OrderLine", "Description", "s251line"),
    "ees": ("time_period", "time_identifier", "geographic_level", "description_of_expenditure"),
}
DESCRIPTION_COLUMN = {
    "csv": "CYPServiceDescription",
    "table_a1": "Description",
    "ees": "description_of_expenditure",
}
BLANK = "\x00blank"  # parse sentinel, resolved to "z" or "x" per line and column
#: Precedence when two files give the same value: the unrounded EES file (DfE's latest,
#: revised figures) over the as-first-published LA tables over the £ million summary.
RANK_EES_POUNDS, RANK_LA_TABLE, RANK_EES_MILLIONS = 3, 2, 1
_YEAR_PATTERNS = (
    (re.compile(r"(?i)(?:ye|year[-_ ]?end(?:ing)?[-_ ]?)(20\d\d)(?!\d)"), "end"),
    (re.compile(r"(?<!\d)(20\d\d)[-_ ]?(\d\d)(?!\d)"), "pair"),  # 2013-14, 2013_14, 201314
    (re.compile(r"(?<!\d)(\d\d)(\d\d)(?!\d)"), "short"),  # 1314
)


def measure_columns(layout: str) -> dict[str, str]:
    """Raw column -> our measure key, for one layout."""
    index = 3 if layout == "ees" else 2
    return {m[index]: m[0] for m in MEASURES}


def detect_layout(header: tuple[str, ...] | list[str]) -> str | None:
    """The line-level layout a header row belongs to (``csv``, ``table_a1``, ``ees``), if any."""
    names = {str(h).strip() for h in header}
    for layout, keys in KEY_COLUMNS.items():
        if set(keys) <= names and set(measure_columns(layout)) & names:
            return layout
    return None


def near_miss(header: tuple[str, ...] | list[str]) -> tuple[str, list[str]] | None:
    """A layout the header nearly has (most money columns, some key columns missing).

    Returns the layout and the columns it lacks; None when the header is not an s251 table
    at all or is a complete one.
    """
    names = {str(h).strip() for h in header}
    if detect_layout(header) is not None:
        return None
    candidates = []
    for layout, keys in KEY_COLUMNS.items():
        money = set(measure_columns(layout))
        if 2 * len(money & names) > len(money):
            missing = [k for k in keys if k not in names] + sorted(money - names)
            candidates.append((len(set(keys) & names), layout, missing))
    if not candidates:
        return None
    _, layout, missing = max(candidates, key=lambda c: c[0])
    return layout, missing


@dataclass
class LineFile:
    """The cells of one line-level file (or worksheet), as text."""

    path: Path
    sha256: str
    layout: str
    header: tuple[str, ...]
    frame: pd.DataFrame
    rows: np.ndarray
    sheet: str | None = None


def _unknown_layout(path: Path, header: tuple[str, ...], row: int) -> DataFormatError | None:
    miss = near_miss(header)
    if miss is None:
        return None
    layout, missing = miss
    return DataFormatError(
        str(path),
        f"looks like an s251 line-level table ({layout} layout) but lacks column(s) "
        f"{missing}; found {[h for h in header if h]}",
        row=row,
        column=missing[0],
    )


def read_line_file(path: Path) -> LineFile | None:
    """Read a CSV or workbook holding a line-level table; None if none is recognised. I/O only.

    In a workbook, the first sheet with a recognised header row among its first 10 rows is used.

    Raises:
        DataFormatError: A table that nearly has a known layout (a renamed or missing column:
            the header row and missing column named), or bad cells.
    """
    path = Path(path)
    if not is_workbook(path):
        raw = read_csv_strict(path)
        layout = detect_layout(raw.header)
        if layout is None:
            error = _unknown_layout(path, raw.header, 1)
            if error is not None:
                raise error
            return None
        rows = raw.first_data_row + np.arange(len(raw.frame))
        return LineFile(path, raw.sha256, layout, raw.header, raw.frame, rows)
    near: DataFormatError | None = None
    for sheet in read_sheets(path):
        for i, cells in enumerate(sheet.rows[:10]):
            header = tuple(c.strip() for c in cells)
            layout = detect_layout(header)
            if layout is not None:
                return _sheet_table(path, sheet.name, header, layout, sheet.rows[i + 1 :], i + 2)
            near = near or _unknown_layout(path, header, i + 1)
    if near is not None:
        raise near
    return None


def _sheet_table(
    path: Path,
    sheet: str,
    header: tuple[str, ...],
    layout: str,
    body: tuple[tuple[str, ...], ...],
    first_row: int,
) -> LineFile:
    """The rows below a header row as a text frame (empty rows dropped, numbers kept)."""
    named = [j for j, h in enumerate(header) if h]
    if len({header[j] for j in named}) < len(named) or len(named) != named[-1] + 1:
        raise DataFormatError(
            str(path), "header row has a blank or repeated column name", row=first_row - 1
        )
    width = len(named)
    cells, numbers = [], []
    for n, row in enumerate(body, start=first_row):
        if not any(c.strip() for c in row):
            continue
        if any(c.strip() for c in row[width:]):
            raise DataFormatError(
                str(path),
                "row has a value beyond the header's last column",
                row=n,
                column=f"#{width + 1}",
            )
        cells.append(list(row[:width]) + [""] * (width - len(row)))
        numbers.append(n)
    frame = pd.DataFrame(cells, columns=list(header[:width]), dtype=object)
    return LineFile(
        path, sha256_of(path), layout, header[:width], frame, np.array(numbers, dtype=int), sheet
    )


def year_of_file(lf: LineFile) -> str:
    """The financial year of a one-year file: a year column, else the file name.

    File names may say ``2013-14``, ``2013_14``, ``201314``, ``1314`` or ``ye2014`` /
    ``yearending2014`` (year ending March 2014, as DfE's Table A1 files are named).

    Raises:
        DataFormatError: No year found, or a year column with several years.
    """
    for column in ("time_period", "financial_year", "Year", "year"):
        if column in lf.header:
            values = pd.unique(lf.frame[column].str.strip())
            if len(values) != 1:
                raise DataFormatError(
                    str(lf.path),
                    f"expected one year in column {column!r}, found {list(values)}",
                    row=int(lf.rows[0]) if len(lf.rows) else 2,
                    column=column,
                )
            text = str(values[0])
            return f"{text[:4]}-{text[4:]}" if re.fullmatch(r"\d{6}", text) else text
    name = lf.path.stem
    for pattern, kind in _YEAR_PATTERNS:
        if m := pattern.search(name):
            if kind == "end":
                end = int(m.group(1))
                return f"{end - 1}-{end % 100:02d}"
            start = m.group(1) if kind == "pair" else f"20{m.group(1)}"
            return f"{start}-{m.group(2)}"
    raise DataFormatError(
        str(lf.path),
        "cannot tell the financial year: add a 'financial_year' column or put the year in the "
        "file name (e.g. ..._2019-20_... or s251ye2020.xlsx for the year ending March 2020)",
        row=1,
    )
