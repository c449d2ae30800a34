"""Derived indicators the ingest adds to the store: attainment gaps and spend per child.

* Looked-after children's attainment gap: the looked-after value minus the all-pupils value
  (the 2014 deck's footnote measure), for each pair in ``ATTAINMENT_GAP_PAIRS`` whose two
  inputs are both in the store. Polarity high: a less negative gap is better.
* Spend per child: every s251 gross-spend indicator (``s251_*``, value type currency, unit
  "£"; not weekly unit costs, not line-level ``s251_line_*``) divided by the ONS 0-17
  population of the calendar year before the financial year ends (``ons_population_0_17``).

Rows are derived only where both inputs have a row for the same area and period; when either
input's value is missing the derived row has NaN and status ``"nd"`` (not derivable). The
inputs' own symbols are not carried (the derived indicator's status vocabulary is just "nd";
look at the inputs to see why).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.schema import INDICATORS_COLUMNS, VALUES_COLUMNS, Polarity, ValueType
from indicators._common import require_columns
from indicators.value import spend_per_child

__all__ = [
    "ATTAINMENT_GAP_PAIRS",
    "DERIVED_SOURCE_ID",
    "POPULATION_ID",
    "GapPair",
    "derive_indicators",
]

DERIVED_SOURCE_ID = "derived"
POPULATION_ID = "ons_population_0_17"
_NOT_DERIVABLE = "nd"


@dataclass(frozen=True, slots=True)
class GapPair:
    """One looked-after-minus-all-pupils gap to derive.

    Attributes:
        looked_after_id: The looked-after children's indicator.
        all_pupils_id: The all-pupils indicator on the same measure.
        derived_id: The id of the gap indicator.
        title: Its title. ``short_title``: its short title.
        unit: Unit of the gap ("points" or "percentage points").
    """

    looked_after_id: str
    all_pupils_id: str
    derived_id: str
    title: str
    short_title: str
    unit: str


#: The gaps to derive (data, not code: add a pair here to derive another gap).
ATTAINMENT_GAP_PAIRS: tuple[GapPair, ...] = (
    GapPair(
        "lait_lac_ks4_avg_attain8",
        "lait_avg_attain8_score",
        "gap_lac_ks4_avg_attain8",
        "Attainment 8 gap: looked-after children minus all pupils",
        "Attainment 8 gap (CLA - all)",
        "points",
    ),
    GapPair(
        "lait_lac_ks2_expstd_rwm",
        "lait_ks2rwm_expected_std",
        "gap_lac_ks2_expstd_rwm",
        "Key stage 2 reading, writing and maths at the expected standard: gap between "
        "looked-after children and all pupils",
        "KS2 RWM expected standard gap (CLA - all)",
        "percentage points",
    ),
    GapPair(
        "lait_lac_ks4_avg_prog8",
        "lait_avg_prog8_score",
        "gap_lac_ks4_avg_prog8",
        "Progress 8 gap: looked-after children minus all pupils",
        "Progress 8 gap (CLA - all)",
        "points",
    ),
)


def derive_indicators(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    gap_pairs: tuple[GapPair, ...] = ATTAINMENT_GAP_PAIRS,
    population_id: str = POPULATION_ID,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Derive the gap and spend-per-child indicators as new store rows.

    Args:
        values: The store's ``values`` table (``data.schema.VALUES_COLUMNS``).
        indicators: The store's ``indicators`` table (``data.schema.INDICATORS_COLUMNS``).
        gap_pairs: The gaps to derive; pairs with an input absent from ``indicators`` or
            ``values`` are skipped.
        population_id: The 0-17 population indicator used for spend per child.

    Returns:
        ``(new_values, new_indicators)``: frames with exactly the store's ``values`` and
        ``indicators`` columns, ``source_id`` "derived". Keys are unique, values finite or
        NaN, and ``value_status`` is "nd" wherever ``value`` is NaN.

    Raises:
        ValueError: If a frame lacks store columns, or a derived id already exists in
            ``indicators`` (it would collide in the store).

    Notes:
        Units: a gap has the inputs' unit as a difference ("points", or "percentage points"
        for a %); spend per child is "£ per child". Polarity: gaps high (less negative is
        better); spend per child none. Ties: not applicable. Missing values: a derived row
        exists only where both inputs have a row for the area and period; NaN with status
        "nd" when either value is missing.

    Examples:
        >>> base = {"geographic_level": "Local authority", "time_period": 202324,
        ...     "time_identifier": "Academic year", "year_end": 2024, "value_status": None,
        ...     "numerator": np.nan, "denominator": np.nan, "period_label": "2023/24",
        ...     "source_id": "lait"}
        >>> vals = pd.DataFrame([
        ...     {**base, "indicator_id": "lait_lac_ks4_avg_attain8", "area_code": "E06000001",
        ...      "value": 20.5},
        ...     {**base, "indicator_id": "lait_avg_attain8_score", "area_code": "E06000001",
        ...      "value": 45.0}])
        >>> meta = pd.DataFrame([{c: None for c in INDICATORS_COLUMNS} | {
        ...     "indicator_id": i, "title": i, "short_title": i, "topic": "Education",
        ...     "unit": "points", "decimals": 1, "polarity": "high",
        ...     "time_identifier": "Academic year", "source_id": "lait", "source_code": i,
        ...     "no_quartile": False, "value_type": "mean"}
        ...     for i in ("lait_lac_ks4_avg_attain8", "lait_avg_attain8_score")])
        >>> new_values, new_meta = derive_indicators(vals, meta)
        >>> new_values[["indicator_id", "value"]].to_dict("records")
        [{'indicator_id': 'gap_lac_ks4_avg_attain8', 'value': -24.5}]
    """
    require_columns(values, VALUES_COLUMNS, what="derive_indicators values")
    require_columns(indicators, INDICATORS_COLUMNS, what="derive_indicators indicators")
    meta = indicators.set_index(indicators["indicator_id"].astype(str), drop=False)
    ids = values["indicator_id"].astype(str)
    present = set(ids.unique())
    value_parts: list[pd.DataFrame] = []
    meta_rows: list[dict[str, object]] = []
    for pair in gap_pairs:
        inputs = (pair.looked_after_id, pair.all_pupils_id)
        if not all(i in meta.index and i in present for i in inputs):
            continue
        rows = _gap_rows(values[ids == pair.looked_after_id], values[ids == pair.all_pupils_id])
        value_parts.append(rows.assign(indicator_id=pair.derived_id))
        meta_rows.append(
            _gap_meta(pair, _meta_row(meta, pair.looked_after_id), _meta_row(meta, inputs[1]))
        )
    if population_id in present:
        population = values[ids == population_id]
        for spend_id in _spend_ids(meta, present):
            rows = _per_child_rows(values[ids == spend_id], population)
            value_parts.append(rows.assign(indicator_id=f"{spend_id}_per_child"))
            meta_rows.append(_per_child_meta(_meta_row(meta, spend_id), population_id))
    new_meta = pd.DataFrame(meta_rows, columns=list(INDICATORS_COLUMNS))
    clash = set(new_meta["indicator_id"]) & set(meta.index)
    if clash:
        raise ValueError(f"derived indicator ids already exist in indicators: {sorted(clash)}")
    new_values = (
        pd.concat(value_parts, ignore_index=True)[list(VALUES_COLUMNS)]
        if value_parts
        else pd.DataFrame({c: pd.Series(dtype=values[c].dtype) for c in VALUES_COLUMNS})
    )
    new_meta = new_meta.astype({"decimals": "Int64", "no_quartile": bool, "multiplier": float})
    return new_values.reset_index(drop=True), new_meta.reset_index(drop=True)


