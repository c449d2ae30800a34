"""The variation page's summary strip: how widely LAs vary, as short labelled figures.

``strip_items`` formats a ``views.variation.SpreadView`` as (figure, label) pairs that
``layouts.variation.stats_strip`` lays out; a number the view could not compute shows the
view's reason ("not defined (the mean is negative)"), never another selection's value.
``place_notes`` is the sentence on the selected LA's place.
"""

from __future__ import annotations

from figures.style import format_value
from views.variation import SpreadView

#: (figure, label) of one item of the strip.
StripItem = tuple[str, str]


def _quartiles(view: SpreadView) -> str:
    if view.p25 is None or view.p75 is None:
        return "not defined (no LA has a value)"
    return f"{format_value(view.p25, view.meta)} to {format_value(view.p75, view.meta)}"


def strip_items(view: SpreadView) -> list[StripItem]:
    """The strip's figures with their labels, in the order shown."""
    meta = view.meta
    ratio = view.p90_p10_ratio
    items = [
        (f"{view.n_ranked}", "LAs with a value"),
        (format_value(view.england.value, meta), "England"),
        (
            format_value(view.median, meta) if view.median is not None else _quartiles(view),
            "Median LA",
        ),
        (_quartiles(view), "Middle half of LAs (25th to 75th percentile)"),
        (
            f"{ratio:.2f}x" if ratio is not None else str(view.ratio_reason),
            "Highest / lowest tenth (P90 / P10)",
        ),
        (
            f"{view.cv:.0%}" if view.cv is not None else str(view.cv_reason),
            "Coefficient of variation",
        ),
    ]
    if view.england.computed and view.england.value is not None:
        items.append((f"computed ({view.england.method})", "England value"))
    return items


def place_notes(view: SpreadView) -> list[str]:
    """A sentence on the selected LA's place (none when no LA is selected)."""
    if view.place is None:
        return []
    return [f"{view.place.la_name}: {view.place.text}."]
