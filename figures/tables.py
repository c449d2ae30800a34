"""The numbers behind a chart, as a frame with display headers (for tables and CSV files).

Every chart's builder module offers a ``*_data`` function returning a ``DataView`` made from
the same result object as the figure, so the table view and the CSV download hold exactly
the numbers drawn.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

#: What a spreadsheet runs as a formula when a cell starts with it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_TEXT = re.compile(r"[+-]?(\d[\d,]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")
_TIED_RANK = re.compile(r"=(\d+)")
#: Significant digits a CSV number keeps: every published digit, none of the binary noise of
#: arithmetic (-29.799999999999997 -> -29.8).
CSV_DIGITS = 12


def spreadsheet_text(text: str) -> str:
    """A text cell as a spreadsheet should show it from a CSV file.

    A tied rank (``"=7"``) becomes ``"7 (tied)"``: a spreadsheet would compute ``=7`` to 7 and
    lose the tie. Text a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return, e.g. ``=HYPERLINK(...)``) gets a leading ``'``. A
    lone symbol (suppression markers such as ``-``) and number-like text (``-5.0``, ``+3%``)
    are left as they are: they run nothing.

    Examples:
        >>> [spreadsheet_text(t) for t in ["=7", "-", "-5.0", "x", "=1+2", "@SUM(A1)"]]
        ['7 (tied)', '-', '-5.0', 'x', "'=1+2", "'@SUM(A1)"]
    """
    if tied := _TIED_RANK.fullmatch(text):
        return f"{tied.group(1)} (tied)"
    if len(text) <= 1 or _NUMBER_TEXT.fullmatch(text) or not text.startswith(FORMULA_START):
        return text
    return "'" + text


def csv_number(value: float, decimals: int | None = None) -> float:
    """A number for a CSV file, without the binary noise of arithmetic.

    Rounded to ``decimals`` when given, else to ``CSV_DIGITS`` significant digits; non-finite
    numbers are unchanged.

    Examples:
        >>> csv_number(-29.799999999999997), csv_number(184.0), csv_number(2.345, 1)
        (-29.8, 184.0, 2.3)
    """
    if not math.isfinite(value):
        return value
    if decimals is not None:
        return round(value, decimals)
    return float(f"{value:.{CSV_DIGITS}g}")


@dataclass(frozen=True)
class DataView:
    """Rows of a chart: ``frame`` has display headers; ``decimals`` formats number columns.

    ``key`` names the column holding area codes (to mark the selected LA), if any.
    ``row_header`` names the column whose cells head their rows (a screen reader announces it
    with every cell of the row); by default the first of ``ROW_HEADERS`` the frame has.
    ``href`` names a column of same-site addresses (``/page?query``): each row header becomes
    a link there, and the column itself is not shown.
    """

    frame: pd.DataFrame
    caption: str
    decimals: Mapping[str, int] = field(default_factory=dict)
    key: str | None = "Area code"
    row_header: str | None = None
    href: str | None = None

    @property
    def row_header_column(self) -> str | None:
        """The column heading each row, or None when no column names the row."""
        if self.row_header is not None:
            return self.row_header if self.row_header in self.frame.columns else None
        return next((c for c in ROW_HEADERS if c in self.frame.columns), None)

    @property
    def empty(self) -> bool:
        """Whether there are no rows."""
        return self.frame.empty


def blank(caption: str = "") -> DataView:
    """A ``DataView`` with no rows (a chart that has nothing to show)."""
    return DataView(pd.DataFrame(), caption, key=None)


#: Columns that name a row, in order of preference (``DataView.row_header``'s default).
ROW_HEADERS = ("Local authority", "LA", "Area", "Indicator", "Measure", "Title", "Year")

#: What an opened table with no rows says.
NO_ROWS = "No rows to show."


def format_cell(value: Any, decimals: int | None) -> str:
    """A cell as shown: missing values are blank, numbers get thousands separators.

    >>> format_cell(1234.5, 1), format_cell(float("nan"), 1), format_cell("c", 1)
    ('1,234.5', '', 'c')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if decimals is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,.{decimals}f}"
    return str(value)


def table_payload(view: DataView, *, selected: str | None = None) -> dict[str, Any]:
    """The view as plain JSON for the browser to draw as a semantic ``<table>``.

    Keys: ``caption``; ``columns`` (``name`` and ``num``, true for right-aligned number
    columns); ``rows`` (lists of display strings, see ``format_cell``); ``selected`` (indices of
    the rows whose ``key`` column equals *selected*, marked in the table); ``empty`` (the
    sentence shown instead of a table when there are no rows). Everything is text: the
    browser sets it as text, never as markup.

    A browser draws a table from this in milliseconds; the same table as Dash components
    (one per cell) took seconds to mount once it had a few hundred rows.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"Area code": ["a", "b"], "Rate": [1.26, None]})
    >>> payload = table_payload(DataView(frame, "Two", {"Rate": 1}), selected="b")
    >>> payload["rows"], payload["selected"], payload["row_header"]
    ([['a', '1.3'], ['b', '']], [1], None)
    """
    links = view.href is not None and view.href in view.frame.columns
    shown = view.frame.drop(columns=[view.href]) if links else view.frame
    columns = [str(c) for c in shown.columns]
    digits = [view.decimals.get(c) for c in shown.columns]
    rows = [
        [format_cell(v, d) for v, d in zip(rec, digits, strict=True)]
        for rec in shown.itertuples(index=False, name=None)
    ]
    header = view.row_header_column
    marked: list[int] = []
    if selected is not None and view.key is not None and view.key in view.frame.columns:
        keys = view.frame[view.key].tolist()
        marked = [i for i, k in enumerate(keys) if k == selected]
    payload: dict[str, Any] = {
        "caption": view.caption,
        "columns": [
            {"name": c, "num": d is not None} for c, d in zip(columns, digits, strict=True)
        ],
        "rows": rows,
        "selected": marked,
        "row_header": None if header is None else columns.index(str(header)),
        "empty": NO_ROWS,
    }
    if links and header is not None:
        payload["links"] = [_same_site(h) for h in view.frame[view.href].tolist()]
    return payload


def _same_site(href: Any) -> str | None:
    """``href`` if it is a path on this site (``/...``, not ``//host``), else None."""
    if isinstance(href, str) and href.startswith("/") and not href.startswith("//"):
        return href
    return None
