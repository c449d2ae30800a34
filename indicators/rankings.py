"""Ranks and best/worst-N lists of local authorities on one indicator in one period.

LAIT's ``calculate_rank()`` is the default: competition ranking (``ties.method = "min"``), rank
1 always the best, missing values never ranked. Two explicit departures, both documented in
``docs/methods.md``: an indicator with no polarity is ranked highest-first (labelled
"highest"/"lowest", never "best"/"worst"; LAIT shows "-"; ``rank_unjudged=False`` restores
that), and LAs tied at a best/worst cut-off are all shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data.schema import Polarity
from indicators._common import (
    competition_rank,
    counts_text,
    direction_labels,
    ordinal,
    require_columns,
    require_int,
    require_la_rows,
    require_polarity,
    require_single_period,
    require_unique,
    status_counts,
    statuses,
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
    require_polarity(polarity)
    require_columns(values, ["area_code", "value"], what="rank_areas")
    require_single_period(values, what="rank_areas")
    require_unique(values, ["area_code"], what="rank_areas")
    require_la_rows(values, what="rank_areas")
    value = pd.to_numeric(values["value"], errors="raise").astype(float)
    judged = rank_unjudged or polarity is not Polarity.NONE
    if judged:
        rank = competition_rank(value, ascending=not top_is_high(polarity))
    else:
        rank = pd.Series(pd.NA, index=values.index, dtype="Int64")
    ranked = rank.notna()
    tied = ranked & rank.duplicated(keep=False)
    label = rank.astype(str).where(ranked, None).astype(object)
    label = label.where(~tied, "=" + label.astype(str))
    status = statuses(values).where(~ranked, None)
    if not judged:
        status = status.where(value.isna(), "no polarity")
    top, _ = direction_labels(polarity)
    out = values.assign(
        rank=rank,
        rank_label=label.where(ranked, None),
        tied=tied.astype(bool),
        n_ranked=int(ranked.sum()),
        status=status,
        rank_meaning=f"1 = {top}" if judged else "not ranked: no polarity",
    )
    return (
        out.assign(_unranked=~ranked)
        .sort_values(["_unranked", "rank", "area_code"], kind="mergesort")
        .drop(columns="_unranked")
        .reset_index(drop=True)
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
    ranked = rank_areas(values, polarity=polarity)
    has_rank = ranked["rank"].notna()
    scored = ranked[has_rank]
    value = scored["value"].astype(float)
    high_first = top_is_high(polarity)
    if len(scored):
        # A row is in "best" when fewer than n rows are strictly better than it.
        better = competition_rank(value, ascending=not high_first) - 1
        worse = competition_rank(value, ascending=high_first) - 1
        best = scored[(better < n).to_numpy()]
        worst_rows = scored.assign(_worse=worse)[(worse < n).to_numpy()]
        worst = (
            worst_rows.sort_values(["_worse", "area_code"], kind="mergesort")
            .drop(columns="_worse")
            .reset_index(drop=True)
        )
    else:
        best = worst = scored
    not_ranked = ranked[~has_rank].reset_index(drop=True)
    counts = status_counts(not_ranked["status"])
    text = f"{len(not_ranked)} not ranked: {counts_text(counts)}" if counts else "all ranked"
    top, bottom = direction_labels(polarity)
    overlap = tuple(sorted(set(best["area_code"]) & set(worst["area_code"])))
    return BestWorst(
        best=best.reset_index(drop=True),
        worst=worst.reset_index(drop=True),
        not_ranked=not_ranked,
        n=n,
        n_ranked=len(scored),
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
