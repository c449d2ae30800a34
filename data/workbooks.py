"""Reading spreadsheet workbooks (``.xlsx``, ``.ods``) as grids of cell text, fast and bounded.

openpyxl takes ~1.8 s for one 5,600-row s251 table and pandas' ODF reader ~100 s for one RO3
workbook (37 MB of XML); reading the XML directly takes a small fraction of that. Cells come back
as the text a loader needs (``""`` for empty):

* numbers as stored (``557263.11``; xlsx ``<v>``, ODS ``office:value``), never reformatted;
* text as written (shared and inline strings, rich-text runs joined, ODS paragraphs joined by a
  line break, ``<text:s>`` spaces and tabs kept, comments/annotations left out);
* booleans as ``TRUE``/``FALSE``, ODS dates as their ISO text, errors as their code (``#N/A``).

``Sheet.rows[i]`` is sheet row ``i + 1`` as a person sees it (empty rows kept, trailing empty
rows and cells dropped), so errors can name the row and column a user finds in the workbook.

Hostile or damaged files are refused with a ``DataFormatError`` naming the file (and the row
and column where there is one), before they exhaust memory or time: a file that is not a zip
archive, a file or archive over its limit (``MAX_WORKBOOK_BYTES``, and ``MAX_UNPACKED_BYTES``
checked on the sizes the archive declares, before anything is unpacked: a zip bomb), a sheet
with more rows than allowed (counted while the rows are read, so a sheet without a
``<dimension>`` element is stopped at the first row beyond the cap), rule BI-34; a formula
saved without its computed value (BI-30, naming the cell). Files are opened with
``data.files.open_regular`` (a FIFO in a workbook's place is refused, never blocks).
"""

from __future__ import annotations

import bisect
import html
import os
import re
import zipfile
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from data.errors import DataFormatError
from data.files import open_regular

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


def is_workbook(path: Path) -> bool:
    """Whether a file's name ends like a workbook this module reads."""
    return Path(path).suffix.casefold() in WORKBOOK_SUFFIXES


SheetFilter = Callable[[str], bool]


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
    limits = _Limits(max_rows, MAX_WORKBOOK_BYTES if max_bytes is None else max_bytes)
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
            _Limits(formulas_need_values=False),
            limit=PEEK_BYTES,
            row_limit=rows,
        )
    ]


# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Limits:
    """The caps of one read: rows per sheet, bytes of the file; whether a formula needs a value.

    ``peek`` (discovery) reads a formula without a value as empty: the full read names it.
    """

    max_rows: int = MAX_ROWS
    max_bytes: int = MAX_WORKBOOK_BYTES
    formulas_need_values: bool = True


@dataclass(frozen=True)
class _Request:
    """What one read asks of a workbook.

    Which sheets, how many columns and rows, which columns to decode (None: all), how many
    bytes of a sheet's XML (None: all) and the read's caps.
    """

    sheets: SheetFilter | None
    max_columns: int | None
    limit: int | None
    row_limit: int | None
    wanted: frozenset[int] | None
    limits: _Limits


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


def _member(book: zipfile.ZipFile, name: str, path: Path, limit: int | None) -> bytes:
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


def _read(
    path: Path,
    sheets: SheetFilter | None,
    max_columns: int | None,
    limits: _Limits,
    *,
    limit: int | None,
    row_limit: int | None = None,
    wanted: frozenset[int] | None = None,
) -> Iterator[Sheet]:
    with _open(path, limits.max_bytes) as book:
        names = set(book.namelist())
        if "content.xml" in names:
            reader = _read_ods
        elif "xl/workbook.xml" in names:
            reader = _read_xlsx
        else:
            raise DataFormatError(str(path), "not a workbook: no xl/workbook.xml or content.xml")
        request = _Request(sheets, max_columns, limit, row_limit, wanted, limits)
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


class _Grid:
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


# ---------------------------------------------------------------------------------------------
# Text of XML fragments
# ---------------------------------------------------------------------------------------------
_TAG = re.compile(rb"<[^>]*>")
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _text(fragment: bytes) -> str:
    """Unescaped text of an XML fragment with its tags removed."""
    if b"<" in fragment:
        fragment = _TAG.sub(b"", fragment)
    text = fragment.decode("utf-8", errors="replace")
    return html.unescape(text) if "&" in text else text


