"""ONS mid-year population estimates by single year of age (MYE2 persons), as child age groups.

A CSV with the header ``Code, Name, Geography, All ages, 0, 1, ..., 89, 90+`` (title rows
removed; the year is read from the file name, e.g. ``mye24tablesew`` = mid-2024, or from a
``year``/``time_period`` column). Stored for England, the regions and the upper-tier authorities
(districts, metropolitan counties, Wales and England-and-Wales rows are rejected and counted):
children aged 0-4, 5-10, 11-15, 16-17 and 0-15 (sums of single years; topic "Context: need",
calendar year of the estimate, label "mid-2024"). These are the denominators of the DWP
low-income rates (``data.need_rates``), and 0-15 + 16-17 is checked against the ONS 0-17 file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data.areas import AreaLookupError, AreaResolver, check_lifetimes
from data.cells import parse_value_column
from data.csvio import RawCsv, read_csv_strict
from data.errors import DataFormatError
from data.loaders.common import LoadResult, SourceReport, indicator_rows, values_frame
from data.schema import (
    ENGLAND_CODE,
    LA_CODE_RE,
    REGION_CODE_RE,
    GeographicLevel,
    Polarity,
    ValueType,
)

SOURCE_ID = "ons_population_age"
SOURCE_URL = (
    "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/"
    "populationestimates/datasets/populationestimatesforukenglandandwalesscotlandandnorthernireland"
)
TOPIC = "Context: need"
PREFIX = "ons_population_age_"
#: Age groups stored: (first age, last age).
GROUPS: tuple[tuple[int, int], ...] = ((0, 4), (5, 10), (11, 15), (16, 17), (0, 15))


def year_of(raw: RawCsv) -> int:
    """The estimate's year: a year column, else ``mye24``/``mid-2024``/``2024`` in the name."""
    for column in ("year", "time_period", "Year"):
        if column in raw.header:
            values = pd.unique(raw.frame[column].str.strip())
            if len(values) == 1 and re.fullmatch(r"\d{4}", str(values[0])):
                return int(values[0])
            raise DataFormatError(
                str(raw.path), f"expected one year in {column!r}", row=2, column=column
            )
    name = raw.path.stem.casefold()
    if m := re.search(r"mye(\d\d)(?!\d)", name):
        return 2000 + int(m.group(1))
    if m := re.search(r"(?<!\d)(20\d\d)(?!\d)", name):
        return int(m.group(1))
    raise DataFormatError(
        str(raw.path),
        "cannot tell the estimate's year: name the file e.g. mye24... or add a year column",
    )


def tidy_population(raw: RawCsv, resolver: AreaResolver, *, report: SourceReport) -> pd.DataFrame:
    """Child age-group populations of one single-year-of-age table. Pure."""
    file = str(raw.path)
    frame = raw.frame
    year = year_of(raw)
    report.rows_read = len(frame)
    codes = frame["Code"].str.strip()
    keep = (
        codes.str.match(LA_CODE_RE.pattern)
        | codes.str.match(REGION_CODE_RE.pattern)
        | (codes == ENGLAND_CODE)
    )
    dropped = np.flatnonzero(~keep.to_numpy())
    report.reject(
        "not England, a region or an upper-tier authority",
        raw.first_data_row + dropped,
        rule="BI-43",
        column="Code",
        tokens=codes.iloc[dropped].tolist(),
    )
    sub = frame[keep.to_numpy()]
    rows = raw.first_data_row + np.flatnonzero(keep.to_numpy())
    area, level = [], []
    for code, name, row in zip(sub["Code"].str.strip(), sub["Name"], rows, strict=True):
        try:
            if code == ENGLAND_CODE:
                area.append(ENGLAND_CODE)
                level.append(str(GeographicLevel.NATIONAL))
            elif REGION_CODE_RE.match(code):
                area.append(resolver.resolve_region(code, name))
                level.append(str(GeographicLevel.REGIONAL))
            else:
                area.append(resolver.resolve_la("", code, name))
                level.append(str(GeographicLevel.LOCAL_AUTHORITY))
        except AreaLookupError as exc:
            raise DataFormatError(file, str(exc), row=int(row), column="Code", token=code) from exc
    ages: dict[int, np.ndarray] = {}
    for age in range(0, max(last for _, last in GROUPS) + 1):
        column = str(age)
        if column not in raw.header:
            raise DataFormatError(
                file, f"header lacks the age column {column!r}", row=1, column=column
            )
        parsed = parse_value_column(sub[column], file=file, column=column, first_row=0)
        if np.isnan(parsed.value).any():
            i = int(np.flatnonzero(np.isnan(parsed.value))[0])
            raise DataFormatError(
                file,
                "population estimates have no missing values",
                row=int(rows[i]),
                column=column,
            )
        report.coercions.update(parsed.coercions)
        ages[age] = parsed.value
    frames = [
        values_frame(
            indicator_id=f"{PREFIX}{first}_{last}",
            area_code=np.array(area, dtype=object),
            geographic_level=np.array(level, dtype=object),
            time_period=np.int32(year),
            time_identifier="Calendar year",
            year_end=np.int16(year),
            value=sum(ages[a] for a in range(first, last + 1)),
            period_label=f"mid-{year}",
            source_id=SOURCE_ID,
        )
        for first, last in GROUPS
    ]
    values = pd.concat(frames, ignore_index=True)
    check_lifetimes(
        resolver, values, file=file, row_numbers=np.tile(rows, len(GROUPS)), column="Code"
    )
    report.rows_loaded = len(sub)
    report.values_written = len(values)
    report.indicators = len(GROUPS)
    report.notes.append(f"mid-{year} estimates; ages summed into {len(GROUPS)} child age groups")
    return values


def _meta(first: int, last: int) -> dict[str, Any]:
    return {
        "indicator_id": f"{PREFIX}{first}_{last}",
        "title": f"Children aged {first}-{last} (ONS mid-year population estimate)",
        "short_title": f"Population aged {first}-{last}",
        "topic": TOPIC,
        "unit": "children",
        "decimals": 0,
        "polarity": str(Polarity.NONE),
        "time_identifier": "Calendar year",
        "source_id": SOURCE_ID,
        "source_code": f"MYE2 persons, sum of single years of age {first} to {last}",
        "source_url": SOURCE_URL,
        "description": (
            "ONS mid-year population estimate (persons) summed over single years of age; "
            "boundaries of the estimate's release. Context, not performance."
        ),
        "no_quartile": False,
        "value_type": str(ValueType.COUNT),
        "multiplier": None,
        "year_type": "Calendar Year",
        "data_owner": "ONS",
        "derivation": f"sum of the single-year-of-age columns {first} to {last}",
    }


def load_population_age(paths: list[Path], resolver: AreaResolver) -> LoadResult:
    """Load every single-year-of-age table."""
    result = LoadResult()
    for path in map(Path, paths):
        raw = read_csv_strict(path, required=("Code", "Name", "Geography"))
        report = SourceReport(file=str(path), source_id=SOURCE_ID, sha256=raw.sha256)
        result.value_frames.append(tidy_population(raw, resolver, report=report))
        result.reports.append(report)
    if result.value_frames:
        result.indicator_frames.append(indicator_rows([_meta(a, b) for a, b in GROUPS]))
    return result
