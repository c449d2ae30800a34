"""Opening a workbook within its limits and reading its sheets (all, some, or the first rows)."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from data.errors import DataFormatError
from data.files import open_regular
from data.workbooks.ods import read_ods
from data.workbooks.sheet_grid import (
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    MAX_WORKBOOK_BYTES,
    PEEK_BYTES,
    WORKBOOK_SUFFIXES,
    ReadLimits,
    ReadRequest,
    Sheet,
    SheetFilter,
)
from data.workbooks.xlsx import read_xlsx


def is_workbook(path: Path) -> bool:
    """Whether a file's name ends like a workbook this module reads."""
    return Path(path).suffix.casefold() in WORKBOOK_SUFFIXES


def read_sheets(
    path: Path,
    *,
    sheets: SheetFilter | None = None,
    max_columns: int | None = None,
    columns: Collection[int] | None = None,
    max_rows: int = MAX_ROWS,
    max_bytes: int | None = None,
) -> list[Sheet]:
    """Read the sheets of a workbook (all, or those whose name ``sheets`` accepts).

    Args:
        path: An ``.xlsx``/``.xlsm`` or ``.ods`` file (recognised by its zip content).
        sheets: Which sheets to read, by name; default all.
        max_columns: Keep only the first this-many columns of every row (faster on wide
            sheets whose later columns are not needed).
        columns: Decode only these 0-based columns (others read as empty; faster on wide
            sheets); implies ``max_columns`` = the last of them + 1.
        max_rows: Most rows a sheet may have (a source's own, smaller cap; the error names
            the first row beyond it).
        max_bytes: Largest file accepted (default ``MAX_WORKBOOK_BYTES``).

    Raises:
        DataFormatError: Not a workbook, a damaged or over-large file, or a grid beyond the
            limits (BI-34); a formula without a cached value (BI-30).
    """
    limits = ReadLimits(max_rows, MAX_WORKBOOK_BYTES if max_bytes is None else max_bytes)
    if columns is not None:
        wanted = frozenset(columns)
        max_columns = min(max_columns or MAX_COLUMNS, max(wanted, default=-1) + 1) or 1
        return list(_read(Path(path), sheets, max_columns, limits, limit=None, wanted=wanted))
    return list(_read(Path(path), sheets, max_columns, limits, limit=None))


def peek(path: Path, *, rows: int = 25, columns: int = 512) -> list[Sheet]:
    """The first ``rows`` rows and ``columns`` columns of every sheet (discovery).

    Only the start of the workbook's XML is decompressed (``PEEK_BYTES``).
    """
    return [
        Sheet(s.name, s.rows[:rows])
        for s in _read(
            Path(path),
            None,
            columns,
            ReadLimits(formulas_need_values=False),
            limit=PEEK_BYTES,
            row_limit=rows,
        )
    ]


@contextmanager
def _open(path: Path, max_bytes: int) -> Iterator[zipfile.ZipFile]:
    """The workbook's zip archive, once its size and declared unpacked size are checked."""
    with open_regular(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            raise DataFormatError(
                str(path), f"workbook larger than {max_bytes:,} bytes ({size:,})", rule="BI-34"
            )
        try:
            book = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise DataFormatError(
                str(path),
                "not a workbook (.xlsx or .ods): the file is not a zip archive (another kind of "
                "file saved with a workbook's name, or a damaged download)",
                rule="BI-34",
            ) from exc
        with book:
            unpacked = sum(member.file_size for member in book.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise DataFormatError(
                    str(path),
                    f"workbook unpacks to {unpacked:,} bytes, more than the "
                    f"{MAX_UNPACKED_BYTES:,} allowed (a zip bomb?)",
                    rule="BI-34",
                )
            yield book


def _read(
    path: Path,
    sheets: SheetFilter | None,
    max_columns: int | None,
    limits: ReadLimits,
    *,
    limit: int | None,
    row_limit: int | None = None,
    wanted: frozenset[int] | None = None,
) -> Iterator[Sheet]:
    with _open(path, limits.max_bytes) as book:
        names = set(book.namelist())
        if "content.xml" in names:
            reader = read_ods
        elif "xl/workbook.xml" in names:
            reader = read_xlsx
        else:
            raise DataFormatError(str(path), "not a workbook: no xl/workbook.xml or content.xml")
        request = ReadRequest(sheets, max_columns, limit, row_limit, wanted, limits)
        for sheet in reader(book, path, request):
            if wanted is None:
                yield sheet
            else:
                yield Sheet(sheet.name, tuple(_only(row, wanted) for row in sheet.rows))


def _only(row: tuple[str, ...], wanted: frozenset[int]) -> tuple[str, ...]:
    """A row with the cells outside ``wanted`` emptied (the ODS reader never decodes them)."""
    cells = [v if i in wanted else "" for i, v in enumerate(row)]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)
