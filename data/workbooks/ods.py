"""Reading the sheets of an ``.ods`` workbook (OpenDocument spreadsheet) straight from its XML."""

from __future__ import annotations

import bisect
import html
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from data.errors import DataFormatError
from data.workbooks.sheet_grid import ReadRequest, Sheet, SheetGrid, no_cached_value, read_member
from data.workbooks.xml_text import xml_attribute, xml_text

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
            lambda m: b" " * int(xml_attribute(m.group(1) or b"", b"text:c") or b"1"), fragment
        )
    fragment = fragment.replace(b"<text:tab/>", b"\t").replace(b"<text:line-break/>", b"\n")
    return xml_text(fragment)


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


def read_ods(book: zipfile.ZipFile, path: Path, request: ReadRequest) -> Iterator[Sheet]:
    """The tables of an ``.ods`` archive's ``content.xml`` that ``request`` asks for."""
    data = read_member(book, "content.xml", path, request.limit)
    starts = sorted(request.wanted) if request.wanted is not None else None
    for table in _ODS_TABLE.finditer(data):
        raw_name = xml_attribute(table.group(1) or b"", b"table:name")
        name = html.unescape(raw_name.decode()) if raw_name is not None else ""
        if request.sheets is not None and not request.sheets(name):
            continue
        end = data.find(b"</table:table>", table.end())
        end = len(data) if end < 0 else end
        grid = SheetGrid(path, name, request.max_columns, request.limits.max_rows)
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
                    formula = xml_attribute(cell_attrs, b"table:formula") or b""
                    raise no_cached_value(
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
