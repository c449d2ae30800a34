"""England and region comparators: the published row when there is one, else computed.

DfE rounds national and regional figures and removes ``u`` LAs from them, and England is not
the mean of LA rates, so the published National/Regional rows are always preferred (LAIT does
the same). Only when the values frame has no such row is a value computed from the single LAs
current for the period, and then it is flagged ``computed`` with the method stated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.schema import (
    ENGLAND_CODE,
    LONDON_CODE,
    LONDON_SUBREGION_CODE_RE,
    ValueType,
)
from indicators._common import (
    opt_float,
    require_columns,
    require_single_period,
    require_unique,
)
from indicators.eligibility import eligible_values

__all__ = ["Comparator", "england_value", "region_value"]


@dataclass(frozen=True, slots=True)
class Comparator:
    """An England or region value to compare an LA with.

    Attributes:
        area_code: The comparator's code (``E92000001``, ``E12...`` or ``E13...``).
        label: Display label, e.g. ``"England"`` or ``"Outer London (computed: mean of LAs)"``.
        value: In the indicator's unit; None when not available.
        value_status: The published symbol when the published row has no value; ``"nd"``
            when it had to be computed and no LA has a value; else None.
        computed: False for a published row, True when computed from LAs.
        method: ``"published"``, ``"pooled numerator/denominator"``, ``"sum of LAs"`` or
            ``"mean of LAs"``.
        n_las: LAs that contributed (computed only; None when published).
        n_las_missing: Current LAs in the area with no usable value (computed only).
    """

    area_code: str
    label: str
    value: float | None
    value_status: str | None
    computed: bool
    method: str
    n_las: int | None
    n_las_missing: int | None


def england_value(
    values: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    value_type: ValueType,
    multiplier: float | None = None,
) -> Comparator:
    """Return England's value for one indicator and period.

    Args:
        values: Store ``values`` rows of one indicator and one period (all levels).
        areas: The store's ``areas`` table (names, and which LAs are current).
        value_type: The indicator's ``ValueType`` (chooses the computing method).
        multiplier: The indicator's multiplier (e.g. 100 for a %), needed for pooling.

    Returns:
        A ``Comparator``; the published National row if present (even when its value is
        suppressed: the symbol is kept rather than overridden by a computation).

    Raises:
        ValueError: On missing columns, repeated areas, or mixed periods.

    Notes:
        Units: the indicator's unit. Polarity: not used. Ties: not applicable. Missing
        values: when computed, LAs without a value are left out and counted in
        ``n_las_missing``. Methods, in order: pooled ``multiplier * sum(numerator) /
        sum(denominator)`` when every contributing LA has both (proportions, rates, means,
        other); the sum of LA values for counts and currency; else the unweighted mean of LA
        values (labelled, as it is not how DfE computes England).

    Examples:
        >>> areas = pd.DataFrame({"area_code": ["E06000001", "E06000002"],
        ...     "area_name": ["A", "B"], "area_type": ["Local authority"] * 2,
        ...     "region_code": ["E12000001"] * 2, "valid_from": [None, None],
        ...     "valid_to": [None, None]})
        >>> values = pd.DataFrame({"area_code": ["E06000001", "E06000002"],
        ...     "geographic_level": ["Local authority"] * 2, "time_period": [2024] * 2,
        ...     "time_identifier": ["Reporting year"] * 2, "year_end": [2024] * 2,
        ...     "value": [10.0, 30.0], "value_status": [None, None],
        ...     "numerator": [1.0, 9.0], "denominator": [10.0, 30.0]})
        >>> c = england_value(values, areas, value_type=ValueType.PROPORTION, multiplier=100)
        >>> c.value, c.method
        (25.0, 'pooled numerator/denominator')
    """
    _check(values, areas, "england_value")
    published = values[values["area_code"] == ENGLAND_CODE]
    if len(published):
        return _published(published.iloc[0], "England")
    las = eligible_values(values, areas)
    return _computed(las, ENGLAND_CODE, "England", value_type, multiplier)


def region_value(
    values: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    area_code: str,
    value_type: ValueType,
    multiplier: float | None = None,
) -> Comparator:
    """Return the region value an LA is compared with, for one indicator and period.

    The region is the LA's ``region_code`` in ``areas``. For a London LA that is Inner or
    Outer London (E13); if that row is not published, London (E12000007) is used when
    published (LAIT chooses whichever London row the indicator has). Otherwise the value is
    computed from the current LAs with the same ``region_code``.

    Args:
        values: Store ``values`` rows of one indicator and one period (all levels).
        areas: The store's ``areas`` table.
        area_code: The LA whose region is wanted.
        value_type: The indicator's ``ValueType``.
        multiplier: The indicator's multiplier, needed for pooling.

    Returns:
        A ``Comparator`` (see ``england_value`` for the computing methods).

    Raises:
        ValueError: If ``area_code`` is unknown or has no region, or on bad frames.

    Notes:
        Units: the indicator's unit. Polarity: not used. Ties: not applicable. Missing
        values: as ``england_value``.

    Examples:
        >>> areas = pd.DataFrame({"area_code": ["E09000002", "E13000002"],
        ...     "area_name": ["Barking and Dagenham", "Outer London"],
        ...     "area_type": ["Local authority", "London sub-region"],
        ...     "region_code": ["E13000002", None], "valid_from": [None, None],
        ...     "valid_to": [None, None]})
        >>> values = pd.DataFrame({"area_code": ["E09000002", "E12000007"],
        ...     "geographic_level": ["Local authority", "Regional"], "time_period": [2024] * 2,
        ...     "time_identifier": ["Reporting year"] * 2, "year_end": [2024] * 2,
        ...     "value": [70.0, 50.0], "value_status": [None, None]})
        >>> c = region_value(values, areas, area_code="E09000002", value_type=ValueType.RATE)
        >>> c.area_code, c.value, c.label
        ('E12000007', 50.0, 'London (Outer London not published)')
    """
    _check(values, areas, "region_value")
    require_columns(areas, ["region_code"], what="region_value")
    row = areas[areas["area_code"] == area_code]
    if row.empty:
        raise ValueError(f"region_value: {area_code!r} is not in areas")
    region = row["region_code"].iloc[0]
    if region is None or (isinstance(region, float) and np.isnan(region)):
        raise ValueError(f"region_value: {area_code!r} has no region_code")
    region = str(region)
    name = _name(areas, region)
    published = values[values["area_code"] == region]
    if len(published):
        return _published(published.iloc[0], name)
    if LONDON_SUBREGION_CODE_RE.match(region):
        london = values[values["area_code"] == LONDON_CODE]
        if len(london):
            label = f"{_name(areas, LONDON_CODE)} ({name} not published)"
            return _published(london.iloc[0], label)
    members = set(areas.loc[areas["region_code"].astype(object) == region, "area_code"])
    las = eligible_values(values, areas)
    las = las[las["area_code"].isin(members)]
    return _computed(las, region, name, value_type, multiplier)


def _check(values: pd.DataFrame, areas: pd.DataFrame, what: str) -> None:
    require_columns(
        values,
        ["area_code", "value", "time_period", "time_identifier", "year_end"],
        what=what,
    )
    require_columns(areas, ["area_code", "area_type", "valid_from", "valid_to"], what=what)
    require_single_period(values, what=what)
    require_unique(values, ["area_code"], what=what)


def _name(areas: pd.DataFrame, code: str) -> str:
    if code == ENGLAND_CODE:
        return "England"
    if code == LONDON_CODE and "area_name" not in areas.columns:
        return "London"
    if "area_name" in areas.columns:
        match = areas.loc[areas["area_code"] == code, "area_name"]
        if len(match):
            return str(match.iloc[0])
    return "London" if code == LONDON_CODE else code


def _published(row: pd.Series, label: str) -> Comparator:
    value = opt_float(row["value"])
    status = row.get("value_status")
    status = None if value is not None or status is None or pd.isna(status) else str(status)
    return Comparator(str(row["area_code"]), label, value, status, False, "published", None, None)


def _computed(
    las: pd.DataFrame,
    code: str,
    name: str,
    value_type: ValueType,
    multiplier: float | None,
) -> Comparator:
    if not isinstance(value_type, ValueType):
        raise ValueError(f"value_type must be a data.schema.ValueType, not {value_type!r}")
    value = pd.to_numeric(las["value"]).astype(float)
    usable = las[np.isfinite(value)]
    n_missing = len(las) - len(usable)
    if usable.empty:
        return Comparator(
            code, f"{name} (computed: no LA has a value)", None, "nd", True, "none", 0, n_missing
        )
    num = pd.to_numeric(usable.get("numerator", pd.Series(np.nan, index=usable.index)))
    den = pd.to_numeric(usable.get("denominator", pd.Series(np.nan, index=usable.index)))
    poolable = (
        value_type not in (ValueType.COUNT, ValueType.CURRENCY)
        and bool(np.isfinite(num).all() and np.isfinite(den).all())
        and float(den.sum()) > 0
    )
    if poolable and multiplier is not None:
        result, method = (
            float(multiplier) * float(num.sum()) / float(den.sum()),
            ("pooled numerator/denominator"),
        )
    elif value_type in (ValueType.COUNT, ValueType.CURRENCY):
        result, method = float(usable["value"].astype(float).sum()), "sum of LAs"
    else:
        result, method = float(usable["value"].astype(float).mean()), "mean of LAs"
    return Comparator(
        code,
        f"{name} (computed: {method})",
        result,
        None,
        True,
        method,
        len(usable),
        n_missing,
    )
