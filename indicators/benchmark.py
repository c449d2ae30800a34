"""Better / similar / worse than a benchmark, with FingertipsNext semantics.

FingertipsNext (``BenchmarkComparisonEngine``): an area is "higher" if the LOWER bound of its
confidence interval is above the benchmark value, "lower" if the UPPER bound is below it, and
"similar" otherwise; if either bound or the benchmark is null there is no comparison ("not
compared", never "similar"). Polarity turns higher/lower into better/worse ("Low is good"
reverses it); an indicator with no polarity keeps higher/lower.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from data.schema import Polarity
from indicators._common import require_columns, require_polarity

__all__ = [
    "COMPARISONS",
    "NOT_COMPARED",
    "benchmark_label",
    "compare_intervals",
    "compare_to_benchmark",
]

NOT_COMPARED = "not compared"


def benchmark_label(
    lower: float | None, upper: float | None, benchmark: float | None, *, polarity: Polarity
) -> str:
    """Compare one confidence interval with a benchmark value.

    Args:
        lower: Lower bound of the area's interval (indicator's unit), or None.
        upper: Upper bound, or None.
        benchmark: The benchmark value (e.g. England, or the neighbour mean), or None.
        polarity: ``HIGH_IS_BETTER``: higher is "better"; ``LOW_IS_BETTER``: higher is
            "worse"; ``NONE``: "higher"/"lower".

    Returns:
        ``"better"``, ``"similar"``, ``"worse"`` (judged polarity), ``"higher"``,
        ``"similar"``, ``"lower"`` (no polarity), or ``"not compared"``.

    Raises:
        ValueError: If ``polarity`` is not a ``Polarity``.

    Notes:
        Units: bounds and benchmark in the same unit. Polarity: as above. Ties: a bound
        equal to the benchmark is "similar" (strict inequalities). Missing values: any None
        or NaN gives "not compared".

    Examples:
        >>> benchmark_label(70.0, 90.0, 67.0, polarity=Polarity.LOW_IS_BETTER)
        'worse'
    """
    require_polarity(polarity)
    items = (lower, upper, benchmark)
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in items):
        return NOT_COMPARED
    if float(lower) > float(benchmark):  # type: ignore[arg-type]
        return _word(1, polarity)
    if float(upper) < float(benchmark):  # type: ignore[arg-type]
        return _word(-1, polarity)
    return "similar"


def compare_to_benchmark(
    intervals: pd.DataFrame,
    *,
    polarity: Polarity,
    benchmark: float | None = None,
    benchmark_column: str | None = None,
) -> pd.DataFrame:
    """Label every row's interval against a benchmark (one value, or one per row).

    Args:
        intervals: A frame with ``lower`` and ``upper`` (e.g. from
            ``confidence_intervals``), in the indicator's unit.
        polarity: As ``benchmark_label``.
        benchmark: One benchmark for all rows (e.g. England's value); None means "not
            compared" for every row.
        benchmark_column: Or the name of a column holding each row's own benchmark (e.g. the
            LA's neighbour mean merged from ``neighbour_averages``).

    Returns:
        A new frame: the input plus ``benchmark`` and ``comparison``.

    Raises:
        ValueError: If both ``benchmark`` and ``benchmark_column`` are given, the column is
            missing, or ``polarity`` is bad.

    Notes:
        Units: as the input. Polarity: as ``benchmark_label``. Ties: strict inequalities
        (touching is "similar"). Missing values: a NaN bound or benchmark gives "not
        compared".

    Examples:
        >>> df = pd.DataFrame({"lower": [70.0, 50.0, None], "upper": [90.0, 60.0, None]})
        >>> compare_to_benchmark(df, polarity=Polarity.HIGH_IS_BETTER,
        ...                      benchmark=67.0)["comparison"].tolist()
        ['better', 'worse', 'not compared']
    """
    require_polarity(polarity)
    require_columns(intervals, ["lower", "upper"], what="compare_to_benchmark")
    if benchmark is not None and benchmark_column is not None:
        raise ValueError("give benchmark= or benchmark_column=, not both")
    if benchmark_column is not None:
        require_columns(intervals, [benchmark_column], what="compare_to_benchmark")
        bench = pd.to_numeric(intervals[benchmark_column]).to_numpy(dtype=float)
    else:
        value = np.nan if benchmark is None else float(benchmark)
        bench = np.full(len(intervals), value)
    lower = pd.to_numeric(intervals["lower"]).to_numpy(dtype=float)
    upper = pd.to_numeric(intervals["upper"]).to_numpy(dtype=float)
    known = np.isfinite(lower) & np.isfinite(upper) & np.isfinite(bench)
    label = np.select(
        [~known, lower > bench, upper < bench],
        [NOT_COMPARED, _word(1, polarity), _word(-1, polarity)],
        default="similar",
    )
    return intervals.assign(benchmark=bench, comparison=label.astype(object))


#: Every label ``compare_intervals`` gives, in a fixed order (its categories).
COMPARISONS = ("better", "similar", "worse", "higher", "lower", NOT_COMPARED)


def compare_intervals(
    lower: np.ndarray, upper: np.ndarray, benchmark: np.ndarray, polarity: Any
) -> pd.Categorical[str]:
    """``compare_to_benchmark``'s label for each row, with a polarity per row.

    Args:
        lower: Each row's lower 95% bound (indicator's unit; NaN when none).
        upper: Each row's upper 95% bound.
        benchmark: Each row's benchmark value (NaN when none).
        polarity: Each row's polarity (``"high"``, ``"low"`` or ``"none"``; array-like).

    Returns:
        A categorical (categories ``COMPARISONS``) of ``better``/``similar``/``worse``
        (``higher``/``lower`` with no polarity) or ``not compared``.

    Notes:
        Ties: a bound equal to the benchmark is "similar". Missing values: any NaN gives
        "not compared".

    Examples:
        >>> compare_intervals(np.array([70.0, 1.0]), np.array([90.0, 2.0]),
        ...     np.array([67.0, np.nan]), np.array(["low", "high"])).tolist()
        ['worse', 'not compared']
    """
    known = np.isfinite(lower) & np.isfinite(upper) & np.isfinite(benchmark)
    with np.errstate(invalid="ignore"):
        above, below = known & (lower > benchmark), known & (upper < benchmark)
    code = np.where(known, COMPARISONS.index("similar"), COMPARISONS.index(NOT_COMPARED))
    polarities: pd.Index | np.ndarray
    if isinstance(polarity, pd.Categorical):  # codes are already there: no per-row work
        which, polarities = polarity.codes, polarity.categories
    else:
        which, polarities = pd.factorize(np.asarray(polarity))
    for i, polarity_value in enumerate(polarities):
        own = which == i
        pol = Polarity(polarity_value)
        code[own & above] = COMPARISONS.index(_word(1, pol))
        code[own & below] = COMPARISONS.index(_word(-1, pol))
    return pd.Categorical.from_codes(code, categories=pd.Index(COMPARISONS))


def _word(direction: int, polarity: Polarity) -> str:
    if polarity is Polarity.NONE:
        return "higher" if direction > 0 else "lower"
    good = (direction > 0) == (polarity is Polarity.HIGH_IS_BETTER)
    return "better" if good else "worse"
