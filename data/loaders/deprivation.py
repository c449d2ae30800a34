"""English Indices of Deprivation (MHCLG): local-authority summaries as measures of need.

Workbooks recognised by their sheets' first header cell ("Upper Tier Local Authority District
code (2019)" / "Local Authority District code (2019)"; the year in brackets is the release).
Column names carry trailing and double spaces; they are matched after folding spaces and case.

Stored (topic "Context: need", polarity none, period: the release year, a calendar year):

* IDACI average score: the population-weighted average of the LSOAs' share of children aged
  0-15 living in income-deprived families (0-1);
* IDACI: % of the area's LSOAs in the most deprived 10% nationally;
* IMD average score and % of LSOAs in the most deprived 10% (the overall index).

The upper-tier file covers the authorities of its year (IoD2019: 151, on April 2019 geography:
Northamptonshire and Cumbria whole; North Yorkshire, Somerset and Buckinghamshire under their
former codes, stored under the current ones). The four authorities created later (North and
West Northamptonshire, Cumberland, Westmorland and Furness) are **estimated** from the
lower-tier file: the average of their former districts (``data/district_successors.csv``)
weighted by population (income-deprived people / income score, i.e. the population the IoD
used), with ``value_status`` "est". A share of LSOAs weighted by population rather than by
LSOA count is an approximation too. The same method applied to the two abolished counties is
compared with their published values (a check in the manifest: the estimates' error).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data.areas import AreaLookupError, AreaResolver, check_lifetimes
from data.cells import parse_value_column
from data.checks import compare
from data.csvio import read_csv_strict, sha256_of
from data.errors import DataFormatError
from data.loaders.common import LoadResult, SourceReport, indicator_rows, values_frame
from data.schema import GeographicLevel, Polarity, ValueType
from data.workbooks import Sheet, column_letter, read_sheets

SOURCE_ID = "iod"
SOURCE_URL = "https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019"
TOPIC = "Context: need"
SUCCESSORS_FILE = Path(__file__).resolve().parents[1] / "district_successors.csv"
ESTIMATE = "est"


@dataclass(frozen=True, slots=True)
class Measure:
    """One stored measure: sheet, column (folded), id, labels, scale."""

    sheet: str
    column: str
    indicator_id: str
    title: str
    unit: str
    decimals: int
    value_type: ValueType
    scale: float


MEASURES: tuple[Measure, ...] = (
    Measure(
        "IDACI",
        "idaci - average score",
        "iod_idaci_average_score",
        "Income Deprivation Affecting Children Index (IDACI): average score",
        "score (share of children 0-15 in income-deprived families)",
        3,
        ValueType.MEAN,
        1.0,
    ),
    Measure(
        "IDACI",
        "idaci - proportion of lsoas in most deprived 10% nationally",
        "iod_idaci_lsoas_most_deprived_10pct",
        "IDACI: % of neighbourhoods (LSOAs) in the most deprived 10% nationally",
        "%",
        1,
        ValueType.PROPORTION,
        100.0,
    ),
    Measure(
        "IMD",
        "imd - average score",
        "iod_imd_average_score",
        "Index of Multiple Deprivation (IMD): average score",
        "score",
        2,
        ValueType.MEAN,
        1.0,
    ),
    Measure(
        "IMD",
        "imd - proportion of lsoas in most deprived 10% nationally",
        "iod_imd_lsoas_most_deprived_10pct",
        "IMD: % of neighbourhoods (LSOAs) in the most deprived 10% nationally",
        "%",
        1,
        ValueType.PROPORTION,
        100.0,
    ),
)
_WEIGHT_COLUMNS = ("income - average score", "income scale")


def fold(text: str) -> str:
    """A header folded for matching: case and runs of spaces."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True, slots=True)
class Table:
    """One IoD sheet: area codes, names, row numbers and folded column -> cells."""

    file: str
    sheet: str
    tier: str
    release: int
    codes: list[str]
    names: list[str]
    rows: np.ndarray
    cells: dict[str, list[str]]
    letters: dict[str, str]
    code_header: str


