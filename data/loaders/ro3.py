"""MHCLG Revenue Outturn RO3: children's social care spend by service, each authority.

Workbooks (``.ods`` as MHCLG publishes them, or ``.xlsx``) are recognised by a sheet with an
``E-code`` / ``ONS Code`` header row. Two header styles are read: one row of "<service> -
<measure>" texts (2024-25), or the service in the row above a row of measures (2022-23,
2023-24; the hidden RO code rows above are not needed). Only children's social care columns are
loaded: 13 services (``data/ro3_services.csv``) x 7 measures (employees C1 ... net current
expenditure C7) and the agency-staff memorandum item. Money is published in £ thousand and
stored in £ (x 1,000). The year comes from the sheet's title ("... 2024-25 ...") or its name.

Rows: England (``E92000001``, MHCLG's estimate, grossed up for missing returns) and the
children's services authorities (classes UA, MD, LB, SC, matched on the ONS code, names
checked loosely: MHCLG writes "Kent CC", "Medway Towns UA"). Districts, police, fire and the
class-total rows are rejected and counted. ``[x]`` (return not received) and ``[z]`` are kept as
symbols; a ``[note N]`` in a value cell (Gateshead's undivided children looked after in
2024-25) is read as ``[x]`` and counted.

The tidy Parquet derived from these workbooks (``ro3_..._tidy.parquet``) is not stored twice: it
is compared with the workbooks cell for cell and the result recorded as a check.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from data.areas import AreaLookupError, AreaResolver, check_lifetimes
from data.cells import parse_value_column
from data.checks import compare
from data.csvio import sha256_of
from data.errors import DataFormatError
from data.loaders.common import (
    LoadResult,
    SourceReport,
    check_unique_keys,
    constant,
    indicator_rows,
    values_frame,
)
from data.loaders.ro3_services import (
    Service,
    identify_service,
    is_childrens_social_care,
    load_service_table,
    measure_of,
    normalise_service,
)
from data.periods import PeriodError, financial_year_label
from data.reference import normalise_name
from data.schema import ENGLAND_CODE, LA_CODE_RE, GeographicLevel, Polarity, ValueType
from data.workbooks import Sheet, column_letter, is_workbook, peek, read_sheets

SOURCE_ID = "mhclg_ro3"
SOURCE_URL = (
    "https://www.gov.uk/government/statistics/local-authority-revenue-expenditure-and-financing-"
    "england-2024-to-2025-individual-local-authority-data-outturn"
)
TOPIC = "Spend (MHCLG RO3): children's social care"
LA_CLASSES = frozenset({"UA", "MD", "LB", "SC"})
_ID_COLUMNS = 7  # E-code, ONS Code, Local authority, Notes, Class, Detailed Class, Certified
_NAME_NOISE = {
    "ua",
    "cc",
    "mbc",
    "council",
    "city",
    "county",
    "towns",
    "the",
    "upon",
    "on",
    "of",
    "and",
}


def _header_index(rows: tuple[tuple[str, ...], ...]) -> int | None:
    for i, row in enumerate(rows[:40]):
        if row and row[0].strip() == "E-code" and "ONS Code" in (c.strip() for c in row):
            return i
    return None


def _columns(
    sheet: Sheet, h: int, services: tuple[Service, ...], file: str
) -> dict[int, tuple[Service, tuple[str, str]]]:
    """Children's social care columns: index -> (service, measure)."""
    header = sheet.rows[h]
    above = sheet.rows[h - 1] if h else ()
    out: dict[int, tuple[Service, tuple[str, str]]] = {}
    carried = ""
    for j in range(_ID_COLUMNS, len(header)):
        if j < len(above) and above[j].strip():
            carried = above[j]
        text = normalise_service(header[j])
        if not text:
            continue
        if not is_childrens_social_care(text):
            text = normalise_service(f"{carried} - {header[j]}") if carried else text
        if not is_childrens_social_care(text):
            continue
        measure = measure_of(text)
        try:
            service = identify_service(text, services)
        except ValueError as exc:
            raise DataFormatError(file, str(exc), row=h + 1, column=column_letter(j)) from exc
        if measure is None:
            raise DataFormatError(
                file,
                f"RO3 column {text!r} names no measure (C1..C7)",
                row=h + 1,
                column=column_letter(j),
            )
        if service.load:
            out[j] = (service, measure)
    if not out:
        raise DataFormatError(
            file, "no children's social care columns in the RO3 sheet", row=h + 1
        )
    return out


