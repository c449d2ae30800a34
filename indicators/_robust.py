"""Private: row-wise medians and spreads of a matrix with NaN gaps (one row per comparison).

Each row of a matrix is one LA's comparison set (its neighbours' values, NaN where a neighbour
has none). ``numpy.nanmedian`` would do, but it warns on an all-NaN row, and the test suite
turns warnings into errors; sorting once and picking the middle of the finite part is as fast
and silent.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: 1 / Phi^-1(3/4): makes the median absolute deviation estimate a normal standard deviation.
MAD_SCALE = 1.4826
#: sqrt(pi / 2): makes the mean absolute deviation estimate a normal standard deviation.
MEAN_AD_SCALE = 1.2533


def as_float_matrix(values: npt.ArrayLike, *, name: str) -> FloatArray:
    """A new 2-d float array, NaN wherever ``values`` is missing or infinite ([]: 0 x 0)."""
    matrix = np.array(values, dtype=float, copy=True)
    if matrix.ndim == 1 and matrix.size == 0:  # no rows at all, e.g. []
        matrix = matrix.reshape(0, 0)
    if matrix.ndim != 2:
        raise ValueError(f"{name} must be a 2-d array (rows x neighbours), got {matrix.ndim}-d")
    matrix[~np.isfinite(matrix)] = np.nan
    return matrix


def as_float_vector(values: npt.ArrayLike, *, name: str) -> FloatArray:
    """A new 1-d float array with NaN wherever ``values`` is missing or not finite."""
    vector = np.array(values, dtype=float, copy=True)
    if vector.ndim != 1:
        raise ValueError(f"{name} must be a 1-d array, got {vector.ndim}-d")
    vector[~np.isfinite(vector)] = np.nan
    return vector


def own_and_neighbours(
    own: npt.ArrayLike, neighbours: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """``own`` as a vector and ``neighbours`` as a matrix with one row per value of ``own``."""
    own_values = as_float_vector(own, name="own")
    matrix = as_float_matrix(neighbours, name="neighbours")
    if matrix.shape[0] != len(own_values):
        raise ValueError(
            f"neighbours has {matrix.shape[0]} rows but own has {len(own_values)} values"
        )
    return own_values, matrix


def row_counts(matrix: FloatArray) -> IntArray:
    """How many finite cells each row holds."""
    counts: IntArray = np.count_nonzero(np.isfinite(matrix), axis=1).astype(np.int64)
    return counts


def row_medians(matrix: FloatArray, counts: IntArray) -> FloatArray:
    """Median of the finite cells of each row (NaN for a row with none).

    ``counts`` is ``row_counts(matrix)``. With an even count the median is the mean of the
    two middle values, as ``numpy.median`` and pandas give.
    """
    n_rows = matrix.shape[0]
    if matrix.shape[1] == 0:
        return np.full(n_rows, np.nan)
    ordered = np.sort(matrix, axis=1)  # NaN sorts last
    rows = np.arange(n_rows)
    lo = np.maximum(counts - 1, 0) // 2
    hi = np.maximum(counts, 1) // 2
    hi = np.minimum(hi, matrix.shape[1] - 1)
    middle = (ordered[rows, lo] + ordered[rows, hi]) / 2.0
    return np.where(counts > 0, middle, np.nan)


def row_means(matrix: FloatArray, counts: IntArray) -> FloatArray:
    """Mean of the finite cells of each row (sum, then divide; NaN for a row with none)."""
    sums = np.where(np.isfinite(matrix), matrix, 0.0).sum(axis=1)
    return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
