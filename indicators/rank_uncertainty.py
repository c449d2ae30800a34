"""How sure is each rank: an interval for every LA's rank, by simulation from its counts.

Each draw replaces every LA's value by one drawn from the sampling uncertainty of its counts,
ranks the draw exactly as ``rank_areas`` ranks published values (competition ranks, 1 = best
by polarity, highest first for no polarity), and an LA's interval is the central range of its
ranks over the draws. The draws use the Jeffreys posterior of each LA's underlying rate:

* proportions: p ~ Beta(x + 1/2, n - x + 1/2), value = multiplier x p;
* rates: lambda ~ Gamma(x + 1/2) / population, value = multiplier x lambda.

Unlike a parametric bootstrap (binomial or Poisson draws around the observed rate), this never
collapses to no uncertainty when the count is 0 or equals its denominator, which is exactly
the tiny-LA case (Isles of Scilly, City of London) the intervals are for. An LA without usable
counts gets no interval and a reason; it keeps its published value in every draw so that the
ranks stay on the published scale (1 to the number ranked).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.schema import Polarity, ValueType
from indicators._common import (
    count_problems,
    float_values,
    ordinal,
    require_confidence,
    require_int,
    top_is_high,
)
from indicators._resampling import generator
from indicators.rankings import rank_areas

__all__ = ["RankIntervals", "rank_intervals"]

#: An interval wider than this share of the LAs ranked "spans most of the ranking".
WIDE_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class RankIntervals:
    """Each LA's rank with the range its counts allow.

    Attributes:
        ranks: ``rank_areas``'s frame plus ``rank_low``, ``rank_high`` (nullable integers;
            the ``confidence`` range of the simulated ranks), ``width`` (``rank_high -
            rank_low + 1`` places), ``spans_most`` (the interval covers more than half the
            LAs ranked), ``interval_reason`` (why there is no interval) and ``note`` (a
            sentence for wide intervals).
        n_ranked: LAs ranked. ``n_with_interval``: those with an interval.
        n_draws, seed, confidence: How the intervals were simulated.
        method: A caption, e.g. ``"Jeffreys Beta draws from each LA's counts"``.
    """

    ranks: pd.DataFrame
    n_ranked: int
    n_with_interval: int
    n_draws: int
    seed: int
    confidence: float
    method: str


def rank_intervals(
    values: pd.DataFrame,
    *,
    polarity: Polarity,
    value_type: ValueType,
    multiplier: float,
    n_draws: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> RankIntervals:
    """Simulate an interval for each LA's rank from its numerator and denominator.

    Args:
        values: One row per LA for one indicator and period (``eligible_values``):
            ``area_code``, ``value`` (published, indicator's unit), ``numerator`` and
            ``denominator``.
        polarity: As ``rank_areas``: rank 1 is the best (the highest for ``NONE``).
        value_type: ``PROPORTION`` (Beta draws) or ``RATE`` (Gamma draws); any other type
            has no sampling model, so no LA gets an interval (each with the reason).
        multiplier: The indicator's multiplier (100 for a %, 10,000 per 10,000).
        n_draws: Simulated rankings (at least 100).
        seed: Seed of the simulation (SFC64).
        confidence: The central share of simulated ranks, in [0.9, 1).

    Returns:
        A ``RankIntervals``.

    Raises:
        ValueError: As ``rank_areas``, or on a bad ``value_type``, ``multiplier``,
            ``n_draws``, ``seed`` or ``confidence``.

    Notes:
        Units: ranks are places (1 = best). Polarity: decides rank 1, as ``rank_areas``.
        Ties: the published rank is the competition rank of the published value; simulated
        values are continuous, so ties there are those between LAs without counts. The
        interval's ends are inverted-CDF percentiles of the simulated ranks (whole
        places). Missing values: an LA without a value is not ranked and has no interval;
        one with a value but no usable counts (numerator or denominator missing, a zero
        denominator, a numerator above its denominator for a proportion) keeps its
        published value in every draw and gets no interval, with a reason.

    Examples:
        >>> df = pd.DataFrame({"area_code": list("ABC"), "value": [10.0, 30.0, 0.0],
        ...     "numerator": [1000.0, 3000.0, 0.0], "denominator": [10_000.0, 10_000.0, 3.0]})
        >>> r = rank_intervals(df, polarity=Polarity.HIGH_IS_BETTER,
        ...                    value_type=ValueType.PROPORTION, multiplier=100, seed=1)
        >>> r.ranks[["area_code", "rank", "rank_low", "rank_high"]].to_numpy().tolist()
        [['B', 1, 1, 2], ['A', 2, 2, 3], ['C', 3, 1, 3]]
    """
    n_draws = require_int(n_draws, name="n_draws", minimum=100)
    seed = require_int(seed, name="seed", minimum=0)
    confidence = require_confidence(confidence)
    if not isinstance(value_type, ValueType):
        raise ValueError(f"value_type must be a data.schema.ValueType, not {value_type!r}")
    if not (isinstance(multiplier, int | float) and multiplier > 0):
        raise ValueError(f"multiplier must be a number > 0, not {multiplier!r}")
    ranked = rank_areas(values, polarity=polarity)
    value = float_values(ranked)
    is_ranked = ranked["rank"].notna().to_numpy(dtype=bool)
    reason = _interval_reasons(ranked, value_type, is_ranked)
    simulated = is_ranked & (reason == "")
    draws = _draws(ranked, simulated, value_type, float(multiplier), n_draws, seed)
    draws[:, is_ranked & ~simulated] = value[is_ranked & ~simulated]
    counts = _rank_counts(draws[:, is_ranked], high_first=top_is_high(polarity))
    tail = (1.0 - confidence) / 2.0
    low = np.full(len(ranked), -1)
    high = np.full(len(ranked), -1)
    low[is_ranked] = _rank_quantile(counts, tail)
    high[is_ranked] = _rank_quantile(counts, 1.0 - tail)
    n_ranked = int(is_ranked.sum())
    width = np.where(simulated, high - low + 1, -1)
    spans = simulated & (width > 1) & (width > WIDE_SHARE * n_ranked)
    note = np.full(len(ranked), None, dtype=object)
    for i in np.flatnonzero(spans):
        note[i] = (
            f"the counts allow any rank from {ordinal(int(low[i]))} to {ordinal(int(high[i]))} "
            f"of {n_ranked}: more than half the ranking"
        )
    reason_column = reason.copy()
    reason_column[reason == ""] = None
    frame = ranked.assign(
        rank_low=_nullable(low, simulated),
        rank_high=_nullable(high, simulated),
        width=_nullable(width, simulated),
        spans_most=spans,
        interval_reason=pd.Series(reason_column, dtype=object, index=ranked.index),
        note=pd.Series(note, dtype=object, index=ranked.index),
    )
    family = "Beta" if value_type is ValueType.PROPORTION else "Gamma"
    return RankIntervals(
        ranks=frame,
        n_ranked=n_ranked,
        n_with_interval=int(simulated.sum()),
        n_draws=n_draws,
        seed=seed,
        confidence=confidence,
        method=f"Jeffreys {family} draws from each LA's counts, {n_draws} simulated rankings",
    )


def _interval_reasons(
    ranked: pd.DataFrame, value_type: ValueType, is_ranked: np.ndarray
) -> np.ndarray:
    """Why each row gets no interval ("" when it gets one)."""
    n_rows = len(ranked)
    if value_type not in (ValueType.PROPORTION, ValueType.RATE):
        out = np.full(n_rows, f"no sampling model for a {value_type} indicator", dtype=object)
        out[~is_ranked] = "not ranked"
        return out
    reason = count_problems(
        _column(ranked, "numerator"),
        _column(ranked, "denominator"),
        proportion=value_type is ValueType.PROPORTION,
    )
    reason[~is_ranked] = "not ranked"
    return reason


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return float_values(frame, name)


def _draws(
    ranked: pd.DataFrame,
    simulated: np.ndarray,
    value_type: ValueType,
    multiplier: float,
    n_draws: int,
    seed: int,
) -> np.ndarray:
    """(n_draws, rows) simulated values; columns not simulated are left NaN."""
    out = np.full((n_draws, len(ranked)), np.nan)
    if not simulated.any():
        return out
    rng = generator(seed)
    x = _column(ranked, "numerator")[simulated]
    n = _column(ranked, "denominator")[simulated]
    if value_type is ValueType.PROPORTION:
        rate = rng.beta(x + 0.5, n - x + 0.5, size=(n_draws, len(x)))
    else:
        rate = rng.gamma(x + 0.5, size=(n_draws, len(x))) / n
    out[:, simulated] = multiplier * rate
    return out


def _rank_counts(draws: np.ndarray, *, high_first: bool) -> np.ndarray:
    """How often each column took each competition rank: (columns, columns + 1) counts.

    A draw's competition rank is 1 + the number strictly better: sort each draw once, give
    every run of equal values the rank of its first place, and count (column, rank) pairs.
    """
    n = draws.shape[1]
    key = -draws if high_first else draws
    order = np.argsort(key, axis=1, kind="stable")
    ordered = np.take_along_axis(key, order, axis=1)
    starts = np.ones(ordered.shape, dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    first = np.maximum.accumulate(np.where(starts, np.arange(n), 0), axis=1)
    cells = order * (n + 1) + first + 1
    return np.bincount(cells.ravel(), minlength=n * (n + 1)).reshape(n, n + 1)


def _rank_quantile(counts: np.ndarray, q: float) -> np.ndarray:
    """Inverted-CDF quantile of each row's ranks: the smallest rank r with F(r) >= q."""
    if not len(counts):
        return np.array([], dtype=int)
    cumulative = np.cumsum(counts, axis=1)
    total = cumulative[:, -1:]
    at_or_below = cumulative >= q * total - 1e-9 * total  # 1e-9: q x total's rounding
    return np.asarray(np.argmax(at_or_below, axis=1), dtype=int)


def _nullable(values: np.ndarray, present: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(np.where(present, values, 0).astype("int64"), ~present)
