"""Store invariants, checked before a release goes live.

``validate_tables`` raises ``DataFormatError`` (file ``<store>``, naming the table as the row's
place and the column) at the first broken invariant:

* every table has exactly its schema's columns;
* ``values``: unique (indicator_id, area_code, time_period); ``value`` finite or NaN; every null
  ``value`` carries a ``value_status`` from the vocabulary; area codes exist in ``areas`` and
  match their level; every indicator exists in ``indicators``; year_end is plausible;
* ``indicators``: unique ids, known polarity, value type and time identifier;
* ``areas``: unique codes, codes match levels;
* ``statistical_neighbours``: both ends are LAs in ``areas``, ranks 1..10, one neighbour per
  rank, no LA its own neighbour, closeness in the closed set.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from data.errors import DataFormatError
from data.schema import (
    ALL_STATUS_MEANINGS,
    LA_CODE_RE,
    LA_GROUP_CODE_RE,
    LONDON_SUBREGION_CODE_RE,
    REGION_CODE_RE,
    TABLE_SCHEMAS,
    TIME_IDENTIFIERS,
    VALUES_KEY,
    AreaType,
    Closeness,
    Polarity,
    ValueType,
)

STORE = "<store>"


def _fail(table: str, column: str | None, message: str, token: str | None = None) -> None:
    raise DataFormatError(STORE, f"table {table!r}: {message}", column=column, token=token)


def validate_columns(tables: Mapping[str, pd.DataFrame]) -> None:
    """Each table has exactly the schema's columns, in any order."""
    for name, schema in TABLE_SCHEMAS.items():
        if name not in tables:
            _fail(name, None, "missing")
        got, want = set(tables[name].columns), set(schema.names)
        if got != want:
            _fail(
                name,
                None,
                f"columns differ: missing {sorted(want - got)}, extra {sorted(got - want)}",
            )


def validate_indicators(indicators: pd.DataFrame) -> None:
    """Unique ids and closed vocabularies in the metadata."""
    dup = indicators["indicator_id"].duplicated()
    if dup.any():
        _fail(
            "indicators",
            "indicator_id",
            "duplicate id",
            str(indicators.loc[dup, "indicator_id"].iloc[0]),
        )
    for column, allowed in (
        ("polarity", {p.value for p in Polarity}),
        ("value_type", {v.value for v in ValueType}),
        ("time_identifier", TIME_IDENTIFIERS),
    ):
        bad = ~indicators[column].isin(allowed)
        if bad.any():
            row = indicators[bad].iloc[0]
            _fail(
                "indicators",
                column,
                f"{row['indicator_id']}: {row[column]!r} not in {sorted(allowed)}",
                str(row[column]),
            )
    for column in ("title", "unit", "topic"):
        blank = indicators[column].isna() | (indicators[column].astype(str).str.strip() == "")
        if column != "unit" and blank.any():
            _fail(
                "indicators",
                column,
                f"{indicators.loc[blank, 'indicator_id'].iloc[0]}: blank {column}",
            )


def validate_areas(areas: pd.DataFrame) -> None:
    """Unique codes whose pattern matches the area type."""
    dup = areas["area_code"].duplicated()
    if dup.any():
        _fail("areas", "area_code", "duplicate code", str(areas.loc[dup, "area_code"].iloc[0]))
    patterns = {
        AreaType.LA.value: LA_CODE_RE,
        AreaType.LA_GROUP.value: LA_GROUP_CODE_RE,
        AreaType.REGION.value: REGION_CODE_RE,
        AreaType.LONDON_SUBREGION.value: LONDON_SUBREGION_CODE_RE,
    }
    for code, kind in zip(areas["area_code"], areas["area_type"], strict=True):
        pattern = patterns.get(kind)
        if pattern is not None and not pattern.match(code):
            _fail("areas", "area_code", f"{code!r} does not match area type {kind!r}", code)


