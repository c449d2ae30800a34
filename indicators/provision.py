"""Who provides the services: shares of s251 line spend by provider, over time.

Section 251 line-level outturn splits each line's gross spend into own provision, private
provision, other public bodies and voluntary bodies. The shares here are of the sum of those
four parts, per line, area and year. ``provision_series`` assembles one line's series for one LA
or England (amounts, shares, per child), the numbers behind "spend by provider over time".
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import SupportsInt

import numpy as np
import pandas as pd

from data.schema import ENGLAND_CODE, ValueType
from indicators._common import require_columns, require_unique
from indicators.comparators import england_value

__all__ = ["PROVISION_PARTS", "provision_series", "provision_shares"]

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


#: The population indicator used for spend per child (ONS mid-year estimate, ages 0-17).
POPULATION_ID = "ons_population_0_17"
_SERIES_COLUMNS = (
    "line",
    "area_code",
    "time_period",
    "year_end",
    "part",
    "amount",
    "share",
    "total",
    "population",
    "amount_per_child",
    "method",
    "status",
    "successor_codes",
    "note",
)


def provision_series(
    values: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    line: str,
    area_code: str,
    population: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Spend on one s251 line by provider over time, for one LA or England, in £ and shares.

    Args:
        values: Store ``values`` rows (all levels, all periods) of the line's provider parts,
            ``s251_line_<line>__<part>`` for ``PROVISION_PARTS`` (pounds, cash); other rows
            are ignored. Columns as the store's (``value_status`` optional).
        areas: The store's ``areas`` table: which LAs make up England in each year, and the
            successors of an abolished LA.
        line: The line id (``data/s251_lines.csv``), e.g. ``"fostering"``, ``"residential_care"``,
            ``"cla_total"``.
        area_code: An LA's code (current or abolished, e.g. ``E10000009`` Dorset county before
            2019) or ``E92000001`` for England.
        population: Optional store rows of ``ons_population_0_17`` (children aged 0-17); spend
            per child uses the mid-year estimate of the calendar year before the financial year
            ends (2017-18 -> mid-2017), as the store's other per-child spend does.

    Returns:
        A new frame, one row per year x part, sorted by year then part, columns: ``line``,
        ``area_code``, ``time_period`` (e.g. 201718), ``year_end``, ``part`` (own_provision,
        private_provision, other_public, voluntary), ``amount`` (£, cash), ``share`` (of the
        sum of the four parts, 0-1), ``total`` (that sum, £), ``population`` (children 0-17),
        ``amount_per_child`` (£ per child aged 0-17), ``method`` ("published", or for England
        without a published row "sum of LAs"), ``status`` (the part's ``value_status``, e.g.
        "derived" for 2018-19 fostering = 3.1.2a + 3.1.2b), ``successor_codes`` (for an
        abolished LA, its successors joined by ", "; else None) and ``note``.

    Raises:
        ValueError: On missing columns, repeated keys, or no rows for the line and area.

    Notes:
        Units: £ (cash, not adjusted for inflation); shares are fractions; per child in £ per
        child aged 0-17. Polarity: none (spend has no better direction). Ties: not
        applicable. Missing values: a part without a number leaves its amount NaN and all four
        shares NaN for that year (``provision_shares``); per child is NaN without a population
        row (the store's 0-17 series starts mid-2012, so 2011-12 has none). England is DfE's
        published national figure where the store has one (2015-16 on, from the EES national
        file) and otherwise the sum of the LAs current that year (``note`` says how many LAs
        lacked a value); the two are never mixed within a year.

    Examples:
        >>> rows = [("s251_line_fostering__" + p, "E06000009", 201718, 2018, v) for p, v in
        ...         [("own_provision", 30.0), ("private_provision", 60.0),
        ...          ("other_public", 0.0), ("voluntary", 10.0)]]
        >>> df = pd.DataFrame(rows, columns=["indicator_id", "area_code", "time_period",
        ...                                  "year_end", "value"])
        >>> areas = pd.DataFrame({"area_code": ["E06000009"], "area_type": ["Local authority"],
        ...     "valid_from": [None], "valid_to": [None], "successor_codes": [[]]})
        >>> out = provision_series(df, areas, line="fostering", area_code="E06000009")
        >>> out[["part", "amount", "share"]].values.tolist()[:2]
        [['own_provision', 30.0, 0.3], ['private_provision', 60.0, 0.6]]
    """
    require_columns(
        values, ["indicator_id", "area_code", "time_period", "year_end", "value"], what="values"
    )
    ids = [f"s251_line_{line}__{part}" for part in PROVISION_PARTS]
    mine = values[values["indicator_id"].astype(str).isin(ids).to_numpy()]
    mine = mine.assign(area_code=mine["area_code"].astype(str))
    if area_code == ENGLAND_CODE:
        rows, methods = _england_rows(mine, areas)
    else:
        rows = mine[mine["area_code"] == area_code]
        methods = {int(t): ("published", "") for t in rows["time_period"]}
    if rows.empty:
        raise ValueError(f"provision_series: no rows for line {line!r} and area {area_code!r}")
    shares = provision_shares(rows, line=line)
    status = _statuses(rows)
    out = shares.assign(
        status=_objects(
            status.get((int(t), p))
            for t, p in zip(shares["time_period"], shares["part"], strict=True)
        ),
        method=_objects(methods[int(t)][0] for t in shares["time_period"]),
        note=_objects(
            "; ".join(x for x in (n, methods[int(t)][1]) if isinstance(x, str) and x) or None
            for n, t in zip(shares["note"], shares["time_period"], strict=True)
        ),
    )
    pop = _population(population, area_code)
    out = out.assign(population=(out["year_end"].astype(int) - 1).map(pop).astype(float))
    out = out.assign(amount_per_child=out["amount"] / out["population"])
    out = out.assign(successor_codes=_objects([_successors(areas, area_code)] * len(out)))
    return (
        out[list(_SERIES_COLUMNS)]
        .sort_values(["time_period", "part"], key=_part_order)
        .reset_index(drop=True)
    )


