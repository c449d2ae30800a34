"""Private helpers shared by the indicator modules: argument checks and status bookkeeping.

Nothing here is part of the public API; the public functions document the behaviour these
helpers give them.
"""

from __future__ import annotations

import math
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


def require_unique(frame: pd.DataFrame, columns: list[str], *, what: str) -> None:
    """Raise ``ValueError`` if the key ``columns`` repeat in ``frame``."""
    dup = frame.duplicated(columns, keep=False)
    if dup.any():
        first = frame.loc[dup, columns].iloc[0].tolist()
        raise ValueError(f"{what}: {columns} must be unique, but {first} repeats")


def require_single_period(frame: pd.DataFrame, *, what: str) -> None:
    """Raise ``ValueError`` if ``frame`` mixes periods or indicators."""
    for column in ("time_period", "indicator_id"):
        if column in frame.columns and len(frame[column].unique()) > 1:
            raise ValueError(
                f"{what}: pass one {column} at a time, got {sorted(frame[column].unique())}"
            )


def require_one_indicator(frame: pd.DataFrame, *, what: str) -> None:
    """Raise ``ValueError`` if ``frame`` mixes indicators."""
    if "indicator_id" in frame.columns and len(frame["indicator_id"].unique()) > 1:
        raise ValueError(f"{what}: pass one indicator at a time")


def require_la_rows(frame: pd.DataFrame, *, what: str) -> None:
    """Raise ``ValueError`` if ``frame`` holds England, region or joint-LA rows."""
    if "geographic_level" in frame.columns:
        levels = set(frame["geographic_level"].dropna().astype(str))
        other = levels - {str(GeographicLevel.LOCAL_AUTHORITY)}
        if other:
            raise ValueError(
                f"{what}: only single local authorities are ranked, but the frame holds "
                f"{sorted(other)} rows; select them with indicators.eligible_values()"
            )
    codes = frame["area_code"].astype(str)
    joint = codes[codes.str.fullmatch(LA_GROUP_CODE_RE.pattern)]
    if len(joint):
        raise ValueError(
            f"{what}: joint LA rows such as {joint.iloc[0]!r} are never ranked; "
            "select single LAs with indicators.eligible_values()"
        )


def require_choice(value: Any, choices: Iterable[Any], *, name: str) -> None:
    """Raise ``ValueError`` if ``value`` is not one of ``choices``."""
    options = list(choices)
    if value not in options:
        raise ValueError(f"{name} must be one of {options}, not {value!r}")


def require_int(value: Any, *, name: str, minimum: int) -> int:
    """Return ``value`` as an int if it is an integer >= ``minimum``, else raise."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, not {value!r}")
    return int(value)


def statuses(frame: pd.DataFrame) -> pd.Series:
    """The status of each row with no value: its ``value_status``, else ``MISSING_STATUS``."""
    if "value_status" in frame.columns:
        status = frame["value_status"].astype(object)
    else:
        status = pd.Series(None, index=frame.index, dtype=object)
    return status.where(status.notna(), MISSING_STATUS)


def status_counts(status: pd.Series) -> dict[str, int]:
    """Count statuses, most frequent first, ties in symbol order (a JSON-friendly dict)."""
    counts = status.astype(str).value_counts()
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return {str(k): int(v) for k, v in items}


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


def direction_labels(polarity: Polarity) -> tuple[str, str]:
    """``("best", "worst")`` for a judged polarity, ``("highest", "lowest")`` for none."""
    if polarity is Polarity.NONE:
        return ("highest", "lowest")
    return ("best", "worst")


def top_is_high(polarity: Polarity) -> bool:
    """Whether rank 1 goes to the largest value (high polarity, and none)."""
    return polarity is not Polarity.LOW_IS_BETTER
