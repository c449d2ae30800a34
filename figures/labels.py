"""Words and labels shared by the figure builders (statuses, units, comparisons)."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from data.schema import ALL_STATUS_MEANINGS, ENGLAND_CODE, IndicatorMeta
from indicators import NOT_COMPARED

NO_VALUE = "no value"


def area_name(names: Mapping[str, str], code: object) -> str:
    """An area's display name (its code when the names do not hold it)."""
    return names.get(str(code), str(code))


def decimals_of(meta: IndicatorMeta) -> int:
    """Decimal places to show for an indicator (1 when the metadata gives none)."""
    return 1 if meta.decimals is None else meta.decimals


def status_text(status: str | None) -> str:
    """A publisher symbol with its meaning, e.g. ``"c (confidential: suppressed ...)"``."""
    if not status:
        return NO_VALUE
    meaning = ALL_STATUS_MEANINGS.get(status)
    if status == "no row":
        meaning = "no row for this LA and year (e.g. it did not exist)"
    return f"{status} ({meaning})" if meaning else status


def unit_title(meta: IndicatorMeta) -> str:
    """A short value-axis title naming the unit (the chart title names the indicator).

    Examples:
        >>> from data.schema import IndicatorMeta, Polarity, ValueType
        >>> m = IndicatorMeta("x", "t", "t", "topic", "%", 1, Polarity.NONE, "Reporting year",
        ...                   "s", "x", None, None, False, ValueType.PROPORTION, 100.0)
        >>> unit_title(m)
        'Per cent (%)'
    """
    unit = meta.unit.strip()
    if unit == "%":
        return "Per cent (%)"
    if unit in ("", "number"):
        return "Number"
    return unit[:1].upper() + unit[1:]


def ordinal(n: int) -> str:
    """1 -> "1st", 22 -> "22nd", 113 -> "113th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def upper_first(text: str) -> str:
    """The text with its first letter in capitals."""
    return text[:1].upper() + text[1:]


def compared_with(label: str, what: str) -> str:
    """``("better", "England")`` -> ``"better than England"``; ``"similar to ..."`` etc."""
    if label == NOT_COMPARED:
        return f"not compared with {what}"
    if label == "similar":
        return f"similar to {what}"
    return f"{label} than {what}"


#: The licence line every exported chart and the board pack carry.
OGL = "Contains public sector information licensed under the Open Government Licence v3.0."


def source_line(meta: IndicatorMeta) -> str:
    """Where an indicator's numbers come from, e.g. ``"Source: DfE (explore-education-...)"``.

    Examples:
        >>> from data.schema import IndicatorMeta, Polarity, ValueType
        >>> m = IndicatorMeta("x", "t", "t", "topic", "%", 1, Polarity.NONE, "Reporting year",
        ...                   "ees_cla", "x", "https://example.org/cla", None, False,
        ...                   ValueType.PROPORTION, 100.0)
        >>> source_line(m)
        'Source: ees_cla (example.org/cla)'
    """
    owner = meta.data_owner or meta.source_id
    url = (meta.source_url or "").removeprefix("https://").removeprefix("http://")
    return f"Source: {owner} ({url})" if url else f"Source: {owner}"


def export_name(*parts: str) -> str:
    """A file name (no extension) from the LA, indicator and period: letters, digits, ``-``.

    Examples:
        >>> export_name("Blackpool", "lait_lacstable_2016on", "2023-24")
        'Blackpool-lait_lacstable_2016on-2023-24'
    """
    text = "-".join(p.strip() for p in parts if p and p.strip())
    safe = "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in text)
    return safe[:150] or "chart"


def place_name(names: Mapping[str, str], code: object) -> str:
    """An area's display name, "England" for England's code."""
    return "England" if code == ENGLAND_CODE else area_name(names, code)


def wrap(text: str, width: int = 60) -> str:
    """Break a long axis or panel title into lines (plotly does not wrap).

    >>> wrap("spend per child on children looked after", 20)
    'spend per child on<br>children looked<br>after'
    """
    return "<br>".join(textwrap.wrap(text, width)) or text
