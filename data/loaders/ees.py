"""Explore Education Statistics (EES) open-data CSVs: one generic loader, driven by specs.

An EES file has the standard id columns (``time_period``, ``time_identifier``,
``geographic_level``, ``country_code``, ``region_code``, ``old_la_code``, ``new_la_code``,
``la_name``... in a file-specific order, so always selected by name), some *filter* columns
(e.g. ``cla_group``, ``breakdown``) and some *measure* columns (counts, percentages, rates).

A ``Family`` (see ``data.loaders.ees_specs``) says which filters and measures a kind of file has,
how percentages relate to counts (numerator and denominator), and which direction is better.
A file is recognised by its header (the family's signature columns), never by its name, so a
later year of the same publication loads without code changes. Each distinct combination of
filter values x measure becomes one indicator.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from data.areas import AreaResolver, check_lifetimes, resolve_area_column
from data.cells import ParsedColumn, parse_value_column
from data.csvio import RawCsv, read_csv_strict, read_header
from data.errors import DataFormatError
from data.loaders.common import (
    PAIR_DROPPED,
    LoadResult,
    Rejection,
    SourceReport,
    categorical,
    check_unique_keys,
    indicator_rows,
    slug,
    values_frame,
    with_origin,
)
from data.periods import Period, PeriodError, label_for, parse_ees_period
from data.schema import Polarity, ValueType

EES_ID_COLUMNS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
)
STORED_LEVELS = ("National", "Regional", "Local authority")
#: A percentage whose published value disagrees with 100 x numerator / denominator by more
#: than this (after rounding) on more than ``MISMATCH_SHARE`` of rows keeps no num/den.
MISMATCH_TOLERANCE = 1.0
MISMATCH_SHARE = 0.05


@dataclass(frozen=True, slots=True)
class Measure:
    """One measure column of a family.

    Attributes:
        column: Header of the value column.
        key: Id suffix (``""`` for none).
        label: Human label used in titles (e.g. "number of children", "%").
        value_type, unit, multiplier, decimals: See ``data.schema``.
        polarity: Fixed polarity; ``None`` takes the family's filter rules.
        numerator: Same-row column holding the count behind a percentage or rate.
        denominator: Same-row column holding the base (e.g. ``t_pupils``).
        denominator_from_total: Column to take, as denominator, from the row's *total* row
            (same period, area and leading filters; see ``Family.total_pattern``).
        optional: Whether the column may be missing from a file of this family.
    """

    column: str
    key: str
    label: str
    value_type: ValueType = ValueType.COUNT
    unit: str = "number"
    multiplier: float | None = None
    decimals: int | None = None
    polarity: Polarity | None = None
    numerator: str | None = None
    denominator: str | None = None
    denominator_from_total: str | None = None
    optional: bool = False


@dataclass(frozen=True, slots=True)
class Rule:
    """A polarity (or override) chosen by a regex over the row's filter text."""

    pattern: str
    polarity: Polarity


@dataclass(frozen=True, slots=True)
class Override:
    """Rows whose filter text matches ``pattern`` hold a different kind of value in ``column``.

    E.g. the "SDQ average score" breakdown carries a mean score in ``children_count``.
    ``skip=True`` drops that measure for those rows (e.g. its percentage is always ``z``).
    """

    pattern: str
    column: str
    value_type: ValueType = ValueType.MEAN
    unit: str = "score"
    label: str = "average score"
    polarity: Polarity = Polarity.NONE
    decimals: int | None = 1
    skip: bool = False
    key: str = ""