def read_tables(path: Path) -> dict[str, Table]:
    """The IMD, IDACI and Income sheets of an IoD summary workbook, by sheet name. I/O only."""
    out: dict[str, Table] = {}
    for sheet in read_sheets(path, sheets=lambda n: n.strip() in ("IMD", "IDACI", "Income")):
        table = _table(sheet, str(path))
        if table is not None:
            out[sheet.name.strip()] = table
    return out


def _table(sheet: Sheet, file: str) -> Table | None:
    if not sheet.rows:
        return None
    header = [fold(h) for h in sheet.rows[0]]
    m = re.match(r"(upper tier )?local authority district code \((\d{4})\)", header[0])
    if m is None:
        return None
    body = list(sheet.rows[1:])
    keep = [i for i, r in enumerate(body) if any(c.strip() for c in r)]
    cells = {
        h: [body[i][j] if j < len(body[i]) else "" for i in keep] for j, h in enumerate(header)
    }
    return Table(
        file=file,
        sheet=sheet.name,
        tier="upper" if m.group(1) else "lower",
        release=int(m.group(2)),
        codes=[body[i][0].strip() for i in keep],
        names=[body[i][1].strip() if len(body[i]) > 1 else "" for i in keep],
        rows=np.array(keep, dtype=int) + 2,
        cells=cells,
        letters={h: column_letter(j) for j, h in enumerate(header)},
        code_header=sheet.rows[0][0].strip(),
    )


def _numbers(table: Table, column: str) -> np.ndarray:
    if column not in table.cells:
        raise DataFormatError(
            table.file,
            f"sheet {table.sheet!r} lacks the column {column!r}",
            row=1,
        )
    try:
        parsed = parse_value_column(
            pd.Series(table.cells[column], dtype=object),
            file=table.file,
            column=table.letters[column],
            first_row=0,
        )
    except DataFormatError as exc:
        raise DataFormatError(
            table.file,
            exc.message,
            row=int(table.rows[exc.row or 0]),
            column=exc.column,
            token=exc.token,
        ) from exc
    if np.isnan(parsed.value).any():
        i = int(np.flatnonzero(np.isnan(parsed.value))[0])
        raise DataFormatError(
            table.file,
            "IoD summaries have no missing values",
            row=int(table.rows[i]),
            column=table.letters[column],
        )
    return parsed.value


@dataclass(frozen=True, slots=True)
class Successor:
    """A district, the authority that took it over, and the county it belonged to."""

    district: str
    successor: str
    parent: str


def load_successors(path: Path = SUCCESSORS_FILE) -> tuple[Successor, ...]:
    """Read ``data/district_successors.csv``."""
    raw = read_csv_strict(path, required=("district_code", "successor_code", "parent_code"))
    return tuple(
        Successor(
            r["district_code"].strip(), r["successor_code"].strip(), r["parent_code"].strip()
        )
        for r in raw.frame.to_dict(orient="records")
    )


def _resolve(table: Table, resolver: AreaResolver) -> list[str]:
    out = []
    for code, name, row in zip(table.codes, table.names, table.rows, strict=True):
        try:
            out.append(resolver.resolve_la("", code, name))
        except AreaLookupError as exc:
            raise DataFormatError(
                table.file,
                str(exc),
                row=int(row),
                column=table.letters[next(iter(table.cells))],
                token=code,
            ) from exc
    return out


def _weighted(lower: dict[str, Table], districts: list[str]) -> dict[str, float] | None:
    """Population-weighted averages of the districts' measures (None if one is missing)."""
    income = lower["Income"]
    index = {c: i for i, c in enumerate(income.codes)}
    if any(d not in index for d in districts):
        return None
    score, scale = (_numbers(income, c) for c in _WEIGHT_COLUMNS)
    weights = np.array([scale[index[d]] / score[index[d]] for d in districts])
    out = {}
    for m in MEASURES:
        table = lower[m.sheet]
        where = {c: i for i, c in enumerate(table.codes)}
        if any(d not in where for d in districts):
            return None
        values = _numbers(table, m.column)[[where[d] for d in districts]]
        out[m.indicator_id] = float((values * weights).sum() / weights.sum()) * m.scale
    return out


