"""Who provides the services: shares of s251 line spend by provider, over time.

Section 251 line-level outturn splits each line's gross spend into own provision, private
provision, other public bodies and voluntary bodies. The shares here are of the sum of those
four parts, per line, area and year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators._common import require_columns, require_unique

__all__ = ["PROVISION_PARTS", "provision_shares"]

#: The s251 line-level columns that split gross spend by provider.
PROVISION_PARTS: tuple[str, ...] = (
    "own_provision",
    "private_provision",
    "other_public",
    "voluntary",
)


def provision_shares(
    values: pd.DataFrame,
    *,
    line: str | None = None,
    missing_as_zero: bool = False,
    negative_as_zero: bool = False,
) -> pd.DataFrame:
    """Shares of s251 line spend by provider (own, private, other public, voluntary).

    Args:
        values: Store ``values`` rows including the line-level indicators
            ``s251_line_<line>__<part>`` for the parts in ``PROVISION_PARTS`` (pounds).
        line: One line slug (e.g. ``"fostering_services"``); default every line found.
        missing_as_zero: Treat a missing part as 0 instead of leaving the shares undefined.
        negative_as_zero: Treat a negative part (an accounting adjustment) as 0 instead of
            leaving the shares undefined.

    Returns:
        A new long frame: ``line``, ``area_code``, ``time_period``, ``year_end``, ``part``,
        ``amount`` (pounds), ``share`` (of the sum of the four parts, 0-1), ``total``
        (that sum), ``note`` (why the shares are undefined, or what was set to 0).

    Raises:
        ValueError: On missing columns, repeated keys, or a ``line`` not in ``values``.

    Notes:
        Units: amounts in pounds, shares as fractions of the sum of the four parts (not of
        the published total, which also holds unallocated spend). Polarity: none. Ties: not
        applicable. Missing values: by default a missing or negative part leaves all four
        shares NaN for that area and year, with a note; a zero sum does too.

    Examples:
        >>> rows = [("s251_line_fostering__" + p, "A", 202425, 2025, v) for p, v in
        ...         [("own_provision", 30.0), ("private_provision", 60.0),
        ...          ("other_public", 0.0), ("voluntary", 10.0)]]
        >>> df = pd.DataFrame(rows, columns=["indicator_id", "area_code", "time_period",
        ...                                  "year_end", "value"])
        >>> provision_shares(df)["share"].tolist()
        [0.3, 0.6, 0.0, 0.1]
    """
    require_columns(
        values, ["indicator_id", "area_code", "time_period", "year_end", "value"], what="values"
    )
    ids = values["indicator_id"].astype(str)
    parsed = ids.str.extract(r"^s251_line_(?P<line>.+)__(?P<part>[a-z_]+)$")
    keep = parsed["part"].isin(PROVISION_PARTS)
    if line is not None:
        keep &= parsed["line"] == line
        if not keep.any():
            raise ValueError(f"provision_shares: no provision rows for line {line!r}")
    rows = values[keep].assign(line=parsed.loc[keep, "line"], part=parsed.loc[keep, "part"])
    require_unique(rows, ["line", "part", "area_code", "time_period"], what="provision_shares")
    key = ["line", "area_code", "time_period", "year_end"]
    group = rows.groupby(key, sort=True, dropna=False).ngroup().to_numpy()
    index = rows[key].assign(_g=group).drop_duplicates("_g").sort_values("_g").drop(columns="_g")
    amounts = np.full((len(index), len(PROVISION_PARTS)), np.nan)
    part_index = rows["part"].map({p: i for i, p in enumerate(PROVISION_PARTS)}).to_numpy()
    amounts[group, part_index] = pd.to_numeric(rows["value"]).to_numpy(dtype=float)
    notes = np.full(len(index), "", dtype=object)
    missing = ~np.isfinite(amounts)
    negative = np.isfinite(amounts) & (amounts < 0)
    use = amounts.copy()
    if missing_as_zero:
        use[missing] = 0.0
        notes = np.where(missing.any(axis=1), "missing part(s) counted as 0", notes)
    if negative_as_zero:
        use[negative] = 0.0
        notes = _append(notes, negative.any(axis=1), "negative part(s) counted as 0")
    undefined = (~np.isfinite(use)).any(axis=1) | (use < 0).any(axis=1)
    notes = np.where(
        ~missing_as_zero & missing.any(axis=1), "a part is missing: shares undefined", notes
    )
    notes = np.where(
        ~negative_as_zero & negative.any(axis=1) & ~missing.any(axis=1),
        "a part is negative: shares undefined",
        notes,
    )
    total = use.sum(axis=1)
    zero = ~undefined & (total == 0)
    notes = np.where(zero, "the parts sum to 0: shares undefined", notes)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where((undefined | zero)[:, None], np.nan, use / total[:, None])
    n_parts = len(PROVISION_PARTS)
    index = index.reset_index(drop=True)
    out = index.loc[index.index.repeat(n_parts)].reset_index(drop=True)
    return out.assign(
        part=np.tile(list(PROVISION_PARTS), len(index)),
        amount=amounts.reshape(-1),
        share=shares.reshape(-1),
        total=np.repeat(np.where(undefined, np.nan, total), n_parts),
        note=pd.Series(np.repeat(notes, n_parts), dtype=object).replace("", None),
    )


def _append(notes: np.ndarray, where: np.ndarray, text: str) -> np.ndarray:
    joined = np.where(notes == "", text, notes.astype(str) + "; " + text)
    return np.where(where, joined, notes)