def _attr(attrs: bytes, name: bytes) -> bytes | None:
    """An attribute's raw value from a start tag's attribute text."""
    m = re.search(rb"(?:^|\s)" + re.escape(name) + rb'\s*=\s*"([^"]*)"', attrs)
    return m.group(1) if m else None


# ---------------------------------------------------------------------------------------------
# .xlsx (Office Open XML)
# ---------------------------------------------------------------------------------------------
_XL_SHEET = re.compile(rb"<(?:\w+:)?sheet\s([^>]*?)/?>")
_XL_REL = re.compile(rb"<(?:\w+:)?Relationship\s([^>]*?)/?>")
_XL_SI = re.compile(rb"<(?:\w+:)?si(?:\s[^>]*)?(?:/>|>(.*?)</(?:\w+:)?si>)", re.S)
_XL_T = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?(?:/>|>(.*?)</(?:\w+:)?t>)", re.S)
_XL_RPH = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_XL_ROW = re.compile(rb"<(?:\w+:)?row(?:\s([^>]*?))?(/?)>")
_XL_ROW_NUMBER = re.compile(rb'(?:^|\s)r="(\d+)"')
#: A cell's start tag (its attributes; a trailing "/" marks an empty cell).
_XL_CELL = re.compile(rb"<(?:\w+:)?c(\s[^>]*|/)?>")
_XL_V = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>(.*?)</(?:\w+:)?v>", re.S)
_XL_IS = re.compile(rb"<(?:\w+:)?is(?:\s[^>]*)?>(.*?)</(?:\w+:)?is>", re.S)


def _ooxml_text(fragment: bytes) -> str:
    """Text of a shared/inline string: its ``<t>`` runs joined (phonetic runs left out)."""
    if b"<rPh" in fragment or b":rPh" in fragment:
        fragment = _XL_RPH.sub(b"", fragment)
    text = "".join(_text(m.group(1) or b"") for m in _XL_T.finditer(fragment))
    if "_x" in text:
        text = _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def _xlsx_sheets(book: zipfile.ZipFile, path: Path) -> list[tuple[str, str]]:
    """(sheet name, part name) of each worksheet, in workbook order."""
    workbook = _member(book, "xl/workbook.xml", path, None)
    rels = _member(book, "xl/_rels/workbook.xml.rels", path, None)
    targets = {}
    for m in _XL_REL.finditer(rels):
        rel_id, target = _attr(m.group(1), b"Id"), _attr(m.group(1), b"Target")
        if rel_id is not None and target is not None:
            text = html.unescape(target.decode())
            targets[rel_id] = text.lstrip("/") if text.startswith("/") else f"xl/{text}"
    out = []
    for m in _XL_SHEET.finditer(workbook):
        name = _attr(m.group(1), b"name")
        found = re.search(rb'(?:^|\s)[\w]+:id="([^"]*)"', m.group(1))
        part = targets.get(found.group(1)) if found else None
        if name is not None and part is not None and "worksheets/" in part:
            out.append((html.unescape(name.decode()), part))
    return out


_COLUMN_CACHE: dict[bytes, int] = {}


def _column_index(letters: bytes) -> int:
    index = _COLUMN_CACHE.get(letters)
    if index is None:
        index = 0
        for ch in letters:
            index = index * 26 + (ch - 64)
        index -= 1
        if len(_COLUMN_CACHE) < 20_000:
            _COLUMN_CACHE[letters] = index
    return index


