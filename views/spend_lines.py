"""Where the money goes: one s251 line's spend by provider, and spend per child by service line.

``provision_view`` gives the shares of one line's spend by provider over time for England and
an LA (``indicators.provision_shares``; England's published row, else the sum of the current
LAs, ``indicators.england_value``). ``services_view`` gives England's and the LA's spend per
child on each service line over time with each line's share of the all-services total. The
figure builders (``figures/provision_mix``, ``figures/service_lines``) only draw and format them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

import indicators as ind
from data.schema import ENGLAND_CODE, GeographicLevel, IndicatorMeta, ValueType
from data.store import Store
from views.memo import memoised

__all__ = [
    "LINE_PREFIX",
    "SERVICE_SUBLINES",
    "SERVICE_TOTAL",
    "ProvisionView",
    "ServicesView",
    "line_title",
    "provision_rows",
    "provision_view",
    "service_rows",
    "service_title",
    "services_view",
    "spend_measures",
]

#: The all-services total among the spend-per-child measures (the others are its lines).
SERVICE_TOTAL = "s251_c_ypexpenditure_per_child"
#: Measures that are part of another line (leaving care support is within children looked
#: after), left out of the service-line shares so nothing is counted twice.
SERVICE_SUBLINES = frozenset({"s251_leavecaresupservtotexp_per_child"})
#: The provider parts of s251 line ``<line>`` are ``s251_line_<line>__<part>``.
LINE_PREFIX = "s251_line_"
_LEVELS = [GeographicLevel.NATIONAL, GeographicLevel.LOCAL_AUTHORITY]


# ---------------------------------------------------------------------------------------------
# Provider split
# ---------------------------------------------------------------------------------------------
def line_title(store: Store, line: str) -> str | None:
    """The name of an s251 line holding all four provider parts (None when it does not)."""
    titles = {i: title for i, title, _ in store.catalogue.indicators}
    parts = [f"{LINE_PREFIX}{line}__{part}" for part in ind.PROVISION_PARTS]
    if not all(p in titles for p in parts):
        return None
    return titles[parts[0]].split(":")[0]


def provision_rows(
    parts: Mapping[str, pd.DataFrame], areas: pd.DataFrame, *, la: str | None
) -> tuple[pd.DataFrame, str]:
    """England's and the LA's rows of one s251 line's four provider parts.

    Args:
        parts: indicator id (``s251_line_<line>__<part>``) -> its store rows (all levels and
            periods).
        areas: The store's ``areas`` table.
        la: The LA's code, or None for England only.

    Returns:
        The rows (``indicator_id``, ``area_code``, ``time_period``, ``year_end``, ``value``)
        for ``indicators.provision_shares``, and how England was obtained: England's
        published row where there is one, else the sum of the current LAs
        (``indicators.england_value``), e.g. ``"published"`` or ``"sum of LAs"`` (the most
        common method over the periods and parts).
    """
    frames, methods = [], []
    for indicator_id, rows in parts.items():
        for _, group in rows.groupby("time_period", sort=True):
            england = ind.england_value(group, areas, value_type=ValueType.CURRENCY)
            methods.append(england.method)
            frames.append(
                pd.DataFrame(
                    {
                        "indicator_id": [indicator_id],
                        "area_code": [ENGLAND_CODE],
                        "time_period": [int(group["time_period"].iloc[0])],
                        "year_end": [int(group["year_end"].iloc[0])],
                        "value": [np.nan if england.value is None else float(england.value)],
                    }
                )
            )
        if la is not None:
            mine = rows[rows["area_code"] == la]
            frames.append(
                mine[["area_code", "time_period", "year_end", "value"]].assign(
                    indicator_id=indicator_id
                )
            )
    columns = ["indicator_id", "area_code", "time_period", "year_end", "value"]
    if not frames:
        return pd.DataFrame(columns=columns), ""
    out = pd.concat(frames, ignore_index=True)[columns]
    method = pd.Series(methods).mode().iloc[0] if methods else ""
    return out.astype({"value": float}), str(method)


@dataclass(frozen=True)
class ProvisionView:
    """Shares of one s251 line's spend by provider over time, England and the LA.

    Attributes:
        line_title: The line's name.
        shares: ``indicators.provision_shares``' rows for England and the LA (``area_code``,
            ``time_period``, ``year_end``, ``part``, ``amount`` in pounds, ``share`` 0-1 or
            NaN with a ``note``).
        england_method: How England's amounts were obtained ("published", "sum of LAs").
        period_labels: Each ``time_period``'s published label.
        la: The LA (None for England only); ``year_end`` the chosen year (None for none).
        names: Every area's name.
    """

    line_title: str
    shares: pd.DataFrame
    england_method: str
    period_labels: Mapping[int, str]
    la: str | None
    year_end: int | None
    names: Mapping[str, str]


@memoised
def _provision(store: Store, line: str, la: str | None) -> tuple[pd.DataFrame, str]:
    part_ids = [f"{LINE_PREFIX}{line}__{part}" for part in ind.PROVISION_PARTS]
    rows, method = provision_rows(
        {i: store.indicator_values(i, levels=_LEVELS) for i in part_ids}, store.areas, la=la
    )
    return (ind.provision_shares(rows, line=line) if len(rows) else rows), method


@memoised
def provision_view(store: Store, line: str, la: str | None, year_end: int | None) -> ProvisionView:
    """The provider split of a known line (``line_title`` not None) for England and ``la``."""
    shares, method = _provision(store, line, la)
    part = f"{LINE_PREFIX}{line}__{ind.PROVISION_PARTS[0]}"
    return ProvisionView(
        line_title=line_title(store, line) or line,
        shares=shares,
        england_method=method,
        period_labels=MappingProxyType(dict(store.catalogue.periods.get(part, ()))),
        la=la,
        year_end=year_end,
        names=store.area_names,
    )


# ---------------------------------------------------------------------------------------------
# Service lines
# ---------------------------------------------------------------------------------------------
def spend_measures(indicator_ids: Sequence[str]) -> list[str]:
    """The spend-per-child measures among ``indicator_ids`` (the total first).

    >>> spend_measures(["a_per_child", "cla_rate", SERVICE_TOTAL])
    ['s251_c_ypexpenditure_per_child', 'a_per_child']
    """
    found = [i for i in indicator_ids if i.endswith("_per_child")]
    return sorted(found, key=lambda i: (i != SERVICE_TOTAL, i))


def service_title(meta: IndicatorMeta) -> str:
    """A short service name from a spend-per-child measure's title.

    Examples:
        >>> from data.schema import IndicatorMeta, Polarity, ValueType
        >>> meta = IndicatorMeta("s251_totallacfinance_per_child", "t",
        ...     "Total Children Looked After (finance) - Gross per child", "Spend",
        ...     "£ per child", 0, Polarity.NONE, "Financial year", "s", "x", None, None,
        ...     False, ValueType.CURRENCY, None)
        >>> service_title(meta)
        'Children Looked After'
    """
    if meta.indicator_id == SERVICE_TOTAL:
        return "All children's and young people's services"
    text = meta.short_title.split(" - Gross")[0].replace("(finance)", "")
    text = text.removesuffix(" per child")
    return " ".join(text.removeprefix("Total ").split())


def service_rows(
    frames: Mapping[str, pd.DataFrame], metas: Mapping[str, IndicatorMeta], *, la: str | None
) -> pd.DataFrame:
    """England's and the LA's spend per child on each service line over time.

    Args:
        frames: spend-per-child indicator id -> its store rows.
        metas: The same ids' metadata.
        la: The LA, or None for England only.

    Returns:
        ``indicator_id``, ``service``, ``area_code``, ``time_period``, ``year_end``,
        ``period_label``, ``value`` (£ per child) and ``share`` (of the all-services total
        for the same area and year, 0-1; NaN for the total itself, for lines inside another
        line and where there is no total), the total first, then by service name.
    """
    wanted = {ENGLAND_CODE} | ({la} if la is not None else set())
    parts = []
    for indicator_id, rows in frames.items():
        mine = rows[rows["area_code"].isin(wanted)]
        parts.append(
            mine[["area_code", "time_period", "year_end", "period_label", "value"]].assign(
                indicator_id=indicator_id, service=service_title(metas[indicator_id])
            )
        )
    columns = [
        "indicator_id",
        "service",
        "area_code",
        "time_period",
        "year_end",
        "period_label",
        "value",
        "share",
    ]
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)
    total = out[out["indicator_id"] == SERVICE_TOTAL][["area_code", "year_end", "value"]]
    out = out.merge(
        total.rename(columns={"value": "_total"}), on=["area_code", "year_end"], how="left"
    )
    is_line = ~out["indicator_id"].isin(SERVICE_SUBLINES | {SERVICE_TOTAL})
    with np.errstate(invalid="ignore", divide="ignore"):
        share = out["value"] / out["_total"]
    out["share"] = share.where(is_line & (out["_total"] > 0))
    order = {
        i: k
        for k, i in enumerate(
            sorted(frames, key=lambda i: (i != SERVICE_TOTAL, service_title(metas[i])))
        )
    }
    out = out.assign(_order=out["indicator_id"].map(order)).sort_values(
        ["_order", "area_code", "year_end"]
    )
    return out[columns].reset_index(drop=True)


@dataclass(frozen=True)
class ServicesView:
    """Spend per child on each service line over time, England and the LA.

    Attributes:
        rows: ``service_rows``' frame.
        la: The LA (None for England only).
        chosen: The spend measure on the scatter (its panel is marked; None for none).
        names: Every area's name.
        reason: Why there is no chart (None when the release holds spend per child).
    """

    rows: pd.DataFrame
    la: str | None
    chosen: str | None
    names: Mapping[str, str]
    reason: str | None


@memoised
def services_view(store: Store, la: str | None, chosen: str | None) -> ServicesView:
    """England's and ``la``'s spend per child by service line, ``chosen``'s panel marked."""
    measures = spend_measures([i for i, _, _ in store.catalogue.indicators])
    if not measures:
        reason = "This data release holds no spend per child."
        return ServicesView(pd.DataFrame(), la, chosen, store.area_names, reason)
    rows = service_rows(
        {i: store.indicator_values(i, levels=_LEVELS) for i in measures},
        {i: store.indicator_meta(i) for i in measures},
        la=la,
    )
    return ServicesView(rows, la, chosen, store.area_names, None)
