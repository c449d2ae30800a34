"""Children in low income families as a percentage of the children of the same ages.

DWP publishes counts by age band; the matching denominator is the ONS population of the same
single years of age (``ons_population_age_<band>``, from the single-year-of-age table). Only one
such table is stored (mid-2024), so every year's count is divided by the population of the
**latest** mid-year the store holds: a fixed denominator, so the percentage's change over time
is the count's change. It is therefore not DWP's published percentage (which divides each year by
that year's under-16 population). The 0-19 band has no matching population (DWP counts 16-19
year olds only while in full-time non-advanced education) and gets no percentage.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.loaders.common import indicator_rows, values_frame
from data.loaders.low_income import PREFIX as COUNT_PREFIX
from data.loaders.population_age import PREFIX as POPULATION_PREFIX
from data.schema import Polarity, ValueType

BANDS = ("0_4", "5_10", "11_15", "0_15")
SOURCE_ID = "computed"


def derive_need_rates(
    values: pd.DataFrame, indicators: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """New ``values`` and ``indicators`` rows: % of children of each band in low income families.

    A percentage is NaN where the count is (keeping its symbol) or where the area has no
    population of that band ("nd").
    """
    ids = values["indicator_id"]  # categorical in the ingest: compared without copying
    out_values, out_meta = [], []
    for band in BANDS:
        counts = values[(ids == COUNT_PREFIX + band).to_numpy()]
        population = values[(ids == POPULATION_PREFIX + band).to_numpy()]
        if counts.empty or population.empty:
            continue
        year = int(population["time_period"].max())
        latest = population[population["time_period"] == year]
        pop = pd.Series(
            latest["value"].to_numpy(dtype=float), index=latest["area_code"].astype(str)
        )
        denominator = pop.reindex(counts["area_code"].astype(str)).to_numpy(dtype=float)
        numerator = counts["value"].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = np.where(denominator > 0, 100.0 * numerator / denominator, np.nan)
        status = counts["value_status"].to_numpy(dtype=object)
        missing = np.where(pd.isna(status) | (status == "derived"), "nd", status)
        status = np.where(np.isnan(pct), missing, np.full(len(pct), None, dtype=object))
        out_values.append(
            values_frame(
                indicator_id=f"{COUNT_PREFIX}{band}_pct",
                area_code=counts["area_code"].astype(str).to_numpy(),
                geographic_level=counts["geographic_level"].astype(str).to_numpy(),
                time_period=counts["time_period"].to_numpy(),
                time_identifier=counts["time_identifier"].astype(str).to_numpy(),
                year_end=counts["year_end"].to_numpy(),
                value=pct,
                value_status=status,
                numerator=numerator,
                denominator=denominator,
                period_label=counts["period_label"].astype(str).to_numpy(),
                source_id=SOURCE_ID,
            )
        )
        ages = band.replace("_", "-")
        out_meta.append(
            {
                "indicator_id": f"{COUNT_PREFIX}{band}_pct",
                "title": (
                    f"Children aged {ages} in relative low income families, % of children aged "
                    f"{ages} (ONS mid-{year} population)"
                ),
                "short_title": f"% of children {ages} in low income families",
                "topic": "Context: need",
                "unit": "%",
                "decimals": 1,
                "polarity": str(Polarity.NONE),
                "time_identifier": "Financial year",
                "source_id": SOURCE_ID,
                "source_code": f"100 * {COUNT_PREFIX}{band} / {POPULATION_PREFIX}{band}[{year}]",
                "source_url": None,
                "description": (
                    "DWP children in relative low income families (before housing costs) as a "
                    f"percentage of the ONS mid-{year} population of the same ages in the area. "
                    f"Every year uses the mid-{year} population (the only single-year-of-age "
                    "table in the store), so this is not DWP's published percentage; its change "
                    "over time is the count's change."
                ),
                "no_quartile": False,
                "value_type": str(ValueType.PROPORTION),
                "multiplier": 100.0,
                "year_type": "Financial Year",
                "data_owner": "DWP and ONS (computed)",
                "derivation": (
                    f"computed: 100 x {COUNT_PREFIX}{band} (each year) / "
                    f"{POPULATION_PREFIX}{band} (mid-{year}); NaN with 'nd' without a population"
                ),
            }
        )
    if not out_values:
        return values_frame(), indicator_rows([])
    return pd.concat(out_values, ignore_index=True), indicator_rows(out_meta)
