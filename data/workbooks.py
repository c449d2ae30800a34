"""Reading one sheet of an XLSX workbook as text, within bounded memory and time.

A workbook is a zip archive of XML parts, so a hostile or damaged file can be something else
named ``.xlsx`` (not a zip), a zip bomb (a few MB unpacking to GBs), a sheet of millions of rows
(with or without the ``<dimension>`` element openpyxl would otherwise trust), or hold formulas
saved without their computed value. Each is refused with a ``DataFormatError`` naming the file
(and the row and column where there is one), rule BI-34 (size caps) or BI-30 (a formula without
a cached value); the row cap is enforced while rows are streamed, never by reading them all.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import Any

from data.errors import DataFormatError
from data.files import open_regular

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_SHEET_COLUMNS = 200


def column_letter(index: int) -> str:
    """Spreadsheet letters of a 1-based column number (1 -> A, 27 -> AA)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _workbook_bytes(path: Path, max_bytes: int) -> bytes:
    with open_regular(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            raise DataFormatError(
                str(path), f"workbook larger than {max_bytes} bytes ({size:,})", rule="BI-34"
            )
        data = handle.read(max_bytes + 1)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise DataFormatError(
            str(path),
            "not an XLSX workbook: the file is not a zip archive (another kind of file saved "
            "with an .xlsx name, or a damaged download)",
            rule="BI-34",
        ) from exc
    unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise DataFormatError(
            str(path),
            f"workbook unpacks to {unpacked:,} bytes, more than the {MAX_UNPACKED_BYTES:,} "
            "allowed (a zip bomb?)",
            rule="BI-34",
        )
    return data


def _open(path: Path, data: bytes, *, data_only: bool) -> Any:
    import openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds for a damaged archive
        raise DataFormatError(
            str(path), f"not a readable XLSX workbook ({type(exc).__name__}: {exc})", rule="BI-34"
        ) from exc


def _rows(path: Path, book: Any, sheet: str | None, max_rows: int) -> list[tuple[Any, ...]]:
    """The sheet's cells row by row, stopping as soon as a cap is passed."""
    ws = book[sheet] if sheet and sheet in book.sheetnames else book.active
    rows = []
    for number, row in enumerate(ws.iter_rows(max_col=MAX_SHEET_COLUMNS + 1), start=1):
        if number > max_rows:
            raise DataFormatError(
                str(path),
                f"sheet {ws.title!r} has more than {max_rows:,} rows",
                row=number,
                rule="BI-34",
            )
        if len(row) > MAX_SHEET_COLUMNS and row[MAX_SHEET_COLUMNS].value is not None:
            raise DataFormatError(
                str(path),
                f"sheet {ws.title!r} has more than {MAX_SHEET_COLUMNS} columns",
                row=number,
                column=column_letter(MAX_SHEET_COLUMNS + 1),
                rule="BI-34",
            )
        rows.append(tuple(row[:MAX_SHEET_COLUMNS]))
    return rows


def read_sheet(
    path: Path,
    *,
    sheet: str | None = None,
    max_rows: int,
    max_bytes: int = MAX_WORKBOOK_BYTES,
) -> list[list[str]]:
    """One sheet (``sheet`` if the workbook has it, else the active one) as rows of text.

    Empty cells are ``""``; other values are ``str(value).strip()``. A formula cell gives its
    cached value (the number Excel showed when the file was saved).

    Raises:
        DataFormatError: Not a regular file, larger than ``max_bytes``, not a zip archive,
            unpacking beyond ``MAX_UNPACKED_BYTES``, more than ``max_rows`` rows or
            ``MAX_SHEET_COLUMNS`` columns (BI-34), or a formula without a cached value (BI-30,
            naming its row and column letter).
    """
    path = Path(path)
    data = _workbook_bytes(path, max_bytes)
    book = _open(path, data, data_only=False)
    try:
        cells = _rows(path, book, sheet, max_rows)
    finally:
        book.close()
    formulas = [
        (i, j, cell.value)
        for i, row in enumerate(cells)
        for j, cell in enumerate(row)
        if getattr(cell, "data_type", None) == "f"
    ]
    grid = [["" if c.value is None else str(c.value).strip() for c in row] for row in cells]
    if formulas:  # read the values Excel saved for them
        cached_book = _open(path, data, data_only=True)
        try:
            cached = _rows(path, cached_book, sheet, max_rows)
        finally:
            cached_book.close()
        for i, j, formula in formulas:
            value = cached[i][j].value if j < len(cached[i]) else None
            if value is None:
                raise DataFormatError(
                    str(path),
                    f"formula {str(formula)[:60]!r} has no cached value (the workbook was saved "
                    "without calculating it: open it in a spreadsheet program and save it)",
                    row=i + 1,
                    column=column_letter(j + 1),
                    token=str(formula)[:60],
                    rule="BI-30",
                )
            grid[i][j] = str(value).strip()
    width = max((len(r) for r in grid), default=0)
    return [r + [""] * (width - len(r)) for r in grid]
