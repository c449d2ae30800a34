"""The one error type for bad input files: it always names the file, row and column."""

from __future__ import annotations


class DataFormatError(Exception):
    """A raw file that cannot be loaded as it stands.

    Attributes:
        file: The file's path as given to the loader (shown to the user).
        row: The row as a person counts it when opening the file: 1-based, header and any
            preamble rows included. ``None`` for whole-file problems (e.g. an empty file).
        column: The column's header text (or letter for a spreadsheet without one);
            ``None`` when the problem is not tied to one column (e.g. a ragged row).
        message: What is wrong and what was expected.
        token: The offending cell text, when there is one.
    """

    def __init__(
        self,
        file: str,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        token: str | None = None,
    ) -> None:
        self.file = str(file)
        self.row = row
        self.column = column
        self.message = message
        self.token = token
        super().__init__(self.describe())

    def describe(self) -> str:
        """One line: ``file, row R, column 'C': message``."""
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


class StoreError(Exception):
    """The store on disk is missing, incomplete, corrupt or of another schema version."""