def _year(sheet: Sheet, h: int, file: str) -> str:
    years = {
        f"{m.group(1)}-{m.group(2)}"
        for row in sheet.rows[:h]
        for cell in row
        for m in re.finditer(r"(?<!\d)(20\d\d)-(\d\d)(?!\d)", cell)
    }
    if len(years) == 1:
        return years.pop()
    m = re.search(r"(20\d\d)[-_]?(\d\d)$", sheet.name)
    if not years and m:
        return f"{m.group(1)}-{m.group(2)}"
    raise DataFormatError(
        file,
        f"cannot tell the financial year of sheet {sheet.name!r} (title years: {sorted(years)})",
        row=1,
    )


def _names_agree(published: str, register: str) -> bool:
    """Loose check that MHCLG's name ("Kent CC", "Medway Towns UA") is the register's LA."""

    def words(text: str) -> set[str]:
        return {w for w in normalise_name(text.replace("-", " ")).split() if w not in _NAME_NOISE}

    return bool(words(published) & words(register))


def tidy_ro3_sheet(
    sheet: Sheet,
    resolver: AreaResolver,
    services: tuple[Service, ...],
    *,
    file: str,
    report: SourceReport,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values and indicators of one RO3 data sheet. Pure."""
    h = _header_index(sheet.rows)
    if h is None:
        raise DataFormatError(file, f"sheet {sheet.name!r} has no E-code header row")
    columns = _columns(sheet, h, services, file)
    year = _year(sheet, h, file)
    try:
        period = financial_year_label(year)
    except PeriodError as exc:
        raise DataFormatError(file, str(exc), row=1) from exc
    keep_rows: list[int] = []
    codes: list[str] = []
    header = sheet.rows[h]
    code_column = header[0].strip() if header and header[0].strip() else column_letter(0)
    class_column = header[4].strip() if len(header) > 4 and header[4].strip() else column_letter(4)
    for i in range(h + 1, len(sheet.rows)):
        row = sheet.rows[i]
        if not any(c.strip() for c in row):
            continue
        report.rows_read += 1
        ons = row[1].strip() if len(row) > 1 else ""
        klass = row[4].strip() if len(row) > 4 else ""
        if ons == ENGLAND_CODE:
            codes.append(ENGLAND_CODE)
        elif klass in LA_CLASSES and LA_CODE_RE.match(ons):
            try:
                code = resolver.resolve_la("", ons, "")
            except AreaLookupError as exc:
                raise DataFormatError(
                    file, str(exc), row=i + 1, column="ONS Code", token=ons
                ) from exc
            name = row[2] if len(row) > 2 else ""
            if not _names_agree(name, resolver.record(code).area_name):
                raise DataFormatError(
                    file,
                    f"name {name!r} does not match {ons} ({resolver.record(code).area_name})",
                    row=i + 1,
                    column="Local authority",
                    token=name,
                )
            codes.append(code)
        elif row[0].strip() == "E-code":
            report.reject(
                "header row of the sheet's second table",
                [i + 1],
                rule="BI-46",
                column=code_column,
                tokens=[row[0].strip()],
            )
            continue
        else:
            why = (
                "class total row"
                if klass in LA_CLASSES
                else f"not a children's services authority (class {klass or 'none'})"
            )
            report.reject(
                why,
                [i + 1],
                rule="BI-43",
                column=class_column,
                tokens=[klass],
            )
            continue
        keep_rows.append(i)
    meta: dict[str, dict[str, Any]] = {}
    row_numbers = np.array(keep_rows) + 1
    n = len(keep_rows)
    ids, values_, statuses = [], [], []
    for j, (service, (key, label)) in columns.items():
        cells = pd.Series(
            _notes_as_missing(
                [sheet.rows[i][j] if j < len(sheet.rows[i]) else "" for i in keep_rows], report
            ),
            dtype=object,
        )
        try:
            parsed = parse_value_column(cells, file=file, column=column_letter(j), first_row=0)
        except DataFormatError as exc:
            raise DataFormatError(
                file,
                exc.message,
                row=int(row_numbers[exc.row or 0]),
                column=exc.column,
                token=exc.token,
                rule=exc.rule,
            ) from exc
        report.coercions.update(parsed.coercions)
        indicator = f"ro3_{service.service_id}__{key}"
        ids.append(indicator)
        values_.append(np.round(parsed.value * 1000.0, 2))
        statuses.append(parsed.status)
        meta[indicator] = _meta(indicator, service, label)
    england = np.array(codes, dtype=object) == ENGLAND_CODE
    level = pd.Categorical.from_codes(
        np.tile(england.astype(np.int8), len(ids)),
        categories=pd.Index([str(GeographicLevel.LOCAL_AUTHORITY), str(GeographicLevel.NATIONAL)]),
    )
    values = values_frame(
        indicator_id=pd.Categorical.from_codes(
            np.repeat(np.arange(len(ids)), n), categories=pd.Index(ids)
        ),
        area_code=pd.Categorical(np.tile(np.array(codes, dtype=object), len(ids))),
        geographic_level=level,
        time_period=np.full(n * len(ids), period.time_period, dtype=np.int32),
        time_identifier=constant(period.time_identifier, n * len(ids)),
        year_end=np.full(n * len(ids), period.year_end, dtype=np.int16),
        value=np.concatenate(values_) if values_ else np.array([], dtype=float),
        value_status=np.concatenate(statuses) if statuses else np.array([], dtype=object),
        period_label=constant(year, n * len(ids)),
        source_id=constant(SOURCE_ID, n * len(ids)),
    )
    rows = np.tile(row_numbers, len(ids))
    check_unique_keys(values, file=file, row_numbers=rows, column="ONS Code")
    check_lifetimes(resolver, values, file=file, row_numbers=rows, column="ONS Code")
    report.rows_loaded += len(keep_rows)
    report.values_written += len(values)
    report.notes.append(f"sheet {sheet.name!r}, {year}, £ thousand converted to £")
    return values, indicator_rows(list(meta.values()))


_NOTE = re.compile(r"\s*\[(?:note \d+|n)\]\s*")


def _notes_as_missing(cells: list[str], report: SourceReport) -> list[str]:
    """``[note N]`` and ``[n]`` (no estimate made) in value cells -> ``[x]``, counted."""
    out = []
    for text in cells:
        if text.startswith(("[", " ")) and _NOTE.fullmatch(text):
            what = "'[n]' (no estimate made)" if "[n]" in text else "'[note N]' in a value cell"
            report.coercions[f"{what} read as [x]"] += 1
            text = "[x]"
        out.append(text)
    return out


def _meta(indicator: str, service: Service, label: str) -> dict[str, Any]:
    return {
        "indicator_id": indicator,
        "title": f"{service.title}: {label} (RO3, £)",
        "short_title": f"{service.title}: {label} (RO3)",
        "topic": TOPIC,
        "unit": "£",
        "decimals": 0,
        "polarity": str(Polarity.NONE),
        "time_identifier": "Financial year",
        "source_id": SOURCE_ID,
        "source_code": f"RO3 {service.title} [{label}]",
        "source_url": SOURCE_URL,
        "description": (
            "MHCLG Revenue Outturn RO3 (children's social care), as returned by the authority; "
            "published in £ thousand, stored in £. England is MHCLG's estimate, grossed up "
            "for returns not received. Not the same definitions as DfE's section 251 outturn "
            "(see docs/data_log.md): compare the two with care."
        ),
        "no_quartile": False,
        "value_type": str(ValueType.CURRENCY),
        "multiplier": None,
        "year_type": "Financial Year",
        "data_owner": "MHCLG RO3",
        "derivation": None,
    }


def _read_ro3_sheet(path: Path, services: tuple[Service, ...]) -> Sheet | None:
    """The RO3 data sheet of a workbook, read only as wide as its children's columns. I/O."""
    for sheet in peek(path, rows=40):
        h = _header_index(sheet.rows)
        if h is None:
            continue
        width = max(_columns(sheet, h, services, str(path))) + 1
        found = read_sheets(path, sheets=sheet.name.__eq__, max_columns=width)
        return found[0] if found else None
    return None


def compare_tidy(
    path: Path,
    workbook_values: pd.DataFrame,
    resolver: AreaResolver,
    services: tuple[Service, ...],
    *,
    report: SourceReport,
) -> dict[str, Any]:
    """Compare the derived tidy Parquet with the values read from the workbooks (a check)."""
    file = str(path)
    table = pq.read_table(path).to_pandas()
    report.rows_read = len(table)

    def lookup(column: str, fn: Any) -> np.ndarray:
        uniq = pd.unique(table[column].astype(str))
        found = {}
        for u in uniq:
            try:
                found[u] = fn(u)
            except (ValueError, AreaLookupError, PeriodError) as exc:
                i = int(np.flatnonzero((table[column].astype(str) == u).to_numpy())[0])
                raise DataFormatError(file, str(exc), row=i + 1, column=column, token=u) from exc
        return table[column].astype(str).map(found).to_numpy(dtype=object)

    service = lookup("service", lambda u: identify_service(normalise_service(u), services))
    tidy = pd.DataFrame(
        {
            "measure": [f"ro3_{s.service_id}__" for s in service] + table["measure"].astype(str),
            "area_code": lookup("ons_code", lambda u: resolver.resolve_la("", u, "")),
            "time_period": [p.time_period for p in lookup("financial_year", financial_year_label)],
            "period_label": table["financial_year"].astype(str).to_numpy(),
            "value": table["value_gbp_thousands"].to_numpy(dtype=float) * 1000.0,
        }
    )
    ours = workbook_values[workbook_values["geographic_level"].astype(str) == "Local authority"]
    ours = pd.DataFrame(
        {
            "measure": ours["indicator_id"].astype(str).to_numpy(),
            "area_code": ours["area_code"].astype(str).to_numpy(),
            "time_period": ours["time_period"].to_numpy(dtype=int),
            "period_label": ours["period_label"].astype(str).to_numpy(),
            "value": ours["value"].to_numpy(dtype=float),
        }
    )
    ours = ours[ours["time_period"].isin(set(tidy["time_period"]))]
    ours = ours[ours["measure"].isin(set(tidy["measure"]))]
    check = compare(
        tidy,
        ours,
        name="RO3 tidy Parquet v RO3 workbooks",
        description=(
            "The derived tidy RO3 table against the values read from the RO3 workbooks, cell "
            "by cell (the Parquet's values are not stored)."
        ),
        sources=("tidy Parquet", "RO3 workbooks"),
        tolerance=0.5,
        tolerance_text="£0.50",
        names={r.area_code: r.area_name for r in resolver.records},
    )
    report.rows_loaded = len(table)
    report.notes.append(
        f"derived copy of the RO3 workbooks: compared, not stored ({check['agreeing']} of "
        f"{check['compared']} values agree)"
    )
    return check


def load_ro3(paths: list[Path], resolver: AreaResolver) -> LoadResult:
    """Load RO3 workbooks; compare a tidy RO3 Parquet with them."""
    services = load_service_table()
    result = LoadResult()
    tidy_files = []
    for path in map(Path, paths):
        if not is_workbook(path):
            tidy_files.append(path)
            continue
        sheet = _read_ro3_sheet(path, services)
        if sheet is None:
            continue
        report = SourceReport(file=str(path), source_id=SOURCE_ID, sha256=sha256_of(path))
        values, meta = tidy_ro3_sheet(sheet, resolver, services, file=str(path), report=report)
        result.value_frames.append(values)
        result.indicator_frames.append(meta)
        result.reports.append(report)
    if result.indicator_frames:
        result.indicator_frames = [
            pd.concat(result.indicator_frames, ignore_index=True).drop_duplicates("indicator_id")
        ]
    loaded = (
        pd.concat(result.value_frames, ignore_index=True)
        if result.value_frames
        else values_frame()
    )
    for path in tidy_files:
        report = SourceReport(file=str(path), source_id=SOURCE_ID, sha256=sha256_of(path))
        result.checks.append(compare_tidy(path, loaded, resolver, services, report=report))
        result.reports.append(report)
    return result