@dataclass
class IodFile:
    """One IoD summary workbook: its sheets and row accounting."""

    path: Path
    tables: dict[str, Table]
    report: SourceReport

    @property
    def tier(self) -> str:
        """``upper`` or ``lower``."""
        return next(iter(self.tables.values())).tier

    @property
    def release(self) -> int:
        """The IoD release year (2019)."""
        return next(iter(self.tables.values())).release

    def count(self, sheets: tuple[str, ...], used: set[str] | None = None, why: str = "") -> None:
        """Account for the rows of some sheets (rows of districts not in ``used`` rejected)."""
        for name in sheets:
            table = self.tables[name]
            unused = [i for i, c in enumerate(table.codes) if used is not None and c not in used]
            self.report.rows_read += len(table.codes)
            self.report.rows_loaded += len(table.codes) - len(unused)
            self.report.reject(
                f"{why} (sheet {name!r})",
                table.rows[unused],
                rule="BI-43",
                column=table.code_header,
                tokens=[table.codes[i] for i in unused],
            )


def _published(
    upper: IodFile, resolver: AreaResolver
) -> tuple[pd.DataFrame, dict[tuple[str, str], float]]:
    """The upper-tier values, and a lookup (indicator, area) -> value for the method check."""
    frames, lookup = [], {}
    for m in MEASURES:
        table = upper.tables[m.sheet]
        codes = _resolve(table, resolver)
        value = _numbers(table, m.column) * m.scale
        lookup.update({(m.indicator_id, c): float(v) for c, v in zip(codes, value, strict=True)})
        frames.append(_frame(m.indicator_id, codes, value, [None] * len(codes), upper.release))
    upper.count(("IMD", "IDACI"))
    upper.report.notes.append(f"IoD{upper.release} upper-tier summaries")
    return pd.concat(frames, ignore_index=True), lookup


def _estimates(
    lower: IodFile, covered: set[str], successors: tuple[Successor, ...]
) -> tuple[pd.DataFrame | None, set[str]]:
    """Estimates (status "est") for authorities the upper tier lacks; the districts used."""
    groups: dict[str, list[str]] = {}
    for s in successors:
        if s.successor not in covered:
            groups.setdefault(s.successor, []).append(s.district)
    frames, used = [], set()
    for code, districts in sorted(groups.items()):
        est = _weighted(lower.tables, districts)
        if est is None:
            continue
        used.update(districts)
        for indicator, value in est.items():
            frames.append(_frame(indicator, [code], np.array([value]), [ESTIMATE], lower.release))
    return (pd.concat(frames, ignore_index=True) if frames else None), used


def _method_check(
    lower: IodFile,
    published: dict[tuple[str, str], float],
    successors: tuple[Successor, ...],
    resolver: AreaResolver,
) -> tuple[dict[str, Any] | None, set[str]]:
    """The estimate method applied to the abolished counties, against their published values."""
    rows, used = [], set()
    label = f"IoD{lower.release}"
    for parent in sorted({s.parent for s in successors}):
        districts = [s.district for s in successors if s.parent == parent]
        est = _weighted(lower.tables, districts)
        code = resolver.resolve_la("", parent, "")
        for indicator, value in (est or {}).items():
            if (indicator, code) in published:
                used.update(districts)
                pub = published[(indicator, code)]
                rows.append((indicator, code, lower.release, label, value, pub))
    if not rows:
        return None, used
    frame = pd.DataFrame(
        rows, columns=["measure", "area_code", "time_period", "period_label", "est", "pub"]
    )
    check = compare(
        frame.drop(columns="pub").rename(columns={"est": "value"}),
        frame.drop(columns="est").rename(columns={"pub": "value"}),
        name="IoD: estimate method v published county values",
        description=(
            "The population-weighted district average used to estimate the authorities created "
            "after the IoD release, applied to the counties they came from and compared with "
            "the counties' published values: the size of the estimates' error."
        ),
        sources=("estimate from districts", "published (upper tier)"),
        tolerance=0.02,
        tolerance_text="2% of the published value",
        names={r.area_code: r.area_name for r in resolver.records},
        relative=True,
    )
    return check, used


