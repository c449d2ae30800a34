"""The store's contents: indicators with their metadata, local authorities, raw values."""

from __future__ import annotations

from typing import Any

import pandas as pd

from api.blocks import envelope, indicator_block, status_meaning
from api.context import ApiContext
from api.serialise import Result, plain, records

INDICATOR_COLUMNS = (
    "id",
    "title",
    "short_title",
    "topic",
    "unit",
    "decimals",
    "polarity",
    "value_type",
    "multiplier",
    "time_identifier",
    "source",
    "source_code",
    "source_url",
    "no_quartile",
    "first_period",
    "latest_period",
    "periods",
)

AREA_COLUMNS = (
    "area_code",
    "old_la_code",
    "area_name",
    "region_code",
    "region_name",
    "status",
    "valid_from",
    "valid_to",
    "predecessor_codes",
    "successor_codes",
    "former_codes",
)

VALUE_COLUMNS = (
    "area_code",
    "area_name",
    "geographic_level",
    "time_period",
    "period_label",
    "year_end",
    "value",
    "value_status",
    "status_meaning",
    "numerator",
    "denominator",
)

_LEVEL_ORDER = {"National": 0, "Regional": 1, "Local authority": 2}


def indicators_result(ctx: ApiContext) -> Result:
    """Every indicator with its metadata and the periods it has (topic, then title order)."""
    store = ctx.store
    rows = []
    for indicator_id, _title, _topic in store.catalogue.indicators:
        block = indicator_block(store.indicator_meta(indicator_id), full=True)
        periods = store.catalogue.periods.get(indicator_id, ())
        block["periods"] = [{"time_period": int(tp), "label": label} for tp, label in periods]
        rows.append(block)
    csv_rows = [
        {
            **row,
            "first_period": row["periods"][0]["time_period"] if row["periods"] else None,
            "latest_period": row["periods"][-1]["time_period"] if row["periods"] else None,
            "periods": [p["time_period"] for p in row["periods"]],
        }
        for row in rows
    ]
    body = {**envelope(ctx), "count": len(rows), "indicators": rows}
    return Result(body, csv_rows, INDICATOR_COLUMNS, "indicators")


def areas_result(ctx: ApiContext, status: str) -> Result:
    """Single LAs (``status``: ``current``, ``abolished`` or ``all``), current ones first."""
    areas = ctx.store.areas
    las = areas[areas["area_type"].astype(str) == "Local authority"]
    las = las.assign(status=["current" if pd.isna(v) else "abolished" for v in las["valid_to"]])
    if status != "all":
        las = las[las["status"] == status]
    las = las.sort_values(["status", "area_name"], ascending=[False, True])
    rows = records(las, AREA_COLUMNS)
    for row in rows:
        for key in ("predecessor_codes", "successor_codes", "former_codes"):
            row[key] = [str(c) for c in (row[key] or [])]
    body = {**envelope(ctx), "count": len(rows), "areas": rows}
    return Result(body, rows, AREA_COLUMNS, f"areas-{status}")


def values_result(
    ctx: ApiContext, indicator_id: str, time_period: int | None, area_code: str | None
) -> Result:
    """Rows of one indicator: every area and period unless narrowed."""
    store = ctx.store
    meta = store.indicator_meta(indicator_id)
    frame = store.indicator_values(indicator_id, time_period=time_period)
    if area_code is not None:
        frame = frame[frame["area_code"].astype(str) == area_code]
    frame = frame.assign(
        area_code=frame["area_code"].astype(str),
        _level=frame["geographic_level"].astype(str).map(_LEVEL_ORDER).fillna(3),
    ).sort_values(["time_period", "_level", "area_code"])
    names = store.area_names
    frame = frame.assign(
        area_name=[names.get(c, c) for c in frame["area_code"]],
        # pandas-stubs rejects None in a column's list; pandas stores it (a missing value).
        status_meaning=[status_meaning(plain(s)) for s in frame["value_status"]],  # type: ignore[misc]
    )
    rows = records(frame, VALUE_COLUMNS)
    body: dict[str, Any] = {
        **envelope(ctx),
        "indicator": indicator_block(meta),
        "filters": {"period": time_period, "area": area_code},
        "count": len(rows),
        "values": rows,
    }
    parts = [indicator_id, str(time_period or ""), area_code or ""]
    return Result(body, rows, VALUE_COLUMNS, "values-" + "-".join(p for p in parts if p))
