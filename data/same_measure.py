"""Same measure from two sources: indicators of different sources whose LA values all agree.

LAIT republishes many figures that DfE's statistics releases (EES) also publish, under its own
id, period coding and rounding (the looked-after rate per 10,000: ``lait_lac`` and
``cla_at_31_march_rate``). Both are kept; the ingest finds such pairs and records each as one
more cross-source check (manifest ``cross_source_checks``, ``kind`` = ``"same_measure"``) with
the facts that say which is which and why both are kept.

The rule, for indicators ``a`` and ``b`` of different ``source_id``:

* same unit: the same ``value_type`` and ``multiplier`` (the machine-readable unit; the unit
  text differs between publishers, e.g. "per 10,000" and "per 10,000 children");
* at least ``MIN_OVERLAP`` LA values with a number in both, matched on (area_code, year_end),
  so a LAIT financial-year code 201718 meets EES's year 2018;
* every one of them agrees within half a unit of the coarser rounding: each indicator's
  rounding step is the largest power of ten (at most 1) of which all its LA values are
  multiples, and ``|a - b| <= max(step_a, step_b) / 2``. Two correct roundings of one number to
  steps ``s > t`` differ by at most ``s/2 + t/2``, and since the difference is a multiple of
  ``t`` that is at most ``s/2``; to the same step they are equal. A single value beyond the
  tolerance means the pair is not listed (the rule prefers missing a pair to calling two
  measures one).

Only published values are compared (LA rows with a finite value, status other than
"derived"), before the ingest computes its own rates, so a rate computed from a count never
pairs with the published one. The search is a few matrix products per unit (sum of squared
differences as a necessary condition), then an exact check of the few candidates: well under
a second on the real data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "MIN_OVERLAP",
    "SAME_MEASURE",
    "SameMeasure",
    "find_same_measures",
    "kept_because",
    "source_label",
]

MIN_OVERLAP = 30
SAME_MEASURE = "same_measure"
_LA = "Local authority"
_MAX_DECIMALS = 6
_LABELS = {"lait": "LAIT", "s251": "s251 (LAIT)", "ons_population": "ONS"}


@dataclass(frozen=True)
class SameMeasure:
    """Two indicators of different sources found to be one measure at ingest (for pickers).

    Attributes:
        measures: ``(indicator_id, title, source, first year, last year)`` of each, the longer
            series first; years are years ending.
        compared: LA values both publish; ``agreeing``: how many agree (all, by the rule).
        kept_because: Why both are kept, as short clauses ("LAIT's series is longer").
    """

    measures: tuple[tuple[str, str, str, int, int], ...]
    compared: int
    agreeing: int
    kept_because: tuple[str, ...]

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> SameMeasure:
        """From a manifest check record of kind ``"same_measure"``."""
        return cls(
            measures=tuple(
                (
                    str(m["indicator_id"]),
                    str(m["title"]),
                    str(m["source"]),
                    int(m["first_year"]),
                    int(m["last_year"]),
                )
                for m in record.get("measures", [])
            ),
            compared=int(record.get("compared", 0)),
            agreeing=int(record.get("agreeing", 0)),
            kept_because=tuple(str(r) for r in record.get("kept_because", [])),
        )


def source_label(source_id: str) -> str:
    """The publisher's short name for a source id ("lait" -> "LAIT", "ees_cla" -> "EES")."""
    if source_id.startswith("ees"):
        return "EES"
    return _LABELS.get(source_id, source_id)


def _steps(codes: np.ndarray, value: np.ndarray, n: int) -> np.ndarray:
    """Each indicator's rounding step: the largest 10**-k (k = 0..6) all its values are on."""
    decimals = np.full(len(value), _MAX_DECIMALS, dtype=np.int8)
    for k in range(_MAX_DECIMALS - 1, -1, -1):
        scaled = value * 10.0**k
        on_grid = np.abs(scaled - np.round(scaled)) <= 1e-6 * np.maximum(1.0, np.abs(scaled))
        decimals[on_grid] = k
    most = np.zeros(n, dtype=np.int8)
    np.maximum.at(most, codes, decimals)
    return np.asarray(10.0 ** -most.astype(float))


