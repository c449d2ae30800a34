"""Private helpers shared by the indicator modules: argument checks and status bookkeeping.

Nothing here is part of the public API; the public functions document the behaviour these
helpers give them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from data.schema import LA_GROUP_CODE_RE, GeographicLevel, Polarity

#: Status reported for a row whose value is NaN but which carries no publisher symbol.
MISSING_STATUS = "missing"
#: Status reported for an area that has no row at all in the frame (e.g. an abolished LA).
ABSENT_STATUS = "no row"


def require_columns(frame: pd.DataFrame, columns: Iterable[str], *, what: str) -> None:
    """Raise ``ValueError`` naming the columns ``frame`` lacks."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{what}: expected a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: the frame lacks column(s) {missing}")


def require_polarity(polarity: Any) -> Polarity:
    """Return ``polarity`` if it is a ``Polarity`` member, else raise ``ValueError``."""
    if not isinstance(polarity, Polarity):
        raise ValueError(
            f"polarity must be a data.schema.Polarity member, not {polarity!r} "
            "(use Polarity.HIGH_IS_BETTER, Polarity.LOW_IS_BETTER or Polarity.NONE)"
        )
    return polarity


def require_unique(
    frame: pd.DataFrame, columns: list[str], *, what: str, objects: np.ndarray | None = None
) -> None:
    """Raise ``ValueError`` if the key ``columns`` repeat in ``frame``.

    ``objects`` may pass a one-column key as the object array already at hand.
    """
    if objects is not None and len(columns) == 1:
        if _distinct_objects(objects):
            return
    elif len(columns) == 1 and _all_distinct(frame[columns[0]]):
        return
    dup = frame[columns[0]].duplicated(keep=False)
    if len(columns) > 1 and dup.any():
        dup = frame.duplicated(columns, keep=False)
    if dup.any():
        first = frame.loc[dup, columns].iloc[0].tolist()
        raise ValueError(f"{what}: {columns} must be unique, but {first} repeats")


def _all_distinct(column: pd.Series) -> bool:
    """A quick proof that no value repeats (False means "not proven": check the slow way)."""
    if not isinstance(column.dtype, np.dtype):
        # Arrow-backed and other extension arrays count distinct values natively; a missing
        # value counts once, so True also rules out repeated missing values.
        return bool(column.is_unique)
    return _distinct_objects(column.to_numpy())


def _distinct_objects(array: np.ndarray) -> bool:
    """``_all_distinct`` for a column's values as a numpy array."""
    if array.dtype == object:
        # A set tells NaN objects apart, so only trust it when nothing is missing.
        return len(set(array)) == len(array) and not pd.isna(array).any()
    return False


def _one_value(series: pd.Series) -> bool:
    """Whether ``series`` holds at most one distinct value (NaN counts as a value)."""
    if len(series) < 2:
        return True
    if isinstance(series.dtype, np.dtype):
        array = series.to_numpy()
        if array.dtype.kind in "iub":
            return bool(array.min() == array.max())
        if array.dtype.kind == "f" and array.min() == array.max():
            return True  # NaN makes min or max NaN, so this proves all are the same number
        if array.dtype == object and isinstance(array[0], str) and (array == array[0]).all():
            return True
    return len(series.unique()) <= 1


def require_single_period(frame: pd.DataFrame, *, what: str) -> None:
    """Raise ``ValueError`` if ``frame`` mixes periods or indicators."""
    for column in ("time_period", "indicator_id"):
        if column in frame.columns and not _one_value(frame[column]):
            raise ValueError(
                f"{what}: pass one {column} at a time, got {sorted(frame[column].unique())}"
            )


def require_one_indicator(frame: pd.DataFrame, *, what: str) -> None:
    """Raise ``ValueError`` if ``frame`` mixes indicators."""
    if "indicator_id" in frame.columns and not _one_value(frame["indicator_id"]):
        raise ValueError(f"{what}: pass one indicator at a time")


def require_la_rows(frame: pd.DataFrame, *, what: str, codes: np.ndarray | None = None) -> None:
    """Raise ``ValueError`` if ``frame`` holds England, region or joint-LA rows.

    ``codes`` may pass ``frame["area_code"]`` as an object array already at hand.
    """
    la_level = str(GeographicLevel.LOCAL_AUTHORITY)
    if "geographic_level" in frame.columns:
        level = frame["geographic_level"].to_numpy(dtype=object)
        if not (level == la_level).all():
            levels = {str(v) for v in pd.unique(level) if v == v}
            other = levels - {la_level}
            if other:
                raise ValueError(
                    f"{what}: only single local authorities are ranked, but the frame holds "
                    f"{sorted(other)} rows; select them with indicators.eligible_values()"
                )
    if codes is None:
        codes = frame["area_code"].to_numpy(dtype=object)
    try:  # one search over all codes; a joint row's code holds " / "
        maybe_joint = " / " in "\n".join(codes)
    except TypeError:  # not all strings
        maybe_joint = True
    if not maybe_joint:
        return
    joint = [c for c in codes if " / " in str(c) and LA_GROUP_CODE_RE.match(str(c))]
    if joint:
        raise ValueError(
            f"{what}: joint LA rows such as {joint[0]!r} are never ranked; "
            "select single LAs with indicators.eligible_values()"
        )