def validate_values(values: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame) -> None:
    """The values table's invariants (see the module docstring)."""
    key = list(VALUES_KEY)
    dup = values.duplicated(key, keep=False)
    if dup.any():
        row = values[dup].iloc[0]
        _fail(
            "values",
            "time_period",
            f"duplicate key ({row['indicator_id']}, {row['area_code']}, {row['time_period']})",
        )
    value = values["value"].to_numpy(dtype=float)
    if np.isinf(value).any():
        _fail("values", "value", "infinite value")
    status = values["value_status"]
    missing_status = np.isnan(value) & status.isna().to_numpy()
    if missing_status.any():
        row = values[missing_status].iloc[0]
        _fail(
            "values",
            "value_status",
            "null value without a status "
            f"({row['indicator_id']}, {row['area_code']}, {row['time_period']})",
        )
    used = {str(s) for s in pd.unique(status.dropna())}
    unknown = used - set(ALL_STATUS_MEANINGS)
    if unknown:
        _fail(
            "values",
            "value_status",
            f"unknown status symbol(s) {sorted(unknown)}",
            sorted(unknown)[0],
        )
    ids = {str(i) for i in pd.unique(values["indicator_id"])}
    no_meta = ids - set(indicators["indicator_id"])
    if no_meta:
        _fail(
            "values",
            "indicator_id",
            f"indicator(s) without metadata: {sorted(no_meta)[:5]}",
            sorted(no_meta)[0],
        )
    level_of = dict(zip(areas["area_code"], areas["geographic_level"], strict=True))
    pairs = values[["area_code", "geographic_level"]].drop_duplicates().astype(object)
    for code, level in pairs.itertuples(index=False):
        if code not in level_of:
            _fail("values", "area_code", f"area {code!r} is not in the areas table", code)
        if level_of[code] != level:
            _fail(
                "values",
                "geographic_level",
                f"area {code!r} has level {level!r} but is a {level_of[code]!r}",
                code,
            )
    years = values["year_end"].to_numpy()
    if len(years) and (years.min() < 1990 or years.max() > 2100):
        _fail("values", "year_end", f"implausible year_end range {years.min()}..{years.max()}")


def validate_neighbours(neighbours: pd.DataFrame, areas: pd.DataFrame) -> None:
    """Neighbour rows link LAs of the areas table, ten ranks at most, no self-links."""
    las = set(areas.loc[areas["area_type"] == AreaType.LA.value, "area_code"])
    for column in ("area_code", "neighbour_code"):
        bad = ~neighbours[column].isin(las)
        if bad.any():
            _fail(
                "statistical_neighbours",
                column,
                f"{neighbours.loc[bad, column].iloc[0]!r} is not an LA",
                str(neighbours.loc[bad, column].iloc[0]),
            )
    ranks = neighbours["neighbour_rank"]
    if len(ranks) and (ranks.min() < 1 or ranks.max() > 10):
        _fail("statistical_neighbours", "neighbour_rank", "rank outside 1..10")
    if neighbours.duplicated(["sn_release", "area_code", "neighbour_rank"]).any():
        _fail("statistical_neighbours", "neighbour_rank", "two neighbours with the same rank")
    if (neighbours["area_code"] == neighbours["neighbour_code"]).any():
        _fail("statistical_neighbours", "neighbour_code", "an LA is its own neighbour")
    allowed = {c.value for c in Closeness}
    bad = neighbours["closeness"].notna() & ~neighbours["closeness"].isin(allowed)
    if bad.any():
        _fail(
            "statistical_neighbours",
            "closeness",
            f"unknown band {neighbours.loc[bad, 'closeness'].iloc[0]!r}",
        )


def validate_tables(tables: Mapping[str, pd.DataFrame]) -> None:
    """All invariants of a release (run on the tables as re-read from disk)."""
    validate_columns(tables)
    validate_indicators(tables["indicators"])
    validate_areas(tables["areas"])
    validate_values(tables["values"], tables["indicators"], tables["areas"])
    validate_neighbours(tables["statistical_neighbours"], tables["areas"])
