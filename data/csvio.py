"""Reading raw CSV files strictly: UTF-8 (with or without BOM), rectangular, every cell text.

``read_csv_strict`` never lets pandas guess: every cell comes back as the exact text in the
file (no NA strings, no type inference), and the first structural problem stops the read with
a ``DataFormatError`` naming the file, the row as a person counts it (1-based, header
included; a quoted cell spanning lines counts as one row, as in a spreadsheet) and the column.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from data.errors import DataFormatError

BOM = b"\xef\xbb\xbf"


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
    with Path(path).open("rb") as handle:
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
        first_line = body.split(b"\n", 1)[0].decode("utf-8", errors="replace").rstrip("\r")
        header = next(csv.reader([first_line]), [])
        field_index = len(next(csv.reader([prefix]), [""])) - 1
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


def read_header(path: Path) -> tuple[str, ...]:
    """The header fields of a CSV file (BOM removed), reading only its start.

    Raises:
        DataFormatError: Empty file or a first line that is not UTF-8.
    """
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    first = head.split(b"\n", 1)[0]
    if not first.strip():
        raise DataFormatError(str(path), "file is empty (no header, no data)", rule="BI-32")
    text, _ = decode_utf8(path, first)
    return tuple(next(csv.reader([text.rstrip("\r")])))


def read_csv_strict(
    path: Path,
    *,
    required: tuple[str, ...] = (),
    allow_empty_body: bool = False,
    allow_duplicate_headers: bool = False,
) -> RawCsv:
    """Read a CSV file as text cells, checking encoding, shape and header.

    Args:
        path: The file.
        required: Columns that must be present (by name, any order).
        allow_empty_body: Accept a header-only file (default: an error).
        allow_duplicate_headers: Keep repeated header names (renamed ``name``, ``name.1``...).

    Raises:
        DataFormatError: Empty file, not UTF-8, a duplicate or blank header, missing required
            columns (listing expected vs found), a ragged row, or no data rows.
    """
    path = Path(path)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
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
    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)
    frame = frame.astype("str")
    if frame.empty and not allow_empty_body:
        raise DataFormatError(str(path), "file has a header but no data rows", row=2, rule="BI-32")
    return RawCsv(path=path, frame=frame, header=header, sha256=digest, had_bom=had_bom)


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