_XL_F = re.compile(rb"<(?:\w+:)?f(?:\s[^>]*)?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_XL_HAS_V = re.compile(rb"<(?:\w+:)?v(?:\s[^>/]*)?>")


def _xlsx_cell(
    data: bytes, tag: re.Match[bytes], shared: list[str], path: Path, row: int
) -> tuple[bytes, str, int, str | None]:
    """(column letters or b"", text, end offset, formula) of the cell whose start tag is ``tag``.

    ``formula`` is the formula's text when the cell holds a formula saved without its computed
    value (no ``<v>``, or an empty one where the result is not text), else ``None``.
    """
    attrs = tag.group(1) or b""
    letters = b""
    i = attrs.find(b' r="')
    if i >= 0:
        letters = attrs[i + 4 : attrs.index(b'"', i + 4)].rstrip(b"0123456789")
    if attrs.endswith(b"/"):
        return letters, "", tag.end(), None
    close = data.find(b"</c>", tag.end())
    if close < 0:
        close = data.find(b":c>", tag.end())
        close = len(data) if close < 0 else close
    body = data[tag.end() : close]
    k = attrs.find(b' t="')
    kind = attrs[k + 4 : attrs.index(b'"', k + 4)] if k >= 0 else b"n"
    value = _xlsx_value(kind, body, shared, path, row)
    formula = None
    f = _XL_F.search(body) if not value else None
    if f is not None and (kind != b"str" or _XL_HAS_V.search(body) is None):
        formula = _text(f.group(1) or b"")
    return letters, value, close, formula


def _no_cached_value(path: Path, row: int, column: int, formula: str) -> DataFormatError:
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


def _xlsx_value(kind: bytes, body: bytes, shared: list[str], path: Path, row: int) -> str:
    if kind == b"inlineStr":
        m = _XL_IS.search(body)
        return _ooxml_text(m.group(1)) if m else ""
    if body.startswith(b"<v>") and body.endswith(b"</v>"):
        raw = body[3:-4]
    else:
        m = _XL_V.search(body)
        if m is None:
            return ""
        raw = m.group(1)
    if kind == b"s":
        try:
            return shared[int(raw)]
        except (ValueError, IndexError) as exc:
            raise DataFormatError(
                str(path), f"shared string index {raw!r} does not exist", row=row
            ) from exc
    if kind == b"b":
        return "TRUE" if raw.strip() == b"1" else "FALSE"
    if kind == b"n" and b"&" not in raw and b"<" not in raw:
        return raw.decode().strip()
    if kind == b"str":
        text = _text(raw)
        return (
            _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text
        )
    return _text(raw).strip()


#: The common cell forms, read in one C-level pass (others go through ``_xlsx_cell``).
_XL_SIMPLE = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"(?: s="\d+")?(?: t="([a-z]+)")?(?: s="\d+")?'
    rb"(?:/>|>(?:<v>([^<&]*)</v>)?</c>)"
)


def _xlsx_fast(data: bytes, shared: list[str], grid: _Grid) -> bool:
    """Fill ``grid`` if every cell of the sheet has a common form; False to use the full parser.

    The cells are found in one regex pass and placed with numpy (no Python work per cell
    beyond decoding its text).
    """
    start, end = data.find(b"<sheetData"), data.find(b"</sheetData>")
    if start < 0 or end < 0:
        return data.find(b"<sheetData/>") >= 0 and b"<c " not in data
    region = data[start:end]
    cells = _XL_SIMPLE.findall(region)
    if len(cells) != region.count(b"<c ") or b"<c>" in region:
        return False
    if not cells:
        return True
    letters, numbers, kinds, raws = (np.array(x) for x in zip(*cells, strict=True))
    uniq, inverse = np.unique(letters, return_inverse=True)
    columns = np.array([_column_index(x) for x in uniq.tolist()], dtype=np.int64)[inverse]
    rows = numbers.astype(np.int64)
    if (columns >= grid.width).any() and not grid.truncate:
        raise grid.too_wide(int(rows[np.argmax(columns >= grid.width)]))
    if len(rows) > 1 and (np.diff(rows * (MAX_COLUMNS + 1) + columns) <= 0).any():
        return False  # cells out of order: let the full parser decide
    if rows.max() > grid.max_rows:
        raise grid.too_long(int(rows[np.argmax(rows > grid.max_rows)]))
    text = _xlsx_texts(kinds, raws, shared, grid, rows)
    keep = columns < grid.width
    columns, rows, text = columns[keep], rows[keep], text[keep]
    if not len(rows):
        return True
    if int(rows.max()) * (int(columns.max()) + 1) > 5_000_000:
        return False  # a sparse sheet: the full parser builds it row by row
    dense = np.full((int(rows.max()), int(columns.max()) + 1), "", dtype=object)
    dense[rows - 1, columns] = text
    for number in np.unique(rows).tolist():
        grid.skip_to(number)
        grid.add(dense[number - 1].tolist())
    return True