def _objects(items: Iterable[str | None]) -> pd.Series:
    """A text column that keeps None (not NaN) for 'no text'."""
    return pd.Series(list(items), dtype=object)


def _part_order(column: pd.Series) -> pd.Series:
    if column.name == "part":
        return column.map({p: i for i, p in enumerate(PROVISION_PARTS)})
    return column


def _england_rows(
    rows: pd.DataFrame, areas: pd.DataFrame
) -> tuple[pd.DataFrame, dict[int, tuple[str, str]]]:
    """England's rows: the published National row, else the sum of the current LAs."""
    frames: list[pd.DataFrame] = []
    methods: dict[int, tuple[str, str]] = {}
    for (indicator, period_key), group in rows.groupby(
        ["indicator_id", "time_period"], sort=True, observed=True
    ):
        period = _period_code(period_key)
        comparator = england_value(group, areas, value_type=ValueType.CURRENCY)
        note = ""
        if comparator.computed:
            note = f"England = sum of {comparator.n_las} LAs"
            if comparator.n_las_missing:
                note += f" ({comparator.n_las_missing} without a value)"
        previous = methods.get(period)
        if previous is not None and previous[0] != comparator.method:
            note = "England mixes published and summed parts this year"
        methods[period] = (comparator.method, note or (previous[1] if previous else ""))
        status = (
            group.loc[group["area_code"] == ENGLAND_CODE, "value_status"]
            if "value_status" in group
            else pd.Series(dtype=object)
        )
        frames.append(
            pd.DataFrame(
                {
                    "indicator_id": [str(indicator)],
                    "area_code": [ENGLAND_CODE],
                    "time_period": [period],
                    "year_end": [int(group["year_end"].iloc[0])],
                    "value": [np.nan if comparator.value is None else comparator.value],
                    "value_status": [status.iloc[0] if len(status) else comparator.value_status],
                }
            )
        )
    return pd.concat(frames, ignore_index=True), methods


def _period_code(key: Hashable) -> int:
    """A ``time_period`` group key as an int (pandas-stubs type group keys only as Hashable)."""
    if not isinstance(key, SupportsInt):
        raise TypeError(f"time_period must be a number, got {key!r}")
    return int(key)


def _statuses(rows: pd.DataFrame) -> dict[tuple[int, str], str | None]:
    if "value_status" not in rows.columns:
        return {}
    parts = rows["indicator_id"].astype(str).str.rsplit("__", n=1).str[1]
    return {
        (int(t), p): (None if s is None or pd.isna(s) else str(s))
        for t, p, s in zip(rows["time_period"], parts, rows["value_status"], strict=True)
    }


def _population(population: pd.DataFrame | None, area_code: str) -> dict[int, float]:
    if population is None or population.empty:
        return {}
    mine = population[population["area_code"].astype(str) == area_code]
    return dict(zip(mine["time_period"].astype(int), mine["value"].astype(float), strict=True))


def _successors(areas: pd.DataFrame, area_code: str) -> str | None:
    if "successor_codes" not in areas.columns:
        return None
    match = areas.loc[areas["area_code"] == area_code, "successor_codes"]
    if match.empty:
        return None
    value = match.iloc[0]
    if isinstance(value, str):
        codes = [c.strip() for c in value.replace(";", ",").split(",") if c.strip()]
    elif value is None or (isinstance(value, float) and np.isnan(value)):
        codes = []
    else:
        codes = [str(c) for c in value]
    return ", ".join(codes) or None