@dataclass(frozen=True, slots=True)
class Family:
    """A kind of EES file: its filters, measures and meaning."""

    name: str
    source_id: str
    prefix: str
    topic: str
    title: str
    description: str
    source_url: str
    filters: tuple[str, ...]
    measures: tuple[Measure, ...]
    signature: tuple[str, ...]
    label_columns: tuple[str, ...] = ()
    period_attributes: tuple[str, ...] = ()
    total_pattern: str | None = None
    denominator_rows: tuple[tuple[str, str], ...] = ()
    polarity_rules: tuple[Rule, ...] = ()
    overrides: tuple[Override, ...] = ()
    abbreviations: dict[str, str] = field(default_factory=dict)
    value_blank: str | None = None
    #: Load every other non-id column as a count (files whose measures grow over time, e.g.
    #: one column per assessment factor).
    auto_counts: bool = False
    #: (column, regex) pairs some row must match: tells apart families with the same header
    #: (e.g. new placements and health outcomes both have characteristic/breakdown columns).
    value_signature: tuple[tuple[str, str], ...] = ()

    def matches(self, header: Iterable[str]) -> bool:
        """Whether a header has this family's signature columns."""
        return set(self.signature) <= set(header)

    def nearly_matches(self, header: Iterable[str]) -> bool:
        """Whether a header has at least half of the signature (a renamed column, say)."""
        have = len(set(self.signature) & set(header))
        return 2 * have >= len(self.signature) and set(EES_ID_COLUMNS[:3]) <= set(header)

    def polarity_for(self, filter_text: str) -> Polarity:
        """Polarity from the first rule matching the filter text (default: none)."""
        for rule in self.polarity_rules:
            if re.search(rule.pattern, filter_text, flags=re.IGNORECASE):
                return rule.polarity
        return Polarity.NONE


def detect_family(
    header: Sequence[str], families: Iterable[Family], raw: RawCsv | None = None
) -> list[Family]:
    """Families whose signature the header has; with ``raw``, also their value signature.

    Returns the candidates, most specific (longest signature) first.
    """
    matches = [f for f in families if f.matches(header)]
    if raw is not None:
        matches = [f for f in matches if _values_match(f, raw)]
    return sorted(matches, key=lambda f: -len(f.signature))


def near_miss(header: Sequence[str], families: Iterable[Family]) -> Family | None:
    """A family the header nearly matches (when it matches none): likely a renamed column."""
    near = [f for f in families if f.nearly_matches(header)]
    return max(near, key=lambda f: len(set(f.signature) & set(header))) if near else None


def _values_match(family: Family, raw: RawCsv) -> bool:
    for column, pattern in family.value_signature:
        values = pd.unique(raw.frame[column].str.strip())
        if not any(re.search(pattern, str(v), flags=re.IGNORECASE) for v in values):
            return False
    return True


def _required(family: Family) -> tuple[str, ...]:
    required = (
        *EES_ID_COLUMNS,
        *family.filters,
        *family.label_columns,
        *family.period_attributes,
        *(m.column for m in family.measures if not m.optional),
    )
    return tuple(dict.fromkeys(required))


def read_ees(path: Path, family: Family) -> RawCsv:
    """Read an EES CSV strictly, requiring the id, filter and non-optional measure columns."""
    return read_csv_strict(path, required=_required(family))


