"""Reading the sheets of an ``.xlsx`` workbook (Office Open XML) straight from its XML."""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from data.errors import DataFormatError
from data.workbooks.sheet_grid import (
    MAX_COLUMNS,
    ReadRequest,
    Sheet,
    SheetGrid,
    no_cached_value,
    read_member,
)
from data.workbooks.xml_text import xml_attribute, xml_text

_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


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
    text = "".join(xml_text(m.group(1) or b"") for m in _XL_T.finditer(fragment))
    if "_x" in text:
        text = _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def _xlsx_sheets(book: zipfile.ZipFile, path: Path) -> list[tuple[str, str]]:
    """(sheet name, part name) of each worksheet, in workbook order."""
    workbook = read_member(book, "xl/workbook.xml", path, None)
    rels = read_member(book, "xl/_rels/workbook.xml.rels", path, None)
    targets = {}
    for m in _XL_REL.finditer(rels):
        rel_id, target = xml_attribute(m.group(1), b"Id"), xml_attribute(m.group(1), b"Target")
        if rel_id is not None and target is not None:
            text = html.unescape(target.decode())
            targets[rel_id] = text.lstrip("/") if text.startswith("/") else f"xl/{text}"
    out = []
    for m in _XL_SHEET.finditer(workbook):
        name = xml_attribute(m.group(1), b"name")
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
        formula = xml_text(f.group(1) or b"")
    return letters, value, close, formula


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
        text = xml_text(raw)
        return (
            _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text
        )
    return xml_text(raw).strip()


#: The common cell forms, read in one C-level pass (others go through ``_xlsx_cell``).
_XL_SIMPLE = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"(?: s="\d+")?(?: t="([a-z]+)")?(?: s="\d+")?'
    rb"(?:/>|>(?:<v>([^<&]*)</v>)?</c>)"
)


def _xlsx_fast(data: bytes, shared: list[str], grid: SheetGrid) -> bool:
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
    kinds: np.ndarray, raws: np.ndarray, shared: list[str], grid: SheetGrid, rows: np.ndarray
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


def read_xlsx(book: zipfile.ZipFile, path: Path, request: ReadRequest) -> Iterator[Sheet]:
    """The worksheets of an ``.xlsx`` archive that ``request`` asks for, in workbook order."""
    shared: list[str] = []
    if "xl/sharedStrings.xml" in book.namelist():
        strings = read_member(book, "xl/sharedStrings.xml", path, None)
        shared = [_ooxml_text(m.group(1) or b"") for m in _XL_SI.finditer(strings)]
    for name, part in _xlsx_sheets(book, path):
        if request.sheets is not None and not request.sheets(name):
            continue
        data = read_member(book, part, path, request.limit)
        grid = SheetGrid(path, name, request.max_columns, request.limits.max_rows)
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
                    raise no_cached_value(path, number, column, formula)
                if column > len(cells):
                    cells.extend([""] * (column - len(cells)))
                cells.append(value)
            grid.add(cells)
            pos = end + 6
        yield grid.sheet()
