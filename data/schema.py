"""The store's fixed schema: table columns, Arrow types and the closed vocabularies.

This module is the contract between the data layer and everything downstream (indicators,
figures, pages). It imports nothing from the project and does no work at import time beyond
building constant schema objects.

Tables (see ``docs/store.md``):

* ``values``: one row per indicator x area x period, long format, EES column names.
* ``indicators``: one row per indicator, LAIT-data-dictionary style metadata.
* ``areas``: one row per area (England, regions, LAs, legacy LAs, joint LA rows).
* ``statistical_neighbours``: one row per (release, LA, neighbour rank).

and the benchmark table computed from them at ingest (``BENCHMARK_SCHEMAS``): ``benchmark``,
``benchmark_neighbours``, ``benchmark_periods`` and ``comparators``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pyarrow as pa

#: Bump when a column is added, removed or changes meaning; stores of another version are
#: refused by ``data.store.Store.open`` with a message saying to re-run the ingest.
SCHEMA_VERSION = 2


class Polarity(StrEnum):
    """Which direction of an indicator is better."""

    HIGH_IS_BETTER = "high"
    """Larger values are better (e.g. % of care leavers in education, employment or training)."""
    LOW_IS_BETTER = "low"
    """Smaller values are better (e.g. % of looked-after children with 3+ placements in a year)."""
    NONE = "none"
    """No better direction (e.g. spend); rank as highest/lowest, never best/worst."""


class GeographicLevel(StrEnum):
    """Geographic levels, in the Explore Education Statistics (EES) open-data terms."""

    NATIONAL = "National"
    REGIONAL = "Regional"
    LOCAL_AUTHORITY = "Local authority"


class AreaType(StrEnum):
    """Finer classification of areas than the EES level (``areas.area_type``)."""

    COUNTRY = "Country"
    REGION = "Region"
    """One of the nine English regions (E12)."""
    LONDON_SUBREGION = "London sub-region"
    """Inner or Outer London (E13): a London LA's region in DfE files; overlaps E12000007."""
    LA = "Local authority"
    """A single children's services authority (current or abolished)."""
    LA_GROUP = "Local authority group"
    """A joint row such as ``940 / 941``: kept as its own area, never split, summed or ranked."""


class ValueType(StrEnum):
    """How an indicator's value relates to its numerator and denominator."""

    PROPORTION = "proportion"
    """value = multiplier x numerator / denominator, numerator <= denominator (a % when x100)."""
    RATE = "rate"
    """value = multiplier x events / population (e.g. per 10,000 children): Poisson."""
    COUNT = "count"
    """A number of children, cases, staff... (no denominator)."""
    MEAN = "mean"
    """An average score or amount per person (no binomial or Poisson interval)."""
    CURRENCY = "currency"
    """Money: pounds, or pounds per child (per week) for unit costs."""
    OTHER = "other"
    """Anything else (indices, ratios, scores)."""


class Closeness(StrEnum):
    """The published closeness band of a statistical neighbour (CSSNBT), normalised."""

    EXTREMELY_CLOSE = "Extremely close"
    VERY_CLOSE = "Very close"
    CLOSE = "Close"
    SOMEWHAT_CLOSE = "Somewhat close"
    NOT_CLOSE = "Not close"


#: Publisher symbols kept in ``value_status`` whenever ``value`` is null, with their meaning.
#: ``low``, ``k`` and ``~`` mean "rounds to zero but is not zero": never stored as 0.
STATUS_MEANINGS: dict[str, str] = {
    "c": "confidential: suppressed to protect small numbers",
    "x": "not available",
    "z": "not applicable (e.g. the LA did not exist that year)",
    "u": "low reliability (e.g. incomplete return); removed from regional and national totals",
    "low": "rounds to zero, but is not zero",
    "k": "rounds to zero, but is not zero (older DfE symbol)",
    "[c]": "confidential: suppressed to protect small numbers",
    "[x]": "not available",
    "[z]": "not applicable",
    "[low]": "rounds to zero, but is not zero",
    ":": "not available (older GSS symbol)",
    "~": "rounds to zero, but is not zero (older GSS symbol)",
    "-": "missing or suppressed (LAIT and older DfE tables)",
    "..": "not available (older tables)",
}
STATUS_SYMBOLS: frozenset[str] = frozenset(STATUS_MEANINGS)

