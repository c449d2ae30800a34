"""The benchmark summary table: the LA's value, rank, band and comparisons in one year.

``summary_data`` lays out a ``views.benchmark_summary.SummaryView`` as the table (and its CSV),
``summary_text`` is its caption.
"""

from __future__ import annotations

import pandas as pd

from data.schema import IndicatorMeta
from figures.labels import compared_with, decimals_of, status_text, upper_first
from figures.style import format_value
from figures.tables import DataView
from indicators import MIN_WITH_DATA, NOT_COMPARED
from views.benchmark_summary import Comparison, SummaryView


def separating_decimals(comparison: Comparison, meta: IndicatorMeta) -> int:
    """Decimals that show why an interval is above or below its benchmark.

    An interval of 21.94 to 25.1 is above a benchmark of 21.86, but at one decimal both read
    21.9: "worse than 21.9" would read as a contradiction. Starting from the indicator's
    decimals, add places (at most 4 more) until the bound that decides the comparison and the
    benchmark read differently.
    """
    base = decimals_of(meta)
    lower, upper, bench = comparison.lower, comparison.upper, comparison.benchmark
    if lower is None or upper is None or bench is None:
        return base
    deciding = lower if lower > bench else upper if upper < bench else None
    if deciding is None:
        return base
    for places in range(base, base + 5):
        if format_value(deciding, meta, places) != format_value(bench, meta, places):
            return places
    return base + 4


def interval_text(comparison: Comparison, meta: IndicatorMeta) -> str:
    """``"95% interval 6.1% to 10.2%, benchmark 10.3%"`` with separating decimals."""
    places = separating_decimals(comparison, meta)
    return (
        f"95% interval {format_value(comparison.lower, meta, places)} to "
        f"{format_value(comparison.upper, meta, places)}, benchmark "
        f"{format_value(comparison.benchmark, meta, places)}"
    )


def detail(comparison: Comparison, meta: IndicatorMeta) -> str:
    """The numbers behind a comparison, or why there is none."""
    if comparison.label == NOT_COMPARED or comparison.lower is None or comparison.upper is None:
        return comparison.note
    return interval_text(comparison, meta)


def summary_data(view: SummaryView) -> DataView:
    """The summary table: one row per measure, with a plain number where there is one."""
    s, meta = view, view.meta
    lower, upper, ci_note = s.vs_england.lower, s.vs_england.upper, s.interval_note
    nb = s.neighbours
    rows: list[tuple[str, str, float | None, str]] = [
        (
            f"{s.la_name} value",
            format_value(s.la_value, meta),
            s.la_value,
            "" if s.la_value is not None else status_text(s.la_status),
        ),
        ("Rank among all LAs", s.rank_text, None, "competition ranking, as DfE LAIT"),
        ("Quartile band (A = best quarter)", s.band, None, s.band_note),
        (
            "95% confidence interval",
            "-"
            if lower is None or upper is None
            else f"{format_value(lower, meta)} to {format_value(upper, meta)}",
            None,
            ci_note,
        ),
        ("England", format_value(s.england.value, meta), s.england.value, s.england.label),
    ]
    if s.region is not None:
        rows.append(("Region", format_value(s.region.value, meta), s.region.value, s.region.label))
    if nb is not None:
        rows.append(
            (
                s.average_label,
                format_value(nb.value, meta),
                nb.value,
                f"{nb.n_with_data} of {nb.n_expected} with data ({nb.missing_text})"
                + (f"; fewer than {MIN_WITH_DATA}: use with caution" if nb.below_minimum else ""),
            )
        )
    rows.append(("Compared with England", s.vs_england.label, None, detail(s.vs_england, meta)))
    rows.append(
        (
            f"Compared with: {s.average_label}",
            s.vs_neighbours.label,
            None,
            detail(s.vs_neighbours, meta),
        )
    )
    frame = pd.DataFrame(rows, columns=["Measure", "Value", "Number", "Notes"]).astype(
        {"Number": float}
    )
    return DataView(
        frame,
        f"{meta.title}: {s.la_name}, {s.period_label}",
        {"Number": max(decimals_of(meta), 1)},
        key=None,
    )


def summary_text(view: SummaryView) -> str:
    """One or two sentences for the summary table's caption."""
    s, meta = view, view.meta
    england = f"England: {format_value(s.england.value, meta)}"
    if s.la_value is None:
        return (
            f"{s.la_name} has no published value for {s.period_label} "
            f"({status_text(s.la_status)}). {england}."
        )
    nb = s.neighbours
    text = (
        f"{s.la_name}, {s.period_label}: {format_value(s.la_value, meta)}, {s.rank_text}; "
        f"quartile band {s.band}. {upper_first(compared_with(s.vs_england.label, 'England'))} "
        f"({_against(s.vs_england, s.england.value, meta)})"
    )
    if nb is not None:
        text += (
            f"; {compared_with(s.vs_neighbours.label, 'the neighbour ' + nb.statistic)} "
            f"({_against(s.vs_neighbours, nb.value, meta)}, "
            f"{nb.n_with_data} of {nb.n_expected} with data)"
        )
    return text + "."


def _against(comparison: Comparison, value: float | None, meta: IndicatorMeta) -> str:
    """The benchmark's value, with the LA's interval where it decided the comparison."""
    if comparison.label in (NOT_COMPARED, "similar") or comparison.lower is None:
        return format_value(value, meta)
    return interval_text(comparison, meta).replace("95% interval", "the LA's 95% interval")
