"""The sheet a workbook read returns, its limits, and the grid that builds it row by row."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from data.errors import DataFormatError

#: Largest workbook file accepted, and largest XML part read from it (uncompressed).
MAX_WORKBOOK_BYTES = 64 * 1024 * 1024
MAX_XML_BYTES = 256 * 1024 * 1024
#: Largest sum of the archive's member sizes (the largest real workbook, RO3, unpacks to 37 MB).
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
#: Largest grid materialised: rows and columns (trailing empty ones do not count).
MAX_ROWS = 250_000
MAX_COLUMNS = 16_384
#: How much XML ``peek`` decompresses to find the first rows of every sheet.
PEEK_BYTES = 8 * 1024 * 1024

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet as text cells.

    Attributes:
        name: The sheet's name (tab label).
        rows: ``rows[i]`` holds the cells of sheet row ``i + 1``; rows may differ in length.
    """

    name: str
    rows: tuple[tuple[str, ...], ...]

    def cell(self, row: int, column: int) -> str:
        """Text of the cell at 1-based ``row`` and 0-based ``column`` (``""`` if absent)."""
        cells = self.rows[row - 1] if 0 < row <= len(self.rows) else ()
        return cells[column] if column < len(cells) else ""


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index.

    Examples:
        >>> column_letter(0), column_letter(25), column_letter(26), column_letter(701)
        ('A', 'Z', 'AA', 'ZZ')
    """
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


SheetFilter = Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """The caps of one read: rows per sheet, bytes of the file; whether a formula needs a value.

    ``peek`` (discovery) reads a formula without a value as empty: the full read names it.
    """

    max_rows: int = MAX_ROWS
    max_bytes: int = MAX_WORKBOOK_BYTES
    formulas_need_values: bool = True


@dataclass(frozen=True)
class ReadRequest:
    """What one read asks of a workbook.

    Which sheets, how many columns and rows, which columns to decode (None: all), how many
    bytes of a sheet's XML (None: all) and the read's caps.
    """

    sheets: SheetFilter | None
    max_columns: int | None
    limit: int | None
    row_limit: int | None
    wanted: frozenset[int] | None
    limits: ReadLimits


def read_member(book: zipfile.ZipFile, name: str, path: Path, limit: int | None) -> bytes:
    """One part of the archive, refused when it expands beyond ``MAX_XML_BYTES``.

    With ``limit`` (a peek), only the first ``limit`` bytes are read, and more is not an error.
    """
    try:
        info = book.getinfo(name)
    except KeyError as exc:
        raise DataFormatError(str(path), f"workbook lacks its part {name!r}") from exc
    cap = MAX_XML_BYTES if limit is None else limit
    if limit is None and info.file_size > MAX_XML_BYTES:
        raise DataFormatError(
            str(path), f"{name} expands to {info.file_size} bytes (limit {MAX_XML_BYTES})"
        )
    try:
        with book.open(info) as handle:
            data = handle.read(cap + 1)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise DataFormatError(str(path), f"cannot read {name}: {exc}") from exc
    if len(data) > cap:
        if limit is None:
            raise DataFormatError(str(path), f"{name} expands beyond {MAX_XML_BYTES} bytes")
        data = data[:cap]
    return data


class SheetGrid:
    """The rows of one sheet being built: trailing empty rows held back, limits enforced."""

    def __init__(self, path: Path, name: str, max_columns: int | None, max_rows: int) -> None:
        self.path = path
        self.name = name
        self.max_rows = max_rows
        self.width = max_columns or MAX_COLUMNS
        self.truncate = max_columns is not None
        self.rows: list[tuple[str, ...]] = []
        self.pending_empty = 0

    @property
    def next_row(self) -> int:
        """Sheet row number of the next row."""
        return len(self.rows) + self.pending_empty + 1

    def too_long(self, row: int) -> DataFormatError:
        """The error for a sheet with a row beyond the last allowed (``row``, the first such)."""
        return DataFormatError(
            str(self.path),
            f"sheet {self.name!r} has more than {self.max_rows:,} rows",
            row=row,
            rule="BI-34",
        )

    def skip_to(self, number: int) -> None:
        """The next row is sheet row ``number`` (xlsx rows name their number)."""
        if number > self.max_rows:
            raise self.too_long(number)
        if number > self.next_row:
            self.pending_empty += number - self.next_row

    def add(self, cells: list[str], repeat: int = 1) -> None:
        """Append a finished row (``repeat`` times, as ODS repeats identical rows)."""
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            self.pending_empty += repeat
            return
        if len(self.rows) + self.pending_empty + repeat > self.max_rows:
            raise self.too_long(max(self.next_row, self.max_rows + 1))
        self.rows.extend([()] * self.pending_empty)
        self.pending_empty = 0
        self.rows.extend([tuple(cells)] * repeat)

    def too_wide(self, row: int) -> DataFormatError:
        """The error for a value beyond the last column allowed."""
        return DataFormatError(
            str(self.path),
            f"sheet {self.name!r} has a value beyond column {MAX_COLUMNS}",
            row=row,
            rule="BI-34",
        )

    def sheet(self) -> Sheet:
        """The finished sheet."""
        return Sheet(self.name, tuple(self.rows))


def no_cached_value(path: Path, row: int, column: int, formula: str) -> DataFormatError:
    """The error for a formula cell saved without the value it computes (rule BI-30)."""
    return DataFormatError(
        str(path),
        f"formula {formula[:60]!r} has no cached value (the workbook was saved without "
        "calculating it: open it in a spreadsheet program and save it)",
        row=row,
        column=column_letter(column),
        token=formula[:60],
        rule="BI-30",
    )
