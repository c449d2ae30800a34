"""Cross-source checks made at ingest, recorded in the manifest (``cross_source_checks``).

Each check compares the same quantity from two sources (or a published total with the sum of
its parts) and records: ``name``, ``description``, ``sources``, ``tolerance``, ``compared``
(rows present with a number in both), ``agreeing`` (within the tolerance), ``not_compared``
(rows in one source only, or without a number in one of them) and ``differences`` (every row
beyond the tolerance: area, period, both values and the difference). Differences are reported,
never "fixed": the store keeps each source's own figures.

Checks made here, on the loaded values:

* s251 line-level gross spend (Table A1 / CSV / EES LA files) against the LAIT s251 finance
  table, for the lines ``data/s251_lines.csv`` pairs with a LAIT measure;
* England's published s251 line-level figures against the sum of the LAs;
* MHCLG RO3 children's social care spend against the s251 (LAIT) gross spend of the matching
  service (pairs in ``data/ro3_services.csv``);
* ONS mid-2024 population aged 0-17 by single year of age against the 0-17 population file.

Loaders add their own (overlapping s251 files, the IoD estimate method, the long neighbour
file).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from data.areas import AreaResolver
from data.loaders.common import slug
from data.loaders.ro3_services import load_service_table
from data.loaders.s251_lines import load_line_table
from data.schema import ENGLAND_CODE

_KEY = ["measure", "area_code", "time_period"]


def compare(
    a: pd.DataFrame,
    b: pd.DataFrame,
    *,
    name: str,
    description: str,
    sources: tuple[str, str],
    tolerance: float,
    tolerance_text: str,
    names: dict[str, str],
    relative: bool = False,
) -> dict[str, Any]:
    """Compare two long frames (``measure, area_code, time_period, period_label, value``).

    Rows are matched on (measure, area, period); rows with a finite value in both are compared.
    With ``relative``, ``tolerance`` is a fraction of the second source's value.
    """
    merged = a.merge(b, on=_KEY, how="outer", suffixes=("_a", "_b"))
    va = merged["value_a"].to_numpy(dtype=float)
    vb = merged["value_b"].to_numpy(dtype=float)
    both = np.isfinite(va) & np.isfinite(vb)
    diff = np.where(both, va - vb, np.nan)
    limit = tolerance * np.abs(vb) if relative else tolerance
    agree = both & (np.abs(diff) <= limit)
    bad = both & ~agree
    label = merged["period_label_a"].where(
        merged["period_label_a"].notna(), merged["period_label_b"]
    )
    differences = [
        {
            "area_code": str(code),
            "area_name": names.get(str(code), str(code)),
            "time_period": int(period),
            "period_label": str(text),
            "measure": str(measure),
            "values": {sources[0]: float(x), sources[1]: float(y)},
            "difference": float(d),
        }
        for code, period, text, measure, x, y, d in zip(
            merged["area_code"][bad],
            merged["time_period"][bad],
            label[bad],
            merged["measure"][bad],
            va[bad],
            vb[bad],
            diff[bad],
            strict=True,
        )
    ]
    differences.sort(key=lambda d: (d["measure"], d["time_period"], d["area_code"]))
    return {
        "name": name,
        "description": description,
        "sources": list(sources),
        "tolerance": tolerance_text,
        "compared": int(both.sum()),
        "agreeing": int(agree.sum()),
        "not_compared": int((~both).sum()),
        "differences": differences,
    }


def _rows(values: pd.DataFrame, ids: Iterable[str], *, las_only: bool) -> pd.DataFrame:
    """The rows of some indicators (optionally LAs only) as plain columns."""
    mask = values["indicator_id"].isin(set(ids)).to_numpy()
    sub = values[mask]
    if las_only:
        sub = sub[(sub["geographic_level"].astype(str) == "Local authority").to_numpy()]
    return pd.DataFrame(
        {
            "indicator_id": sub["indicator_id"].astype(str).to_numpy(),
            "area_code": sub["area_code"].astype(str).to_numpy(),
            "time_period": sub["time_period"].to_numpy(dtype=int),
            "period_label": sub["period_label"].astype(str).to_numpy(),
            "value": sub["value"].to_numpy(dtype=float),
        }
    )


def _pair(
    values: pd.DataFrame, pairs: dict[str, tuple[str, str]], *, las_only: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of the two sides of ``pairs`` (measure -> (id a, id b)), keyed by measure."""
    a = _rows(values, (p[0] for p in pairs.values()), las_only=las_only)
    b = _rows(values, (p[1] for p in pairs.values()), las_only=las_only)
    to_a = {p[0]: m for m, p in pairs.items()}
    to_b = {p[1]: m for m, p in pairs.items()}
    return (
        a.assign(measure=a.pop("indicator_id").map(to_a)),
        b.assign(measure=b.pop("indicator_id").map(to_b)),
    )


def _paired(
    values: pd.DataFrame, pairs: dict[str, tuple[str, str]], **compare_options: Any
) -> dict[str, Any] | None:
    """Compare the LA rows of paired indicators (measure -> (id a, id b)) over common years."""
    a, b = _pair(values, pairs, las_only=True)
    if a.empty or b.empty:
        return None
    years = set(a["time_period"]) & set(b["time_period"])
    if not years:
        return None
    return compare(
        a[a["time_period"].isin(years)], b[b["time_period"].isin(years)], **compare_options
    )


