"""Statistical neighbours (DfE Children's Services Statistical Neighbour Benchmarking Tool).

Each LA has ten neighbours ranked 1 (closest) to 10, each with a published closeness band.
Formats recognised by their header row (the release year comes from the file name):

* LAIT workbook (``sn_*.xlsx``, sheet "LA SN Groups"): junk rows, then the header
  ``LA num, LA Name, LA number, GOInd, GOReg, SN1, SNP, ..., SN10, SNP``; an "Old SNs:" block
  after the current LAs gives the groups of abolished LAs.
* The same table as CSV (repeated ``SNP`` headers, a trailing empty column).
* The CSC dashboard's wide CSV: ``old_la_code, la_name, region_ind, region_name, SN_1, SN_1P``...

Two files of the same release must agree on every neighbour they both give. The derived long
file (``sn_version, la_code, rank, neighbour_code, closeness_normalised``...) is not a source of
its own: it is compared pair by pair with the table loaded from the workbooks (a check in the
manifest; ``compare_long_file``).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data.areas import AreaLookupError, AreaResolver
from data.csvio import (
    BOM,
    MAX_CSV_BYTES,
    check_shape,
    decode_utf8,
    read_csv_strict,
    read_header,
    sha256_of,
)
from data.errors import DataFormatError
from data.files import read_bytes
from data.loaders.common import LoadResult, SourceReport
from data.schema import NEIGHBOURS_COLUMNS, Closeness
from data.workbooks import read_sheets

SOURCE_ID = "statistical_neighbours"
#: Caps of a neighbour workbook (the published ones: 40 kB, about 170 rows).
MAX_SHEET_ROWS = 5_000
MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
_CLOSENESS = {c.value.casefold(): c.value for c in Closeness}
_NO_NEIGHBOURS = {"-", ""}


def release_of(path: Path) -> str:
    """The release year in a file name (``sn_may_2025.xlsx`` -> ``2025``)."""
    years = re.findall(r"(?<!\d)(20\d\d)(?!\d)", Path(path).stem)
    if not years:
        raise DataFormatError(
            str(path), "cannot tell the release year from the file name (e.g. sn_may_2025.xlsx)"
        )
    return years[-1]


def read_grid(path: Path) -> pd.DataFrame:
    """Read a workbook's neighbour sheet or a CSV as a grid of text (no header). I/O only."""
    path = Path(path)
    if path.suffix.casefold() in (".xlsx", ".xlsm"):
        sheets = read_sheets(path, max_rows=MAX_SHEET_ROWS, max_bytes=MAX_WORKBOOK_BYTES)
        if not sheets:
            raise DataFormatError(str(path), "workbook has no sheets", rule="BI-34")
        sheet = next((s for s in sheets if s.name == "LA SN Groups"), sheets[0])
        width = max((len(r) for r in sheet.rows), default=0)
        rows = [[c.strip() for c in r] + [""] * (width - len(r)) for r in sheet.rows]
        return pd.DataFrame(rows, dtype="str")
    data = read_bytes(path, limit=MAX_CSV_BYTES)
    body = data[len(BOM) :] if data.startswith(BOM) else data
    check_shape(path, body)
    text, _ = decode_utf8(path, data)
    reader = csv.reader(text.splitlines())
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise DataFormatError(
            str(path), f"cannot be parsed as CSV ({exc})", row=reader.line_num + 1, rule="BI-34"
        ) from exc
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([[c.strip() for c in r] + [""] * (width - len(r)) for r in rows])


def _header_row(grid: pd.DataFrame) -> tuple[int, str]:
    """Index of the header row and the layout ("lait" or "csc")."""
    for i in range(min(len(grid), 20)):
        first = [c.casefold() for c in grid.iloc[i].tolist()[:5]]
        if first[:1] == ["la num"] or (first and first[0] == "la num"):
            return i, "lait"
        if first[:1] == ["old_la_code"]:
            return i, "csc"
    raise DataFormatError("", "no header row with 'LA num' or 'old_la_code' in the first 20 rows")


def normalise_closeness(label: str) -> str | None:
    """Map a published band to the closed set (case and spaces evened out); None if unknown."""
    return _CLOSENESS.get(" ".join(label.split()).casefold())