def _xlsx_texts(
    kinds: np.ndarray, raws: np.ndarray, shared: list[str], grid: _Grid, rows: np.ndarray
) -> np.ndarray:
    """The text of every common-form cell (shared strings looked up in one step)."""
    text = np.empty(len(kinds), dtype=object)
    strings = kinds == b"s"
    if strings.any():
        try:
            index = raws[strings].astype(np.int64)
        except ValueError as exc:
            raise DataFormatError(str(grid.path), f"bad shared string index ({exc})") from exc
        bad = (index < 0) | (index >= len(shared))
        if bad.any():
            raise DataFormatError(
                str(grid.path),
                f"shared string index {int(index[bad][0])} does not exist",
                row=int(rows[strings][bad][0]),
            )
        text[strings] = np.array(shared, dtype=object)[index]
    numeric = (kinds == b"n") | (kinds == b"")
    if numeric.any():
        try:  # numbers are ASCII: decoded and stripped in one numpy step
            text[numeric] = np.char.strip(raws[numeric].astype("U")).astype(object)
        except UnicodeDecodeError:
            numeric[:] = False
    for where in np.flatnonzero(~(strings | numeric)).tolist():
        text[where] = _xlsx_text(kinds[where], raws[where])
    return text


def _xlsx_text(kind: bytes, raw: bytes) -> str:
    """The text of one common-form cell that is not a shared string."""
    if kind == b"b":
        return "TRUE" if raw.strip() == b"1" else "FALSE"
    return raw.decode().strip() if kind != b"str" else raw.decode()


def _read_xlsx(book: zipfile.ZipFile, path: Path, request: _Request) -> Iterator[Sheet]:
    shared: list[str] = []
    if "xl/sharedStrings.xml" in book.namelist():
        strings = _member(book, "xl/sharedStrings.xml", path, None)
        shared = [_ooxml_text(m.group(1) or b"") for m in _XL_SI.finditer(strings)]
    for name, part in _xlsx_sheets(book, path):
        if request.sheets is not None and not request.sheets(name):
            continue
        data = _member(book, part, path, request.limit)
        grid = _Grid(path, name, request.max_columns, request.limits.max_rows)
        if request.limit is None and _xlsx_fast(data, shared, grid):
            yield grid.sheet()
            continue
        width = grid.width
        pos = data.find(b"<sheetData")
        while request.row_limit is None or grid.next_row <= request.row_limit:
            m = _XL_ROW.search(data, pos)
            if m is None:
                break
            numbered = _XL_ROW_NUMBER.search(m.group(1) or b"")
            if numbered:
                grid.skip_to(int(numbered.group(1)))
            if m.group(2):  # <row/>
                grid.add([])
                pos = m.end()
                continue
            end = data.find(b"</row>", m.end())
            if end < 0:
                if request.limit is not None:
                    break  # peek: the part was cut short
                raise DataFormatError(
                    str(path), f"sheet {name!r}: unterminated row", row=grid.next_row
                )
            cells: list[str] = []
            at = m.end()
            number = grid.next_row
            while (tag := _XL_CELL.search(data, at, end)) is not None:
                letters, value, at, formula = _xlsx_cell(data, tag, shared, path, number)
                column = _column_index(letters) if letters else len(cells)
                if column >= width:
                    if not grid.truncate:
                        raise grid.too_wide(grid.next_row)
                    break
                if (
                    formula is not None
                    and request.limits.formulas_need_values
                    and (request.wanted is None or column in request.wanted)
                ):
                    raise _no_cached_value(path, number, column, formula)
                if column > len(cells):
                    cells.extend([""] * (column - len(cells)))
                cells.append(value)
            grid.add(cells)
            pos = end + 6
        yield grid.sheet()


# ---------------------------------------------------------------------------------------------
# .ods (OpenDocument spreadsheet)
# ---------------------------------------------------------------------------------------------
_ODS_TABLE = re.compile(rb"<table:table(\s[^>]*)?>")
_ODS_ROW = re.compile(rb"<table:table-row(\s[^>]*?)?(/?)>")
#: A cell's start tag (its attributes; a trailing "/" marks a cell without content).
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell(\s[^>]*|/)?>")
_ODS_REPEAT = re.compile(rb'number-(?:columns|rows)-repeated="(\d+)"')
_ODS_TYPED = re.compile(rb'office:(date-value|time-value|boolean-value)="([^"]*)"')
_ODS_ANNOTATION = re.compile(rb"<office:annotation\b.*?</office:annotation>", re.S)
_ODS_P = re.compile(rb"<text:(?:p|h)(?:\s[^>]*)?(?:/>|>(.*?)</text:(?:p|h)>)", re.S)
_ODS_SPACES = re.compile(rb"<text:s(\s[^>]*)?/>")
_VALUE = b' office:value="'


