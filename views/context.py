"""National context (issue 12, item 5): the 2014 deck's context charts, for every year held.

One area at a time (England, or any LA on its own scale): children in need, children on
child protection plans and children looked after at 31 March, as numbers and as rates per
10,000 children aged 0-17, and gross section 251 spend on children's social care in cash and
per child aged 0-17.

**One series, several sources.** Each measure lists the store's indicators that publish it,
in order of preference (``SERIES``). For every year the first of them with a value for the
area gives the point, and the point keeps its indicator and source: EES first (DfE's own
statistical release, or a rate la-variation computes from its count and the ONS population),
LAIT only for years EES does not cover. Only indicators of one definition share a series (the
count or rate of children at 31 March, per 10,000 children aged 0-17); a series of another
definition is a line of its own (``SPEND``: children's social care and all children's and
young people's services are drawn as two labelled lines, never joined).

**Spend.** Children's social care is the sum of four s251 gross-spend lines the value page
shows among its service lines (``CSC_LINES``: children looked after, safeguarding, family
support, other children's and families services); leaving care support is inside children
looked after (``views.spend_lines.SERVICE_SUBLINES``) and is not added again. Per child is
the sum of the same lines' spend per child (``indicators.derive_indicators``: spend / ONS
children aged 0-17, as the value page uses). A year lacking any of the four lines is a gap,
never a partial sum. Amounts are cash: the shared data hold no deflator, so no real terms.

**Gaps.** Every year from the first to the last any area holds for a series is a row; a year
with no value is NaN (a gap, never interpolated).

**Units and polarity.** Numbers are children; rates per 10,000 children aged 0-17; spend in
pounds (cash) or pounds per child aged 0-17 (``UNITS``). None of these has a better direction:
the page shows levels and changes and never calls one better or worse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.schema import ENGLAND_CODE, GeographicLevel
from data.store import Store
from views.memo import memoised
from views.spend_lines import SERVICE_TOTAL

__all__ = [
    "CSC_LINES",
    "SERIES",
    "SOURCES",
    "SPEND",
    "UNITS",
    "ContextRows",
    "ContextView",
    "Series",
    "SeriesSpan",
    "context_rows",
    "context_view",
    "series_points",
    "series_span",
]

#: Columns of ``ContextView.points``.
COLUMNS = [
    "series",
    "group",
    "kind",
    "year_end",
    "period_label",
    "value",
    "indicator_id",
    "source",
]


@dataclass(frozen=True)
class Series:
    """One measure over time.

    Attributes:
        key: Stable id (``cin_number``...).
        group: What is counted ("Children in need"...): a panel of the page.
        kind: ``number`` (children), ``rate`` (per 10,000 children aged 0-17), ``cash`` (£)
            or ``per_child`` (£ per child aged 0-17).
        title: The measure in words.
        candidates: Indicator ids of the same definition, preferred first (a point comes
            from the first with a value that year).
        summed: When not empty, the series is the sum of these indicator ids instead (all
            must have a value that year, else a gap); ``candidates`` is then empty.
    """

    key: str
    group: str
    kind: str
    title: str
    candidates: tuple[str, ...] = ()
    summed: tuple[str, ...] = ()


#: The s251 gross-spend lines counted as children's social care (all four value-page service
#: lines outside early years, services for young people and youth justice).
CSC_LINES = (
    "s251_totallacfinance",
    "s251_safeguardingfinance",
    "s251_familysupportfinance",
    "s251_otherchildren_familyfinance",
)
_ALL_SERVICES = SERVICE_TOTAL.removesuffix("_per_child")

#: Children at 31 March: numbers and rates (EES first, LAIT for years EES lacks).
SERIES: tuple[Series, ...] = (
    Series("cin_number", "Children in need", "number", "Children in need at 31 March",
           ("cin_at_31_march",)),
    Series("cpp_number", "Child protection plans", "number",
           "Children on child protection plans at 31 March",
           ("cpp_at_31_march_count", "lait_cpp_num")),
    Series("cla_number", "Children looked after", "number",
           "Children looked after at 31 March", ("cla_at_31_march_count", "lait_lacnum")),
    Series("cin_rate", "Children in need", "rate",
           "Children in need at 31 March per 10,000 children",
           ("cin_at_31_march_rate", "lait_cin")),
    Series("cpp_rate", "Child protection plans", "rate",
           "Children on child protection plans at 31 March per 10,000 children",
           ("cpp_at_31_march_rate", "lait_cpp_rate")),
    Series("cla_rate", "Children looked after", "rate",
           "Children looked after at 31 March per 10,000 children",
           ("cla_at_31_march_rate", "lait_lac")),
)  # fmt: skip

#: Gross s251 spend: children's social care and, as a separate line, all services.
SPEND: tuple[Series, ...] = (
    Series("csc_cash", "Children's social care", "cash",
           "Gross spend on children's social care (cash)", summed=CSC_LINES),
    Series("all_cash", "All children's and young people's services", "cash",
           "Gross spend on all children's and young people's services (cash)",
           (_ALL_SERVICES,)),
    Series("csc_per_child", "Children's social care", "per_child",
           "Gross spend on children's social care per child aged 0-17 (cash)",
           summed=tuple(f"{i}_per_child" for i in CSC_LINES)),
    Series("all_per_child", "All children's and young people's services", "per_child",
           "Gross spend on all children's and young people's services per child aged 0-17 "
           "(cash)", (SERVICE_TOTAL,)),
)  # fmt: skip

#: The unit of each kind of series.
UNITS: Mapping[str, str] = {
    "number": "children",
    "rate": "per 10,000 children aged 0-17",
    "cash": "£ (cash)",
    "per_child": "£ per child aged 0-17 (cash)",
}
#: A point's source in words, by the indicator's ``source_id``.
SOURCES: Mapping[str, str] = {
    "ees_cin": "DfE children in need statistics (EES)",
    "ees_cla": "DfE children looked after statistics (EES)",
    "computed": "EES count / ONS children aged 0-17 (la-variation)",
    "lait": "DfE LAIT",
    "s251": "DfE section 251 outturn",
    "derived": "s251 / ONS children aged 0-17 (la-variation)",
}
_LEVELS = [GeographicLevel.NATIONAL, GeographicLevel.LOCAL_AUTHORITY]


#: A series' years, from the first to the last any area holds, and each year's label.
SeriesSpan = tuple[range, Mapping[int, str]]


def series_span(series: Series, rows: Mapping[str, pd.DataFrame]) -> SeriesSpan | None:
    """The years ``series_points`` gives a row to, and their labels; None if none is held.

    ``rows`` as for ``series_points`` (every area's rows): the span runs from the first to
    the last ``year_end`` any of the series' indicators holds for any area; a year's label is
    the first indicator's (in ``series`` order) that holds the year.
    """
    ids = series.summed or series.candidates
    held = [rows[i] for i in ids if i in rows and len(rows[i])]
    if not held:
        return None
    every = pd.concat(held, ignore_index=True)
    years = range(int(every["year_end"].min()), int(every["year_end"].max()) + 1)
    first = every.drop_duplicates("year_end")
    years_held, names = first["year_end"].astype(int), first["period_label"].astype(str)
    labels = dict(zip(years_held, names, strict=True))
    return years, labels


def series_points(
    series: Series,
    rows: Mapping[str, pd.DataFrame],
    sources: Mapping[str, str],
    *,
    area: str,
) -> pd.DataFrame:
    """One area's points of one series, a row for every year the series spans.

    Args:
        series: What to assemble.
        rows: indicator id -> its store rows (``area_code``, ``year_end``, ``period_label``,
            ``value``; any areas and years). An id the store lacks is simply absent.
        sources: indicator id -> source in words.
        area: The area's code.

    Returns:
        ``COLUMNS``, oldest first: one row for every ``year_end`` from the first to the last
        that any of the series' indicators holds for any area. ``value`` is in the series'
        unit and NaN where the area has none (``indicator_id`` and ``source`` empty); a summed
        series has ``indicator_id`` "+"-joined and is NaN unless every part has a value.

    Notes:
        Ties between sources: the first candidate with a finite value wins the year. Missing
        values are never filled from neighbouring years.

    Examples:
        >>> s = Series("x", "X", "number", "x", ("a", "b"))
        >>> a = pd.DataFrame({"area_code": ["E1", "E1"], "year_end": [2020, 2022],
        ...                   "period_label": ["2020", "2022"], "value": [1.0, 3.0]})
        >>> b = pd.DataFrame({"area_code": ["E1"], "year_end": [2020],
        ...                   "period_label": ["2020"], "value": [9.0]})
        >>> out = series_points(s, {"a": a, "b": b}, {"a": "A", "b": "B"}, area="E1")
        >>> out[["year_end", "value", "source"]].values.tolist()
        [[2020, 1.0, 'A'], [2021, nan, ''], [2022, 3.0, 'A']]
    """
    ids = series.summed or series.candidates
    span = series_span(series, rows)
    if span is None:
        return pd.DataFrame(columns=COLUMNS)
    mine = {i: _values_by_area(rows[i]).get(area, {}) for i in ids if i in rows}
    return _points(series, mine, sources, span)


def _points(
    series: Series,
    mine: Mapping[str, Mapping[int, float]],
    sources: Mapping[str, str],
    span: SeriesSpan,
) -> pd.DataFrame:
    """``series_points`` from the area's values of each indicator (``_values_by_area``)."""
    years, labels = span
    out = []
    for year in years:
        value, ident = np.nan, ""
        if series.summed:
            parts = [mine[i][year] for i in series.summed if i in mine and year in mine[i]]
            if len(parts) == len(series.summed):
                value, ident = float(sum(parts)), "+".join(series.summed)
        else:
            for i in series.candidates:
                if i in mine and year in mine[i]:
                    value, ident = mine[i][year], i
                    break
        out.append(
            {
                "series": series.key,
                "group": series.group,
                "kind": series.kind,
                "year_end": year,
                "period_label": str(labels.get(year, year)),
                "value": value,
                "indicator_id": ident,
                "source": sources.get(ident.split("+")[0], "") if ident else "",
            }
        )
    return pd.DataFrame(out, columns=COLUMNS).astype({"year_end": int, "value": float})


@dataclass(frozen=True)
class ContextView:
    """One area's context series.

    Attributes:
        area: The area's code (``ENGLAND_CODE`` for England); ``name`` its name.
        points: ``series_points`` of every series in ``SERIES`` then ``SPEND``, stacked.
        titles: series key -> the measure in words.
        notes: Sentences about the area's history (created, abolished) and what it lacks.
    """

    area: str
    name: str
    points: pd.DataFrame
    titles: Mapping[str, str]
    notes: tuple[str, ...]

    def of(self, key: str) -> pd.DataFrame:
        """The points of one series, oldest first (empty when the store holds none)."""
        return self.points[self.points["series"] == key].reset_index(drop=True)


def _history(store: Store, area: str) -> list[str]:
    """Sentences on when the LA was created or abolished and what it replaced."""
    rows = store.areas[store.areas["area_code"] == area]
    if rows.empty or area == ENGLAND_CODE:
        return []
    row = rows.iloc[0]
    name, notes = str(row["area_name"]), []
    start, end = row.get("valid_from"), row.get("valid_to")

    def _codes(value: object) -> list[str]:
        if value is None or isinstance(value, float):
            return []
        codes = [str(c) for c in value]  # type: ignore[attr-defined]
        return [f"{store.area_name(c)} ({c})" for c in codes]

    if start is not None and not pd.isna(start):
        before = _codes(row.get("predecessor_codes"))
        replaced = f", replacing {', '.join(before)}" if before else ""
        notes.append(
            f"{name} was created on {pd.Timestamp(start):%-d %B %Y}{replaced}: its series "
            "start then, and earlier years are gaps (its predecessors' figures are not added)."
        )
    if end is not None and not pd.isna(end):
        after = _codes(row.get("successor_codes"))
        by = f" (succeeded by {', '.join(after)})" if after else ""
        notes.append(
            f"{name} was abolished on {pd.Timestamp(end):%-d %B %Y}{by}: its series end "
            "then, and later years are gaps."
        )
    return notes


@dataclass(frozen=True)
class ContextRows:
    """The release's values of every context indicator, read and split by area once.

    Attributes:
        values: indicator id -> area code -> year_end -> value (England and LAs).
        sources: indicator id -> source in words.
        spans: series key -> ``series_span`` over every area (absent: none held).
    """

    values: Mapping[str, Mapping[str, Mapping[int, float]]]
    sources: Mapping[str, str]
    spans: Mapping[str, SeriesSpan]

    def of(self, area: str) -> dict[str, Mapping[int, float]]:
        """Indicator id -> the area's values by year (empty where it has none)."""
        return {i: areas.get(area, {}) for i, areas in self.values.items()}


def _values_by_area(rows: pd.DataFrame) -> dict[str, dict[int, float]]:
    """Area code -> year_end -> value in one indicator's rows, in one pass.

    A year's first value held counts; NaN values are skipped.
    """
    held = rows.dropna(subset=["value"]).drop_duplicates(["area_code", "year_end"])
    values: dict[str, dict[int, float]] = {}
    for code, year, value in zip(
        held["area_code"].astype(str),
        held["year_end"].astype(int),
        held["value"].astype(float),
        strict=True,
    ):
        values.setdefault(code, {})[year] = value
    return values


@memoised
def context_rows(store: Store) -> ContextRows:
    """The release's context values (a view of the store alone: built once per release)."""
    wanted = {i for s in (*SERIES, *SPEND) for i in (*s.candidates, *s.summed)}
    known = sorted(i for i in wanted if store.has_indicator(i))
    rows = {i: store.indicator_values(i, levels=_LEVELS) for i in known}
    sources = {i: SOURCES.get(store.indicator_meta(i).source_id, "") for i in known}
    for i in known:
        sources[i] = sources[i] or str(store.indicator_meta(i).source_id)
    spans = {s.key: series_span(s, rows) for s in (*SERIES, *SPEND)}
    return ContextRows(
        values={i: _values_by_area(rows[i]) for i in known},
        sources=sources,
        spans={key: span for key, span in spans.items() if span is not None},
    )


@memoised
def context_view(store: Store, area: str) -> ContextView:
    """The context series of ``area`` (England or a known LA code; the caller checks it)."""
    tables = context_rows(store)
    mine = tables.of(area)
    frames = [
        _points(s, mine, tables.sources, tables.spans[s.key])
        for s in (*SERIES, *SPEND)
        if s.key in tables.spans
    ]
    frames = [f for f in frames if len(f)]
    points = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    notes = _history(store, area)
    spend = points[points["kind"].isin(["cash", "per_child"])]
    if spend["value"].notna().sum() == 0:
        notes.append(f"No section 251 spend is held for {store.area_name(area)}.")
    return ContextView(
        area=area,
        name="England" if area == ENGLAND_CODE else store.area_name(area),
        points=points,
        titles={s.key: s.title for s in (*SERIES, *SPEND)},
        notes=tuple(notes),
    )