def s251_lines_v_lait(values: pd.DataFrame, names: dict[str, str]) -> dict[str, Any] | None:
    """s251 line-level gross spend against LAIT's s251 finance measures, LA by LA."""
    pairs = {
        line.lait_code: (
            f"s251_line_{line.line_id}__total_expenditure",
            f"s251_{slug(line.lait_code)}",
        )
        for line in load_line_table().lines
        if line.lait_code
    }
    return _paired(
        values,
        pairs,
        name="s251 line-level v LAIT finance",
        description=(
            "Total (gross) expenditure of the s251 lines that LAIT publishes (Table A1 / CSV / "
            "EES line-level files) against LAIT's s251 finance table, each LA, the years both "
            "cover."
        ),
        sources=("s251 line-level", "LAIT s251 finance"),
        tolerance=0.5,
        tolerance_text="£0.50 (to the pound)",
        names=names,
    )


def s251_national_v_sum_of_las(
    values: pd.DataFrame, names: dict[str, str]
) -> dict[str, Any] | None:
    """England's published s251 line-level figures against the sum of the LAs' figures."""
    cats = values["indicator_id"].astype("category").cat.categories.astype(str)
    line_ids = [c for c in cats if c.startswith("s251_line_")]
    rows = values[values["indicator_id"].isin(line_ids).to_numpy()]
    if rows.empty:
        return None
    frame = _rows(rows, line_ids, las_only=False)
    level = rows["geographic_level"].astype(str).to_numpy()
    national = frame[frame["area_code"] == ENGLAND_CODE]
    las = frame[level == "Local authority"]
    if national.empty or las.empty:
        return None
    group = las.groupby(["indicator_id", "time_period"])
    complete = group["value"].count() == group["value"].size()  # count leaves NaN out
    summed = group["value"].sum().where(complete).reset_index()
    summed = summed[summed["time_period"].isin(set(national["time_period"]))]
    a = national.rename(columns={"indicator_id": "measure"})
    a = a[a["time_period"].isin(set(summed["time_period"]))]
    b = summed.rename(columns={"indicator_id": "measure"}).assign(
        area_code=ENGLAND_CODE, period_label=None
    )
    return compare(
        a[["measure", "area_code", "time_period", "period_label", "value"]],
        b[["measure", "area_code", "time_period", "period_label", "value"]],
        name="s251 England v sum of LAs",
        description=(
            "England's published s251 line-level figures (EES national file, £ million to 2 "
            "decimals, converted to £) against the sum of the LAs' figures, for every line and "
            "money column of the years with both; a sum is made only where every LA has a "
            "number. DfE's national figure is never replaced by the sum."
        ),
        sources=("England (published)", "sum of LAs"),
        tolerance=5000.0,
        tolerance_text="£5,000 (half the last digit of a £ million figure to 2 decimals)",
        names=names,
    )


def ro3_v_s251(values: pd.DataFrame, names: dict[str, str]) -> dict[str, Any] | None:
    """MHCLG RO3 gross spend against the s251 gross spend (LAIT) of the matching service."""
    pairs = {
        service.lait_code: (
            f"ro3_{service.service_id}__total_expenditure_c3",
            f"s251_{slug(service.lait_code)}",
        )
        for service in load_service_table()
        if service.lait_code
    }
    return _paired(
        values,
        pairs,
        name="MHCLG RO3 v s251 (LAIT)",
        description=(
            "RO3 total expenditure (column C3, published in £ thousand) of each children's "
            "social care service against the s251 gross spend LAIT publishes for the same "
            "service, each LA, the years both cover. The two returns define the services "
            "differently (see docs/data_log.md), so differences are expected."
        ),
        sources=("MHCLG RO3", "s251 (LAIT)"),
        tolerance=1000.0,
        tolerance_text="£1,000 (RO3 is published in £ thousand)",
        names=names,
    )


def population_bands_v_0_17(values: pd.DataFrame, names: dict[str, str]) -> dict[str, Any] | None:
    """ONS mid-2024 ages 0-17 (single-year file) against the 0-17 population file."""
    parts = _rows(values, {"ons_population_age_0_15", "ons_population_age_16_17"}, las_only=False)
    whole = _rows(values, {"ons_population_0_17"}, las_only=False)
    if parts.empty or whole.empty:
        return None
    summed = parts.groupby(["area_code", "time_period"])["value"].sum(min_count=2).reset_index()
    years = set(summed["time_period"])
    whole = whole[whole["time_period"].isin(years)]
    return compare(
        summed.assign(measure="population aged 0-17", period_label=None),
        whole.drop(columns="indicator_id").assign(measure="population aged 0-17"),
        name="ONS ages 0-17: single-year file v 0-17 file",
        description=(
            "Children aged 0-17 summed from the ONS mid-2024 single-year-of-age table against "
            "the ONS 0-17 population file, each area of both."
        ),
        sources=("ONS single year of age", "ONS 0-17 file"),
        tolerance=0.5,
        tolerance_text="exact (counts)",
        names=names,
    )


def cross_source_checks(values: pd.DataFrame, resolver: AreaResolver) -> list[dict[str, Any]]:
    """Every check above that the loaded values allow (a check without data is left out)."""
    names = {rec.area_code: rec.area_name for rec in resolver.records}
    checks = [
        s251_lines_v_lait(values, names),
        s251_national_v_sum_of_las(values, names),
        ro3_v_s251(values, names),
        population_bands_v_0_17(values, names),
    ]
    return [c for c in checks if c is not None]