def _factorize(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (0..n-1) and the distinct texts of a text or categorical column."""
    codes, uniques = pd.factorize(column, sort=False)
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object).astype(str)


def _published_la_rows(values: pd.DataFrame) -> pd.DataFrame:
    value = values["value"].to_numpy(dtype=float)
    keep = (values["geographic_level"] == _LA).to_numpy(dtype=bool) & np.isfinite(value)
    if "value_status" in values:
        keep &= (values["value_status"] != "derived").to_numpy(dtype=bool)
    return values.loc[keep, ["indicator_id", "area_code", "year_end", "value", "numerator"]]


def find_same_measures(
    values: pd.DataFrame, indicators: pd.DataFrame, *, min_overlap: int = MIN_OVERLAP
) -> list[dict[str, Any]]:
    """Pairs of indicators from different sources that are the same measure (module rule).

    Args:
        values: The store's values (``indicator_id, area_code, geographic_level, year_end,
            value, value_status, numerator``); only LA rows are compared.
        indicators: Metadata (``indicator_id, title, source_id, value_type, multiplier``,
            optionally ``last_updated``).
        min_overlap: Fewest LA values with a number in both.

    Returns:
        One cross-source check record per pair (``kind`` "same_measure"), ordered by the first
        indicator id: the pair's ``measures`` (id, title, source, first and last year, whether
        it publishes the counts behind the figure, last update), ``compared`` and ``agreeing``
        LA values, ``not_compared`` (values of one only) and ``kept_because`` (facts that say
        why both are kept). The inputs are not changed.
    """
    rows = _published_la_rows(values)
    if rows.empty or indicators.empty:
        return []
    ind_code, ids = _factorize(rows["indicator_id"])
    meta = indicators.drop_duplicates("indicator_id", keep="last").set_index("indicator_id")
    meta = meta.reindex(ids)
    source = meta["source_id"].astype(str).to_numpy()
    unit = list(
        zip(
            meta["value_type"].astype(str),
            meta["multiplier"].astype(float).fillna(1.0),
            strict=True,
        )
    )
    value = rows["value"].to_numpy(dtype=float)
    step = _steps(ind_code, value, len(ids))
    area, _ = _factorize(rows["area_code"])
    year = rows["year_end"].to_numpy(dtype=np.int64)
    key = area * 10_000 + year
    count = np.bincount(ind_code, minlength=len(ids))
    groups: dict[tuple[str, float], list[int]] = {}
    for i, u in enumerate(unit):
        groups.setdefault(u, []).append(i)
    has_counts = np.zeros(len(ids), dtype=bool)
    has_counts[np.unique(ind_code[np.isfinite(rows["numerator"].to_numpy(dtype=float))])] = True
    years = pd.Series(year).groupby(ind_code).agg(["min", "max"]).to_numpy()
    records = []
    for members in groups.values():
        group = np.asarray([i for i in members if count[i] >= min_overlap])
        sources = source[group] if len(group) else np.asarray([])
        names = sorted(set(sources))
        if len(names) < 2:
            continue
        filled, present = _dense(group, ind_code, key, value)
        for n, name in enumerate(names):
            for other in names[n + 1 :]:
                blocks = (np.flatnonzero(sources == name), np.flatnonzero(sources == other))
                for a, b, compared in _agreeing_pairs(
                    filled, present, blocks, step[group], min_overlap
                ):
                    i, j = int(group[a]), int(group[b])
                    pair = [_measure(meta.iloc[k], years[k], has_counts[k]) for k in (i, j)]
                    records.append(
                        _record(
                            pair,
                            compared=compared,
                            either=int(count[i] + count[j] - compared),
                            tolerance=float(max(step[i], step[j]) / 2),
                        )
                    )
    return sorted(records, key=lambda r: r["measures"][0]["indicator_id"])


def _agreeing_pairs(
    filled: np.ndarray,
    present: np.ndarray,
    rows: tuple[np.ndarray, np.ndarray],
    step: np.ndarray,
    min_overlap: int,
) -> list[tuple[int, int, int]]:
    """(row a, row b, values in both) of each agreeing pair, a in ``rows[0]``, b in ``rows[1]``.

    A pair agrees when every LA value both have is within half a unit of the coarser rounding.
    The sum of squared differences over the common keys (three matrix products) rules out
    almost every pair; the few left are checked value by value.
    """
    pa, pb = present[rows[0]], present[rows[1]]
    common = pa.any(axis=0) & pb.any(axis=0)
    pa, pb = pa[:, common], pb[:, common]
    fa, fb = filled[rows[0]][:, common], filled[rows[1]][:, common]
    overlap = pa @ pb.T
    scale = (fa**2) @ pb.T + pa @ (fb**2).T
    ssd = scale - 2.0 * (fa @ fb.T)  # sum over the common keys of (a - b)**2
    tolerance = np.maximum.outer(step[rows[0]], step[rows[1]]) / 2
    bound = overlap * tolerance**2 * (1 + 1e-9) + 1e-9 * scale + 1e-9
    found = []
    for a, b in zip(*np.nonzero((overlap >= min_overlap) & (ssd <= bound)), strict=True):
        both = (pa[a] > 0) & (pb[b] > 0)
        diff = np.abs(fa[a, both] - fb[b, both])
        slack = 1e-9 * np.maximum(1.0, np.abs(fa[a, both]))
        if np.all(diff <= tolerance[a, b] + slack):
            found.append((int(rows[0][a]), int(rows[1][b]), int(both.sum())))
    return found


def _dense(
    members: np.ndarray, ind_code: np.ndarray, key: np.ndarray, value: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Values (0 where absent) and presence (1.0/0.0) of ``members``, one row each, by key."""
    local = np.full(int(ind_code.max()) + 1, -1)
    local[members] = np.arange(len(members))
    take = local[ind_code] >= 0
    _, column = np.unique(key[take], return_inverse=True)
    filled = np.zeros((len(members), int(column.max()) + 1))
    present = np.zeros_like(filled)
    filled[local[ind_code[take]], column] = value[take]
    present[local[ind_code[take]], column] = 1.0
    return filled, present


