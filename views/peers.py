"""Peer trajectories on the benchmark page: LAs at our level k years ago, where are they now?

``indicators.peer_trajectories`` over the indicator's competing LAs (each period's ranking
population, read from the benchmark table), ending in the indicator's latest period with LA
data; the peers are the LAs within a quarter of the across-LA standard deviation of the LA's
value k years before (``docs/methods.md`` section 18).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

import indicators as ind
from data.schema import IndicatorMeta
from data.store import Store
from views.la_rows import latest_periods
from views.memo import memoised

__all__ = ["MAX_LAG", "PEER_BAND_SD", "PeerView", "peer_view"]

#: The longest lag asked for (years).
MAX_LAG = 20
#: The band around the LA's value: this share of the across-LA standard deviation.
PEER_BAND_SD = 0.25


@dataclass(frozen=True)
class PeerView:
    """The peers of one LA on one indicator, ``lag`` years back, and their paths.

    ``result`` is ``indicators.peer_trajectories``' answer; ``names`` maps codes to names;
    ``base_label`` and ``latest_label`` are the publisher's labels of the two periods.
    """

    meta: IndicatorMeta
    la_name: str
    lag: int
    result: ind.PeerTrajectories
    names: dict[str, str]
    base_label: str
    latest_label: str


@memoised
def peer_view(store: Store, area_code: str, indicator_id: str, lag: int) -> PeerView:
    """Where the LAs that were within 0.25 SD of the LA ``lag`` years ago are now."""
    bench = store.benchmark
    assert bench is not None
    meta = store.indicator_meta(indicator_id)
    rows = bench.rows("benchmark", indicator_id)
    latest = latest_periods(store)
    mine = latest[latest["indicator_id"] == indicator_id]
    last = int(mine["time_period"].iloc[0]) if len(mine) else None
    competing = rows["competes"].to_numpy(dtype=bool, copy=True)
    if last is not None:
        competing &= rows["time_period"].to_numpy() <= last
    values = pd.DataFrame(
        {
            "area_code": rows["area_code"].astype(str).to_numpy(dtype=object)[competing],
            "year_end": rows["year_end"].to_numpy(dtype=np.int64)[competing],
            "value": rows["value"].to_numpy(dtype=float)[competing],
            "time_period": rows["time_period"].to_numpy(dtype=np.int64)[competing],
        }
    )
    # Two periods ending in the same year: the later one.
    values = values.sort_values(["area_code", "time_period"]).drop_duplicates(
        ["area_code", "year_end"], keep="last"
    )
    result = ind.peer_trajectories(
        values[["area_code", "year_end", "value"]],
        area_code=area_code,
        lag=lag,
        polarity=meta.polarity,
        band=ind.PeerBand.within_sd(PEER_BAND_SD),
    )
    period_labels = dict(store.catalogue.periods.get(indicator_id, ()))
    labels = {
        int(year): period_labels.get(int(tp), str(year))
        for year, tp in zip(values["year_end"], values["time_period"], strict=True)
    }
    return PeerView(
        meta=meta,
        la_name=store.area_name(area_code),
        lag=lag,
        result=result,
        names=store.area_names,
        base_label=labels.get(result.base_year or -1, str(result.base_year)),
        latest_label=labels.get(result.latest_year or -1, str(result.latest_year)),
    )
