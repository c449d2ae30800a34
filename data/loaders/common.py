"""Shared pieces of the loaders: what a loader returns, row accounting, ids and slugs."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from data.errors import DataFormatError
from data.schema import INDICATORS_COLUMNS, VALUES_COLUMNS, VALUES_KEY

#: What a rejection did: a raw row not loaded, one value not stored, or a value stored without
#: the numerator and denominator that came with it.
ROW_REJECTED = "row rejected"
VALUE_REJECTED = "value rejected"
PAIR_DROPPED = "numerator and denominator dropped"

#: Where each loaded value came from, carried beside the values until the release is written
#: (``with_origin``): the raw file, its row as a person counts it, and the column.
ORIGIN_COLUMNS = ("origin_file", "origin_row", "origin_column")


@dataclass(frozen=True)
class Rejection:
    """Rows or values of one file set aside for one reason (a block of the rejections table).

    Attributes:
        rows: Row numbers as in the file (one per rejected row or value).
        reason: Why, in words (the same for the whole block).
        rule: The rule broken (ids in docs/data_log.md, e.g. ``BI-38``).
        action: ``ROW_REJECTED``, ``VALUE_REJECTED`` or ``PAIR_DROPPED``.
        column: The column the rule looked at, when there is one.
        tokens: The offending cell text (or number) per row, when there is one.
        keys: ``(indicator_id, area_code, time_period)`` per row for value-level blocks.
    """

    rows: Sequence[int]
    reason: str
    rule: str
    action: str = ROW_REJECTED
    column: str | None = None
    tokens: Sequence[str] | None = None
    keys: Sequence[tuple[str | None, str | None, int | None]] | None = None


@dataclass
class SourceReport:
    """What happened to one raw file: the manifest's per-file accounting.

    ``rows_read == rows_loaded + rows_rejected`` always holds (``check`` enforces it); a
    loaded row may produce several stored values (one per measure column). Every rejected row
    (and every value rejected later by the range rules, and every numerator/denominator pair
    dropped) is recorded in ``rejections`` with its row, column, rule and token.
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
    values_rejected: int = 0
    pairs_dropped: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    def reject(
        self,
        reason: str,
        rows: Sequence[int] | np.ndarray,
        *,
        rule: str,
        column: str | None = None,
        tokens: Sequence[str] | None = None,
    ) -> None:
        """Record raw rows (their numbers as in the file) not loaded, and why."""
        if isinstance(rows, (int, np.integer)):
            raise TypeError("reject() records each row: pass the rows' numbers, not a count")
        rows = [int(r) for r in rows]
        if rows:
            self.rows_rejected += len(rows)
            self.rejected_reasons[reason] += len(rows)
            self.rejections.append(Rejection(rows, reason, rule, ROW_REJECTED, column, tokens))

    def set_aside(self, block: Rejection) -> None:
        """Record values not stored (``VALUE_REJECTED``) or stored without num/den."""
        if not len(block.rows):
            return
        if block.action == VALUE_REJECTED:
            self.values_rejected += len(block.rows)
            self.values_written -= len(block.rows)
        elif block.action == PAIR_DROPPED:
            self.pairs_dropped += len(block.rows)
        else:
            raise ValueError(f"use reject() for {block.action!r}")
        self.rejections.append(block)

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
            "values_rejected": self.values_rejected,
            "pairs_dropped": self.pairs_dropped,
            "rejections": summarise_rejections(self.rejections),
            "indicators": self.indicators,
            "notes": list(self.notes),
        }


def summarise_rejections(blocks: Sequence[Rejection]) -> list[dict[str, Any]]:
    """One entry per (rule, action, reason, column): count, first row and its token."""
    merged: dict[tuple[str, str, str, str | None], dict[str, Any]] = {}
    for block in blocks:
        first = min(range(len(block.rows)), key=lambda i: block.rows[i])
        entry = merged.setdefault(
            (block.rule, block.action, block.reason, block.column),
            {
                "rule": block.rule,
                "action": block.action,
                "reason": block.reason,
                "column": block.column,
                "count": 0,
                "first_row": block.rows[first],
                "first_token": None,
            },
        )
        entry["count"] += len(block.rows)
        if block.rows[first] <= entry["first_row"]:
            entry["first_row"] = block.rows[first]
            entry["first_token"] = str(block.tokens[first])[:80] if block.tokens else None
    return list(merged.values())


