"""Rates per 10,000 children computed where a source publishes only counts.

The CIN census (EES ``b1``, ``c1``, ``d3``, ``d5`` files) gives counts of children in need,
referrals and child protection plans but no rates. As DfE does for its published rates, the
rate for the year ending 31 March Y is ``10,000 x count(Y) / children aged 0-17 (ONS mid-year
estimate for Y-1)``. The result is marked as computed in the indicator's ``derivation``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.errors import DataFormatError
from data.loaders.common import ORIGIN_COLUMNS, indicator_rows, values_frame
from data.schema import Polarity, ValueType

POPULATION_ID = "ons_population_0_17"
PER = 10_000.0


@dataclass(frozen=True, slots=True)
class RateSpec:
    """A count indicator and the rate indicator computed from it."""

    count_id: str
    rate_id: str
    title: str
    topic: str


RATES: tuple[RateSpec, ...] = (
    RateSpec(
        "cin_at_31_march",
        "cin_at_31_march_rate",
        "Children in need at 31 March, rate per 10,000 children",
        "Children in need",
    ),
    RateSpec(
        "cin_started_episodes",
        "cin_started_episodes_rate",
        "Children in need episodes starting in the year, rate per 10,000 children",
        "Children in need",
    ),
    RateSpec(
        "cin_referrals_count",
        "cin_referrals_rate",
        "Referrals to children's social care, rate per 10,000 children",
        "Children in need: referrals",
    ),
    RateSpec(
        "cpp_at_31_march_count",
        "cpp_at_31_march_rate",
        "Children on child protection plans at 31 March, rate per 10,000 children",
        "Child protection",
    ),
    RateSpec(
        "cpp_starting",
        "cpp_starting_rate",
        "Child protection plans starting in the year, rate per 10,000 children",
        "Child protection",
    ),
)


def _check_finite(
    spec: RateSpec, counts: pd.DataFrame, rate: np.ndarray, population: np.ndarray
) -> None:
    """Raise, naming the count's file, row and LA, when a rate is not a finite number."""
    bad = np.flatnonzero(np.isinf(rate))
    if not bad.size:
        return
    row = counts.iloc[int(bad[0])]
    origin = {c: row.get(c) for c in ORIGIN_COLUMNS}
    raise DataFormatError(
        str(origin["origin_file"] if pd.notna(origin["origin_file"]) else spec.count_id),
        f"{spec.rate_id} for {row['area_code']} in {row['period_label']} is not a finite number: "
        f"count {row['value']:.6g} / population {population[bad[0]]:.6g} x {PER:,.0f}",
        row=int(origin["origin_row"]) if pd.notna(origin["origin_row"]) else None,
        column=str(origin["origin_column"]) if pd.notna(origin["origin_column"]) else None,
        token=f"{row['value']:.6g}",
        rule="BI-41",
    )


def derive_rates(
    values: pd.DataFrame, indicators: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """New ``values`` and ``indicators`` rows for every rate whose count and population exist.

    A rate is null where its count is (keeping the count's symbol) or where there is no
    population estimate for year-1 (status ``x``: not available).
    """
    population = values[values["indicator_id"] == POPULATION_ID]
    if population.empty:
        return values_frame(), indicator_rows([])
    pop = population.set_index(["area_code", "year_end"])["value"]
    pop = pop[~pop.index.duplicated()]
    source_meta = indicators.set_index("indicator_id")
    out_values, out_meta = [], []
    for spec in RATES:
        counts = values[values["indicator_id"] == spec.count_id]
        if counts.empty:
            continue
        keys = pd.MultiIndex.from_arrays(
            [counts["area_code"].astype(str), counts["year_end"].astype(int) - 1]
        )
        denominator = pop.reindex(keys).to_numpy(dtype=float)
        numerator = counts["value"].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            rate = np.where(denominator > 0, PER * numerator / denominator, np.nan)
        _check_finite(spec, counts, rate, denominator)
        status = counts["value_status"].to_numpy(dtype=object).copy()
        status = np.where(np.isnan(rate) & pd.isna(status), "x", status)
        out_values.append(
            values_frame(
                indicator_id=spec.rate_id,
                area_code=counts["area_code"].astype(str).to_numpy(),
                geographic_level=counts["geographic_level"].astype(str).to_numpy(),
                time_period=counts["time_period"].to_numpy(),
                time_identifier=counts["time_identifier"].astype(str).to_numpy(),
                year_end=counts["year_end"].to_numpy(),
                value=rate,
                value_status=np.where(
                    np.isnan(rate), status, np.full(len(rate), None, dtype=object)
                ),
                numerator=numerator,
                denominator=denominator,
                period_label=counts["period_label"].astype(str).to_numpy(),
                source_id="computed",
            )
        )
        base = source_meta.loc[spec.count_id]
        out_meta.append(
            {
                "indicator_id": spec.rate_id,
                "title": spec.title,
                "short_title": spec.title.split(",")[0],
                "topic": spec.topic,
                "unit": "per 10,000 children",
                "decimals": 1,
                "polarity": str(Polarity.NONE),
                "time_identifier": base["time_identifier"],
                "source_id": "computed",
                "source_code": f"10000 * {spec.count_id} / {POPULATION_ID}[year-1]",
                "source_url": base["source_url"],
                "description": (
                    f"{base['description']} Computed by la-variation (the source gives counts "
                    "only): count / ONS mid-year estimate of children aged 0-17 for the "
                    "previous calendar year x 10,000."
                ),
                "no_quartile": False,
                "value_type": str(ValueType.RATE),
                "multiplier": PER,
                "year_type": base["year_type"],
                "data_owner": "DfE and ONS (computed)",
                "derivation": (
                    f"computed: 10,000 x {spec.count_id} (year ending 31 March Y) / "
                    f"{POPULATION_ID} (mid-year Y-1)"
                ),
            }
        )
    if not out_values:
        return values_frame(), indicator_rows([])
    return pd.concat(out_values, ignore_index=True), indicator_rows(out_meta)