def require_int(value: Any, *, name: str, minimum: int) -> int:
    """Return ``value`` as an int if it is an integer >= ``minimum``, else raise."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, not {value!r}")
    return int(value)


def require_confidence(confidence: Any) -> float:
    """A confidence level as a fraction in [0.9, 1); 90..100 are read as percentages."""
    if isinstance(confidence, bool) or not isinstance(confidence, int | float | np.floating):
        raise ValueError(f"confidence must be a number, not {confidence!r}")
    value = float(confidence)
    if 90 <= value < 100:
        value /= 100
    if not 0.9 <= value < 1:
        raise ValueError(
            f"confidence must be in [0.9, 1) or [90, 100) (e.g. 0.95, 0.998), not {confidence!r}"
        )
    return value


def count_problems(x: np.ndarray, n: np.ndarray, *, proportion: bool) -> np.ndarray:
    """Why each numerator/denominator pair cannot be used ("" when it can), as an object array.

    Missing either count, a negative count, a zero denominator, or (for a proportion) a
    numerator above its denominator.
    """
    known = np.isfinite(x) & np.isfinite(n)
    return np.select(
        [
            ~known,
            known & ((x < 0) | (n < 0)),
            known & (n == 0),
            known & proportion & (x > n),
        ],
        [
            "numerator or denominator unknown",
            "negative count",
            "denominator is 0",
            "numerator exceeds denominator",
        ],
        default="",
    ).astype(object)


def statuses(frame: pd.DataFrame) -> pd.Series:
    """The status of each row with no value: its ``value_status``, else ``MISSING_STATUS``."""
    if "value_status" in frame.columns:
        status = frame["value_status"].astype(object)
    else:
        status = pd.Series(None, index=frame.index, dtype=object)
    return status.where(status.notna(), MISSING_STATUS)


def status_counts(status: pd.Series | np.ndarray) -> dict[str, int]:
    """Count statuses, most frequent first, ties in symbol order (a JSON-friendly dict)."""
    symbols = status.to_numpy(dtype=object) if isinstance(status, pd.Series) else status
    counts = Counter(str(s) for s in symbols)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def counts_text(counts: dict[str, int]) -> str:
    """``{"z": 2, "c": 1}`` -> ``"2 z, 1 c"``."""
    return ", ".join(f"{n} {symbol}" for symbol, n in counts.items())


def opt_float(value: Any) -> float | None:
    """A plain ``float`` for a finite number, ``None`` for NaN, None or infinity."""
    if value is None or value is pd.NA:
        return None
    out = float(value)
    return out if math.isfinite(out) else None


def ordinal(n: int) -> str:
    """``1`` -> ``"1st"``, ``12`` -> ``"12th"``, ``22`` -> ``"22nd"``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def competition_rank(values: pd.Series, *, ascending: bool) -> pd.Series:
    """Competition ("1, 1, 3") ranks as nullable integers; NaN values get no rank."""
    return values.rank(method="min", ascending=ascending, na_option="keep").astype("Int64")


def frame_with(frame: pd.DataFrame, order: np.ndarray, columns: dict[str, Any]) -> pd.DataFrame:
    """A new frame: ``frame``'s rows in ``order`` plus new ``columns`` (already in order)."""
    new: dict[str, Any] = {}
    for name, column in columns.items():
        # Object arrays stay object (None, not NaN, marks a missing label or status).
        is_object = isinstance(column, np.ndarray) and column.dtype == object
        new[name] = pd.Series(column, dtype=object, copy=False) if is_object else column
    if frame.columns.is_unique and not any(name in frame.columns for name in new):
        # Whole-frame take (one call per block) then the new columns: far fewer pandas
        # calls than building every column anew.
        taken = frame.take(order).reset_index(drop=True)
        return pd.concat([taken, pd.DataFrame(new)], axis=1)
    data: dict[str, Any] = {c: frame[c].array.take(order) for c in frame.columns}
    data.update(new)
    return pd.DataFrame(data)


def float_values(frame: pd.DataFrame, column: str = "value") -> np.ndarray:
    """A numeric column as a float array (NaN for missing); non-numbers raise."""
    series = frame[column]
    if series.dtype.kind != "f":
        series = pd.to_numeric(series, errors="raise")
    return series.to_numpy(dtype=float, na_value=np.nan)


def better_worse_counts(value: np.ndarray, *, high_first: bool) -> tuple[np.ndarray, np.ndarray]:
    """For each finite value: how many finite values are strictly better, and strictly worse.

    Competition rank = strictly better + 1. NaN entries get -1 in both.
    """
    finite = np.isfinite(value)
    key = np.where(finite, -value if high_first else value, 0.0)
    ordered = np.sort(key[finite])
    better = np.searchsorted(ordered, key, side="left")
    worse = len(ordered) - np.searchsorted(ordered, key, side="right")
    return np.where(finite, better, -1), np.where(finite, worse, -1)


def status_array(frame: pd.DataFrame, has_value: np.ndarray) -> np.ndarray:
    """Object array: None where there is a value, else the symbol or ``MISSING_STATUS``."""
    out = np.full(len(frame), None, dtype=object)
    without = ~has_value
    if not without.any():
        return out
    if "value_status" not in frame.columns:
        out[without] = MISSING_STATUS
        return out
    # Only the rows without a value need their symbol (usually a handful).
    status = frame["value_status"].array
    symbol_missing = status.isna()
    out[without & symbol_missing] = MISSING_STATUS
    rows = np.flatnonzero(without & ~symbol_missing)
    if len(rows):
        out[rows] = status.take(rows).to_numpy(dtype=object)
    return out


def direction_labels(polarity: Polarity) -> tuple[str, str]:
    """``("best", "worst")`` for a judged polarity, ``("highest", "lowest")`` for none."""
    if polarity is Polarity.NONE:
        return ("highest", "lowest")
    return ("best", "worst")


def top_is_high(polarity: Polarity) -> bool:
    """Whether rank 1 goes to the largest value (high polarity, and none)."""
    return polarity is not Polarity.LOW_IS_BETTER
