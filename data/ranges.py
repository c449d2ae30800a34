"""Range rules per value type, and the publisher's documented exceptions to them.

Rules (ids as in docs/data_log.md), applied to every loaded value with a number:

* BI-41: no value is 1e12 or more in size (a trillion: above any published count or £ total);
* BI-38: a proportion lies in 0..multiplier (0-100 for a %, 0-1 for a plain proportion);
* BI-39: counts, rates and money per child are not negative (net spend and income may be);
* BI-40: counts are whole numbers, unless they count full-time equivalents (FTE).

A value breaking a rule is not stored: it is recorded, with its file, row, column and number, in
the release's rejections. Exceptions are data (``range_exceptions.csv`` beside this module):
each names one indicator, a rule, areas and periods (``|``-separated glob patterns on the area
code and the ``time_period``), and either ``allow`` (the value is kept: the publisher's number is
right although it breaks the rule, up to ``up_to`` when given) or ``reject`` (the rows hold
another measure whatever their value, so none is stored), with the reason.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import numpy as np
import pandas as pd

from data.errors import DataFormatError
from data.loaders.common import VALUE_REJECTED, Rejection
from data.schema import ValueType

EXCEPTIONS_FILE = Path(__file__).with_name("range_exceptions.csv")
MAX_MAGNITUDE = 1e12
RULES = {
    "BI-41": "implausibly large (1e12 or more)",
    "BI-38": "proportion outside its range",
    "BI-39": "negative where a value cannot be",
    "BI-40": "count is not a whole number",
}
_EXCEPTION_COLUMNS = ("indicator_id", "rule", "areas", "periods", "action", "up_to", "reason")


@dataclass(frozen=True, slots=True)
class RangeException:
    """One documented publisher quirk (a row of ``range_exceptions.csv``)."""

    indicator_id: str
    rule: str
    areas: tuple[str, ...]
    periods: tuple[str, ...]
    action: str
    up_to: float | None
    reason: str

    def covers(self, area_codes: np.ndarray, periods: np.ndarray) -> np.ndarray:
        """Which (area, period) pairs the exception's patterns match."""
        areas = {a: any(fnmatchcase(a, p) for p in self.areas) for a in set(area_codes)}
        times = {t: any(fnmatchcase(str(t), p) for p in self.periods) for t in set(periods)}
        return np.array(
            [areas[a] and times[t] for a, t in zip(area_codes, periods, strict=True)], dtype=bool
        )


def load_exceptions(path: Path = EXCEPTIONS_FILE) -> tuple[RangeException, ...]:
    """Read and check the exceptions table.

    Raises:
        DataFormatError: A missing column, an unknown rule or action, or a bad ``up_to``.
    """
    rows = list(csv.DictReader(Path(path).read_text(encoding="utf-8").splitlines()))
    out = []
    for number, row in enumerate(rows, start=2):
        missing = [c for c in _EXCEPTION_COLUMNS if c not in row]
        if missing:
            raise DataFormatError(str(path), f"lacks column(s) {missing}", row=1)
        if row["rule"] not in RULES or row["action"] not in ("allow", "reject"):
            raise DataFormatError(
                str(path),
                f"unknown rule {row['rule']!r} or action {row['action']!r}",
                row=number,
                column="rule",
            )
        try:
            up_to = float(row["up_to"]) if row["up_to"].strip() else None
        except ValueError as exc:
            raise DataFormatError(str(path), "up_to is not a number", row=number) from exc
        if not row["reason"].strip():
            raise DataFormatError(str(path), "an exception needs its reason", row=number)
        out.append(
            RangeException(
                row["indicator_id"].strip(),
                row["rule"],
                tuple(row["areas"].split("|")),
                tuple(row["periods"].split("|")),
                row["action"],
                up_to,
                row["reason"].strip(),
            )
        )
    return tuple(out)