def tidy_neighbours(
    grid: pd.DataFrame, release: str, resolver: AreaResolver, *, file: str, report: SourceReport
) -> pd.DataFrame:
    """Long neighbour rows (``data.schema.NEIGHBOURS_COLUMNS``) from a grid. Pure.

    Raises:
        DataFormatError: Unknown LA number, an unknown closeness band, a missing neighbour, an
            LA listed as its own neighbour, or a neighbour listed twice.
    """
    try:
        header_at, layout = _header_row(grid)
    except DataFormatError as exc:
        raise DataFormatError(file, exc.message) from exc
    header = [c.strip() for c in grid.iloc[header_at].tolist()]
    if layout == "lait":
        sn_cols = [i for i, h in enumerate(header) if re.fullmatch(r"SN\d+", h)]
        band_of = {i: i + 1 for i in sn_cols}
        la_col = 0
    else:
        sn_cols = [i for i, h in enumerate(header) if re.fullmatch(r"SN_\d+", h)]
        band_of = {i: header.index(f"{header[i]}P") for i in sn_cols}
        la_col = header.index("old_la_code")
    if len(sn_cols) != 10:
        raise DataFormatError(
            file,
            f"expected 10 neighbour columns (SN1..SN10), found {len(sn_cols)}",
            row=header_at + 1,
            column=header[sn_cols[-1]] if sn_cols else header[0],
            rule="BI-29",
        )
    records = []
    for i in range(header_at + 1, len(grid)):
        row = grid.iloc[i].tolist()
        row_no = i + 1
        number = row[la_col].strip()
        if not any(c.strip() for c in row):
            continue  # blank separator rows are layout, not data
        report.rows_read += 1
        if not number.replace(" ", "").isdigit():
            if any(row[c].strip() for c in sn_cols):  # neighbours, but no LA: not a label
                raise DataFormatError(
                    file,
                    f"LA number {number!r} is not a number, yet the row lists neighbours",
                    row=row_no,
                    column=header[la_col],
                    token=number,
                    rule="BI-33",
                )
            report.reject(
                f"section label {number or row[1]!r}",
                [row_no],
                rule="BI-33",
                column=header[la_col],
                tokens=[number or row[1]],
            )
            continue
        try:
            area = resolver.by_number(number)
            if area is None:
                raise AreaLookupError(f"unknown LA number {number!r}", "LA num")
        except AreaLookupError as exc:
            raise DataFormatError(
                file, str(exc), row=row_no, column=header[la_col], token=number
            ) from exc
        cells = [row[c].strip() for c in sn_cols]
        if all(c in _NO_NEIGHBOURS for c in cells):
            report.reject(
                "no neighbours published ('-')",
                [row_no],
                rule="BI-33",
                column=header[sn_cols[0]],
                tokens=[cells[0]],
            )
            continue
        seen: set[str] = set()
        for rank, col in enumerate(sn_cols, start=1):
            cell = row[col].strip()
            neighbour = resolver.by_number(cell) if cell not in _NO_NEIGHBOURS else None
            if neighbour is None:
                raise DataFormatError(
                    file,
                    f"neighbour {rank} is {cell!r}, not a known LA number",
                    row=row_no,
                    column=header[col],
                    token=cell,
                )
            if neighbour.area_code == area.area_code or neighbour.area_code in seen:
                raise DataFormatError(
                    file,
                    f"neighbour {rank} ({cell}) repeats the LA or an earlier neighbour",
                    row=row_no,
                    column=header[col],
                    token=cell,
                )
            seen.add(neighbour.area_code)
            band_text = row[band_of[col]].strip()
            band = normalise_closeness(band_text) if band_text not in _NO_NEIGHBOURS else None
            if band_text not in _NO_NEIGHBOURS and band is None:
                raise DataFormatError(
                    file,
                    f"unknown closeness band {band_text!r} (expected one of "
                    f"{', '.join(c.value for c in Closeness)})",
                    row=row_no,
                    column=header[band_of[col]],
                    token=band_text,
                    rule="BI-33",
                )
            if band_text != band and band is not None:
                report.coercions["closeness_normalised"] += 1
            records.append((release, area.area_code, rank, neighbour.area_code, band))
        report.rows_loaded += 1
    return pd.DataFrame.from_records(records, columns=list(NEIGHBOURS_COLUMNS))


def load_neighbours(paths: list[Path], resolver: AreaResolver) -> LoadResult:
    """Load every neighbour file; files of the same release must agree pair by pair."""
    result = LoadResult()
    by_release: dict[str, tuple[str, pd.DataFrame]] = {}
    long_files = []
    for path in paths:
        if Path(path).suffix.casefold() == ".csv" and set(read_header(path)) >= LONG_COLUMNS:
            long_files.append(Path(path))
            continue
        grid = read_grid(path)
        try:
            _header_row(grid)
        except DataFormatError as exc:  # not a neighbour table: listed, never silent
            result.skipped.append((str(path), exc.message))
            continue
        release = release_of(path)
        report = SourceReport(file=str(path), source_id=SOURCE_ID, sha256=sha256_of(path))
        rows = tidy_neighbours(grid, release, resolver, file=str(path), report=report)
        result.reports.append(report)
        if release in by_release:
            first_file, first = by_release[release]
            _check_agree(first, rows, first_file, str(path))
            merged = pd.concat([first, rows]).drop_duplicates(["area_code", "neighbour_rank"])
            by_release[release] = (first_file, merged)
            report.notes.append(f"agrees with {first_file} on every neighbour both give")
        else:
            by_release[release] = (str(path), rows)
    result.neighbour_frames = [rows for _, rows in by_release.values()]
    loaded = (
        pd.concat(result.neighbour_frames, ignore_index=True)
        if result.neighbour_frames
        else pd.DataFrame(columns=list(NEIGHBOURS_COLUMNS))
    )
    for path in long_files:
        report, check = compare_long_file(path, loaded, resolver)
        result.reports.append(report)
        result.checks.append(check)
    return result


