"""Reading raw CSV files strictly: UTF-8 (with or without BOM), rectangular, every cell text.

``read_csv_strict`` never lets pandas guess: every cell comes back as the exact text in the
file (no NA strings, no type inference), and the first structural problem stops the read with
a ``DataFormatError`` naming the file, the row as a person counts it (1-based, header
included; a quoted cell spanning lines counts as one row, as in a spreadsheet) and the column.

Memory and time stay bounded on hostile files: the file size, the header line, every line and
every cell are capped (``MAX_*``, rule BI-34) before anything reaches pandas, and lines ending
in a carriage return alone are refused (BI-32) instead of being read as one enormous line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from data.errors import DataFormatError
from data.files import open_regular, read_bytes

BOM = b"\xef\xbb\xbf"
#: Caps on what a source CSV may hold (the largest real file is 4 MB, its longest cell 3,003
#: characters: the LAIT dictionary's descriptions; its longest label 119 characters).
MAX_CSV_BYTES = 100 * 1024 * 1024
MAX_HEADER_BYTES = 64 * 1024
MAX_LINE_BYTES = 1024 * 1024
MAX_CELL_CHARS = 1_000
MAX_TEXT_CHARS = 20_000
_FIELD = re.compile(rb'"(?:[^"]|"")*"|[^,\r\n]*')


@dataclass(frozen=True, slots=True)
class RawCsv:
    """A CSV file read as text cells.

    Attributes:
        path: The file.
        frame: One ``str`` column per header field, in file order; no index meaning.
        header: The header fields, BOM removed.
        sha256: Hex digest of the file's bytes (for the manifest).
        had_bom: Whether the file began with a UTF-8 byte-order mark.
    """

    path: Path
    frame: pd.DataFrame
    header: tuple[str, ...]
    sha256: str
    had_bom: bool

    #: Row number (as a person counts it) of ``frame.iloc[0]``: the header is row 1.
    first_data_row: int = 2


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open_regular(Path(path)) as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def decode_utf8(path: Path, data: bytes) -> tuple[str, bool]:
    """Decode bytes as UTF-8, dropping one leading BOM; raise on any invalid byte.

    Raises:
        DataFormatError: Naming the line and column (by header) of the first invalid byte,
            and its offset, e.g. a Windows-1252 ``£`` (0xA3).
    """
    had_bom = data.startswith(BOM)
    body = data[len(BOM) :] if had_bom else data
    try:
        return body.decode("utf-8"), had_bom
    except UnicodeDecodeError as exc:
        offset = exc.start
        line_no = body.count(b"\n", 0, offset) + 1
        line_start = body.rfind(b"\n", 0, offset) + 1
        prefix = body[line_start:offset].decode("utf-8", errors="replace")
        column: str | None = None
        first_line = body[:MAX_HEADER_BYTES].split(b"\n", 1)[0]
        header = _split_fields(first_line.decode("utf-8", errors="replace").rstrip("\r"))
        field_index = len(_split_fields(prefix[-MAX_LINE_BYTES:])) - 1
        if line_no > 1 and 0 <= field_index < len(header):
            column = header[field_index]
        raise DataFormatError(
            str(path),
            f"not UTF-8: invalid byte 0x{body[offset]:02X} at byte {offset + len(BOM) * had_bom}"
            " (save the file as 'CSV UTF-8'; Windows-1252 files are not accepted)",
            row=line_no,
            column=column,
            rule="BI-20",
        ) from exc


def _split_fields(line: str) -> list[str]:
    """The fields of one line (the csv module's, or a plain split if a field is too long)."""
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return line.split(",")


def _field_at(line: bytes, limit: int) -> int:
    """Index of the first field of a raw line longer than ``limit`` bytes (quote-aware)."""
    pos, index = 0, 0
    while pos <= len(line):
        match = _FIELD.match(line, pos)
        end = match.end() if match else len(line)
        if end - pos > limit:
            return index
        pos, index = end + 1, index + 1
    return index


def check_shape(path: Path, body: bytes) -> None:
    """Refuse a CSV whose lines end in CR alone, or whose header, lines or size exceed the caps.

    ``body`` is the file's bytes without a BOM. Checked on bytes, before any parser sees them.

    Raises:
        DataFormatError: Naming the row (the line) and, for a long line, the column.
    """
    head = body[:MAX_HEADER_BYTES]
    newline = head.find(b"\n")
    if newline < 0 and b"\r" in head.rstrip(b"\r"):
        raise DataFormatError(
            str(path),
            "lines end with a carriage return alone (old Mac format): save the file with "
            "Windows (CRLF) or Unix (LF) line endings",
            row=1,
            rule="BI-32",
        )
    if newline < 0 and len(body) > MAX_HEADER_BYTES:
        raise DataFormatError(
            str(path),
            f"header line is longer than {MAX_HEADER_BYTES:,} bytes (not a data table?)",
            row=1,
            rule="BI-34",
        )
    if len(body) <= MAX_LINE_BYTES:
        return
    ends = np.flatnonzero(np.frombuffer(body, dtype=np.uint8) == 10)
    ends = np.append(ends, len(body))
    lengths = np.diff(ends, prepend=-1) - 1
    too_long = np.flatnonzero(lengths > MAX_LINE_BYTES)
    if too_long.size:
        i = int(too_long[0])
        start = int(ends[i - 1]) + 1 if i else 0
        header = _split_fields(body[:newline].decode("utf-8", errors="replace").rstrip("\r"))
        index = _field_at(body[start : int(ends[i])], MAX_CELL_CHARS * 4)
        column = header[index] if index < len(header) else f"#{index + 1} (beyond the header)"
        raise DataFormatError(
            str(path),
            f"line is {int(lengths[i]):,} bytes long, more than the {MAX_LINE_BYTES:,} allowed "
            f"(a cell of more than {MAX_CELL_CHARS:,} characters)",
            row=i + 1,
            column=column,
            rule="BI-34",
        )


def read_header(path: Path) -> tuple[str, ...]:
    """The header fields of a CSV file (BOM removed), reading only its start.

    Raises:
        DataFormatError: Not a regular file, empty, lines ending in CR alone, a header line
            longer than ``MAX_HEADER_BYTES``, or a first line that is not UTF-8.
    """
    path = Path(path)
    with open_regular(path) as handle:
        head = handle.read(MAX_HEADER_BYTES + len(BOM) + 1)
    body = head[len(BOM) :] if head.startswith(BOM) else head
    first = body.split(b"\n", 1)[0]
    if not first.strip():
        raise DataFormatError(str(path), "file is empty (no header, no data)", rule="BI-32")
    check_shape(path, body)
    text, _ = decode_utf8(path, first)
    return tuple(_split_fields(text.rstrip("\r")))


def read_csv_strict(
    path: Path,
    *,
    required: tuple[str, ...] = (),
    allow_empty_body: bool = False,
    allow_duplicate_headers: bool = False,
    long_text: tuple[str, ...] = (),
) -> RawCsv:
    """Read a CSV file as text cells, checking encoding, shape and header.

    Args:
        path: The file.
        required: Columns that must be present (by name, any order).
        allow_empty_body: Accept a header-only file (default: an error).
        allow_duplicate_headers: Keep repeated header names (renamed ``name``, ``name.1``...).
        long_text: Columns of free text whose cells may be up to ``MAX_TEXT_CHARS`` long
            (every other cell: ``MAX_CELL_CHARS``).

    Raises:
        DataFormatError: Not a regular file, too large, lines ending in CR alone, an
            over-long line or cell, empty, not UTF-8, a duplicate or blank header, missing
            required columns (listing expected vs found), a ragged row, or no data rows.
    """
    path = Path(path)
    data = read_bytes(path, limit=MAX_CSV_BYTES)
    digest = hashlib.sha256(data).hexdigest()
    check_shape(path, data[len(BOM) :] if data.startswith(BOM) else data)
    text, had_bom = decode_utf8(path, data)
    if not text.strip():
        raise DataFormatError(str(path), "file is empty (no header, no data)", rule="BI-32")
    first_line = text.split("\n", 1)[0].rstrip("\r")
    header = tuple(next(csv.reader([first_line])))
    _check_header(path, header, required, allow_duplicate_headers)
    names = _unique_names(header) if allow_duplicate_headers else list(header)

    bad_rows: list[tuple[int | None, int, int]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        bad_rows.append((row.number, row.expected_columns, row.actual_columns))
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(
                use_threads=False, column_names=names, skip_rows=1, block_size=1 << 26
            ),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=True, invalid_row_handler=on_invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        raise DataFormatError(str(path), f"cannot be parsed as CSV ({exc})") from exc
    if bad_rows:
        number, expected, actual = bad_rows[0]
        column = header[actual] if actual < expected else f"#{expected + 1} (beyond the header)"
        raise DataFormatError(
            str(path),
            f"row has {actual} fields, the header has {expected} (a stray comma, a missing "
            "field, or a truncated line)",
            row=number,
            column=column,
            rule="BI-32",
        )
    _check_cells(path, table, header, long_text)
    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)
    frame = frame.astype("str")
    if frame.empty and not allow_empty_body:
        raise DataFormatError(str(path), "file has a header but no data rows", row=2, rule="BI-32")
    return RawCsv(path=path, frame=frame, header=header, sha256=digest, had_bom=had_bom)


def _check_cells(
    path: Path, table: pa.Table, header: tuple[str, ...], long_text: tuple[str, ...]
) -> None:
    """Refuse a cell longer than its cap (before pandas builds any array from it)."""
    for name, column in zip(header, table.columns, strict=True):
        limit = MAX_TEXT_CHARS if name in long_text else MAX_CELL_CHARS
        lengths = pc.utf8_length(column)
        longest = pc.max(lengths).as_py()
        if longest is not None and longest > limit:
            i = int(np.flatnonzero(lengths.to_numpy() > limit)[0])
            raise DataFormatError(
                str(path),
                f"cell is {longest:,} characters long, more than the {limit:,} allowed",
                row=2 + i,  # the header is row 1
                column=name,
                rule="BI-34",
            )


def _check_header(
    path: Path, header: tuple[str, ...], required: tuple[str, ...], allow_duplicates: bool
) -> None:
    stripped = [h.strip() for h in header]
    for i, name in enumerate(stripped):
        if not name and not allow_duplicates:
            raise DataFormatError(
                str(path), f"header field {i + 1} is blank", row=1, column=f"#{i + 1}"
            )
    if not allow_duplicates:
        seen: set[str] = set()
        for name in header:
            if name in seen:
                raise DataFormatError(str(path), "duplicate header name", row=1, column=name)
            seen.add(name)
    missing = [c for c in required if c not in header]
    if missing:
        raise DataFormatError(
            str(path),
            f"header lacks required column(s) {', '.join(map(repr, missing))}; "
            f"expected {list(required)}, found {list(header)}",
            row=1,
            column=missing[0],
            rule="BI-21",
        )


def _unique_names(header: tuple[str, ...]) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for name in header:
        count = seen.get(name, 0)
        names.append(name if count == 0 else f"{name}.{count}")
        seen[name] = count + 1
    return names
