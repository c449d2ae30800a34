"""A store with hand-made indicators whose profile numbers are worked out by hand.

Blackpool (E06000009) and its ten 2025 neighbours have values in 2021-2024 ("Reporting
year"); nobody else does. In 2024 the neighbours hold 10, 11, ..., 19: median 14.5, absolute
deviations 4.5, 3.5, 2.5, 1.5, 0.5, 0.5, 1.5, 2.5, 3.5, 4.5, so the MAD is 2.5 and the scale
1.4826 x 2.5 = 3.7065. The neighbours are the same every year.

* ``hand_high`` (higher is better): Blackpool 13, 11, 9, 7 -> in 2024 z = (7 - 14.5) / 3.7065
  = -2.0235: worse, unusual; gaps to the mean -1.5, -3.5, -5.5, -7.5: widening.
* ``hand_low`` (lower is better): the same values -> better, unusual; widening.
* ``hand_similar`` (higher is better): Blackpool 14 every year -> z = -0.1349: similar;
  gap -0.5 every year: stable.
* ``hand_count`` (a count, no better direction): Blackpool 70 -> z = (70 - 145) / 37.065 =
  -2.0235, "lower"; listed with the counts, never among the judged.
* ``hand_few`` (higher is better): only 3 neighbours have a value -> not compared.
* ``hand_short`` (higher is better): Blackpool 14 in 2023 and 2024 only -> similar; two
  years with a gap, too few for a trend.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.store_support import make_store, value_row

BLACKPOOL = "E06000009"
NEIGHBOURS_2025 = (
    "E08000005",
    "E09000022",
    "E09000004",
    "E08000038",
    "E10000007",
    "E06000036",
    "E09000030",
    "E06000022",
    "E09000032",
    "E09000016",
)
YEARS = (2021, 2022, 2023, 2024)
SCALE = 1.4826 * 2.5

#: indicator -> (polarity, value type, unit, Blackpool's values by year, neighbour factor)
HAND = {
    "hand_high": ("high", "proportion", "%", (13.0, 11.0, 9.0, 7.0), 1.0),
    "hand_low": ("low", "proportion", "%", (13.0, 11.0, 9.0, 7.0), 1.0),
    "hand_similar": ("high", "proportion", "%", (14.0, 14.0, 14.0, 14.0), 1.0),
    "hand_count": ("none", "count", "number", (130.0, 110.0, 90.0, 70.0), 10.0),
    "hand_few": ("high", "proportion", "%", (13.0, 11.0, 9.0, 7.0), 1.0),
    "hand_short": ("high", "proportion", "%", (np.nan, np.nan, 14.0, 14.0), 1.0),
}


def _rows(indicator: str) -> list[dict[str, object]]:
    _, _, _, own, factor = HAND[indicator]
    members = NEIGHBOURS_2025[:3] if indicator == "hand_few" else NEIGHBOURS_2025
    rows = []
    for k, year in enumerate(YEARS):
        values = {} if np.isnan(own[k]) else {BLACKPOOL: own[k]}
        values.update({code: (10.0 + j) * factor for j, code in enumerate(members)})
        for code, value in values.items():
            rows.append(value_row(indicator, code, year, value))
    return rows


def _meta(indicator: str, template: dict[str, object]) -> dict[str, object]:
    polarity, value_type, unit, _, _ = HAND[indicator]
    return {
        **template,
        "indicator_id": indicator,
        "title": f"Hand-made {indicator}",
        "short_title": f"Hand-made {indicator}",
        "topic": "Hand-made",
        "unit": unit,
        "decimals": 1,
        "polarity": polarity,
        "time_identifier": "Reporting year",
        "source_id": "hand",
        "source_code": indicator,
        "value_type": value_type,
        "multiplier": 100.0 if unit == "%" else None,
        "description": "worked by hand",
    }


def hand_tables(demo_tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The demo tables plus the hand-made indicators (nothing else changed)."""
    template = demo_tables["indicators"].iloc[0].to_dict()
    values = pd.DataFrame([r for i in HAND for r in _rows(i)])
    values = values.astype({c: demo_tables["values"][c].dtype for c in values.columns})
    meta = pd.DataFrame([_meta(i, template) for i in HAND])
    return {
        **demo_tables,
        "values": pd.concat([demo_tables["values"], values], ignore_index=True),
        "indicators": pd.concat([demo_tables["indicators"], meta], ignore_index=True),
    }


def hand_store(demo_tables: dict[str, pd.DataFrame]):
    """An in-memory store of the demo data plus the hand-made indicators."""
    return make_store(hand_tables(demo_tables), {"release": "hand", "synthetic": True})
