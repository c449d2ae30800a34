"""Turning one read EES file of a known family into store ``values`` and ``indicators`` rows.

Each distinct combination of filter values x measure becomes one indicator. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from data.areas import AreaResolver, check_lifetimes, resolve_area_column
from data.cells import ParsedColumn, parse_value_column
from data.csvio import RawCsv
from data.errors import DataFormatError
from data.loaders.common import (
    SourceReport,
    categorical,
    check_unique_keys,
    indicator_rows,
    slug,
    values_frame,
    with_origin,
)
from data.loaders.ees_family import EES_ID_COLUMNS, Family, Measure
from data.loaders.ees_ratios import check_ratio, record_dropped_pairs
from data.periods import Period, PeriodError, label_for, parse_ees_period
from data.schema import Polarity, ValueType

STORED_LEVELS = ("National", "Regional", "Local authority")


def _periods(raw: RawCsv) -> tuple[np.ndarray, list[Period]]:
    """Parse each distinct (time_period, time_identifier) once; return inverse + periods."""
    frame = raw.frame
    pairs = frame["time_period"].str.strip() + "\x1f" + frame["time_identifier"].str.strip()
    uniq, first, inverse = np.unique(
        pairs.to_numpy(dtype=object), return_index=True, return_inverse=True
    )
    periods: list[Period] = []
    for j, key in enumerate(uniq):
        tp, ident = key.split("\x1f")
        try:
            periods.append(parse_ees_period(tp, ident))
        except PeriodError as exc:
            raise DataFormatError(
                str(raw.path),
                str(exc),
                row=raw.first_data_row + int(first[j]),
                column="time_period",
                token=tp,
                rule="BI-22",
            ) from exc
    idents = {p.time_identifier for p in periods}
    if len(idents) > 1:
        raise DataFormatError(
            str(raw.path),
            f"mixes time identifiers {sorted(idents)} (EES files use one)",
            row=raw.first_data_row,
            column="time_identifier",
        )
    return inverse, periods


def tidy_ees(
    raw: RawCsv, family: Family, resolver: AreaResolver, *, report: SourceReport
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn one EES file into store ``values`` and ``indicators`` rows. Pure.

    Raises:
        DataFormatError: Bad period, unknown area triple, unknown token, blank value cell,
            duplicate key, or a real value for an LA outside its lifetime.
    """
    file = str(raw.path)
    frame = raw.frame
    report.rows_read = len(frame)
    report.ignored_columns = [
        c
        for c in raw.header
        if c not in EES_ID_COLUMNS
        and c not in family.filters
        and c not in family.label_columns
        and c not in family.period_attributes
        and c not in {m.column for m in family.measures}
        and c not in {m.numerator for m in family.measures}
        and c not in {m.denominator for m in family.measures}
    ]
    level = frame["geographic_level"].str.strip()
    stored = level.isin(STORED_LEVELS).to_numpy()
    for lvl in pd.unique(level[~stored]):
        rows = raw.first_data_row + np.flatnonzero((level == lvl).to_numpy())
        report.reject(
            f"geographic level {lvl!r} is not stored",
            rows,
            rule="BI-43",
            column="geographic_level",
            tokens=[str(lvl)] * len(rows),
        )
    period_inv, periods = _periods(raw)
    areas = resolve_area_column(resolver, frame, file=file, first_row=raw.first_data_row)
    area = areas.to_numpy(dtype=object)

    filt = (
        pd.DataFrame({c: frame[c].str.strip() for c in family.filters}) if family.filters else None
    )
    group_key = _joined(filt, family.filters, len(frame))

    parsed: dict[str, ParsedColumn] = {}
    present = [m for m in family.measures if m.column in raw.header]
    if family.auto_counts:
        present += [
            Measure(c, slug(c), c.replace("_", " "), ValueType.COUNT, "number", decimals=0)
            for c in report.ignored_columns
        ]
        report.ignored_columns = []

    def parse(column: str, *, percent_ok: bool) -> ParsedColumn:
        if column not in parsed:
            parsed[column] = parse_value_column(
                frame[column],
                file=file,
                column=column,
                first_row=raw.first_data_row,
                percent_ok=percent_ok,
                blank=family.value_blank,
            )
            report.coercions.update(parsed[column].coercions)
        return parsed[column]

    errors: list[DataFormatError] = []
    for m in present:
        for column, percent in (
            (m.column, m.value_type == ValueType.PROPORTION),
            *((c, False) for c in (m.numerator, m.denominator, m.denominator_from_total)),
        ):
            if column and column in raw.header and column not in parsed:
                try:
                    parse(column, percent_ok=percent)
                except DataFormatError as exc:  # keep going: report every bad cell at once
                    errors.append(exc)
                    parsed[column] = ParsedColumn(
                        np.full(len(frame), np.nan), np.full(len(frame), None)
                    )
    if errors:
        errors.sort(key=lambda e: (e.row or 0, e.column or ""))
        raise errors[0].merged(errors[1:])

    tp = np.array([p.time_period for p in periods], dtype=np.int32)[period_inv]
    ye = np.array([p.year_end for p in periods], dtype=np.int16)[period_inv]
    ident = pd.Categorical(
        np.array([p.time_identifier for p in periods], dtype=object)[period_inv]
    )
    label_text = pd.Series(np.array([label_for(p) for p in periods], dtype=object)[period_inv])
    for attr in family.period_attributes:
        label_text = label_text + " (" + frame[attr].str.strip().to_numpy(dtype=object) + ")"
    label = pd.Categorical(label_text.to_numpy(dtype=object))
    area_cat = pd.Categorical(area)
    level_cat = pd.Categorical(level.to_numpy(dtype=object))

    total_base = _total_lookup(frame, family, filt, area, tp, parsed)
    is_la = (level == "Local authority").to_numpy()

    chunks: list[tuple[int, np.ndarray, ParsedColumn, np.ndarray, np.ndarray]] = []
    columns: list[str] = []  # the measure column of each chunk (its values' origin)
    meta: dict[str, dict[str, object]] = {}
    ids: list[str] = []
    keep_rows = stored
    unique_groups = pd.unique(group_key[keep_rows])
    for group in unique_groups:
        in_group = keep_rows & (group_key == group)
        rows_in_group = np.flatnonzero(in_group)
        for m in present:
            kind = _kind_for(family, m, group)
            if kind is None:
                continue
            ind_id = _indicator_id(family, group, m, kind)
            values = parsed[m.column]
            num = np.full(len(rows_in_group), np.nan)
            den = np.full(len(rows_in_group), np.nan)
            if kind["numerator"] and kind["numerator"] in parsed:
                num = parsed[kind["numerator"]].value[rows_in_group]
            if kind["denominator"] and kind["denominator"] in parsed:
                den = parsed[kind["denominator"]].value[rows_in_group]
            elif kind["denominator_from_total"] and total_base is not None:
                den = total_base(group, str(kind["denominator_from_total"]))[rows_in_group]
            multiplier = kind["multiplier"]  # a float or None
            ratio = kind["value_type"] in (ValueType.PROPORTION, ValueType.RATE)
            if ratio and isinstance(multiplier, int | float) and multiplier:
                check = check_ratio(
                    values.value[rows_in_group],
                    num,
                    den,
                    float(multiplier),
                    is_la[rows_in_group],
                )
                if check.pairing_wrong:
                    report.notes.append(
                        f"{ind_id}: numerator/denominator dropped ({check.pairing_wrong} of rows "
                        "disagree with the published value)"
                    )
                record_dropped_pairs(
                    report,
                    check,
                    num,
                    den,
                    values.value[rows_in_group],
                    rows=raw.first_data_row + rows_in_group,
                    column=m.column,
                    keys=(ind_id, area[rows_in_group], tp[rows_in_group]),
                )
                num, den = check.numerator, check.denominator
            chunks.append((len(ids), rows_in_group, values, num, den))
            columns.append(m.column)
            ids.append(ind_id)
            if ind_id not in meta:
                meta[ind_id] = _indicator_record(family, group, m, kind, periods)
    out = _assemble(
        chunks,
        ids,
        area_cat=area_cat,
        level_cat=level_cat,
        tp=tp,
        ye=ye,
        ident=ident,
        label=label,
        source_id=family.source_id,
    )
    rows = raw.first_data_row + (
        np.concatenate([c[1] for c in chunks]) if chunks else np.array([], dtype=int)
    )
    out = with_origin(
        out,
        file=file,
        rows=rows,
        column=categorical(
            np.repeat(np.arange(len(chunks)), [len(c[1]) for c in chunks]), columns
        ),
    )
    check_unique_keys(out, file=file, row_numbers=rows, column="time_period")
    check_lifetimes(resolver, out, file=file, row_numbers=rows, column="time_period")
    report.rows_loaded = int(keep_rows.sum())
    report.values_written = len(out)
    report.indicators = len(meta)
    return out, indicator_rows(list(meta.values()))


