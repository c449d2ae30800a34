"""Helpers for tests that need a store whose data says something other than the demo's."""

from typing import Any

import numpy as np

from data.store import Store


def with_planted_text(
    store: Store, *, area_code: str, area_name: str, indicator_id: str, **indicator_text: Any
) -> Store:
    """A copy of ``store`` (release "evil") with planted text, as a hostile source file could set.

    One LA's name becomes ``area_name``; each keyword sets that text field (``title``,
    ``source_url``, ``methodology``...) of one indicator.
    """
    areas = store.areas.copy()
    areas.loc[areas["area_code"] == area_code, "area_name"] = area_name
    indicators = store.indicators.copy()
    mask = indicators["indicator_id"] == indicator_id
    for column, text in indicator_text.items():
        indicators.loc[mask, column] = text
    tables = {
        "values": store.values,
        "indicators": indicators,
        "areas": areas,
        "statistical_neighbours": store.neighbours,
    }
    return make_store(tables, {"release": "evil", "synthetic": True})


def make_store(tables: dict[str, Any], manifest: dict[str, Any] | None = None, **kw: Any) -> Store:
    """An in-memory ``Store`` over ``tables`` with its benchmark table (as ingest builds it)."""
    from indicators.benchmark_table import benchmark_frames

    return Store.from_tables(tables, manifest, benchmark=benchmark_frames(tables), **kw)


def value_row(indicator: str, code: str, year: int, value: float) -> dict[str, Any]:
    """One LA's value in a "Reporting year" ``year`` of a hand-made indicator (no counts)."""
    return {
        "indicator_id": indicator,
        "area_code": code,
        "geographic_level": "Local authority",
        "time_period": year,
        "time_identifier": "Reporting year",
        "year_end": year,
        "value": value,
        "value_status": None,
        "numerator": np.nan,
        "denominator": np.nan,
        "period_label": str(year),
        "source_id": "hand",
    }
