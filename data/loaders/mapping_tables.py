"""Mapping tables kept as data: CSV rows of a snake_case id, a regular expression and fields.

``data/s251_lines.csv`` (s251 budget lines) and ``data/ro3_services.csv`` (RO3 services) map
the names a publisher writes to one stable id. Both are read and checked here, and a name must
match exactly one row (``single_match``): no match and several matches are both errors, so a
new or ambiguous name is never silently stored as a series of its own or merged into another.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from data.csvio import read_csv_strict
from data.errors import DataFormatError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class MappingRow:
    """One checked row: its id, compiled pattern, other fields (stripped) and row number."""

    key: str
    pattern: re.Pattern[str]
    fields: dict[str, str]
    row: int


def read_mapping_table(path: Path, *, key: str, required: tuple[str, ...]) -> list[MappingRow]:
    """Read a mapping table: ids must be new snake_case names, patterns valid regexes.

    Raises:
        DataFormatError: A missing column, a bad or repeated id, or a bad pattern (file, row
            and column named).
    """
    raw = read_csv_strict(path, required=(key, "pattern", *required))
    rows: list[MappingRow] = []
    seen: set[str] = set()
    for i, rec in enumerate(raw.frame.to_dict(orient="records")):
        row = raw.first_data_row + i
        ident = rec[key].strip()
        if not re.fullmatch(r"[a-z][a-z0-9_]*", ident) or ident in seen:
            raise DataFormatError(
                str(path), f"{key} {ident!r} is not a new snake_case id", row=row, column=key
            )
        seen.add(ident)
        try:
            pattern = re.compile(rec["pattern"].strip())
        except re.error as exc:
            raise DataFormatError(
                str(path), f"bad pattern: {exc}", row=row, column="pattern"
            ) from exc
        rows.append(MappingRow(ident, pattern, {str(k): v.strip() for k, v in rec.items()}, row))
    return rows


def single_match(
    items: Sequence[T],
    text: str,
    *,
    pattern: Callable[[T], re.Pattern[str]],
    unknown: str,
    several: Callable[[list[T]], str],
) -> T:
    """The one item whose pattern matches ``text``.

    Raises:
        ValueError: With ``unknown`` when nothing matches, ``several(hits)`` when more does.
    """
    hits = [item for item in items if pattern(item).search(text)]
    if len(hits) == 1:
        return hits[0]
    raise ValueError(several(hits) if hits else unknown)
