"""Tidy section 251 line-level files: one series per budget line, money in pounds.

Turns a ``LineFile`` (any layout of ``data.loaders.s251_line_files``) into store values: one
row per LA (or England/region) x line x year x money column, ids ``s251_line_<line>__<column>``
(line ids from ``data/s251_lines.csv``). Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.areas import AreaLookupError, AreaResolver, check_lifetimes, resolve_area_column
from data.cells import parse_value_column
from data.errors import DataFormatError
from data.loaders.common import (
    SourceReport,
    check_unique_keys,
    constant,
    indicator_rows,
    values_frame,
)
from data.loaders.s251_line_files import (
    BLANK,
    DERIVED_STATUS,
    DESCRIPTION_COLUMN,
    KEY_COLUMNS,
    LINE_TOPIC,
    MEASURES,
    RANK_EES_MILLIONS,
    RANK_EES_POUNDS,
    RANK_LA_TABLE,
    SOURCE_ID,
    SOURCE_URL,
    LineFile,
    measure_columns,
    year_of_file,
)
from data.loaders.s251_lines import LineError, LineTable, is_modern_code, split_code
from data.periods import Period, PeriodError, financial_year_label, parse_ees_period
from data.schema import GeographicLevel, Polarity, ValueType


@dataclass
class LineValues:
    """One file's tidy output: values, metadata, and how it ranks against other files."""

    frame: pd.DataFrame
    meta: pd.DataFrame
    rank: int
    last_period: int
    report: SourceReport
    rows: np.ndarray


#: Symbols a layout's own guidance documents beyond the project's vocabulary: NULL (2011-12)
#: marks an uncollected cell like a blank; the EES data guidance lists "N/A" as not available.
LAYOUT_SYMBOLS = {"csv": {"NULL": BLANK}, "table_a1": {"NULL": BLANK}, "ees": {"N/A": "x"}}


def _parse(
    cells: pd.Series, rows: np.ndarray, *, file: str, column: str, layout: str
) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Parse one money column (blank/NULL -> the blank sentinel), naming real sheet rows."""
    try:
        parsed = parse_value_column(
            cells,
            file=file,
            column=column,
            first_row=0,
            blank=BLANK,
            extra_symbols=LAYOUT_SYMBOLS[layout],
        )
    except DataFormatError as exc:
        raise DataFormatError(
            file,
            exc.message,
            row=int(rows[exc.row]) if exc.row is not None else None,
            column=exc.column,
            token=exc.token,
            also=[(int(rows[r]), c, t) for r, c, t in exc.also],
            rule=exc.rule,
        ) from exc
    coercions = dict(parsed.coercions)
    for token, symbol in LAYOUT_SYMBOLS[layout].items():
        n = int((cells.astype(str).str.strip() == token).sum()) if symbol != BLANK else 0
        if n:
            coercions[f"{token!r} read as {symbol!r} (the layout's own guidance)"] = n
    return parsed.value, parsed.status, coercions


def _areas(lf: LineFile, resolver: AreaResolver) -> tuple[np.ndarray, np.ndarray]:
    """Store area code and geographic level of every row."""
    file = str(lf.path)
    frame = lf.frame
    if lf.layout == "ees":
        first = int(lf.rows[0]) if len(lf.rows) else 2
        for col in ("region_code", "region_name", "old_la_code", "new_la_code", "la_name"):
            if col not in frame.columns:
                frame = frame.assign(**{col: ""})
        levels = frame["geographic_level"].str.strip()
        unknown = ~levels.isin([str(g) for g in GeographicLevel])
        if unknown.any():
            i = int(np.flatnonzero(unknown.to_numpy())[0])
            raise DataFormatError(
                file,
                f"geographic_level {levels.iloc[i]!r} is not National, Regional or "
                "Local authority",
                row=int(lf.rows[i]),
                column="geographic_level",
            )
        resolved = resolve_area_column(
            resolver, frame.assign(geographic_level=levels), file=file, first_row=first
        )
        return resolved.to_numpy(dtype=object), levels.to_numpy(dtype=object)
    mapping: dict[tuple[str, str], str] = {}
    for number, name in frame[["LA", "LA Name"]].drop_duplicates().itertuples(index=False):
        try:
            mapping[(number, name)] = resolver.resolve_la(number, "", name)
        except AreaLookupError as exc:
            i = int(
                np.flatnonzero(((frame["LA"] == number) & (frame["LA Name"] == name)).to_numpy())[
                    0
                ]
            )
            raise DataFormatError(
                file,
                str(exc),
                row=int(lf.rows[i]),
                column="LA Name" if exc.column == "la_name" else "LA",
                token=f"{number} {name}",
            ) from exc
    codes = np.array(
        [mapping[k] for k in zip(frame["LA"], frame["LA Name"], strict=True)], dtype=object
    )
    return codes, np.full(len(frame), str(GeographicLevel.LOCAL_AUTHORITY), dtype=object)


def _periods(lf: LineFile) -> tuple[list[Period], list[str]]:
    """Each row's period and the label stored with it."""
    file = str(lf.path)
    if lf.layout != "ees":
        year = year_of_file(lf)
        try:
            period = financial_year_label(year)
        except PeriodError as exc:
            raise DataFormatError(file, str(exc), row=1) from exc
        return [period] * len(lf.frame), [year] * len(lf.frame)
    out: dict[tuple[str, str], Period] = {}
    pairs = list(
        zip(
            lf.frame["time_period"].str.strip(),
            lf.frame["time_identifier"].str.strip(),
            strict=True,
        )
    )
    for i, pair in enumerate(pairs):
        if pair not in out:
            try:
                out[pair] = parse_ees_period(*pair)
            except PeriodError as exc:
                raise DataFormatError(
                    file, str(exc), row=int(lf.rows[i]), column="time_period"
                ) from exc
            if out[pair].time_identifier != "Financial year":
                raise DataFormatError(
                    file,
                    f"expected financial years, found {pair[1]!r}",
                    row=int(lf.rows[i]),
                    column="time_identifier",
                )
    periods = [out[p] for p in pairs]
    return periods, [f"{p.time_period // 100}-{p.time_period % 100:02d}" for p in periods]


