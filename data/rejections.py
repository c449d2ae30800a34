"""The release's record of everything set aside: ``rejections.parquet`` and its summary.

Every raw row not loaded, every value not stored (range rules, documented exceptions) and every
numerator/denominator pair dropped is one row of ``rejections.parquet`` in the release folder
(beside ``manifest.json``, which holds per-file counts): file, row as in the file, column, rule,
action, reason, the token (cell text or number), and for values the indicator, area and period.
See docs/store.md.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from data.loaders.common import SourceReport

REJECTIONS_FILE = "rejections.parquet"

REJECTIONS_SCHEMA = pa.schema(
    [
        pa.field("file", pa.dictionary(pa.int32(), pa.string()), nullable=False),
        pa.field("row", pa.int64(), nullable=False),
        pa.field("column", pa.string()),
        pa.field("rule", pa.dictionary(pa.int32(), pa.string()), nullable=False),
        pa.field("action", pa.dictionary(pa.int32(), pa.string()), nullable=False),
        pa.field("reason", pa.dictionary(pa.int32(), pa.string()), nullable=False),
        pa.field("token", pa.string()),
        pa.field("indicator_id", pa.string()),
        pa.field("area_code", pa.string()),
        pa.field("time_period", pa.int32()),
    ]
)


def rejections_table(reports: Iterable[SourceReport]) -> pa.Table:
    """Every recorded rejection of every file, one row each, sorted by file and row."""
    columns: dict[str, list[Any]] = {name: [] for name in REJECTIONS_SCHEMA.names}
    for report in reports:
        for block in report.rejections:
            n = len(block.rows)
            columns["file"] += [report.file] * n
            columns["row"] += list(block.rows)
            columns["column"] += [block.column] * n
            columns["rule"] += [block.rule] * n
            columns["action"] += [block.action] * n
            columns["reason"] += [block.reason] * n
            columns["token"] += [str(t) for t in block.tokens] if block.tokens else [None] * n
            no_key: tuple[str | None, str | None, int | None] = (None, None, None)
            keys = block.keys or [no_key] * n
            columns["indicator_id"] += [k[0] for k in keys]
            columns["area_code"] += [k[1] for k in keys]
            columns["time_period"] += [k[2] for k in keys]
    plain = pa.table(
        {
            f.name: pa.array(
                columns[f.name], f.type.value_type if pa.types.is_dictionary(f.type) else f.type
            )
            for f in REJECTIONS_SCHEMA
        }
    )
    if len(plain):
        plain = plain.sort_by([("file", "ascending"), ("row", "ascending")])
    return plain.cast(REJECTIONS_SCHEMA)


def parquet_bytes(table: pa.Table) -> bytes:
    """The table as a Parquet file's bytes (an extra file of the release)."""
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()