#: Extra statuses the project itself assigns (documented in docs/store.md).
DERIVED_STATUS_MEANINGS: dict[str, str] = {
    "nd": "not derivable: an input needed to compute this value is missing",
    "derived": (
        "a value la-variation computed from published parts (e.g. s251 fostering in 2018-19 = "
        "3.1.2a + 3.1.2b): not published as such"
    ),
    "est": (
        "an estimate made by la-variation (e.g. a new authority's deprivation score weighted "
        "from its former districts): not a published figure"
    ),
}
ALL_STATUS_MEANINGS: dict[str, str] = {**STATUS_MEANINGS, **DERIVED_STATUS_MEANINGS}

#: GSS code patterns by area type.
LA_CODE_RE = re.compile(r"^E(06|08|09|10)\d{6}$")
LA_GROUP_CODE_RE = re.compile(r"^E(06|08|09|10)\d{6}( / E(06|08|09|10)\d{6})+$")
REGION_CODE_RE = re.compile(r"^E12\d{6}$")
LONDON_SUBREGION_CODE_RE = re.compile(r"^E13\d{6}$")
ENGLAND_CODE = "E92000001"

#: Sources publish a new authority's first year, or an abolished one's last, up to a year
#: either side of the legal date (e.g. CLA at 31 March 2021 already reports North and West
#: Northamptonshire, created 1 April 2021). An LA counts as current for a period whose end lies
#: within its lifetime widened by this many days on each side.
LIFETIME_TOLERANCE_DAYS = 366
LONDON_CODE = "E12000007"

# ---------------------------------------------------------------------------------------------
# values
# ---------------------------------------------------------------------------------------------
INDICATOR_ID = "indicator_id"
AREA_CODE = "area_code"
GEOGRAPHIC_LEVEL = "geographic_level"
TIME_PERIOD = "time_period"
TIME_IDENTIFIER = "time_identifier"
YEAR_END = "year_end"
VALUE = "value"
VALUE_STATUS = "value_status"
NUMERATOR = "numerator"
DENOMINATOR = "denominator"
PERIOD_LABEL = "period_label"
SOURCE_ID = "source_id"

_dict_str = pa.dictionary(pa.int32(), pa.string())

VALUES_SCHEMA = pa.schema(
    [
        pa.field(INDICATOR_ID, _dict_str, nullable=False),
        pa.field(AREA_CODE, _dict_str, nullable=False),
        pa.field(GEOGRAPHIC_LEVEL, _dict_str, nullable=False),
        pa.field(TIME_PERIOD, pa.int32(), nullable=False),
        pa.field(TIME_IDENTIFIER, _dict_str, nullable=False),
        pa.field(YEAR_END, pa.int16(), nullable=False),
        pa.field(VALUE, pa.float64()),
        pa.field(VALUE_STATUS, pa.string()),
        pa.field(NUMERATOR, pa.float64()),
        pa.field(DENOMINATOR, pa.float64()),
        pa.field(PERIOD_LABEL, pa.string(), nullable=False),
        pa.field(SOURCE_ID, _dict_str, nullable=False),
    ]
)
VALUES_COLUMNS: tuple[str, ...] = tuple(VALUES_SCHEMA.names)
VALUES_KEY: tuple[str, ...] = (INDICATOR_ID, AREA_CODE, TIME_PERIOD)

# ---------------------------------------------------------------------------------------------
# indicators
# ---------------------------------------------------------------------------------------------
INDICATORS_SCHEMA = pa.schema(
    [
        pa.field("indicator_id", pa.string(), nullable=False),
        pa.field("title", pa.string(), nullable=False),
        pa.field("short_title", pa.string(), nullable=False),
        pa.field("topic", pa.string(), nullable=False),
        pa.field("unit", pa.string(), nullable=False),
        pa.field("decimals", pa.int8()),
        pa.field("polarity", pa.string(), nullable=False),
        pa.field("time_identifier", pa.string(), nullable=False),
        pa.field("source_id", pa.string(), nullable=False),
        pa.field("source_code", pa.string(), nullable=False),
        pa.field("source_url", pa.string()),
        pa.field("description", pa.string()),
        pa.field("no_quartile", pa.bool_(), nullable=False),
        # Beyond STYLE.md's minimum: what LA leaders need to read a number correctly.
        pa.field("value_type", pa.string(), nullable=False),
        pa.field("multiplier", pa.float64()),
        pa.field("methodology", pa.string()),
        pa.field("year_type", pa.string()),
        pa.field("last_updated", pa.string()),
        pa.field("next_update", pa.string()),
        pa.field("data_owner", pa.string()),
        pa.field("derivation", pa.string()),
    ]
)
INDICATORS_COLUMNS: tuple[str, ...] = tuple(INDICATORS_SCHEMA.names)