def _measure(meta: pd.Series, years: np.ndarray, counts: bool) -> dict[str, Any]:
    """One side of a pair: id, title, source, span of years (year ending), counts, update."""
    updated = meta.get("last_updated")
    return {
        "indicator_id": str(meta.name),
        "title": str(meta.get("title", meta.name)),
        "source_id": str(meta["source_id"]),
        "source": source_label(str(meta["source_id"])),
        "first_year": int(years[0]),
        "last_year": int(years[1]),
        "counts": bool(counts),
        "last_updated": str(updated) if isinstance(updated, str) and updated else None,
    }


def _record(
    measures: list[dict[str, Any]], *, compared: int, either: int, tolerance: float
) -> dict[str, Any]:
    """The check record of one pair, the longer (then earlier-starting) series first."""
    measures.sort(key=lambda m: (m["first_year"] - m["last_year"], m["first_year"], m["source"]))
    a, b = measures
    if a["source"] == b["source"]:
        a["source"], b["source"] = (f"{m['source']} ({m['source_id']})" for m in (a, b))
    return {
        "name": f"Same measure: {a['indicator_id']} ({a['source']}) and {b['indicator_id']} "
        f"({b['source']})",
        "kind": SAME_MEASURE,
        "description": (
            f"{a['title']} ({a['source']}) and {b['title']} ({b['source']}) agree on every LA "
            "value both publish (matched on area and year ending): the same measure, kept "
            "from both sources."
        ),
        "sources": [a["source"], b["source"]],
        "tolerance": f"{tolerance:g} (half a unit of the coarser rounding)",
        "compared": compared,
        "agreeing": compared,
        "not_compared": either - compared,
        "differences": [],
        "measures": measures,
        "kept_because": kept_because(a, b),
    }


def kept_because(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Why both of a pair are kept, from facts: span, counts published, later update."""
    reasons = []
    for one, other in ((a, b), (b, a)):
        covers = (
            one["first_year"] <= other["first_year"] and one["last_year"] >= other["last_year"]
        )
        if covers and (one["first_year"], one["last_year"]) != (
            other["first_year"],
            other["last_year"],
        ):
            reasons.append(f"{one['source']}'s series is longer")
        elif not covers and one["first_year"] < other["first_year"]:
            reasons.append(f"{one['source']}'s series starts earlier")
        elif not covers and one["last_year"] > other["last_year"]:
            reasons.append(f"{one['source']} has the later years")
        if one["counts"] and not other["counts"]:
            reasons.append(f"{one['source']} publishes the counts behind the figure")
    if a["last_updated"] and b["last_updated"] and a["last_updated"] != b["last_updated"]:
        later = a if a["last_updated"] > b["last_updated"] else b
        reasons.append(f"{later['source']} was updated later ({later['last_updated']})")
    return reasons or ["each source's figures can be checked against the other's"]
