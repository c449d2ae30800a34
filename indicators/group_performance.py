"""Inside one neighbour group: who performs well, who badly, and how far the LA is behind.

This is the 2014 challenge deck's chart "a high and a low performer inside one
statistical-neighbour group" ("this variation is wide even across areas with similar
populations"): the LA and its neighbours, each with its value and its rank within the group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from data.schema import Polarity
from indicators._common import (
    competition_rank,
    direction_labels,
    opt_float,
    require_polarity,
    top_is_high,
)
from indicators._groups import attach_values, check_values
from indicators.neighbours import neighbour_group

__all__ = ["GroupPerformance", "group_performance"]


@dataclass(frozen=True, slots=True)
class GroupPerformance:
    """One LA's comparison group with values and ranks inside the group.

    Attributes:
        area_code: The LA at the centre.
        sn_release: Neighbour release used, or ``"custom"``.
        members: The LA (``role`` "LA", ``neighbour_rank`` 0) then its neighbours:
            ``area_code``, ``role``, ``neighbour_rank``, ``closeness``, ``value``, ``status``
            (None when a value exists, else the symbol or ``"no row"``), ``group_rank``
            (competition rank among members with data; nullable integer) and
            ``group_rank_label`` (``"=2"`` for a joint rank).
        top: Codes of the group's best (highest for no polarity) member(s); ties give more.
        bottom: Codes of the group's worst (lowest) member(s).
        top_label: ``"best"`` or ``"highest"``.
        bottom_label: ``"worst"`` or ``"lowest"``.
        n_with_data: Members (LA included) with a value.
        n_members: Members (LA included).
        neighbour_mean: Mean of the neighbours with data (the LA excluded; LAIT's SN mean).
        gap_to_mean: LA value minus ``neighbour_mean`` (indicator's unit, signed).
        best_neighbours: Codes of the best neighbour(s) (empty for no polarity).
        gap_to_best: LA value minus the best neighbour's value (None for no polarity).
    """

    area_code: str
    sn_release: str
    members: pd.DataFrame
    top: tuple[str, ...]
    bottom: tuple[str, ...]
    top_label: str
    bottom_label: str
    n_with_data: int
    n_members: int
    neighbour_mean: float | None
    gap_to_mean: float | None
    best_neighbours: tuple[str, ...]
    gap_to_best: float | None


def group_performance(
    values: pd.DataFrame,
    neighbours: pd.DataFrame,
    *,
    area_code: str,
    polarity: Polarity,
    sn_release: str | None = None,
    custom_codes: Sequence[str] | None = None,
) -> GroupPerformance:
    """Rank an LA and its neighbours within their group and find the high and low performers.

    Args:
        values: Store ``values`` rows of one indicator and one period (``area_code``,
            ``value`` in the indicator's unit, ``value_status``).
        neighbours: The store's ``statistical_neighbours`` table.
        area_code: The LA at the centre of the group.
        polarity: Which direction is better; ``Polarity.NONE`` labels the ends
            "highest"/"lowest" and gives no best neighbour or gap to it.
        sn_release: Neighbour release (any published one, e.g. ``"2021"``, ``"2025"``).
        custom_codes: Or a custom group of 1..20 LA codes.

    Returns:
        A ``GroupPerformance``.

    Raises:
        ValueError: As ``neighbour_group``; on a bad ``polarity``, mixed periods or
            repeated areas.

    Notes:
        Units: values and gaps in the indicator's unit; a positive ``gap_to_mean`` means the
        LA is higher than its neighbours' mean (better only for high polarity). Polarity:
        decides rank 1 and best/worst. Ties: competition ranks; tied top or bottom members
        are all listed. Missing values: members without a value (including abolished LAs
        such as Cumbria in the 2021 release) stay listed with their status and no rank.

    Examples:
        >>> sn = pd.DataFrame({"sn_release": "2021", "area_code": "A",
        ...     "neighbour_rank": [1, 2, 3], "neighbour_code": ["B", "C", "E10000006"],
        ...     "closeness": ["Very close", "Close", "Close"]})
        >>> v = pd.DataFrame({"area_code": ["A", "B", "C"], "value": [10.0, 20.0, 12.0]})
        >>> g = group_performance(v, sn, area_code="A", polarity=Polarity.LOW_IS_BETTER,
        ...                       sn_release="2021")
        >>> g.top, g.bottom, g.gap_to_mean, g.members["status"].tolist()
        (('A',), ('B',), -6.0, [None, None, None, 'no row'])
    """
    require_polarity(polarity)
    check_values(values, "group_performance")
    group = neighbour_group(
        neighbours, area_code=area_code, sn_release=sn_release, custom_codes=custom_codes
    )
    release = str(group["sn_release"].iloc[0])
    self_row = pd.DataFrame(
        {
            "sn_release": [release],
            "area_code": [area_code],
            "neighbour_rank": [0],
            "neighbour_code": [area_code],
            "closeness": pd.Series([None], dtype=object),
        }
    )
    both = pd.concat([self_row, group.astype({"closeness": object})], ignore_index=True)
    members = attach_values(both, values)
    members = members.assign(role=["LA"] + ["neighbour"] * len(group))
    value = members["value"]
    rank = competition_rank(value, ascending=not top_is_high(polarity))
    tied = rank.notna() & rank.duplicated(keep=False)
    label = rank.astype(str).where(rank.notna(), None).astype(object)
    label = label.where(~tied, "=" + label.astype(str))
    members = pd.DataFrame(
        {
            "area_code": members["neighbour_code"].astype(str),
            "role": members["role"],
            "neighbour_rank": members["neighbour_rank"].astype(int),
            "closeness": members["closeness"].astype(object),
            "value": value,
            "status": members["status"],
            "group_rank": rank,
            "group_rank_label": label.where(rank.notna(), None),
        }
    )
    has = value.notna()
    top = _codes(members[rank == rank.min()]) if has.any() else ()
    bottom = _codes(members[rank == rank.max()]) if has.any() else ()
    la_value = opt_float(value.iloc[0])
    neigh = members.iloc[1:]
    neigh_has = neigh[neigh["value"].notna()]
    neighbour_mean = opt_float(neigh_has["value"].mean()) if len(neigh_has) else None
    best_neighbours: tuple[str, ...] = ()
    gap_to_best = None
    if polarity is not Polarity.NONE and len(neigh_has):
        best_value = (
            neigh_has["value"].max()
            if polarity is Polarity.HIGH_IS_BETTER
            else neigh_has["value"].min()
        )
        best_neighbours = _codes(neigh_has[neigh_has["value"] == best_value])
        gap_to_best = None if la_value is None else la_value - float(best_value)
    top_label, bottom_label = direction_labels(polarity)
    return GroupPerformance(
        area_code=area_code,
        sn_release=release,
        members=members,
        top=top,
        bottom=bottom,
        top_label=top_label,
        bottom_label=bottom_label,
        n_with_data=int(has.sum()),
        n_members=len(members),
        neighbour_mean=neighbour_mean,
        gap_to_mean=(
            None if la_value is None or neighbour_mean is None else la_value - neighbour_mean
        ),
        best_neighbours=best_neighbours,
        gap_to_best=gap_to_best,
    )


def _codes(rows: pd.DataFrame) -> tuple[str, ...]:
    return tuple(sorted(rows["area_code"].astype(str)))