def _assemble(
    chunks: list[tuple[int, np.ndarray, ParsedColumn, np.ndarray, np.ndarray]],
    ids: list[str],
    *,
    area_cat: pd.Categorical,
    level_cat: pd.Categorical,
    tp: np.ndarray,
    ye: np.ndarray,
    ident: pd.Categorical,
    label: pd.Categorical,
    source_id: str,
) -> pd.DataFrame:
    """One values frame from per-indicator row selections, built from codes (no copies of text)."""
    if not chunks:
        return values_frame()
    rows = np.concatenate([c[1] for c in chunks])
    lengths = np.array([len(c[1]) for c in chunks])
    id_codes = np.repeat(np.array([c[0] for c in chunks]), lengths)

    def take(cat: pd.Categorical) -> pd.Categorical:
        return pd.Categorical.from_codes(cat.codes[rows], dtype=cat.dtype)

    status = np.concatenate([c[2].status[c[1]] for c in chunks])
    return values_frame(
        indicator_id=categorical(id_codes, ids),
        area_code=take(area_cat),
        geographic_level=take(level_cat),
        time_period=tp[rows],
        time_identifier=take(ident),
        year_end=ye[rows],
        value=np.concatenate([c[2].value[c[1]] for c in chunks]),
        value_status=pd.Categorical(status),
        numerator=np.concatenate([c[3] for c in chunks]),
        denominator=np.concatenate([c[4] for c in chunks]),
        period_label=take(label),
        source_id=pd.Categorical.from_codes(
            np.zeros(len(rows), dtype=np.int8), categories=pd.Index([source_id])
        ),
    )