def _bounds(indicators: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: lower and upper bound, whether whole, and the rule for each bound."""
    vt = indicators["value_type"].astype(str)
    unit = indicators["unit"].fillna("").astype(str).str.casefold()
    words = (indicators["indicator_id"] + " " + indicators["title"] + " " + unit).str.casefold()
    fte = words.str.contains(r"\bfte\b|full.time equivalent", regex=True)
    multiplier = pd.to_numeric(indicators["multiplier"], errors="coerce")
    proportion = vt == str(ValueType.PROPORTION)
    upper = np.where(
        proportion,
        multiplier.fillna(unit.str.contains("%").map({True: 100.0, False: 1.0})),
        np.inf,
    )
    non_negative = (
        proportion
        | vt.isin([str(ValueType.COUNT), str(ValueType.RATE)])
        | ((vt == str(ValueType.CURRENCY)) & unit.str.contains("per child"))
    )
    return pd.DataFrame(
        {
            "lower": np.where(non_negative, 0.0, -np.inf),
            "upper": upper,
            "whole": ((vt == str(ValueType.COUNT)) & ~fte).to_numpy(),
            "proportion": proportion.to_numpy(),
        },
        index=indicators["indicator_id"].to_numpy(),
    )


@dataclass
class RangeCheck:
    """Outcome of the range rules: which values to keep, and the rejections by file."""

    keep: np.ndarray
    blocks: list[tuple[str, Rejection]]
    matched: dict[RangeException, int]


def check_ranges(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    exceptions: tuple[RangeException, ...] = (),
) -> RangeCheck:
    """Apply the rules and exceptions to loaded values (with their origin columns)."""
    ids = pd.Categorical(values["indicator_id"])
    bounds = _bounds(indicators).reindex(ids.categories)
    codes = ids.codes
    lower = bounds["lower"].fillna(-np.inf).to_numpy()[codes]
    upper = bounds["upper"].fillna(np.inf).to_numpy()[codes]
    whole = bounds["whole"].fillna(False).to_numpy(dtype=bool)[codes]
    proportion = bounds["proportion"].fillna(False).to_numpy(dtype=bool)[codes]
    v = values["value"].to_numpy(dtype=float)
    has = np.isfinite(v)
    with np.errstate(invalid="ignore"):
        broken = {
            "BI-41": has & (np.abs(v) >= MAX_MAGNITUDE),
            "BI-38": has & proportion & ((v < lower) | (v > upper)),
            "BI-39": has & ~proportion & (v < lower),
            "BI-40": has & whole & (np.floor(v) != v),
        }
    forced = np.zeros(len(v), dtype=bool)
    forced_rule = np.full(len(v), None, dtype=object)
    forced_reason = np.full(len(v), None, dtype=object)
    matched: dict[RangeException, int] = {}
    by_indicator = _rows_by_category(ids)
    for exc in exceptions:
        rows = by_indicator.get(exc.indicator_id, np.array([], dtype=np.intp))
        if rows.size:
            area = values["area_code"].iloc[rows].astype(str).to_numpy()
            rows = rows[exc.covers(area, values["time_period"].to_numpy()[rows])]
        if exc.action == "reject":
            forced[rows] = True
            forced_rule[rows] = exc.rule
            forced_reason[rows] = f"documented exception: {exc.reason}"
            matched[exc] = int(rows.size)
            continue
        hit = rows[broken[exc.rule][rows]]
        if exc.up_to is not None:
            hit = hit[v[hit] <= exc.up_to]
        broken[exc.rule][hit] = False
        matched[exc] = int(hit.size)
    return RangeCheck(
        _keep(broken, forced), _blocks(values, broken, forced, forced_rule, forced_reason), matched
    )


def _rows_by_category(ids: pd.Categorical) -> dict[str, np.ndarray]:
    """Row positions of each category (one pass over the codes)."""
    order = np.argsort(ids.codes, kind="stable")
    bounds = np.searchsorted(ids.codes[order], np.arange(len(ids.categories) + 1))
    return {str(cat): order[bounds[k] : bounds[k + 1]] for k, cat in enumerate(ids.categories)}


def _keep(broken: dict[str, np.ndarray], forced: np.ndarray) -> np.ndarray:
    bad = forced.copy()
    for mask in broken.values():
        bad |= mask
    return ~bad


def _blocks(
    values: pd.DataFrame,
    broken: dict[str, np.ndarray],
    forced: np.ndarray,
    forced_rule: np.ndarray,
    forced_reason: np.ndarray,
) -> list[tuple[str, Rejection]]:
    """One rejections block per (file, rule, reason, column); each value once (first rule)."""
    taken = np.zeros(len(forced), dtype=bool)
    rule_of = np.full(len(forced), None, dtype=object)
    reason_of = np.full(len(forced), None, dtype=object)
    for rule, mask in broken.items():
        new = mask & ~taken & ~forced
        rule_of[new], reason_of[new] = rule, RULES[rule]
        taken |= new
    rule_of[forced], reason_of[forced] = forced_rule[forced], forced_reason[forced]
    where = np.flatnonzero(taken | forced)
    if not where.size:
        return []
    sub = values.iloc[where]
    origin_file = _text(sub, "origin_file", default=sub["source_id"].astype(str))
    origin_column = _text(sub, "origin_column", default=pd.Series("value", index=sub.index))
    origin_row = sub["origin_row"] if "origin_row" in sub else pd.Series(0, index=sub.index)
    frame = pd.DataFrame(
        {
            "file": origin_file,
            "column": origin_column,
            "row": origin_row.fillna(0).astype(np.int64).to_numpy(),
            "rule": rule_of[where],
            "reason": reason_of[where],
            "token": [
                f"{x:.15g}" if np.isfinite(x) else str(status)
                for x, status in zip(
                    sub["value"].to_numpy(dtype=float),
                    sub["value_status"].astype(object).to_numpy(),
                    strict=True,
                )
            ],
            "indicator_id": sub["indicator_id"].astype(str).to_numpy(),
            "area_code": sub["area_code"].astype(str).to_numpy(),
            "time_period": sub["time_period"].to_numpy(),
        }
    )
    blocks = []
    for group_key, group in frame.groupby(["file", "rule", "reason", "column"], sort=True):
        file, rule, reason, column = (str(part) for part in group_key)
        keys = list(
            zip(group["indicator_id"], group["area_code"], group["time_period"], strict=True)
        )
        blocks.append(
            (
                str(file),
                Rejection(
                    group["row"].tolist(),
                    str(reason),
                    str(rule),
                    VALUE_REJECTED,
                    str(column),
                    group["token"].tolist(),
                    [(str(i), str(a), int(t)) for i, a, t in keys],
                ),
            )
        )
    return blocks


def _text(frame: pd.DataFrame, column: str, *, default: pd.Series) -> np.ndarray:
    if column not in frame:
        return default.to_numpy(dtype=object)
    text = frame[column].astype(object)
    return text.where(text.notna(), default).astype(str).to_numpy(dtype=object)
