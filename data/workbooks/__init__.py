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

from data.workbooks.reading import is_workbook, peek, read_sheets
from data.workbooks.sheet_grid import (
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    MAX_WORKBOOK_BYTES,
    MAX_XML_BYTES,
    PEEK_BYTES,
    WORKBOOK_SUFFIXES,
    Sheet,
    SheetFilter,
    column_letter,
)

__all__ = [
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "MAX_WORKBOOK_BYTES",
    "MAX_XML_BYTES",
    "PEEK_BYTES",
    "WORKBOOK_SUFFIXES",
    "Sheet",
    "SheetFilter",
    "column_letter",
    "is_workbook",
    "peek",
    "read_sheets",
]