def _line_ids(lf: LineFile, table: LineTable, report: SourceReport) -> np.ndarray:
    """The line id of every row (description matched through the mapping table)."""
    file = str(lf.path)
    column = DESCRIPTION_COLUMN[lf.layout]
    codes, descriptions = pd.factorize(lf.frame[column].to_numpy(dtype=object))
    counts = np.bincount(codes, minlength=len(descriptions))
    ids, own = [], []
    for k, text in enumerate(descriptions.tolist()):
        try:
            line = table.identify(text)
        except LineError as exc:
            row = int(lf.rows[np.argmax(codes == k)])
            raise DataFormatError(file, str(exc), row=row, column=column, token=text) from exc
        ids.append(line.line_id)
        code, _ = split_code(text)
        own.append(code or "")
        if is_modern_code(code) and line.code and code != line.code:
            report.coercions[
                "line number differs from data/s251_lines.csv (description used)"
            ] += int(counts[k])
    if lf.layout == "table_a1":
        stated = lf.frame["s251line"].astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
        mine = np.array(own, dtype=object)[codes]
        differ = int(((mine != "") & (stated.to_numpy(dtype=object) != mine)).sum())
        if differ:
            report.coercions[
                "s251line disagrees with the description's line number (description used)"
            ] += differ
    return np.array(ids, dtype=object)[codes]