def _joined(frame: pd.DataFrame | None, columns: Sequence[str], n: int) -> np.ndarray:
    """Row-wise ``" | "``-joined text of some columns (vectorised), as a str array."""
    if frame is None or not columns:
        return np.full(n, "", dtype=object)
    out = frame[columns[0]].astype("str")
    for col in columns[1:]:
        out = out + " | " + frame[col].astype("str")
    return out.to_numpy(dtype=object)


def _total_lookup(
    frame: pd.DataFrame,
    family: Family,
    filt: pd.DataFrame | None,
    area: np.ndarray,
    tp: np.ndarray,
    parsed: dict[str, ParsedColumn],
) -> Callable[[str, str], np.ndarray] | None:
    """A function giving, per row, a column's value on that row's total row."""
    total_pattern = family.total_pattern
    if total_pattern is None or filt is None:
        return None
    last = family.filters[-1]
    lead = family.filters[:-1]
    lead_key = _joined(filt, lead, len(frame))
    breakdown = filt[last].to_numpy(dtype=object)
    key = pd.Series(lead_key + "\x1f" + area.astype(str) + "\x1f" + tp.astype(str), dtype=object)
    uniq_breakdowns = pd.unique(breakdown)
    tables: dict[tuple[str, str], pd.Series] = {}

    def lookup(group: str, column: str) -> np.ndarray:
        target = total_pattern
        for pattern, total_value in family.denominator_rows:
            if re.search(pattern, group.split(" | ")[-1], flags=re.IGNORECASE):
                target = f"^{re.escape(total_value)}$"
        if (target, column) not in tables:
            totals = [b for b in uniq_breakdowns if re.search(target, b, re.IGNORECASE)]
            is_total = np.isin(breakdown, totals)
            values = parsed[column].value if column in parsed else np.full(len(frame), np.nan)
            table = pd.Series(values[is_total], index=key[is_total].to_numpy())
            tables[(target, column)] = table[~table.index.duplicated()]
        return key.map(tables[(target, column)]).to_numpy(dtype=float)

    return lookup