def load_deprivation(paths: list[Path], resolver: AreaResolver) -> LoadResult:
    """Load IoD upper-tier summaries, estimates for later authorities, and the method's check."""
    result = LoadResult()
    files = []
    for path in map(Path, paths):
        tables = read_tables(path)
        if tables:
            report = SourceReport(file=str(path), source_id=SOURCE_ID, sha256=sha256_of(path))
            files.append(IodFile(path, tables, report))
            result.reports.append(report)
    successors = load_successors()
    names = {r.area_code: r.area_name for r in resolver.records}
    for upper in (f for f in files if f.tier == "upper"):
        values, published = _published(upper, resolver)
        frames = [values]
        covered = set(values["area_code"])
        for lower in (f for f in files if f.tier == "lower" and f.release == upper.release):
            estimates, used = _estimates(lower, covered, successors)
            check, checked = _method_check(lower, published, successors, resolver)
            if estimates is not None:
                frames.append(estimates)
                done = sorted(set(estimates["area_code"]))
                lower.report.notes.append(
                    "estimates (value_status 'est') for " + ", ".join(names[c] for c in done)
                )
            if check is not None:
                result.checks.append(check)
            lower.count(
                ("IMD", "IDACI", "Income"),
                used | checked,
                "district not needed (only former districts of later authorities are)",
            )
        out = pd.concat(frames, ignore_index=True)
        check_lifetimes(
            resolver,
            out,
            file=str(upper.path),
            row_numbers=np.arange(len(out)) + 2,
            column="code",
            lenient=upper.report,
        )
        upper.report.values_written = len(out)
        upper.report.indicators = len(MEASURES)
        result.value_frames.append(out)
    for lower in (f for f in files if f.tier == "lower" and not f.report.rows_read):
        lower.count(tuple(lower.tables), set(), "no upper-tier file of the same release")
    if result.value_frames:
        result.indicator_frames.append(indicator_rows([_meta(m) for m in MEASURES]))
    return result


def _frame(
    indicator: str, codes: list[str], value: np.ndarray, status: list[str | None], release: int
) -> pd.DataFrame:
    return values_frame(
        indicator_id=indicator,
        area_code=np.array(codes, dtype=object),
        geographic_level=str(GeographicLevel.LOCAL_AUTHORITY),
        time_period=np.int32(release),
        time_identifier="Calendar year",
        year_end=np.int16(release),
        value=np.asarray(value, dtype=float),
        value_status=np.array(status, dtype=object),
        period_label=f"IoD{release}",
        source_id=SOURCE_ID,
    )


def _meta(m: Measure) -> dict[str, Any]:
    return {
        "indicator_id": m.indicator_id,
        "title": m.title,
        "short_title": m.title.split(":")[0] + (" %" if m.unit == "%" else " score"),
        "topic": TOPIC,
        "unit": m.unit,
        "decimals": m.decimals,
        "polarity": str(Polarity.NONE),
        "time_identifier": "Calendar year",
        "source_id": SOURCE_ID,
        "source_code": f"IoD local authority summaries (upper tier), sheet {m.sheet}: {m.column}",
        "source_url": SOURCE_URL,
        "description": (
            "English Indices of Deprivation, local-authority summary (MHCLG). A measure of need, "
            "not of performance: no better direction. Releases are not comparable over time. "
            "Authorities created after the release are estimated from their former districts "
            "(value_status 'est'; see docs/data_log.md)."
        ),
        "no_quartile": False,
        "value_type": str(m.value_type),
        "multiplier": 100.0 if m.unit == "%" else None,
        "year_type": "Calendar Year",
        "data_owner": "MHCLG",
        "derivation": (
            "Published upper-tier values; for authorities created later, the population-"
            "weighted mean of their former districts (weights: income scale / income score), "
            "status 'est'."
            + (
                " The share is stored as a % (published as a proportion)."
                if m.scale == 100
                else ""
            )
        ),
    }