@dataclass
class LoadResult:
    """Tidy output of one loader: store-shaped frames plus per-file reports."""

    value_frames: list[pd.DataFrame] = field(default_factory=list)
    indicator_frames: list[pd.DataFrame] = field(default_factory=list)
    neighbour_frames: list[pd.DataFrame] = field(default_factory=list)
    reports: list[SourceReport] = field(default_factory=list)
    extra_files: dict[str, bytes] = field(default_factory=dict)
    #: Files offered to the loader that it did not load, with the reason.
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: Comparisons of one source with another made while loading (``data.checks`` format).
    checks: list[dict[str, Any]] = field(default_factory=list)

    def extend(self, other: LoadResult) -> None:
        """Append another loader's output."""
        self.value_frames += other.value_frames
        self.indicator_frames += other.indicator_frames
        self.neighbour_frames += other.neighbour_frames
        self.reports += other.reports
        self.extra_files.update(other.extra_files)
        self.skipped += other.skipped
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
    return pd.Categorical.from_codes(inverse[codes], categories=pd.Index(list(uniq)))


def constant(label: str, n: int) -> pd.Categorical[str]:
    """A categorical column of ``n`` copies of one label (cheap to build and to combine)."""
    return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=pd.Index([label]))


def values_frame(**columns: Any) -> pd.DataFrame:
    """A ``values`` frame from column arrays (scalars broadcast), in store column order."""
    frame = pd.DataFrame(columns)
    for col in VALUES_COLUMNS:
        if col not in frame.columns:
            frame[col] = np.nan if col in ("numerator", "denominator", "value") else None
    return frame[list(VALUES_COLUMNS)]


def with_origin(
    values: pd.DataFrame,
    *,
    file: str,
    rows: np.ndarray,
    column: str | Sequence[str] | np.ndarray | pd.Categorical,
) -> pd.DataFrame:
    """``values`` with the origin of each row (file, row as in the file, column) beside it.

    The origin lets later checks (duplicate keys across files, range rules) name the cell;
    ``data.ingest`` drops these columns before the release is written. ``column`` is one name
    for every row, or one per row (a ``pd.Categorical`` is used as it is).
    """
    n = len(values)
    if isinstance(column, pd.Categorical):
        return values.assign(
            origin_file=pd.Categorical.from_codes(
                np.zeros(n, dtype=np.int8), categories=pd.Index([file])
            ),
            origin_row=np.asarray(rows, dtype=np.int64),
            origin_column=column,
        )
    columns = np.asarray(column, dtype=object)
    return values.assign(
        origin_file=pd.Categorical.from_codes(
            np.zeros(n, dtype=np.int8), categories=pd.Index([file])
        )
        if n
        else pd.Categorical([], categories=[file]),
        origin_row=np.asarray(rows, dtype=np.int64),
        origin_column=pd.Categorical.from_codes(
            np.zeros(n, dtype=np.int8), categories=pd.Index([str(column)])
        )
        if columns.ndim == 0
        else pd.Categorical(columns),
    )


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


def _indicator_ids(frame: pd.DataFrame) -> set[str]:
    column = frame["indicator_id"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        used = np.unique(column.cat.codes.to_numpy())
        return {str(c) for c in column.cat.categories[used[used >= 0]]}
    return {str(c) for c in pd.unique(column)}


def check_keys_across_files(frames: Sequence[pd.DataFrame]) -> None:
    """Raise if two files give the same (indicator, area, period), naming both (BI-23).

    Each file's own keys are checked by its loader (``check_unique_keys``); here only frames
    sharing an indicator are compared (e.g. line-level s251 files of two years), using the
    origin columns (``with_origin``) to name each file and row.
    """
    owners: dict[str, list[int]] = {}
    for k, frame in enumerate(frames):
        for ind in _indicator_ids(frame):
            owners.setdefault(ind, []).append(k)
    shared = {ind for ind, ks in owners.items() if len(ks) > 1}
    if not shared:
        return
    parts = []
    for k in sorted({k for ind in shared for k in owners[ind]}):
        frame = frames[k]
        part = frame.loc[
            frame["indicator_id"].astype(str).isin(shared), [*VALUES_KEY, "period_label"]
        ].astype({"indicator_id": str, "area_code": str, "period_label": str})
        for name in ORIGIN_COLUMNS:
            part[name] = frame.loc[part.index, name].to_numpy() if name in frame else None
        parts.append(part)
    rows = pd.concat(parts, ignore_index=True)
    dup = rows[rows.duplicated(list(VALUES_KEY), keep=False)]
    if dup.empty:
        return
    first = dup.iloc[0]
    same = dup[(dup[list(VALUES_KEY)] == first[list(VALUES_KEY)].to_numpy()).all(axis=1)]
    places = [f"{f} row {r}" for f, r in zip(same["origin_file"], same["origin_row"], strict=True)]
    second = same.iloc[1]
    raise DataFormatError(
        str(second["origin_file"]),
        f"duplicate key across files: {first['indicator_id']} for {first['area_code']} in "
        f"{first['period_label']} is given by {' and by '.join(places)}",
        row=int(second["origin_row"]) if pd.notna(second["origin_row"]) else None,
        column=str(second["origin_column"]) if pd.notna(second["origin_column"]) else None,
        rule="BI-23",
    )