#: The header of the derived long neighbour file (one row per LA x release x rank).
LONG_COLUMNS = frozenset(
    {"sn_version", "la_code", "rank", "neighbour_code", "closeness_normalised"}
)


def compare_long_file(
    path: Path, loaded: pd.DataFrame, resolver: AreaResolver
) -> tuple[SourceReport, dict[str, Any]]:
    """Compare the long neighbour file, pair by pair, with the neighbours loaded from the tables.

    The long file is derived from the published workbooks, so it is not a second source of the
    neighbour table: each (release, LA, rank) it gives must name the same neighbour and
    closeness as the table loaded from the workbooks. The comparison is the check returned.
    """
    raw = read_csv_strict(path, required=tuple(sorted(LONG_COLUMNS)))
    file = str(path)
    report = SourceReport(file=file, source_id=SOURCE_ID, sha256=raw.sha256)
    frame = raw.frame
    report.rows_read = len(frame)
    codes: dict[str, str] = {}
    for column in ("la_code", "neighbour_code"):
        for number in pd.unique(frame[column].str.strip()):
            area = resolver.by_number(str(number))
            if area is None:
                i = int(np.flatnonzero((frame[column].str.strip() == number).to_numpy())[0])
                raise DataFormatError(
                    file,
                    f"unknown LA number {number!r}",
                    row=raw.first_data_row + i,
                    column=column,
                )
            codes[str(number)] = area.area_code
    releases = frame["sn_version"].str.extract(r"((?:19|20)\d\d)")[0]
    if releases.isna().any():
        i = int(np.flatnonzero(releases.isna().to_numpy())[0])
        raise DataFormatError(
            file,
            "sn_version names no release year",
            row=raw.first_data_row + i,
            column="sn_version",
        )
    theirs = pd.DataFrame(
        {
            "sn_release": releases.to_numpy(),
            "area_code": frame["la_code"].str.strip().map(codes).to_numpy(),
            "neighbour_rank": pd.to_numeric(frame["rank"].str.strip()).to_numpy(),
            "neighbour": frame["neighbour_code"].str.strip().map(codes).to_numpy(),
            "band": frame["closeness_normalised"].map(normalise_closeness).to_numpy(),
        }
    )
    ours = loaded.rename(columns={"neighbour_code": "ours", "closeness": "our_band"})
    both = theirs.merge(ours, on=["sn_release", "area_code", "neighbour_rank"], how="left")
    found = both["ours"].notna().to_numpy()
    same = found & (both["neighbour"] == both["ours"]).to_numpy()
    same &= (both["band"].fillna("") == both["our_band"].fillna("")).to_numpy()
    names = {r.area_code: r.area_name for r in resolver.records}
    differences = [
        {
            "area_code": rec["area_code"],
            "area_name": names.get(rec["area_code"], rec["area_code"]),
            "release": rec["sn_release"],
            "measure": f"neighbour {int(rec['neighbour_rank'])}",
            "values": {
                "long file": f"{rec['neighbour']} ({rec['band']})",
                "workbooks": f"{rec['ours']} ({rec['our_band']})",
            },
        }
        for rec in both[found & ~same].to_dict(orient="records")
    ]
    report.rows_loaded = len(frame)
    report.notes.append(
        "derived from the neighbour workbooks: compared pair by pair, not stored "
        f"({int(same.sum())} of {int(found.sum())} pairs agree)"
    )
    check = {
        "name": "Statistical neighbours: long file v workbooks",
        "description": (
            "Each (release, LA, rank) of the derived long neighbour file against the neighbour "
            "and closeness band loaded from the published workbooks."
        ),
        "sources": ["statistical_neighbours_long.csv", "neighbour workbooks"],
        "tolerance": "identical neighbour and closeness band",
        "compared": int(found.sum()),
        "agreeing": int(same.sum()),
        "not_compared": int((~found).sum()),
        "differences": differences,
    }
    return report, check


def _check_agree(a: pd.DataFrame, b: pd.DataFrame, file_a: str, file_b: str) -> None:
    both = a.merge(b, on=["area_code", "neighbour_rank"], suffixes=("_a", "_b"))
    differ = both[both["neighbour_code_a"] != both["neighbour_code_b"]]
    if len(differ):
        first = differ.iloc[0]
        raise DataFormatError(
            file_b,
            f"disagrees with {file_a}: neighbour {first['neighbour_rank']} of {first['area_code']}"
            f" is {first['neighbour_code_b']} here but {first['neighbour_code_a']} there",
            column=f"SN{first['neighbour_rank']}",
        )
