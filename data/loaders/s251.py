"""Section 251 outturn: children and young people's services spend by local authority.

Two shapes are read:

* **LAIT finance table** (``s251/lait_s251_childrens_services_finance.csv``): gross spend (£)
  on the main service groups and weekly unit costs (£ per child per week), 2016-17 onwards, for
  LAs, regions and England. Recognised by its header.
* **Line-level outturn** in any of DfE's layouts (CSV underlying data, Table A1 workbooks, EES
  files; ``.csv``, ``.xlsx`` or ``.ods``): see ``data.loaders.s251_line_files`` (reading) and
  ``data.loaders.s251_line_level`` (tidying). Where two files give the same value (e.g. the EES
  LA file and a Table A1 workbook for 2016-17), the better source is kept (``settle_overlaps``)
  and the comparison recorded as a check in the manifest.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from data.areas import AreaLookupError, AreaResolver, check_lifetimes
from data.cells import parse_value_column
from data.csvio import RawCsv, read_csv_strict, sha256_of
from data.errors import DataFormatError
from data.loaders.common import (
    LoadResult,
    SourceReport,
    check_unique_keys,
    indicator_rows,
    slug,
    values_frame,
    with_origin,
)
from data.loaders.s251_line_files import detect_layout, near_miss, read_line_file
from data.loaders.s251_line_level import LineValues, tidy_line_file
from data.loaders.s251_lines import load_line_table
from data.periods import PeriodError, financial_year_label
from data.schema import ENGLAND_CODE, GeographicLevel, Polarity, ValueType

SOURCE_ID = "s251"
SOURCE_URL = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/la-and-school-expenditure"
)
TOPIC = "Spend (section 251)"

LAIT_FINANCE_COLUMNS = (
    "financial_year",
    "lait_years_label",
    "la_number",
    "area_name",
    "measure_short",
    "measure",
    "unit",
    "value",
)


def is_lait_finance(header: tuple[str, ...]) -> bool:
    """Whether a header is the LAIT finance table's."""
    return set(LAIT_FINANCE_COLUMNS) <= set(header)


def is_line_level(header: tuple[str, ...]) -> bool:
    """Whether a header is (or nearly is) a line-level outturn file's: columns, not name.

    A near miss (e.g. a renamed ``Description`` column) counts, so that the loader stops with
    an error naming the missing column rather than the file being skipped.
    """
    return detect_layout(header) is not None or near_miss(header) is not None


# ---------------------------------------------------------------------------------------------
# LAIT finance table
# ---------------------------------------------------------------------------------------------
def _finance_unit(unit: str) -> tuple[str, str]:
    low = unit.casefold()
    if "per child per week" in low:
        return "£ per child per week", "weekly unit cost"
    if "gbp" in low or "£" in low:
        return "£", "gross spend"
    raise ValueError(unit)