def tidy_line_file(
    lf: LineFile, table: LineTable, resolver: AreaResolver, *, report: SourceReport
) -> LineValues:
    """Values (one per row x money column, plus derived totals) and metadata of a file. Pure.

    Raises:
        DataFormatError: A missing money column, an unknown or ambiguous line, an unknown LA,
            a bad cell, a line given twice for an LA and year, or a value outside an LA's
            lifetime; each naming the file, row and column.
    """
    file = str(lf.path)
    columns = measure_columns(lf.layout)
    missing = [c for c in columns if c not in lf.header]
    if missing:
        raise DataFormatError(
            file,
            f"header lacks money column(s) {missing}; found {list(lf.header)}",
            row=int(lf.rows[0]) - 1 if len(lf.rows) else 1,
            column=missing[0],
        )
    report.rows_read = len(lf.frame)
    report.ignored_columns = [
        c
        for c in lf.header
        if c not in columns and c not in KEY_COLUMNS[lf.layout] and c not in ("ReportGroup",)
    ]
    line_ids = _line_ids(lf, table, report)
    codes, levels = _areas(lf, resolver)
    periods, labels = _periods(lf)
    wide = pd.DataFrame(
        {
            "line_id": line_ids,
            "area_code": codes,
            "geographic_level": levels,
            "time_period": np.array([p.time_period for p in periods], dtype=np.int32),
            "time_identifier": [p.time_identifier for p in periods],
            "year_end": np.array([p.year_end for p in periods], dtype=np.int16),
            "period_label": labels,
            "row": lf.rows,
        }
    )
    for raw_column, key in columns.items():
        value, status, coercions = _parse(
            lf.frame[raw_column], lf.rows, file=file, column=raw_column, layout=lf.layout
        )
        report.coercions.update(coercions)
        wide[f"v:{key}"] = value
        wide[f"s:{key}"] = status
    unit_note = _convert_units(lf, wide, report)
    _resolve_blanks(wide)
    wide = _derive_totals(wide, table, report)
    values = _melt(wide)
    rows = np.tile(wide["row"].to_numpy(), len(MEASURES))
    check_unique_keys(values, file=file, row_numbers=rows, column=DESCRIPTION_COLUMN[lf.layout])
    check_lifetimes(
        resolver,
        values,
        file=file,
        row_numbers=rows,
        column="LA" if lf.layout != "ees" else "old_la_code",
    )
    report.rows_loaded = len(lf.frame)
    report.values_written = len(values)
    years = sorted(set(labels))
    report.notes.append(
        f"{_LAYOUT_NAMES[lf.layout]} layout{f' (sheet {lf.sheet!r})' if lf.sheet else ''}, "
        f"{years[0]}{' to ' + years[-1] if len(years) > 1 else ''}; {unit_note}"
    )
    meta = _meta(sorted(set(wide["line_id"])), table, lf.layout)
    report.indicators = len(meta)
    has_la = bool((wide["geographic_level"] == str(GeographicLevel.LOCAL_AUTHORITY)).any())
    rank = (
        RANK_LA_TABLE
        if lf.layout != "ees"
        else (RANK_EES_POUNDS if "£ million" not in unit_note else RANK_EES_MILLIONS)
    )
    if lf.layout == "ees" and not has_la and rank == RANK_EES_POUNDS:
        rank = RANK_LA_TABLE
    return LineValues(values, meta, rank, int(wide["time_period"].max()), report, rows)


_LAYOUT_NAMES = {"csv": "CSV line-level", "table_a1": "Table A1", "ees": "EES"}


def _convert_units(lf: LineFile, wide: pd.DataFrame, report: SourceReport) -> str:
    """Convert an EES £ million file to pounds; return a note naming the unit read."""
    if lf.layout != "ees":
        return "£"
    totals = wide["v:total_expenditure"].to_numpy()
    finite = totals[np.isfinite(totals)]
    has_la = bool((wide["geographic_level"] == str(GeographicLevel.LOCAL_AUTHORITY)).any())
    if has_la or (len(finite) and np.abs(finite).max() >= 1_000_000):
        return "£"  # LA rows are only in the unrounded file; a total above £1m is in pounds
    for key, *_ in MEASURES:
        wide[f"v:{key}"] = np.round(wide[f"v:{key}"].to_numpy() * 1_000_000, 0)
    report.coercions["£ million converted to £"] += int(
        np.isfinite(wide[[f"v:{k}" for k, *_ in MEASURES]].to_numpy()).sum()
    )
    return "£ million (2 decimals) converted to £"


def _resolve_blanks(wide: pd.DataFrame) -> None:
    """Blank/NULL cells -> "z" where the line is blank in that column all year, else "x"."""
    group, _ = pd.factorize(wide["line_id"].astype(str) + "\x1f" + wide["time_period"].astype(str))
    size = np.bincount(group)
    for key, *_ in MEASURES:
        status = wide[f"s:{key}"].to_numpy(dtype=object)
        blank = status == BLANK
        if not blank.any():
            continue
        all_blank = (np.bincount(group, weights=blank, minlength=len(size)) == size)[group]
        wide[f"s:{key}"] = np.where(blank, np.where(all_blank, "z", "x"), status)