# ---------------------------------------------------------------------------------------------
# areas
# ---------------------------------------------------------------------------------------------
AREAS_SCHEMA = pa.schema(
    [
        pa.field("area_code", pa.string(), nullable=False),
        pa.field("area_name", pa.string(), nullable=False),
        pa.field("geographic_level", pa.string(), nullable=False),
        pa.field("area_type", pa.string(), nullable=False),
        pa.field("old_la_code", pa.string()),
        pa.field("region_code", pa.string()),
        pa.field("region_name", pa.string()),
        pa.field("valid_from", pa.date32()),
        pa.field("valid_to", pa.date32()),
        pa.field("predecessor_codes", pa.list_(pa.string()), nullable=False),
        pa.field("successor_codes", pa.list_(pa.string()), nullable=False),
        pa.field("former_codes", pa.list_(pa.string()), nullable=False),
        pa.field("member_codes", pa.list_(pa.string()), nullable=False),
    ]
)
AREAS_COLUMNS: tuple[str, ...] = tuple(AREAS_SCHEMA.names)

# ---------------------------------------------------------------------------------------------
# statistical_neighbours
# ---------------------------------------------------------------------------------------------
NEIGHBOURS_SCHEMA = pa.schema(
    [
        pa.field("sn_release", pa.string(), nullable=False),
        pa.field("area_code", pa.string(), nullable=False),
        pa.field("neighbour_rank", pa.int8(), nullable=False),
        pa.field("neighbour_code", pa.string(), nullable=False),
        pa.field("closeness", pa.string()),
    ]
)
NEIGHBOURS_COLUMNS: tuple[str, ...] = tuple(NEIGHBOURS_SCHEMA.names)

TABLE_SCHEMAS: dict[str, pa.Schema] = {
    "values": VALUES_SCHEMA,
    "indicators": INDICATORS_SCHEMA,
    "areas": AREAS_SCHEMA,
    "statistical_neighbours": NEIGHBOURS_SCHEMA,
}

# ---------------------------------------------------------------------------------------------
# The benchmark table (computed at ingest from the tables above; docs/store.md)
# ---------------------------------------------------------------------------------------------
_comparison = _dict_str  # better / similar / worse / higher / lower / not compared

BENCHMARK_SCHEMA = pa.schema(
    [
        pa.field(INDICATOR_ID, _dict_str, nullable=False),
        pa.field(TIME_PERIOD, pa.int32(), nullable=False),
        pa.field(AREA_CODE, _dict_str, nullable=False),
        pa.field(GEOGRAPHIC_LEVEL, _dict_str, nullable=False),
        pa.field(YEAR_END, pa.int16(), nullable=False),
        pa.field(VALUE, pa.float64()),
        pa.field(VALUE_STATUS, _dict_str),
        pa.field(NUMERATOR, pa.float64()),
        pa.field(DENOMINATOR, pa.float64()),
        pa.field("competes", pa.bool_(), nullable=False),
        pa.field("rank", pa.int16()),
        pa.field("tied", pa.bool_(), nullable=False),
        pa.field("n_ranked", pa.int16(), nullable=False),
        pa.field("band", _dict_str),
        pa.field("lower", pa.float64()),
        pa.field("upper", pa.float64()),
        pa.field("ci_method", _dict_str),
        pa.field("england_value", pa.float64()),
        pa.field("vs_england", _comparison, nullable=False),
        pa.field("region_code", _dict_str),
        pa.field("region_value", pa.float64()),
        pa.field("vs_region", _comparison, nullable=False),
    ]
)
BENCHMARK_NEIGHBOURS_SCHEMA = pa.schema(
    [
        pa.field(INDICATOR_ID, _dict_str, nullable=False),
        pa.field(TIME_PERIOD, pa.int32(), nullable=False),
        pa.field(AREA_CODE, _dict_str, nullable=False),
        pa.field("sn_release", _dict_str, nullable=False),
        pa.field("n_expected", pa.int8(), nullable=False),
        pa.field("n_with_data", pa.int8(), nullable=False),
        pa.field("mean", pa.float64()),
        pa.field("median", pa.float64()),
        pa.field("vs_mean", _comparison, nullable=False),
        pa.field("vs_median", _comparison, nullable=False),
    ]
)
BENCHMARK_PERIODS_SCHEMA = pa.schema(
    [
        pa.field(INDICATOR_ID, _dict_str, nullable=False),
        pa.field(TIME_PERIOD, pa.int32(), nullable=False),
        pa.field(TIME_IDENTIFIER, pa.string(), nullable=False),
        pa.field(YEAR_END, pa.int16(), nullable=False),
        pa.field(PERIOD_LABEL, pa.string(), nullable=False),
        pa.field("n_competing", pa.int16(), nullable=False),
        pa.field("n_ranked", pa.int16(), nullable=False),
        *(pa.field(f"q{q}", pa.float64()) for q in (0, 25, 50, 75, 100)),
        pa.field("band_reason", pa.string()),
    ]
)
COMPARATORS_SCHEMA = pa.schema(
    [
        pa.field(INDICATOR_ID, _dict_str, nullable=False),
        pa.field(TIME_PERIOD, pa.int32(), nullable=False),
        pa.field(AREA_CODE, _dict_str, nullable=False),
        pa.field("comparator_code", _dict_str, nullable=False),
        pa.field("label", pa.string(), nullable=False),
        pa.field(VALUE, pa.float64()),
        pa.field(VALUE_STATUS, pa.string()),
        pa.field("method", _dict_str, nullable=False),
        pa.field("computed", pa.bool_(), nullable=False),
        pa.field("n_las", pa.int16(), nullable=False),
        pa.field("n_las_missing", pa.int16(), nullable=False),
    ]
)
#: The benchmark table's frames, written per release as Arrow IPC files and memory-mapped.
BENCHMARK_SCHEMAS: dict[str, pa.Schema] = {
    "benchmark": BENCHMARK_SCHEMA,
    "benchmark_neighbours": BENCHMARK_NEIGHBOURS_SCHEMA,
    "benchmark_periods": BENCHMARK_PERIODS_SCHEMA,
    "comparators": COMPARATORS_SCHEMA,
}

