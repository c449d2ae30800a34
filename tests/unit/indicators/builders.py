"""Builders shared by the indicator unit tests (imported as ``tests.unit.indicators.builders``)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd


def make_values(
    values: Mapping[str, float | None],
    statuses: Mapping[str, str] | None = None,
    *,
    time_period: int = 2024,
    level: str = "Local authority",
) -> pd.DataFrame:
    """One indicator, one period: ``{code: value}`` -> store-like values rows."""
    statuses = statuses or {}
    codes = list(values)
    return pd.DataFrame(
        {
            "indicator_id": "ind",
            "area_code": codes,
            "geographic_level": level,
            "time_period": time_period,
            "time_identifier": "Reporting year",
            "year_end": time_period,
            "value": [np.nan if values[c] is None else float(values[c]) for c in codes],
            "value_status": [statuses.get(c) for c in codes],
            "numerator": np.nan,
            "denominator": np.nan,
            "period_label": str(time_period),
            "source_id": "test",
        }
    )


def make_neighbours(groups: Mapping[str, list[str]], release: str = "2025") -> pd.DataFrame:
    """``{la: [neighbour codes in rank order]}`` -> statistical_neighbours rows."""
    rows = [
        {
            "sn_release": release,
            "area_code": la,
            "neighbour_rank": rank,
            "neighbour_code": code,
            "closeness": "Close",
        }
        for la, codes in groups.items()
        for rank, code in enumerate(codes, start=1)
    ]
    return pd.DataFrame(rows)


def random_groups(
    codes: list[str],
    rng: np.random.Generator,
    clusters: np.ndarray | None = None,
    size: int = 10,
) -> pd.DataFrame:
    """Each LA's ``size`` neighbours drawn at random (from its own cluster when given)."""
    groups = {}
    for i, code in enumerate(codes):
        pool = [
            other
            for j, other in enumerate(codes)
            if other != code and (clusters is None or clusters[j] == clusters[i])
        ]
        groups[code] = list(rng.choice(pool, size, replace=False))
    return make_neighbours(groups)


def assert_inputs_unchanged(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run ``call`` and fail if it changed any DataFrame/Series/array argument."""
    before = copy.deepcopy((args, kwargs))
    result = call(*args, **kwargs)
    for old, new in zip([*before[0], *before[1].values()], [*args, *kwargs.values()], strict=True):
        if isinstance(new, pd.DataFrame):
            pd.testing.assert_frame_equal(new, old)
        elif isinstance(new, pd.Series):
            pd.testing.assert_series_equal(new, old)
        elif isinstance(new, np.ndarray):
            np.testing.assert_array_equal(new, old)
    return result