def _derive_totals(wide: pd.DataFrame, table: LineTable, report: SourceReport) -> pd.DataFrame:
    """Add a total published only as parts (e.g. fostering = 3.1.2a + 3.1.2b), status "derived"."""
    key = ["area_code", "time_period"]
    added = [wide]
    have = set(zip(wide["line_id"], wide["area_code"], wide["time_period"], strict=True))
    for line in (t for t in table.lines if t.sum_of):
        parts = wide[wide["line_id"].isin(line.sum_of)]
        if parts.empty:
            continue
        counts = parts.groupby(key)["line_id"].nunique()
        complete = counts[counts == len(line.sum_of)].index
        todo = [k for k in complete if (line.line_id, *k) not in have]
        if not todo:
            continue
        chosen = parts.set_index(key).loc[todo].reset_index()
        sums = chosen.groupby(key, sort=True)
        first = sums.first().reset_index()
        new = first[
            [
                "area_code",
                "time_period",
                "geographic_level",
                "time_identifier",
                "year_end",
                "period_label",
                "row",
            ]
        ].assign(line_id=line.line_id)
        for k, *_ in MEASURES:
            vals = chosen[f"v:{k}"].to_numpy()
            finite = (
                pd.Series(np.isfinite(vals))
                .groupby([chosen[c].to_numpy() for c in key])
                .all()
                .to_numpy()
            )
            total = (
                pd.Series(np.nan_to_num(vals))
                .groupby([chosen[c].to_numpy() for c in key])
                .sum()
                .to_numpy()
            )
            new[f"v:{k}"] = np.where(finite, total, np.nan)
            new[f"s:{k}"] = np.where(finite, DERIVED_STATUS, "nd").astype(object)
        added.append(new[wide.columns])
        report.notes.append(
            f"{line.line_id} derived as {' + '.join(line.sum_of)} for {len(new)} area-years "
            "(value_status 'derived')"
        )
    return pd.concat(added, ignore_index=True) if len(added) > 1 else wide


def _melt(wide: pd.DataFrame) -> pd.DataFrame:
    """One values row per wide row x money column (text columns categorical: cheap to combine)."""
    k = len(MEASURES)
    line_codes, lines = pd.factorize(wide["line_id"].astype(str))
    indicator = pd.Categorical.from_codes(
        np.concatenate([line_codes * k + m for m in range(k)]),
        categories=pd.Index(
            [f"s251_line_{line}__{key}" for line in lines for key, *_ in MEASURES]
        ),
    )

    def tiled(column: str) -> pd.Categorical:
        return pd.Categorical(np.tile(wide[column].to_numpy(dtype=object), k))

    return values_frame(
        indicator_id=indicator,
        area_code=tiled("area_code"),
        geographic_level=tiled("geographic_level"),
        time_period=np.tile(wide["time_period"].to_numpy(dtype=np.int32), k),
        time_identifier=tiled("time_identifier"),
        year_end=np.tile(wide["year_end"].to_numpy(dtype=np.int16), k),
        value=np.concatenate([wide[f"v:{key}"].to_numpy(dtype=float) for key, *_ in MEASURES]),
        value_status=np.concatenate(
            [wide[f"s:{key}"].to_numpy(dtype=object) for key, *_ in MEASURES]
        ),
        period_label=tiled("period_label"),
        source_id=constant(SOURCE_ID, len(wide) * k),
    )


def _meta(line_ids: list[str], table: LineTable, layout: str) -> pd.DataFrame:
    records = []
    for line_id in line_ids:
        line = table.by_id(line_id)
        derivation = None
        if line.sum_of:
            derivation = (
                f"Published as line {line.code} where a file gives it; where a file gives only "
                f"its parts ({', '.join(table.by_id(p).code or p for p in line.sum_of)}: "
                "2018-19), their sum, with value_status 'derived' (NaN with 'nd' if a part is "
                "missing)."
            )
        for key, label, raw_csv, raw_ees in MEASURES:
            records.append(
                {
                    "indicator_id": f"s251_line_{line_id}__{key}",
                    "title": f"{line.title}: {label} (£)",
                    "short_title": f"{line.title}: {label}",
                    "topic": LINE_TOPIC,
                    "unit": "£",
                    "decimals": 0,
                    "polarity": str(Polarity.NONE),
                    "time_identifier": "Financial year",
                    "source_id": SOURCE_ID,
                    "source_code": (
                        f"{line.code or '(pre-2016 line)'} {line.title} [{raw_csv} / {raw_ees}]"
                    ),
                    "source_url": SOURCE_URL,
                    "description": (
                        "Section 251 outturn, line-level data (£, cash). The provision split "
                        "(own provision, private, other public sector, voluntary) sums to total "
                        "(gross) expenditure; net current expenditure = gross - income. Lines "
                        "are matched across DfE's renumberings by data/s251_lines.csv."
                        + (f" {line.note}" if line.note else "")
                    ),
                    "no_quartile": False,
                    "value_type": str(ValueType.CURRENCY),
                    "multiplier": None,
                    "year_type": "Financial Year",
                    "data_owner": "DfE",
                    "derivation": derivation,
                }
            )
    return indicator_rows(records)
