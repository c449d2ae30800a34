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
        also: Further bad cells of the same kind found in the same read, as
            ``(row, column, token)``; listed after the first (up to ``MAX_LISTED``).
        rule: The bad-input rule broken (ids of the corpus in docs/data_log.md, e.g.
            ``BI-11`` unknown token), when there is one.
    """

    MAX_LISTED = 25

    def __init__(
        self,
        file: str,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        token: str | None = None,
        also: list[tuple[int, str, str]] | None = None,
        rule: str | None = None,
    ) -> None:
        self.file = str(file)
        self.row = row
        self.column = column
        self.message = message
        self.token = token
        self.also = list(also or [])
        self.rule = rule
        super().__init__(self.describe())

    def describe(self) -> str:
        """One line: ``file, row R, column 'C': message``."""
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = f"{', '.join(where)}: {self.message}"
        if self.also:
            listed = "; ".join(
                f"row {r}, column {c!r}: {t!r}" for r, c, t in self.also[: self.MAX_LISTED]
            )
            more = len(self.also) - self.MAX_LISTED
            text += f" (also {listed}" + (f"; and {more} more" if more > 0 else "") + ")"
        if self.rule:
            text += f" [rule {self.rule}]"
        return text

    def merged(self, others: list[DataFormatError]) -> DataFormatError:
        """This error with the first cell of each other error (and their ``also``) appended."""
        also = list(self.also)
        for other in others:
            if other.row is not None and other.column is not None:
                also.append((other.row, other.column, other.token or ""))
            also.extend(other.also)
        return DataFormatError(
            self.file,
            self.message,
            row=self.row,
            column=self.column,
            token=self.token,
            also=also,
            rule=self.rule,
        )


class StoreError(Exception):
    """The store on disk is missing, incomplete, corrupt or of another schema version."""


class StoreMissing(StoreError):
    """There is no store at all in the folder (nothing was ever built there)."""


class IngestRefused(Exception):
    """A new release was built but is not made live (it would lose too much; see the message).

    The live store is unchanged; the message says what would be lost and how to override.
    """
