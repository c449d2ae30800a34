"""Ranks and best/worst-N lists of local authorities on one indicator in one period.

LAIT's ``calculate_rank()`` is the default: competition ranking (``ties.method = "min"``), rank
1 always the best, missing values never ranked. Two explicit departures, both documented in
``docs/methods.md``: an indicator with no polarity is ranked highest-first (labelled
"highest"/"lowest", never "best"/"worst"; LAIT shows "-"; ``rank_unjudged=False`` restores
that), and LAs tied at a best/worst cut-off are all shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from data.schema import Polarity
from indicators._common import (
    better_worse_counts,
    counts_text,
    direction_labels,
    float_values,
    frame_with,
    ordinal,
    require_columns,
    require_int,
    require_la_rows,
    require_polarity,
    require_single_period,
    require_unique,
    status_array,
    status_counts,
    top_is_high,
)

__all__ = ["BestWorst", "best_worst", "describe_rank", "rank_areas"]

_RANK_COLUMNS = ["rank", "rank_label", "tied", "n_ranked", "status", "rank_meaning"]


def rank_areas(
    values: pd.DataFrame, *, polarity: Polarity, rank_unjudged: bool = True
) -> pd.DataFrame:
    """Rank LAs on one indicator in one period, 1 = best (or highest when unjudged).

    Args:
        values: One row per LA (select them with ``eligible_values``) with ``area_code``
            and ``value`` (the published value, in the indicator's unit; NaN when not
            published) and optionally ``value_status``.
        polarity: ``HIGH_IS_BETTER`` ranks the largest value 1; ``LOW_IS_BETTER`` the
            smallest; ``NONE`` the largest, with ``rank_meaning`` "1 = highest".
        rank_unjudged: If False, an indicator with ``Polarity.NONE`` gets no ranks at all
            (LAIT's "-"); every LA is then reported as not ranked with status "no polarity".

    Returns:
        A new frame: the input columns plus ``rank`` (nullable integer), ``rank_label``
        (``"=12"`` for a joint rank, ``"12"`` otherwise, None when not ranked), ``tied``,
        ``n_ranked`` (LAs with a value), ``status`` (None when ranked, else the
        ``value_status`` symbol or ``"missing"``) and ``rank_meaning``. Sorted by rank, then
        ``area_code``; not-ranked rows last.

    Raises:
        ValueError: If ``polarity`` is not a ``Polarity``, areas repeat, periods or
            indicators are mixed, or non-LA (England, region, joint) rows are present.

    Notes:
        Units: ``value`` is unchanged; ranks are dimensionless. Polarity: see above. Ties:
        competition ranking (1, 1, 3) on the published value, so rounded ties stay ties,
        as in LAIT. Missing values: NaN is never ranked and takes no place; "of N" counts
        ranked LAs only.

    Examples:
        >>> df = pd.DataFrame({"area_code": list("ABCDE"),
        ...                    "value": [10.0, 20.0, 20.0, 30.0, 40.0]})
        >>> r = rank_areas(df, polarity=Polarity.HIGH_IS_BETTER)
        >>> r.sort_values("area_code")["rank_label"].tolist()
        ['5', '=3', '=3', '2', '1']
    """
    parts = _rank_parts(values, polarity=polarity, rank_unjudged=rank_unjudged)
    return parts.frame(values, np.arange(len(parts.order)))


@dataclass(frozen=True, slots=True)
class _RankParts:
    """Ranking arrays in output order (ranked rows by rank and code, then the rest)."""

    order: np.ndarray
    columns: dict[str, Any]
    ranked: np.ndarray
    better: np.ndarray
    worse: np.ndarray
    codes: np.ndarray
    area_codes: np.ndarray

    def frame(self, values: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
        """The output frame restricted to ``rows`` (positions in output order)."""
        picked = {name: column[rows] for name, column in self.columns.items()}
        return frame_with(values, self.order[rows], picked)


def _rank_parts(
    values: pd.DataFrame, *, polarity: Polarity, rank_unjudged: bool = True
) -> _RankParts:
    require_polarity(polarity)
    require_columns(values, ["area_code", "value"], what="rank_areas")
    require_single_period(values, what="rank_areas")
    area_codes = values["area_code"].to_numpy(dtype=object)
    require_unique(values, ["area_code"], what="rank_areas", objects=area_codes)
    require_la_rows(values, what="rank_areas", codes=area_codes)
    value = float_values(values)
    judged = rank_unjudged or polarity is not Polarity.NONE
    has_value = np.isfinite(value)
    better, worse = better_worse_counts(value, high_first=top_is_high(polarity))
    ranked = has_value if judged else np.zeros(len(value), dtype=bool)
    rank = better + 1
    tied = ranked & (better + worse + 1 < int(has_value.sum()))
    labels = np.full(len(value), None, dtype=object)
    at = np.flatnonzero(ranked)
    labels[at] = [
        f"={r}" if t else str(r) for r, t in zip(rank[at].tolist(), tied[at].tolist(), strict=True)
    ]
    status = status_array(values, ranked)
    if not judged:
        status[has_value] = "no polarity"
    top, _ = direction_labels(polarity)
    codes = area_codes.astype(str)
    order = np.lexsort((codes, np.where(ranked, rank, 0), ~ranked))
    meaning = f"1 = {top}" if judged else "not ranked: no polarity"
    n_ranked = int(ranked.sum())
    columns = {
        "rank": pd.arrays.IntegerArray(
            np.where(ranked, rank, 0).astype("int64")[order], ~ranked[order]
        ),
        "rank_label": labels[order],
        "tied": tied[order],
        "n_ranked": np.full(len(order), n_ranked),
        "status": status[order],
        "rank_meaning": np.full(len(order), meaning, dtype=object),
    }
    return _RankParts(
        order,
        columns,
        ranked[order],
        better[order],
        worse[order],
        codes[order],
        area_codes[order],
    )


@dataclass(frozen=True, slots=True)
class BestWorst:
    """The N best- and worst-placed LAs (or highest/lowest for an unjudged indicator).

    Attributes:
        best: Rows ranked at the top, best first (``rank_areas`` columns). May hold more
            than ``n`` rows when LAs tie at the cut-off.
        worst: Rows ranked at the bottom, worst first (ranks are still counted from the
            top, e.g. 150 of 150).
        not_ranked: Rows with no value, with their ``status``.
        n: The N asked for.
        n_ranked: LAs with a value.
        not_ranked_counts: Status symbol -> count, e.g. ``{"z": 2, "c": 1}``.
        not_ranked_text: e.g. ``"3 not ranked: 2 z, 1 c"`` or ``"all ranked"``.
        top_label: ``"best"``, or ``"highest"`` for ``Polarity.NONE``.
        bottom_label: ``"worst"``, or ``"lowest"``.
        overlap: Area codes in both lists (only when ties span both cut-offs or
            ``2 * n > n_ranked``).
    """

    best: pd.DataFrame
    worst: pd.DataFrame
    not_ranked: pd.DataFrame
    n: int
    n_ranked: int
    not_ranked_counts: dict[str, int]
    not_ranked_text: str
    top_label: str
    bottom_label: str
    overlap: tuple[str, ...]


def best_worst(values: pd.DataFrame, *, polarity: Polarity, n: int = 10) -> BestWorst:
    """Return the N best and N worst LAs on one indicator in one period.

    Args:
        values: One row per eligible LA (see ``eligible_values``) with ``area_code``,
            ``value`` (indicator's unit, NaN when not published) and ``value_status``.
        polarity: Which direction is better; with ``Polarity.NONE`` the sides are
            "highest" and "lowest" (``top_label``/``bottom_label``), never best/worst.
        n: How many LAs on each side; must be >= 1.

    Returns:
        A ``BestWorst``.

    Raises:
        ValueError: If ``n < 1`` or ``rank_areas`` would raise.

    Notes:
        Units: ``value`` unchanged. Polarity: decides which end is "best". Ties:
        competition ranks; every LA tied with the N-th is included, so a side may hold more
        than N rows; an LA is in ``best`` exactly when fewer than N LAs are strictly better
        (and in ``worst`` when fewer than N are strictly worse), so the sides overlap only
        if ``2 * n > n_ranked`` or a tie group spans both cut-offs (``overlap`` lists them).
        Missing values: never ranked; in ``not_ranked`` with their status.

    Examples:
        >>> df = pd.DataFrame({"area_code": list("ABCD"), "value": [3.0, 1.0, 1.0, None],
        ...                    "value_status": [None, None, None, "c"]})
        >>> bw = best_worst(df, polarity=Polarity.LOW_IS_BETTER, n=1)
        >>> bw.best["area_code"].tolist(), bw.worst["area_code"].tolist(), bw.not_ranked_text
        (['B', 'C'], ['A'], '1 not ranked: 1 c')
    """
    n = require_int(n, name="n", minimum=1)
    parts = _rank_parts(values, polarity=polarity)
    has_rank = parts.ranked
    n_ranked = int(has_rank.sum())
    # A row is on the best side when fewer than n rows are strictly better than it, and on
    # the worst side when fewer than n are strictly worse. Rows are in rank order, so the
    # best side is a leading slice and the not-ranked rows a trailing one.
    n_best = int((has_rank & (parts.better < n)).sum())
    in_worst = np.flatnonzero(has_rank & (parts.worse < n))
    in_worst = in_worst[np.lexsort((parts.codes[in_worst], parts.worse[in_worst]))]
    # One frame holds every row in rank order followed by the worst side's rows: the three
    # results are slices of it (building a frame costs far more than its rows do).
    n_rows = len(parts.order)
    both = parts.frame(values, np.concatenate([np.arange(n_rows), in_worst]))
    best = both.iloc[:n_best]
    worst = both.iloc[n_rows:].reset_index(drop=True)
    not_ranked = both.iloc[n_ranked:n_rows].reset_index(drop=True)
    status = parts.columns["status"][n_ranked:]
    counts = status_counts(status)
    text = f"{len(not_ranked)} not ranked: {counts_text(counts)}" if counts else "all ranked"
    top, bottom = direction_labels(polarity)
    overlap = tuple(sorted(set(parts.area_codes[:n_best]) & set(parts.area_codes[in_worst])))
    return BestWorst(
        best=best,
        worst=worst,
        not_ranked=not_ranked,
        n=n,
        n_ranked=n_ranked,
        not_ranked_counts=counts,
        not_ranked_text=text,
        top_label=top,
        bottom_label=bottom,
        overlap=overlap,
    )


def describe_rank(ranked: pd.DataFrame, area_code: str) -> str:
    """Describe one LA's place, e.g. ``"=12th of 150 ranked, 1 = best (3 not ranked: 2 z, 1 c)"``.

    Args:
        ranked: The output of ``rank_areas``.
        area_code: The LA to describe.

    Returns:
        A sentence fragment for a UI: the joint-rank mark ``=``, the ordinal, the number of
        ranked LAs, what rank 1 means, and the not-ranked breakdown by status.

    Raises:
        ValueError: If ``ranked`` lacks ``rank_areas`` columns or ``area_code`` is absent.

    Notes:
        Units: none. Polarity: carried by ``rank_meaning`` ("1 = best" or "1 = highest").
        Ties: a joint rank reads "=12th". Missing values: an LA with no value reads
        "not ranked (z)"; "of N" counts ranked LAs only.

    Examples:
        >>> df = pd.DataFrame({"area_code": list("ABC"), "value": [1.0, 1.0, None],
        ...                    "value_status": [None, None, "z"]})
        >>> describe_rank(rank_areas(df, polarity=Polarity.HIGH_IS_BETTER), "B")
        '=1st of 2 ranked, 1 = best (1 not ranked: 1 z)'
    """
    require_columns(ranked, ["area_code", *_RANK_COLUMNS], what="describe_rank")
    row = ranked[ranked["area_code"] == area_code]
    if row.empty:
        raise ValueError(f"describe_rank: {area_code!r} is not in the ranked frame")
    record = row.iloc[0]
    n_ranked = int(ranked["n_ranked"].iloc[0])
    counts = status_counts(ranked.loc[ranked["rank"].isna(), "status"])
    tail = f" ({sum(counts.values())} not ranked: {counts_text(counts)})" if counts else ""
    if pd.isna(record["rank"]):
        return f"not ranked ({record['status']}); {n_ranked} LAs ranked{tail}"
    mark = "=" if bool(record["tied"]) else ""
    place = ordinal(int(record["rank"]))
    return f"{mark}{place} of {n_ranked} ranked, {record['rank_meaning']}{tail}"