def _require_columns(raw: RawCsv, family: Family) -> None:
    missing = [c for c in _required(family) if c not in raw.header]
    if missing:
        raise DataFormatError(
            str(raw.path),
            f"header lacks required column(s) {', '.join(map(repr, missing))}; "
            f"expected {list(_required(family))}, found {list(raw.header)}",
            row=1,
            column=missing[0],
        )


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
                check = _check_ratio(
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
                _record_dropped_pairs(
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


@dataclass(frozen=True, slots=True)
class RatioCheck:
    """Numerators and denominators kept (NaN where dropped), and why the others were dropped.

    Attributes:
        numerator, denominator: The pairs kept.
        disagree: Rows whose pair gives a value more than ``MISMATCH_TOLERANCE`` away from the
            published one.
        unusable: Rows whose pair cannot give a value (denominator 0, negative, not finite).
        abandoned: Rows whose pair agrees but is dropped with the indicator's whole pairing.
        pairing_wrong: When more than ``MISMATCH_SHARE`` of LA rows disagree, how many did (then
            every pair of the indicator is dropped); else 0.
    """

    numerator: np.ndarray
    denominator: np.ndarray
    disagree: np.ndarray
    unusable: np.ndarray
    abandoned: np.ndarray
    pairing_wrong: int


def _check_ratio(
    value: np.ndarray, num: np.ndarray, den: np.ndarray, multiplier: float, is_la: np.ndarray
) -> RatioCheck:
    """Keep num/den only where they reproduce the published value.

    National and regional counts are rounded (to the nearest 10 in DfE files), so a row whose
    num/den disagree with its published value just loses them; if more than
    ``MISMATCH_SHARE`` of LA rows disagree, the pairing itself is wrong and all are dropped.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        derived = multiplier * num / den
    both = np.isfinite(num) & np.isfinite(den)
    comparable = np.isfinite(derived) & np.isfinite(value)
    bad = comparable & (np.abs(derived - value) > MISMATCH_TOLERANCE + 1e-9)
    unusable = both & ~bad & ~((den > 0) & np.isfinite(derived) & (num >= 0))
    keep = both & ~bad & ~unusable
    la_comparable = comparable & is_la
    wrong = int((bad & is_la).sum())
    if la_comparable.any() and wrong > MISMATCH_SHARE * la_comparable.sum():
        nothing = np.full_like(num, np.nan)
        return RatioCheck(nothing, nothing.copy(), bad, unusable, keep, wrong)
    return RatioCheck(
        np.where(keep, num, np.nan),
        np.where(keep, den, np.nan),
        bad,
        unusable,
        np.zeros_like(keep),
        0,
    )


def _record_dropped_pairs(
    report: SourceReport,
    check: RatioCheck,
    num: np.ndarray,
    den: np.ndarray,
    value: np.ndarray,
    *,
    rows: np.ndarray,
    column: str,
    keys: tuple[str, np.ndarray, np.ndarray],
) -> None:
    """Record (rule BI-42) every row whose numerator and denominator were not kept.

    ``keys`` is the indicator id and each row's area code and ``time_period``.
    """
    indicator, areas, periods = keys
    reasons = (
        (check.disagree, "numerator/denominator do not reproduce the published value"),
        (
            check.unusable,
            "numerator/denominator cannot give a value (zero or negative, or not finite)",
        ),
        (
            check.abandoned,
            f"pairing dropped for the indicator: {check.pairing_wrong} LA rows disagree",
        ),
    )
    for mask, reason in reasons:
        where = np.flatnonzero(mask)
        if not where.size:
            continue
        tokens = [f"{num[i]:.15g}/{den[i]:.15g}, published {value[i]:.15g}" for i in where]
        report.set_aside(
            Rejection(
                rows[where].tolist(),
                reason,
                "BI-42",
                PAIR_DROPPED,
                column,
                tokens,
                [(indicator, str(areas[i]), int(periods[i])) for i in where],
            )
        )


def _signature_error(path: Path, header: Sequence[str], family: Family) -> DataFormatError:
    missing = [c for c in family.signature if c not in header]
    return DataFormatError(
        str(path),
        f"looks like a {family.name} file but lacks column(s) {', '.join(map(repr, missing))} "
        f"(renamed or missing?); expected {list(family.signature)}, found {list(header)}",
        row=1,
        column=missing[0],
        rule="BI-21",
    )


def load_ees_file(
    path: Path, family: Family, resolver: AreaResolver, *, raw: RawCsv | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, SourceReport]:
    """Read (unless already read) and tidy one EES file of a known family."""
    if raw is None:
        raw = read_ees(path, family)
    else:
        _require_columns(raw, family)
    report = SourceReport(file=str(path), source_id=family.source_id, sha256=raw.sha256)
    values, meta = tidy_ees(raw, family, resolver, report=report)
    return values, meta, report


def load_ees(
    paths: Iterable[Path], families: Sequence[Family], resolver: AreaResolver
) -> LoadResult:
    """Load every file whose header matches a family; unknown headers are skipped, noted."""
    result = LoadResult()
    for path in paths:
        header = read_header(path)
        candidates = detect_family(header, families)
        if not candidates:
            near = near_miss(header, families)
            if near is not None:
                raise _signature_error(path, header, near)
            result.skipped.append((str(path), "header not recognised as an EES file"))
            continue
        raw = None
        if len(candidates) > 1:
            raw = read_csv_strict(path)
            candidates = detect_family(raw.header, candidates, raw)
            if len(candidates) != 1:
                names = [f.name for f in candidates] or "none"
                raise DataFormatError(
                    str(path),
                    f"header matches several kinds of file and its filter values match {names}",
                    row=1,
                )
        family = candidates[0]
        values, meta, report = load_ees_file(path, family, resolver, raw=raw)
        result.value_frames.append(values)
        result.indicator_frames.append(meta)
        result.reports.append(report)
    return result