#: Time identifiers used in the store (EES terms, plus two for LAIT's multi-year spans).
TIME_IDENTIFIERS: frozenset[str] = frozenset(
    {
        "Academic year",
        "Financial year",
        "Reporting year",
        "Calendar year",
        "Academic years (span)",
        "Calendar years (span)",
        "Financial years (span)",
    }
)


# ---------------------------------------------------------------------------------------------
# Typed view of one indicators row (shared by the data layer, indicators and figures)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndicatorMeta:
    """Metadata of one indicator, as stored in the ``indicators`` table.

    ``unit`` is the display unit (e.g. ``%``, ``per 10,000 children``, ``£``); ``decimals`` is
    the number of decimal places to show (``None``: as published); ``multiplier`` scales
    numerator/denominator to the value (100 for a %, 10,000 for a rate per 10,000).
    """

    indicator_id: str
    title: str
    short_title: str
    topic: str
    unit: str
    decimals: int | None
    polarity: Polarity
    time_identifier: str
    source_id: str
    source_code: str
    source_url: str | None
    description: str | None
    no_quartile: bool
    value_type: ValueType
    multiplier: float | None
    methodology: str | None = None
    year_type: str | None = None
    last_updated: str | None = None
    next_update: str | None = None
    data_owner: str | None = None
    derivation: str | None = None

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> IndicatorMeta:
        """Build from one ``indicators`` row (a dict of column -> value; NaN/None -> None)."""

        def clean(v: Any) -> Any:
            return None if v is None or (isinstance(v, float) and v != v) else v

        r = {k: clean(record.get(k)) for k in INDICATORS_COLUMNS}
        return cls(
            **{
                **r,
                "decimals": None if r["decimals"] is None else int(r["decimals"]),
                "polarity": Polarity(r["polarity"]),
                "value_type": ValueType(r["value_type"]),
                "no_quartile": bool(r["no_quartile"]),
            }
        )


def period_end(time_identifier: str, year_end: int) -> tuple[int, int, int]:
    """Return the (year, month, day) on which a period ends, for LA-validity checks.

    Reporting and financial years end on 31 March (CSC returns count "at 31 March");
    academic years on 31 August; calendar years on 31 December. Spans end with their last year.

    Examples:
        >>> period_end("Reporting year", 2019)
        (2019, 3, 31)
        >>> period_end("Academic year", 2019)
        (2019, 8, 31)
    """
    if time_identifier.startswith("Academic"):
        return (year_end, 8, 31)
    if time_identifier.startswith("Calendar"):
        return (year_end, 12, 31)
    return (year_end, 3, 31)
