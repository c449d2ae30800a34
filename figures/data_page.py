"""Tables of the data page: an indicator's every value, and a topic's catalogue.

Not charts, but built the same way as chart data (``DataView``), so the page's downloads
and tables share the formatting and spreadsheet-safety of every other CSV.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from data.schema import IndicatorMeta, Polarity
from figures.tables import DataView

POLARITY_WORDS = {
    Polarity.HIGH_IS_BETTER: "Higher is better",
    Polarity.LOW_IS_BETTER: "Lower is better",
    Polarity.NONE: "No better direction (ranked highest to lowest)",
}


def indicator_values_view(
    values: pd.DataFrame, meta: IndicatorMeta, *, names: Mapping[str, str]
) -> DataView:
    """Every stored value of one indicator, newest period first, with area names and status."""
    frame = values.sort_values(
        ["time_period", "geographic_level", "area_code"], ascending=[False, True, True]
    )
    out = pd.DataFrame(
        {
            "Indicator": meta.indicator_id,
            "Period": frame["period_label"].to_numpy(),
            "Time period": frame["time_period"].to_numpy(),
            "Year ending": frame["year_end"].to_numpy(),
            "Level": frame["geographic_level"].to_numpy(),
            "Area code": frame["area_code"].to_numpy(),
            "Area": [names.get(c, c) for c in frame["area_code"]],
            "Value": frame["value"].to_numpy(),
            "Status": frame["value_status"].fillna("").to_numpy(),
            "Numerator": frame["numerator"].to_numpy(),
            "Denominator": frame["denominator"].to_numpy(),
        }
    )
    decimals = {
        "Value": 3 if meta.decimals is None else max(meta.decimals, 0),
        "Numerator": 0,
        "Denominator": 0,
    }
    return DataView(out, f"{meta.title}: every value ({meta.unit})", decimals)


def topic_catalogue_view(rows: Sequence[tuple[str, str, str, str, str]], topic: str) -> DataView:
    """A topic's indicators: id, title, unit, polarity words, periods available."""
    frame = pd.DataFrame(rows, columns=["Indicator id", "Title", "Unit", "Direction", "Periods"])
    return DataView(frame, f"Indicators in {topic}", {}, key=None)