def tidy_lait_finance(
    raw: RawCsv, resolver: AreaResolver, *, report: SourceReport
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values and indicators from the LAIT finance table. Pure.

    ``value`` is parsed strictly (``-`` = missing); the file's ``value_num`` column, when
    present, must agree with it.
    """
    file = str(raw.path)
    frame = raw.frame
    report.rows_read = len(frame)
    first = raw.first_data_row
    parsed = parse_value_column(frame["value"], file=file, column="value", first_row=first)
    report.coercions.update(parsed.coercions)
    if "value_num" in frame.columns:
        check = pd.to_numeric(frame["value_num"].str.strip().replace("", None), errors="coerce")
        both = np.isfinite(parsed.value) | check.notna().to_numpy()
        differ = both & ~np.isclose(parsed.value, check.to_numpy(dtype=float), equal_nan=True)
        if differ.any():
            i = int(np.flatnonzero(differ)[0])
            raise DataFormatError(
                file,
                f"value {frame['value'].iloc[i]!r} and value_num {frame['value_num'].iloc[i]!r} "
                "disagree",
                row=first + i,
                column="value_num",
            )

    periods = {}
    for label in frame["financial_year"].unique():
        try:
            periods[label] = financial_year_label(label)
        except PeriodError as exc:
            i = int(np.flatnonzero((frame["financial_year"] == label).to_numpy())[0])
            raise DataFormatError(
                file, str(exc), row=first + i, column="financial_year", token=label
            ) from exc
    areas = {}
    for number, name in (
        frame[["la_number", "area_name"]].drop_duplicates().itertuples(index=False)
    ):
        try:
            areas[number] = resolver.resolve_lait_number(number)
            if number.strip().isdigit() and int(number) < 970:
                resolver.resolve_la(number, "", name)
        except (AreaLookupError, ValueError) as exc:
            i = int(np.flatnonzero((frame["la_number"] == number).to_numpy())[0])
            column = exc.column if isinstance(exc, AreaLookupError) else "la_number"
            raise DataFormatError(file, str(exc), row=first + i, column=column) from exc

    meta = []
    for code, grp in frame.groupby("measure_short", sort=True):
        unit_text = grp["unit"].iloc[0]
        try:
            unit, kind = _finance_unit(unit_text)
        except ValueError as exc:
            i = int(grp.index[0])
            raise DataFormatError(
                file, f"unknown unit {unit_text!r}", row=first + i, column="unit"
            ) from exc
        meta.append(
            {
                "indicator_id": f"s251_{slug(str(code))}",
                "title": f"{grp['measure'].iloc[0]} ({kind}, £)",
                "short_title": grp["measure"].iloc[0],
                "topic": TOPIC,
                "unit": unit,
                "decimals": 0,
                "polarity": str(Polarity.NONE),
                "time_identifier": "Financial year",
                "source_id": SOURCE_ID,
                "source_code": str(code),
                "source_url": SOURCE_URL,
                "description": (
                    "Section 251 outturn as published in DfE's LAIT: "
                    + (
                        "gross expenditure, £ (cash)."
                        if unit == "£"
                        else "unit cost, £ per child per week (cash)."
                    )
                    + " Spend has no better direction: it is ranked highest to lowest."
                ),
                "no_quartile": False,
                "value_type": str(ValueType.CURRENCY),
                "multiplier": None,
                "year_type": "Financial Year",
                "data_owner": "DfE",
                "derivation": None,
            }
        )
    codes = np.array([areas[n] for n in frame["la_number"]], dtype=object)
    numbers = pd.to_numeric(frame["la_number"], errors="coerce").to_numpy()
    levels = np.where(
        codes == ENGLAND_CODE,
        str(GeographicLevel.NATIONAL),
        np.where(
            numbers > 970, str(GeographicLevel.REGIONAL), str(GeographicLevel.LOCAL_AUTHORITY)
        ),
    )
    pers = [periods[y] for y in frame["financial_year"]]
    out = values_frame(
        indicator_id=["s251_" + slug(c) for c in frame["measure_short"]],
        area_code=codes,
        geographic_level=levels,
        time_period=np.array([p.time_period for p in pers], dtype=np.int32),
        time_identifier=[p.time_identifier for p in pers],
        year_end=np.array([p.year_end for p in pers], dtype=np.int16),
        value=parsed.value,
        value_status=parsed.status,
        period_label=frame["lait_years_label"].to_numpy(dtype=object),
        source_id=SOURCE_ID,
    )
    rows = first + np.arange(len(out))
    out = with_origin(out, file=file, rows=rows, column="value")
    check_unique_keys(out, file=file, row_numbers=rows, column="financial_year")
    check_lifetimes(resolver, out, file=file, row_numbers=rows, column="la_number")
    report.rows_loaded = len(frame)
    report.values_written = len(out)
    report.indicators = len(meta)
    return out, indicator_rows(meta)


# ---------------------------------------------------------------------------------------------
# Loading every s251 file
# ---------------------------------------------------------------------------------------------
def load_s251(paths: list[Path], resolver: AreaResolver) -> LoadResult:
    """Load every s251 file recognised by its header (CSV or workbook).

    Raises:
        DataFormatError: Bad input, naming the file, row and column.
    """
    result = LoadResult()
    table = None
    lines: list[LineValues] = []
    for path in paths:
        path = Path(path)
        if path.suffix.casefold() == ".csv":
            raw = read_csv_strict(path)
            if is_lait_finance(raw.header):
                report = SourceReport(file=str(path), source_id=SOURCE_ID, sha256=raw.sha256)
                values, meta = tidy_lait_finance(raw, resolver, report=report)
                result.value_frames.append(values)
                result.indicator_frames.append(meta)
                result.reports.append(report)
                continue
        line_file = read_line_file(path)
        if line_file is None:
            result.skipped.append((str(path), "header not recognised as an s251 table"))
            continue
        table = table or load_line_table()
        report = SourceReport(file=str(path), source_id=SOURCE_ID, sha256=sha256_of(path))
        lines.append(tidy_line_file(line_file, table, resolver, report=report))
    if lines:
        line_values, check = settle_overlaps(lines)
        result.value_frames += line_values
        result.indicator_frames.append(
            pd.concat([part.meta for part in lines], ignore_index=True).drop_duplicates(
                "indicator_id", keep="last"
            )
        )
        result.reports += [part.report for part in lines]
        if check is not None:
            result.checks.append(check)
    return result


def settle_overlaps(parts: list[LineValues]) -> tuple[list[pd.DataFrame], dict | None]:
    """Keep one value per (indicator, area, period) when line-level files overlap.

    The file of higher rank wins (the unrounded EES file over the LA tables over the £ million
    summary), then the one reaching the later year (a later release), then the first read. The
    dropped values are compared with the kept ones: a check "s251 overlapping files" lists
    every difference beyond half a pound (£5,000 against the £ million summary).

    Returns:
        The values frames to store, and the check (None when no files overlap).
    """
    order = sorted(range(len(parts)), key=lambda i: (-parts[i].rank, -parts[i].last_period, i))
    key = ["indicator_id", "area_code", "time_period"]
    kept: list[pd.DataFrame] = []
    seen: pd.DataFrame | None = None
    compared = agreeing = 0
    differences: list[dict] = []
    files: list[str] = []
    for i in order:
        part = parts[i]
        frame = part.frame
        periods = set(pd.unique(frame["time_period"]))
        if seen is not None and periods & set(pd.unique(seen["time_period"])):
            merged = frame[key].merge(seen, on=key, how="left", indicator=True)
            overlap = (merged["_merge"] == "both").to_numpy()
            if overlap.any():
                files.append(part.report.file)
                mine = frame[overlap]
                theirs = merged[overlap]
                tolerance = 5000.0 if min(part.rank, 2) < 2 else 0.5
                a = mine["value"].to_numpy(dtype=float)
                b = theirs["value"].to_numpy(dtype=float)
                same = (np.isnan(a) & np.isnan(b)) | (np.abs(a - b) <= tolerance)
                compared += int(overlap.sum())
                agreeing += int(same.sum())
                for rec_a, rec_b, va in zip(
                    mine[~same].to_dict("records"),
                    theirs[~same].to_dict("records"),
                    a[~same],
                    strict=True,
                ):
                    differences.append(
                        {
                            "area_code": rec_a["area_code"],
                            "time_period": int(rec_a["time_period"]),
                            "measure": rec_a["indicator_id"],
                            "values": {"kept": rec_b["value"], "dropped": float(va)},
                            "kept_file": rec_b["file"],
                            "dropped_file": part.report.file,
                        }
                    )
                part.report.notes.append(
                    f"{int(overlap.sum())} values also given by a preferred file: not stored"
                )
                part.report.values_written -= int(overlap.sum())
                frame = frame[~overlap]
        kept.append(frame)
        tagged = frame[key].assign(value=frame["value"].to_numpy(), file=part.report.file)
        seen = tagged if seen is None else pd.concat([seen, tagged], ignore_index=True)
    check = None
    if files:
        check = {
            "name": "s251 line-level files that overlap",
            "description": (
                "Values given by more than one s251 line-level file: the preferred file's value "
                "is stored; the other is compared with it."
            ),
            "sources": sorted({p.report.file for p in parts}),
            "tolerance": "£0.50 (£5,000 against the £ million summary)",
            "compared": compared,
            "agreeing": agreeing,
            "differences": differences,
        }
    return kept, check
