"""Every LA's neighbour average in every (indicator, period) at once.

``neighbour_averages`` compares all LAs of a release with their neighbours in one period; this
module does the same for every group of a ``Cube`` in a few array operations, with the same
rules: the mean (LAIT) or median (CSC dashboard) of the neighbours with data, with how many had
data. A group is any mapping of centres to members, so a custom comparison group chosen on a
page is computed by the same code as a published release.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators._groups import release_index
from indicators.cube import Cube

__all__ = [
    "GroupMatrix",
    "NeighbourStats",
    "group_matrix",
    "neighbour_stats",
    "release_matrix",
    "summarise_members",
]

#: Groups handled per block (bounds the temporary (groups, centres, members) arrays).
_BLOCK = 512


@dataclass(frozen=True, slots=True)
class GroupMatrix:
    """Comparison groups as cube columns.

    Attributes:
        centres: ``(C,)`` the centre LA codes, sorted.
        centre_at: ``(C,)`` each centre's cube column (-1 when the cube has no such area).
        members: ``(C, K)`` each centre's members' cube columns in group order, -1 for a
            member the cube does not hold and for padding.
        n_expected: ``(C,)`` how many members each group names (its "of N").
    """

    centres: np.ndarray
    centre_at: np.ndarray
    members: np.ndarray
    n_expected: np.ndarray


def group_matrix(cube: Cube, groups: dict[str, list[str]]) -> GroupMatrix:
    """A ``GroupMatrix`` from ``{centre: [member codes in order]}`` (e.g. a custom group).

    Examples:
        >>> from indicators.cube import build_cube
        >>> areas = pd.DataFrame({"area_code": ["A", "B", "C"]})
        >>> values = pd.DataFrame({"indicator_id": ["i"] * 3, "area_code": ["A", "B", "C"],
        ...     "time_period": [2024] * 3, "time_identifier": ["Reporting year"] * 3,
        ...     "year_end": [2024] * 3, "value": [1.0, 2.0, 4.0]})
        >>> matrix = group_matrix(build_cube(values, areas), {"A": ["B", "C", "Z"]})
        >>> matrix.members.tolist(), matrix.n_expected.tolist()
        ([[1, 2, -1]], [3])
    """
    position = pd.Index(cube.area_codes)
    centres = np.array(sorted(groups), dtype=object)
    width = max((len(m) for m in groups.values()), default=0)
    members = np.full((len(centres), width), -1, dtype=np.int64)
    for i, centre in enumerate(centres):
        codes = np.array(groups[centre], dtype=object)
        members[i, : len(codes)] = position.get_indexer(codes)
    return GroupMatrix(
        centres=centres,
        centre_at=position.get_indexer(centres),
        members=members,
        n_expected=np.array([len(groups[c]) for c in centres], dtype=np.int64),
    )


def release_matrix(cube: Cube, neighbours: pd.DataFrame, sn_release: str) -> GroupMatrix:
    """The ``GroupMatrix`` of a published neighbour release (members in table order).

    Raises:
        ValueError: On an unknown release.
    """
    index = release_index(neighbours, str(sn_release))
    codes = neighbours["neighbour_code"].to_numpy(dtype=object)
    groups: dict[str, list[str]] = {}
    for centre in index.ids:
        rows = np.sort(index.by_area[centre])  # table order, as ``neighbour_averages`` sums
        groups[str(centre)] = [str(c) for c in codes[rows]]
    return group_matrix(cube, groups)


@dataclass(frozen=True, slots=True)
class NeighbourStats:
    """Each (group, centre)'s neighbours summarised (arrays of shape ``(groups, C)``).

    ``n_with_data`` counts members with a finite value; ``mean`` and ``median`` are over those
    (NaN when none has data), in the indicator's unit.
    """

    n_with_data: np.ndarray
    mean: np.ndarray
    median: np.ndarray


def summarise_members(member: np.ndarray) -> NeighbourStats:
    """Count, mean and median of the finite values along the last axis (the members).

    Args:
        member: Members' values, any leading shape, members last (NaN for none), in the
            indicator's unit.

    Returns:
        A ``NeighbourStats`` with arrays of the leading shape.

    Notes:
        Units: the indicator's unit. Missing values: left out; NaN mean and median when no
        member has one. The mean adds the members in order (as ``neighbour_averages``); the
        median is the middle value, or the mean of the two middle values.

    Examples:
        >>> s = summarise_members(np.array([[1.0, np.nan, 4.0, 2.0]]))
        >>> s.n_with_data.tolist(), s.mean.tolist(), s.median.tolist()
        ([3], [2.3333333333333335], [2.0])
    """
    has = np.isfinite(member)
    count = has.sum(axis=-1)
    total = np.zeros(count.shape)
    for k in range(member.shape[-1]):  # in group order, as neighbour_averages adds them
        total += np.where(has[..., k], member[..., k], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    if member.shape[-1] == 0:
        return NeighbourStats(count, mean, np.full(count.shape, np.nan))
    ordered = np.sort(np.where(has, member, np.inf), axis=-1)
    lo = np.take_along_axis(ordered, (np.maximum(count - 1, 0) // 2)[..., None], axis=-1)
    hi = np.take_along_axis(
        ordered, np.minimum(count // 2, member.shape[-1] - 1)[..., None], axis=-1
    )
    median = np.where(count > 0, (lo[..., 0] + hi[..., 0]) / 2, np.nan)
    return NeighbourStats(count, mean, median)


def neighbour_stats(cube: Cube, matrix: GroupMatrix) -> NeighbourStats:
    """The mean and median of each centre's members with data, in every group of the cube.

    Args:
        cube: The ``Cube``.
        matrix: The comparison groups (``release_matrix`` or ``group_matrix``).

    Returns:
        A ``NeighbourStats``.

    Notes:
        Units: the indicator's unit. Polarity: not used. Ties: not applicable. Missing
        values: members without a row, without a value, or unknown to the cube are left out
        (``n_with_data`` says how many remain). The mean adds the members in group order, as
        ``neighbour_averages`` does, so both give the same floating-point result.

    Examples:
        >>> from indicators.cube import build_cube
        >>> areas = pd.DataFrame({"area_code": ["A", "B", "C"]})
        >>> values = pd.DataFrame({"indicator_id": ["i"] * 3, "area_code": ["A", "B", "C"],
        ...     "time_period": [2024] * 3, "time_identifier": ["Reporting year"] * 3,
        ...     "year_end": [2024] * 3, "value": [1.0, 2.0, 4.0]})
        >>> cube = build_cube(values, areas)
        >>> stats = neighbour_stats(cube, group_matrix(cube, {"A": ["B", "C"]}))
        >>> stats.mean.tolist(), stats.median.tolist(), stats.n_with_data.tolist()
        ([[3.0]], [[3.0]], [[2]])
    """
    n_groups, n_centres = len(cube.groups), len(matrix.centres)
    n_with = np.zeros((n_groups, n_centres), dtype=np.int64)
    mean = np.full((n_groups, n_centres), np.nan)
    median = np.full((n_groups, n_centres), np.nan)
    # A NaN column for members the cube does not hold (and padding).
    width = cube.value.shape[1]
    at = np.where(matrix.members >= 0, matrix.members, width)
    for start in range(0, n_groups, _BLOCK):
        block = np.concatenate(
            [
                cube.value[start : start + _BLOCK],
                np.full((min(_BLOCK, n_groups - start), 1), np.nan),
            ],
            axis=1,
        )
        stop = start + len(block)
        part = summarise_members(block[:, at])  # members: (block, C, K)
        n_with[start:stop] = part.n_with_data
        mean[start:stop] = part.mean
        median[start:stop] = part.median
    return NeighbourStats(n_with_data=n_with, mean=mean, median=median)