def _ods_paragraph(fragment: bytes) -> str:
    if b"<text:s" in fragment:
        fragment = _ODS_SPACES.sub(
            lambda m: b" " * int(_attr(m.group(1) or b"", b"text:c") or b"1"), fragment
        )
    fragment = fragment.replace(b"<text:tab/>", b"\t").replace(b"<text:line-break/>", b"\n")
    return _text(fragment)


def _ods_value(attrs: bytes, body: bytes) -> str:
    i = attrs.find(_VALUE)
    if i >= 0:
        return attrs[i + len(_VALUE) : attrs.index(b'"', i + len(_VALUE))].decode()
    if b"-value=" in attrs and (m := _ODS_TYPED.search(attrs)):
        if m.group(1) == b"boolean-value":
            return "TRUE" if m.group(2).strip().lower() == b"true" else "FALSE"
        return m.group(2).decode()
    if not body:
        return ""
    if b"<office:annotation" in body:
        body = _ODS_ANNOTATION.sub(b"", body)
    return "\n".join(_ods_paragraph(m.group(1) or b"") for m in _ODS_P.finditer(body))


def _read_ods(book: zipfile.ZipFile, path: Path, request: _Request) -> Iterator[Sheet]:
    data = _member(book, "content.xml", path, request.limit)
    starts = sorted(request.wanted) if request.wanted is not None else None
    for table in _ODS_TABLE.finditer(data):
        raw_name = _attr(table.group(1) or b"", b"table:name")
        name = html.unescape(raw_name.decode()) if raw_name is not None else ""
        if request.sheets is not None and not request.sheets(name):
            continue
        end = data.find(b"</table:table>", table.end())
        end = len(data) if end < 0 else end
        grid = _Grid(path, name, request.max_columns, request.limits.max_rows)
        width = grid.width
        pos = table.end()
        while request.row_limit is None or grid.next_row <= request.row_limit:
            m = _ODS_ROW.search(data, pos, end)
            if m is None:
                break
            attrs = m.group(1) or b""
            repeat = (
                int(r.group(1)) if b"repeated" in attrs and (r := _ODS_REPEAT.search(attrs)) else 1
            )
            if m.group(2):  # <table:table-row/>
                grid.add([], repeat)
                pos = m.end()
                continue
            row_end = data.find(b"</table:table-row>", m.end(), end)
            if row_end < 0:
                if request.limit is not None:
                    break
                raise DataFormatError(
                    str(path), f"sheet {name!r}: unterminated row", row=grid.next_row
                )
            cells: list[str] = []
            gap = 0
            at = m.end()
            while (cell := _ODS_CELL.search(data, at, row_end)) is not None:
                cell_attrs = cell.group(1) or b""
                at = cell.end()
                body = b""
                if not cell_attrs.endswith(b"/") and _VALUE not in cell_attrs:
                    close = data.find(b"</table:", at, row_end)
                    body = data[at : max(at, close)]
                count = 1
                if b"repeated" in cell_attrs and (r := _ODS_REPEAT.search(cell_attrs)):
                    count = int(r.group(1))
                if starts is not None:
                    first = len(cells) + gap
                    k = bisect.bisect_left(starts, first)
                    if k == len(starts) or starts[k] >= first + count:
                        gap += count  # no wanted column here: not decoded
                        if len(cells) + gap >= width:
                            break
                        continue
                if (
                    request.limits.formulas_need_values
                    and b"table:formula=" in cell_attrs
                    and b"value-type=" not in cell_attrs
                ):
                    formula = _attr(cell_attrs, b"table:formula") or b""
                    raise _no_cached_value(
                        path, grid.next_row, len(cells) + gap, html.unescape(formula.decode())
                    )
                value = _ods_value(cell_attrs, body)
                if not value:
                    gap += count
                    if len(cells) + gap >= width:
                        break
                    continue
                if len(cells) + gap + count > width:
                    if not grid.truncate:
                        raise grid.too_wide(grid.next_row)
                    count = max(0, width - len(cells) - gap)
                if gap:
                    cells.extend([""] * gap)
                    gap = 0
                cells.extend([value] * count)
                if len(cells) >= width:
                    break
            grid.add(cells, repeat)
            pos = row_end + 18
        yield grid.sheet()