def _kind_for(family: Family, m: Measure, group: str) -> dict[str, object] | None:
    """The measure's description for one filter group, after overrides (None = skip)."""
    kind: dict[str, object] = {
        "value_type": m.value_type,
        "unit": m.unit,
        "label": m.label,
        "multiplier": m.multiplier,
        "decimals": m.decimals,
        "polarity": m.polarity,
        "numerator": m.numerator,
        "denominator": m.denominator,
        "denominator_from_total": m.denominator_from_total,
    }
    for ov in family.overrides:
        if ov.column == m.column and re.search(ov.pattern, group, flags=re.IGNORECASE):
            if ov.skip:
                return None
            kind.update(
                value_type=ov.value_type,
                unit=ov.unit,
                label=ov.label,
                multiplier=None,
                decimals=ov.decimals,
                polarity=ov.polarity,
                numerator=None,
                denominator=None,
                denominator_from_total=None,
                key=ov.key,
            )
    if (
        m.denominator_from_total
        and family.total_pattern
        and group
        and re.search(family.total_pattern, group.split(" | ")[-1], flags=re.IGNORECASE)
    ):
        return None  # a total's share of itself is always 100%
    if kind["polarity"] is None:
        polarity = family.polarity_for(group)
        # Counts of "how many" carry no judgement; only the rate or share does.
        kind["polarity"] = polarity if m.value_type != ValueType.COUNT else Polarity.NONE
    return kind


def _indicator_id(family: Family, group: str, m: Measure, kind: dict[str, object]) -> str:
    parts = [family.prefix]
    for value in group.split(" | ") if group else []:
        parts.append(family.abbreviations.get(value) or slug(value))
    key = m.key if kind["label"] == m.label else str(kind.get("key", ""))
    if key:
        parts.append(key)
    return "_".join(p for p in parts if p)


def _indicator_record(
    family: Family, group: str, m: Measure, kind: dict[str, object], periods: list[Period]
) -> dict[str, object]:
    parts = [*(group.split(" | ") if group else []), *([kind["label"]] if kind["label"] else [])]
    suffix = ""
    if kind["value_type"] == ValueType.PROPORTION:
        suffix = " (%)"
    elif kind["value_type"] == ValueType.RATE:
        suffix = f" ({kind['unit']})"
    where = " — ".join(str(p) for p in parts)
    title = f"{family.title}: {where}{suffix}" if where else f"{family.title}{suffix}"
    derivation = None
    if kind["numerator"] or kind["denominator"] or kind["denominator_from_total"]:
        base = kind["denominator"] or f"{kind['denominator_from_total']} of the total row"
        derivation = (
            f"published value; numerator = {kind['numerator'] or m.column}, "
            f"denominator = {base} (kept where they reproduce the published value; "
            "used for intervals and funnel plots)"
        )
    return {
        "indicator_id": _indicator_id(family, group, m, kind),
        "title": title,
        "short_title": (where + suffix) if where else title,
        "topic": family.topic,
        "unit": kind["unit"],
        "decimals": kind["decimals"],
        "polarity": str(kind["polarity"]),
        "time_identifier": periods[0].time_identifier if periods else "Reporting year",
        "source_id": family.source_id,
        "source_code": f"{family.name}:{m.column}" + (f" [{group}]" if group else ""),
        "source_url": family.source_url,
        "description": family.description,
        "no_quartile": False,
        "value_type": str(kind["value_type"]),
        "multiplier": kind["multiplier"],
        "methodology": None,
        "year_type": periods[0].time_identifier if periods else None,
        "last_updated": None,
        "next_update": None,
        "data_owner": "ONS" if family.source_id == "ons_population" else "DfE",
        "derivation": derivation,
    }
