"""Explore Education Statistics (EES) open-data CSVs: one generic loader, driven by specs.

An EES file has the standard id columns (``time_period``, ``time_identifier``,
``geographic_level``, ``country_code``, ``region_code``, ``old_la_code``, ``new_la_code``,
``la_name``... in a file-specific order, so always selected by name), some *filter* columns
(e.g. ``cla_group``, ``breakdown``) and some *measure* columns (counts, percentages, rates).

A ``Family`` (``data.loaders.ees_family``; the instances are in ``data.loaders.ees_specs``) says
which filters and measures a kind of file has, how percentages relate to counts (numerator and
denominator), and which direction is better. A file is recognised by its header (the family's
signature columns), never by its name, so a later year of the same publication loads without
code changes. Each distinct combination of filter values x measure becomes one indicator
(``data.loaders.ees_tidy``).

This module reads the files and hands each to its family's tidy step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from data.areas import AreaResolver
from data.csvio import RawCsv, read_csv_strict, read_header
from data.errors import DataFormatError
from data.loaders.common import LoadResult, SourceReport
from data.loaders.ees_family import EES_ID_COLUMNS, Family, detect_family, near_miss
from data.loaders.ees_tidy import tidy_ees


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
