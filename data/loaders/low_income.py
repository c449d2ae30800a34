"""DWP Children in Low Income Families: relative low income (before housing costs), by age band.

Stat-Xplore CSV exports, recognised by their content: a title block naming "Relative Low
Income", a ``"Year","2014/15","2014/15 - Annotations",...`` row, then one row per area keyed
by **GSS code**, then ``Total`` and footnotes. The age band comes from the ``Age of Child``
filter line (``0-4``, ``5-10``, ``11-15``...); an export without one counts all children
(DWP's 0-19: under 16, or 16-19 in full-time non-advanced education).

Stored (topic "Context: need", polarity none, counts of children, financial years ending 2015
to 2022 with the publisher's labels, "2021/22 (p)" provisional): one indicator per band, plus
the under-16 count 0-4 + 5-10 + 11-15 (the count behind DWP's headline percentage; status
"derived"). Rates are computed at ingest from the ONS single-year population
(``data.need_rates``). DWP restates every year on the latest geography (here 2022), so new
authorities have values before they existed: kept, counted as "value outside LA lifetime".
Rows outside England (Wales, Scotland, Northern Ireland), ``ZZXXXXXXX`` (unknown) and ``Total``
are rejected and counted. Statistical disclosure control (rounding) means bands need not add
up exactly to DWP's own totals.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data.areas import AreaLookupError, AreaResolver, check_lifetimes
from data.cells import parse_value_column
from data.csvio import decode_utf8
from data.errors import DataFormatError
from data.loaders.common import (
    LoadResult,
    SourceReport,
    check_unique_keys,
    indicator_rows,
    values_frame,
)
from data.periods import PeriodError, financial_year_label
from data.schema import LA_CODE_RE, GeographicLevel, Polarity, ValueType

SOURCE_ID = "dwp_low_income"
SOURCE_URL = "https://www.gov.uk/government/collections/children-in-low-income-families-local-area-statistics"
TOPIC = "Context: need"
PREFIX = "dwp_children_low_income_age_"
UNDER_16 = ("0_4", "5_10", "11_15")
_BAND = re.compile(r"^(\d+)-(\d+)$")


def read_export(path: Path) -> tuple[list[list[str]], str]:
    """The CSV records of an export, and its sha256. I/O only."""
    data = Path(path).read_bytes()
    text, _ = decode_utf8(Path(path), data)
    import hashlib

    return list(csv.reader(text.splitlines())), hashlib.sha256(data).hexdigest()


def band_of(records: list[list[str]], file: str) -> str:
    """The age band of an export (``0_4``), ``0_19`` when it has no age filter."""
    for i, rec in enumerate(records[:20]):
        if len(rec) >= 2 and rec[0].strip().casefold().startswith("age of child"):
            band = rec[1].strip()
            m = _BAND.match(band)
            if m is None:
                raise DataFormatError(file, f"unknown age band {band!r}", row=i + 1, column="B")
            return f"{m.group(1)}_{m.group(2)}"
    return "0_19"


def tidy_export(
    records: list[list[str]], resolver: AreaResolver, *, file: str, report: SourceReport
) -> pd.DataFrame:
    """Values of one export (one age band). Pure."""
    band = band_of(records, file)
    header_at = next((i for i, r in enumerate(records) if r and r[0].strip() == "Year"), None)
    if header_at is None:
        raise DataFormatError(file, "no 'Year' header row")
    header = records[header_at]
    years = [
        (j, h.strip())
        for j, h in enumerate(header)
        if j and h.strip() and "annotation" not in h.casefold()
    ]
    periods = {}
    for j, label in years:
        try:
            periods[j] = financial_year_label(re.sub(r"\s*\(p\)$", "", label))
        except PeriodError as exc:
            raise DataFormatError(file, str(exc), row=header_at + 1, column=label) from exc
    codes: list[str] = []
    rows: list[int] = []
    cells: dict[int, list[str]] = {j: [] for j, _ in years}
    for i in range(header_at + 1, len(records)):
        rec = records[i]
        if not rec or not rec[0].strip() or len(rec) < 2 or not any(c.strip() for c in rec[1:]):
            continue  # blank lines and the geography-type label row
        if rec[0].strip() in ("INFO", "Symbol"):
            break  # footnotes
        report.rows_read += 1
        code = rec[0].strip()
        if code == "Total":
            report.reject("UK total row", [i + 1], rule="BI-43", column="Year", tokens=[code])
            continue
        if not LA_CODE_RE.match(code):
            report.reject(
                "area outside England's upper-tier authorities",
                [i + 1],
                rule="BI-43",
                column="Year",
                tokens=[code],
            )
            continue
        try:
            codes.append(resolver.resolve_la("", code, ""))
        except AreaLookupError as exc:
            raise DataFormatError(file, str(exc), row=i + 1, column="Year", token=code) from exc
        rows.append(i + 1)
        for j, _ in years:
            cells[j].append(rec[j] if j < len(rec) else "")
        report.rows_loaded += 1
    frames = []
    for j, label in years:
        parsed = parse_value_column(
            pd.Series(cells[j], dtype=object), file=file, column=label, first_row=0
        )
        report.coercions.update(parsed.coercions)
        p = periods[j]
        frames.append(
            values_frame(
                indicator_id=f"{PREFIX}{band}",
                area_code=np.array(codes, dtype=object),
                geographic_level=str(GeographicLevel.LOCAL_AUTHORITY),
                time_period=np.int32(p.time_period),
                time_identifier=p.time_identifier,
                year_end=np.int16(p.year_end),
                value=parsed.value,
                value_status=parsed.status,
                period_label=label,
                source_id=SOURCE_ID,
            )
        )
    values = pd.concat(frames, ignore_index=True)
    row_numbers = np.tile(np.array(rows), len(years))
    check_unique_keys(values, file=file, row_numbers=row_numbers, column="Year")
    check_lifetimes(
        resolver, values, file=file, row_numbers=row_numbers, column="Year", lenient=report
    )
    report.values_written = len(values)
    report.notes.append(f"children aged {band.replace('_', '-')}")
    return values


def under_16(values: pd.DataFrame) -> pd.DataFrame:
    """0-4 + 5-10 + 11-15 where all three bands have a row; "derived" (or "nd" if one is NaN)."""
    parts = values[values["indicator_id"].isin([PREFIX + b for b in UNDER_16])]
    key = ["area_code", "time_period"]
    groups = parts.groupby(key, sort=True)
    counts = groups["indicator_id"].nunique()
    full = counts[counts == len(UNDER_16)].index
    if not len(full):
        return values_frame()
    chosen = parts.set_index(key).loc[full].reset_index()
    groups = chosen.groupby(key, sort=True)
    complete = groups["value"].count() == len(UNDER_16)  # count leaves NaN out
    agg = groups[["geographic_level", "time_identifier", "year_end", "period_label"]].first()
    agg = agg.assign(value=groups["value"].sum().where(complete)).reset_index()
    return values_frame(
        indicator_id=f"{PREFIX}0_15",
        area_code=agg["area_code"].to_numpy(dtype=object),
        geographic_level=agg["geographic_level"].to_numpy(dtype=object),
        time_period=agg["time_period"].to_numpy(dtype=np.int32),
        time_identifier=agg["time_identifier"].to_numpy(dtype=object),
        year_end=agg["year_end"].to_numpy(dtype=np.int16),
        value=agg["value"].to_numpy(dtype=float),
        value_status=np.where(np.isfinite(agg["value"]), "derived", "nd").astype(object),
        period_label=agg["period_label"].to_numpy(dtype=object),
        source_id=SOURCE_ID,
    )


def _meta(band: str) -> dict[str, Any]:
    ages = band.replace("_", "-")
    derived = band == "0_15"
    return {
        "indicator_id": f"{PREFIX}{band}",
        "title": f"Children aged {ages} in relative low income families (before housing costs)",
        "short_title": f"Children {ages} in low income families",
        "topic": TOPIC,
        "unit": "children",
        "decimals": 0,
        "polarity": str(Polarity.NONE),
        "time_identifier": "Financial year",
        "source_id": SOURCE_ID,
        "source_code": f"Stat-Xplore: Relative Low Income, age of child {ages}",
        "source_url": SOURCE_URL,
        "description": (
            "DWP Children in Low Income Families: children in families with equivalised income "
            "below 60% of the contemporary median, before housing costs, who claim Child Benefit "
            "and at least one other benefit. A measure of need, not performance. Rounded for "
            "disclosure control; the latest year is provisional '(p)'. DWP restates all years "
            "on the latest (2022) geography."
        ),
        "no_quartile": False,
        "value_type": str(ValueType.COUNT),
        "multiplier": None,
        "year_type": "Financial Year",
        "data_owner": "DWP",
        "derivation": "sum of the 0-4, 5-10 and 11-15 counts (value_status 'derived')"
        if derived
        else None,
    }


def load_low_income(paths: list[Path], resolver: AreaResolver) -> LoadResult:
    """Load every DWP export; add the under-16 sum."""
    result = LoadResult()
    frames = []
    for path in map(Path, paths):
        records, digest = read_export(path)
        report = SourceReport(file=str(path), source_id=SOURCE_ID, sha256=digest)
        frames.append(tidy_export(records, resolver, file=str(path), report=report))
        result.reports.append(report)
    if not frames:
        return result
    values = pd.concat(frames, ignore_index=True)
    dup = values.duplicated(["indicator_id", "area_code", "time_period"])
    if dup.any():
        row = values[dup].iloc[0]
        raise DataFormatError(
            str(paths[-1]),
            f"two exports give {row['indicator_id']} for {row['area_code']} in "
            f"{row['period_label']}",
        )
    extra = under_16(values)
    bands = sorted(
        {i[len(PREFIX) :] for i in values["indicator_id"]} | ({"0_15"} if len(extra) else set())
    )
    result.value_frames += [values, extra]
    result.indicator_frames.append(indicator_rows([_meta(b) for b in bands]))
    return result
