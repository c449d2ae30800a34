"""CSV downloads: a view's rows as CSV safe to open in a spreadsheet, and the file's name."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from functools import partial
from typing import Any

import pandas as pd
from dash.exceptions import PreventUpdate

from data.store import Store
from figures.tables import DataView, csv_number, spreadsheet_text


def csv_text(view: DataView) -> str:
    """CSV of the view, safe to open in a spreadsheet (``figures.tables.spreadsheet_text``).

    Numbers stay numbers: rounded to the view's decimals for that column, else stripped of
    float noise (``csv_number``); whole numbers are written without ``.0``.
    """
    out = view.frame.copy()
    for col in out.columns:
        if not pd.api.types.is_bool_dtype(out[col]):
            out[col] = _csv_column(out[col], view.decimals.get(col))
    out.columns = [spreadsheet_text(str(col)) for col in out.columns]  # titles from the data
    buffer = io.StringIO()
    out.to_csv(buffer, index=False)
    return buffer.getvalue()


def _csv_column(column: pd.Series, decimals: int | None) -> pd.Series:
    """A column as written: numbers by ``_csv_value``, text safe to open in a spreadsheet."""
    if pd.api.types.is_numeric_dtype(column):
        value = partial(_csv_value, decimals=decimals)
        return pd.Series([value(v) for v in column], index=column.index, dtype=object)
    return column.map(lambda v: spreadsheet_text(v) if isinstance(v, str) else v)


def _csv_value(value: Any, *, decimals: int | None) -> Any:
    """One number of a CSV column: rounded, and an int when whole (``184``, not ``184.0``)."""
    if value is None or not isinstance(value, (int, float)) or isinstance(value, bool):
        return value
    number = csv_number(float(value), decimals)
    return int(number) if math.isfinite(number) and number.is_integer() else number


def csv_download(view: DataView, filename: str) -> dict[str, Any]:
    """The ``dcc.Download`` payload for a CSV of exactly the view's rows."""
    return {"content": csv_text(view), "filename": filename, "type": "text/csv"}


def safe_filename(*parts: str) -> str:
    """A file name from ids (letters, digits, ``_`` and ``-`` only)."""
    text = "-".join(p for p in parts if p)
    return "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in text)[:120] + ".csv"


def csv_file(
    store: Store,
    rows: Callable[..., DataView],
    prefix: str,
    name_inputs: int,
    clicks: Any,
    *args: Any,
) -> dict[str, Any]:
    """``rows(store, *args)`` as a CSV download named after ``prefix`` and the first values."""
    if not clicks:
        raise PreventUpdate
    view = rows(store, *args)
    return csv_download(view, safe_filename(prefix, *(str(a) for a in args[:name_inputs])))
