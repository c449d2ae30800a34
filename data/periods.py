"""Time periods: every label form the sources use, mapped to EES ``time_period`` form.

The store keeps three things per period (see ``data.schema``):

* ``time_period``: EES form, ``2023`` for a calendar/reporting year, ``202223`` for an academic
  or financial year; a multi-year span ``2014-16`` becomes ``201416`` with a "(span)" identifier.
* ``time_identifier``: ``Reporting year``, ``Financial year``, ``Academic year``, ...
* ``year_end``: the calendar year the period ends in, for sorting, x-axes and aligning sources.

and the publisher's own label (``period_label``), unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

ACADEMIC = "Academic year"
FINANCIAL = "Financial year"
REPORTING = "Reporting year"
CALENDAR = "Calendar year"

_SUFFIX = r"(?:\s*\((?P<suffix>[^)]*)\))?"
_SINGLE = re.compile(rf"^(?P<y>\d{{4}}){_SUFFIX}$")
_PAIR = re.compile(rf"^(?P<a>\d{{4}})\s*[-/]\s*(?P<b>\d{{2}}|\d{{4}}){_SUFFIX}$")
_ACADEMIC_SPAN = re.compile(
    rf"^(?P<a>\d{{4}})/(?P<a2>\d{{2}})\s*-\s*(?P<b1>\d{{2}})/(?P<b>\d{{2}}){_SUFFIX}$"
)

#: LAIT data-dictionary ``Year_Type`` -> time identifier for a single-year label.
_LAIT_YEAR_TYPES = {
    "academic year": ACADEMIC,
    "financial year": FINANCIAL,
    "calendar year": CALENDAR,
    "annual (end of sept)": REPORTING,
    "annual - january": REPORTING,
    "annual": REPORTING,
}


class PeriodError(ValueError):
    """A period label that cannot be read; the caller adds file/row/column."""


@dataclass(frozen=True, slots=True)
class Period:
    """A parsed period: EES ``time_period``, ``time_identifier`` and ``year_end``."""

    time_period: int
    time_identifier: str
    year_end: int


def _two_year(start: int, end_text: str) -> int:
    """Expand ``17`` (after 2016) to 2017; a 4-digit end is taken as it is."""
    if len(end_text) == 4:
        return int(end_text)
    century = start - start % 100
    end = century + int(end_text)
    end = end + 100 if end < start else end
    if not start < end <= start + 10:
        raise PeriodError(f"period {start}-{end_text} does not end within ten years of its start")
    return end


@lru_cache(maxsize=4096)
def parse_lait_year(label: str, year_type: str | None) -> Period:
    """Parse a LAIT ``Years`` label, using the indicator's ``Year_Type`` for single years.

    LAIT labels a single year by the year the period ends: ``2016`` for an academic-year
    measure is 2015/16 (results published for summer 2016), for a financial-year measure
    2015-16 (year ending 31 March 2016).

    Examples:
        >>> parse_lait_year("2016", "Academic Year")
        Period(time_period=201516, time_identifier='Academic year', year_end=2016)
        >>> parse_lait_year("2016-17 (OT)", "Financial Year")
        Period(time_period=201617, time_identifier='Financial year', year_end=2017)
        >>> parse_lait_year("2025 (prov)", "Academic Year").year_end
        2025
        >>> parse_lait_year("2014-16", "Calendar Year")
        Period(time_period=201416, time_identifier='Calendar years (span)', year_end=2016)
        >>> parse_lait_year("2013/14-15/16", "Financial Year")
        Period(time_period=201316, time_identifier='Financial years (span)', year_end=2016)

    Raises:
        PeriodError: For a label of no known form (e.g. ``0``, ``2019-21x``).
    """
    text = label.strip()
    identifier = _LAIT_YEAR_TYPES.get((year_type or "").strip().casefold(), REPORTING)
    if m := _SINGLE.match(text):
        year = int(m["y"])
        _check_year(year, label)
        if identifier in (ACADEMIC, FINANCIAL):
            return Period((year - 1) * 100 + year % 100, identifier, year)
        return Period(year, identifier, year)
    if m := _ACADEMIC_SPAN.match(text):
        start, end = int(m["a"]), _two_year(int(m["a"]), m["b"])
        _check_year(start, label)
        span_kind = identifier if identifier in (ACADEMIC, FINANCIAL) else ACADEMIC
        return Period(start * 100 + end % 100, _span(span_kind), end)
    if m := _PAIR.match(text):
        start = int(m["a"])
        end = _two_year(start, m["b"])
        _check_year(start, label)
        if end == start + 1:
            kind = identifier if identifier in (ACADEMIC, FINANCIAL) else FINANCIAL
            if "/" in text and identifier not in (ACADEMIC, FINANCIAL):
                kind = ACADEMIC
            if m["suffix"] and m["suffix"].strip().upper() == "OT":
                kind = FINANCIAL
            return Period(start * 100 + end % 100, kind, end)
        if end > start + 1:
            span_kind = CALENDAR if identifier in (CALENDAR, REPORTING) else identifier
            return Period(start * 100 + end % 100, _span(span_kind), end)
    raise PeriodError(f"unrecognised period label {label!r}")


def _span(identifier: str) -> str:
    """``Academic year`` -> ``Academic years (span)``."""
    return f"{identifier.split()[0]} years (span)"


def _check_year(year: int, label: str) -> None:
    if not 1990 <= year <= 2100:
        raise PeriodError(f"period label {label!r} has an implausible year {year}")


def parse_ees_period(time_period: str, time_identifier: str) -> Period:
    """Check and parse an EES ``time_period`` against its ``time_identifier``.

    Six-digit periods (academic, financial, tax years) must be consecutive years
    (``201718``); four-digit periods are reporting or calendar years. Dashes and slashes are
    not allowed (EES open-data standard).

    Examples:
        >>> parse_ees_period("202425", "Academic year")
        Period(time_period=202425, time_identifier='Academic year', year_end=2025)
        >>> parse_ees_period("2025", "Reporting year").year_end
        2025

    Raises:
        PeriodError: Wrong length, non-consecutive years, or a 6-digit period with a
            4-digit identifier (and vice versa).
    """
    text = time_period.strip()
    ident = time_identifier.strip()
    six_digit = ident.casefold() in ("academic year", "financial year", "tax year")
    if not text.isdigit() or len(text) not in (4, 6):
        raise PeriodError(
            f"time_period {time_period!r} is not a 4-digit year or a 6-digit year pair"
        )
    if len(text) == 6:
        start, end = int(text[:4]), int(text[4:])
        if not six_digit:
            raise PeriodError(
                f"6-digit time_period {text} does not match time_identifier {ident!r}"
            )
        if (start + 1) % 100 != end:
            raise PeriodError(f"time_period {text} is not two consecutive years")
        _check_year(start, text)
        return Period(int(text), ident[:1].upper() + ident[1:].lower(), start + 1)
    if six_digit:
        raise PeriodError(f"4-digit time_period {text} does not match time_identifier {ident!r}")
    year = int(text)
    _check_year(year, text)
    return Period(year, ident[:1].upper() + ident[1:].lower(), year)


def financial_year_label(label: str) -> Period:
    """Parse a financial-year label such as ``2016-17`` or ``2016/17``.

    Examples:
        >>> financial_year_label("2024-25")
        Period(time_period=202425, time_identifier='Financial year', year_end=2025)
    """
    m = _PAIR.match(label.strip())
    if not m:
        raise PeriodError(f"unrecognised financial year {label!r} (expected e.g. 2016-17)")
    start = int(m["a"])
    end = _two_year(start, m["b"])
    if end != start + 1:
        raise PeriodError(f"financial year {label!r} does not span two consecutive years")
    _check_year(start, label)
    return Period(start * 100 + end % 100, FINANCIAL, end)


def label_for(period: Period) -> str:
    """A readable label for a period: ``2023-24`` (financial), ``2023/24`` (academic), ``2024``.

    Examples:
        >>> label_for(Period(202324, "Academic year", 2024))
        '2023/24'
    """
    if period.time_period >= 10**5:
        start, end = divmod(period.time_period, 100)
        sep = "/" if period.time_identifier.startswith("Academic") else "-"
        return f"{start}{sep}{end:02d}"
    return str(period.time_period)
