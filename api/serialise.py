"""JSON and CSV out of plain Python results and frames.

JSON is strict: NaN and infinities become ``null`` (``json.dumps(allow_nan=False)`` then proves
none is left), numpy and pandas scalars become Python numbers, dates ISO strings. Numbers are
never rounded: a float is written in its shortest round-trip form.

CSV holds one flat table per endpoint. A text cell a spreadsheet would run as a formula
(starting ``=``, ``+``, ``-``, ``@``, tab or carriage return) gets a leading ``'``; numbers,
negative ones included, stay numbers; a missing value is an empty cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from flask import Response

from figures.tables import spreadsheet_text


def plain(value: Any) -> Any:
    """``value`` as plain JSON-able Python: NaN/NA -> None, numpy -> Python, dates -> ISO."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, int):
        return value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray, pd.Series, pd.Index)):
        return [plain(v) for v in value]
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return plain(float(value))
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


def column_values(series: pd.Series) -> list[Any]:
    """A column as a list of plain values (fast paths for float and int columns)."""
    kind = series.dtype.kind
    if kind == "f":
        return [x if math.isfinite(x) else None for x in series.to_numpy(dtype=float).tolist()]
    if kind in "iub" and not series.hasnans:
        return series.to_numpy().tolist()
    return [plain(v) for v in series.astype(object).tolist()]


def records(frame: pd.DataFrame, columns: Mapping[str, str] | Sequence[str]) -> list[dict]:
    """Rows of ``frame`` as dicts of plain values.

    ``columns`` lists the frame columns to keep, or maps output names to frame columns.
    """
    pairs = list(columns.items()) if isinstance(columns, Mapping) else [(c, c) for c in columns]
    names = [name for name, _ in pairs]
    columns_data = [column_values(frame[source]) for _, source in pairs]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns_data, strict=True)]


class Result:
    """One endpoint's answer: the JSON ``body`` and the flat ``rows`` of its CSV form.

    Results are cached and shared between requests, so they are never changed after
    construction; the JSON text is made once, on first use.
    """

    def __init__(
        self, body: dict[str, Any], rows: list[dict[str, Any]], columns: Sequence[str], name: str
    ) -> None:
        self.body = body
        self.rows = rows
        self.columns = tuple(columns)
        self.name = name
        self._json: str | None = None

    def json_text(self) -> str:
        """The body as strict JSON (made once)."""
        if self._json is None:
            self._json = to_json(self.body)
        return self._json

    def response(self, fmt: str) -> Response:
        """The ``json`` or ``csv`` response."""
        if fmt == "csv":
            return csv_response(self.rows, self.columns, self.name)
        return Response(self.json_text(), mimetype="application/json")


def to_json(payload: Any) -> str:
    """Strict, compact JSON text of ``payload``."""
    return json.dumps(plain(payload), allow_nan=False, separators=(",", ":"), ensure_ascii=False)


def json_response(payload: Any, *, status: int = 200) -> Response:
    """A JSON response (``application/json; charset=utf-8``)."""
    return Response(to_json(payload), status=status, mimetype="application/json")


def _csv_cell(value: Any) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)  # the JSON's number exactly: the API's CSV and JSON agree
    if isinstance(value, list):
        value = ";".join("" if v is None else str(v) for v in value)
    text = str(value)
    return spreadsheet_text(text)


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """CSV text of ``rows`` with exactly ``columns`` (header always written).

    Lists are joined with ``;``; booleans are ``true``/``false`` as in the JSON.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_csv_cell(row.get(c)) for c in columns] for row in rows)
    return buffer.getvalue()


def csv_response(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], name: str) -> Response:
    """A CSV download named ``name`` (letters, digits, ``_``, ``-`` and ``.`` kept)."""
    safe = "".join(ch if ch.isalnum() or ch in "_-." else "_" for ch in name)[:120]
    response = Response(to_csv(rows, columns), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}.csv"'
    return response