def _spend_ids(meta: pd.DataFrame, present: set[str]) -> list[str]:
    ids = meta["indicator_id"].astype(str)
    mask = (
        ids.str.startswith("s251_")
        & ~ids.str.startswith("s251_line_")
        & ~ids.str.endswith("_per_child")
        & (meta["value_type"].astype(str) == str(ValueType.CURRENCY))
        & (meta["unit"].astype(str) == "£")
        & ids.isin(present)
    )
    return sorted(ids[mask])


def _gap_rows(looked_after: pd.DataFrame, all_pupils: pd.DataFrame) -> pd.DataFrame:
    key = ["area_code", "time_period"]
    other = all_pupils[[*key, "value"]].astype({"area_code": str})
    merged = looked_after.astype({"area_code": str}).merge(
        other, on=key, how="inner", suffixes=("", "_all")
    )
    gap = merged["value"].astype(float) - merged["value_all"].astype(float)
    gap = gap.where(np.isfinite(gap))
    return _finish(merged, gap)


def _per_child_rows(spend: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    # Derive only where the population row for (area, year_end - 1) exists.
    pop_keys = pd.DataFrame(
        {
            "area_code": population["area_code"].astype(str).to_numpy(),
            "_year": pd.to_numeric(population["time_period"]).astype(int).to_numpy(),
        }
    ).drop_duplicates()
    keyed = spend.astype({"area_code": str}).assign(
        _year=pd.to_numeric(spend["year_end"]).astype(int) - 1
    )
    keyed = keyed.merge(pop_keys, on=["area_code", "_year"], how="inner").drop(columns="_year")
    derived = spend_per_child(keyed, population.astype({"area_code": str}))
    return _finish(derived, derived["value"].astype(float))


def _meta_row(meta: pd.DataFrame, indicator_id: str) -> pd.Series:
    """The one metadata row of ``indicator_id`` (``meta`` is indexed by indicator_id)."""
    row = meta.loc[indicator_id]
    if isinstance(row, pd.DataFrame):
        raise ValueError(f"indicator_id {indicator_id!r} appears {len(row)} times in indicators")
    return row


def _finish(rows: pd.DataFrame, value: pd.Series) -> pd.DataFrame:
    status = np.full(len(value), _NOT_DERIVABLE, dtype=object)
    status[value.notna().to_numpy()] = None
    return pd.DataFrame(
        {
            "area_code": rows["area_code"].astype(str).to_numpy(),
            "geographic_level": rows["geographic_level"].astype(str).to_numpy(),
            "time_period": rows["time_period"].to_numpy(),
            "time_identifier": rows["time_identifier"].astype(str).to_numpy(),
            "year_end": rows["year_end"].to_numpy(),
            "value": value.to_numpy(dtype=float),
            "value_status": status,
            "numerator": np.nan,
            "denominator": np.nan,
            "period_label": rows["period_label"].astype(str).to_numpy(),
            "source_id": DERIVED_SOURCE_ID,
        }
    )


def _text(row: pd.Series, column: str) -> str | None:
    value = row.get(column)
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value


def _gap_meta(pair: GapPair, lac: pd.Series, every: pd.Series) -> dict[str, object]:
    formula = f"{pair.looked_after_id} - {pair.all_pupils_id}"
    decimals = [d for d in (_text(lac, "decimals"), _text(every, "decimals")) if d is not None]
    no_quartile = bool(_text(lac, "no_quartile") or _text(every, "no_quartile"))
    return {
        "indicator_id": pair.derived_id,
        "title": pair.title,
        "short_title": pair.short_title,
        "topic": _text(lac, "topic") or "Education",
        "unit": pair.unit,
        "decimals": int(max(decimals)) if decimals else None,
        "polarity": str(Polarity.HIGH_IS_BETTER),
        "time_identifier": _text(lac, "time_identifier"),
        "source_id": DERIVED_SOURCE_ID,
        "source_code": formula,
        "source_url": None,
        "description": (
            f"{_text(lac, 'title')} minus {_text(every, 'title')}. Negative when looked-after "
            "children do worse than all pupils; a gap closer to zero (less negative) is better."
        ),
        "no_quartile": no_quartile,
        "value_type": str(ValueType.OTHER),
        "multiplier": None,
        "methodology": "Difference of the two published values for the same area and period.",
        "year_type": _text(lac, "year_type"),
        "last_updated": _text(lac, "last_updated"),
        "next_update": _text(lac, "next_update"),
        "data_owner": "derived by la-variation from DfE figures",
        "derivation": (
            f"value = {formula}, for each area and period where both have a row; "
            "NaN with status 'nd' when either value is missing."
        ),
    }


def _per_child_meta(spend: pd.Series, population_id: str) -> dict[str, object]:
    spend_id = str(spend["indicator_id"])
    formula = f"{spend_id} / {population_id}[year_end - 1]"
    return {
        "indicator_id": f"{spend_id}_per_child",
        "title": f"{_text(spend, 'title')} per child aged 0-17",
        "short_title": f"{_text(spend, 'short_title')} per child",
        "topic": _text(spend, "topic") or "Finance",
        "unit": "£ per child",
        "decimals": 0,
        "polarity": str(Polarity.NONE),
        "time_identifier": _text(spend, "time_identifier"),
        "source_id": DERIVED_SOURCE_ID,
        "source_code": formula,
        "source_url": None,
        "description": (
            f"Gross spend ({_text(spend, 'title')}) divided by the ONS mid-year estimate of "
            "children aged 0-17 in the area."
        ),
        "no_quartile": False,
        "value_type": str(ValueType.CURRENCY),
        "multiplier": None,
        "methodology": (
            "Spend in the financial year ending 31 March of year_end, divided by the mid-year "
            "population estimate of calendar year year_end - 1."
        ),
        "year_type": _text(spend, "year_type"),
        "last_updated": _text(spend, "last_updated"),
        "next_update": _text(spend, "next_update"),
        "data_owner": "derived by la-variation from DfE s251 and ONS figures",
        "derivation": (
            f"value = {formula}, in pounds per child, where both rows exist; NaN with status "
            "'nd' when either value is missing or the population is 0."
        ),
    }
