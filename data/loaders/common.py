"""Shared pieces of the loaders: what a loader returns, row accounting, ids and slugs."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from data.errors import DataFormatError
from data.schema import INDICATORS_COLUMNS, VALUES_COLUMNS, VALUES_KEY


@dataclass
class SourceReport:
    """What happened to one raw file: the manifest's per-file accounting.

    ``rows_read == rows_loaded + rows_rejected`` always holds (``check`` enforces it); a
    loaded row may produce several stored values (one per measure column).
    """

    file: str
    source_id: str
    sha256: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rejected_reasons: Counter[str] = field(default_factory=Counter)
    coercions: Counter[str] = field(default_factory=Counter)
    ignored_columns: list[str] = field(default_factory=list)
    values_written: int = 0
    indicators: int = 0
    notes: list[str] = field(default_factory=list)

    def reject(self, reason: str, count: int) -> None:
        """Count ``count`` rows dropped for ``reason``."""
        if count:
            self.rows_rejected += count
            self.rejected_reasons[reason] += count

    def check(self) -> None:
        """Raise if the accounting does not balance (a bug, never a data problem)."""
        if self.rows_read != self.rows_loaded + self.rows_rejected:
            raise AssertionError(
                f"{self.file}: rows read {self.rows_read} != loaded {self.rows_loaded} "
                f"+ rejected {self.rows_rejected}"
            )

    def as_manifest(self) -> dict[str, Any]:
        """JSON-ready dict for ``manifest.json``."""
        self.check()
        return {
            "file": self.file,
            "source_id": self.source_id,
            "sha256": self.sha256,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "rejected_reasons": dict(self.rejected_reasons),
            "coercions": dict(self.coercions),
            "ignored_columns": list(self.ignored_columns),
            "values_written": self.values_written,
            "indicators": self.indicators,
            "notes": list(self.notes),
        }


@dataclass
class LoadResult:
    """Tidy output of one loader: store-shaped frames plus per-file reports."""

    value_frames: list[pd.DataFrame] = field(default_factory=list)
    indicator_frames: list[pd.DataFrame] = field(default_factory=list)
    neighbour_frames: list[pd.DataFrame] = field(default_factory=list)
    reports: list[SourceReport] = field(default_factory=list)
    extra_files: dict[str, bytes] = field(default_factory=dict)
    #: Comparisons of one source with another made while loading (``data.checks`` format).
    checks: list[dict[str, Any]] = field(default_factory=list)

    def extend(self, other: LoadResult) -> None:
        """Append another loader's output."""
        self.value_frames += other.value_frames
        self.indicator_frames += other.indicator_frames
        self.neighbour_frames += other.neighbour_frames
        self.reports += other.reports
        self.extra_files.update(other.extra_files)
        self.checks += other.checks


def slug(text: str) -> str:
    """A stable snake_case id fragment: lowercase, non-alphanumeric runs -> ``_``.

    A ``%`` becomes ``pct`` so that ``X`` and ``X%`` stay distinct.

    Examples:
        >>> slug("C&YPExpenditure")
        'c_ypexpenditure'
        >>> slug("LAC_Fixed_ Ex")
        'lac_fixed_ex'
        >>> slug("LAC_ceased_SGO%")
        'lac_ceased_sgo_pct'
    """
    return re.sub(r"[^a-z0-9]+", "_", text.casefold().replace("%", "_pct")).strip("_")


def indicator_rows(records: list[dict[str, Any]]) -> pd.DataFrame:
    """An ``indicators`` frame from dicts, with every store column present (missing -> None)."""
    frame = pd.DataFrame(records)
    for col in INDICATORS_COLUMNS:
        if col not in frame.columns:
            frame[col] = None
    return frame[list(INDICATORS_COLUMNS)]


def categorical(codes: np.ndarray, labels: list[Any]) -> pd.Categorical:
    """A categorical from integer codes into ``labels`` (repeated labels are merged)."""
    uniq, inverse = np.unique(np.asarray(labels, dtype=object).astype(str), return_inverse=True)
    return pd.Categorical.from_codes(inverse[codes], categories=list(uniq))


def constant(label: str, n: int) -> pd.Categorical:
    """A categorical column of ``n`` copies of one label (cheap to build and to combine)."""
    return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), [label])


def values_frame(**columns: Any) -> pd.DataFrame:
    """A ``values`` frame from column arrays (scalars broadcast), in store column order."""
    frame = pd.DataFrame(columns)
    for col in VALUES_COLUMNS:
        if col not in frame.columns:
            frame[col] = np.nan if col in ("numerator", "denominator", "value") else None
    return frame[list(VALUES_COLUMNS)]


def check_unique_keys(
    frame: pd.DataFrame, *, file: str, row_numbers: np.ndarray, column: str
) -> None:
    """Raise if two rows give the same (indicator, area, period), naming both rows (BI-23).

    Args:
        frame: Values rows in the loader's row order.
        file: The raw file, for the message.
        row_numbers: Each values row's row number in the raw file.
        column: The column to name in the error (e.g. the period column).
    """
    dup = frame.duplicated(list(VALUES_KEY), keep=False).to_numpy()
    if not dup.any():
        return
    first = frame[dup].iloc[0]
    same = (frame[list(VALUES_KEY)] == first[list(VALUES_KEY)].to_numpy()).all(axis=1).to_numpy()
    rows = sorted({int(r) for r in row_numbers[same]})
    raise DataFormatError(
        file,
        f"duplicate key: rows {', '.join(map(str, rows))} give {first['indicator_id']} for "
        f"{first['area_code']} in {first['period_label']} more than once",
        row=rows[1] if len(rows) > 1 else rows[0],
        column=column,
        rule="BI-23",
    )
