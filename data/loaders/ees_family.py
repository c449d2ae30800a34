"""What a kind of EES file holds (``Family`` and its parts), and recognising it by its header.

A file is recognised by its header (the family's signature columns), never by its name; where
several families match, the values of their signature filter columns decide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from data.csvio import RawCsv
from data.schema import Polarity, ValueType

EES_ID_COLUMNS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
)


@dataclass(frozen=True, slots=True)
class Measure:
    """One measure column of a family.

    Attributes:
        column: Header of the value column.
        key: Id suffix (``""`` for none).
        label: Human label used in titles (e.g. "number of children", "%").
        value_type, unit, multiplier, decimals: See ``data.schema``.
        polarity: Fixed polarity; ``None`` takes the family's filter rules.
        numerator: Same-row column holding the count behind a percentage or rate.
        denominator: Same-row column holding the base (e.g. ``t_pupils``).
        denominator_from_total: Column to take, as denominator, from the row's *total* row
            (same period, area and leading filters; see ``Family.total_pattern``).
        optional: Whether the column may be missing from a file of this family.
    """

    column: str
    key: str
    label: str
    value_type: ValueType = ValueType.COUNT
    unit: str = "number"
    multiplier: float | None = None
    decimals: int | None = None
    polarity: Polarity | None = None
    numerator: str | None = None
    denominator: str | None = None
    denominator_from_total: str | None = None
    optional: bool = False


@dataclass(frozen=True, slots=True)
class Rule:
    """A polarity (or override) chosen by a regex over the row's filter text."""

    pattern: str
    polarity: Polarity


@dataclass(frozen=True, slots=True)
class Override:
    """Rows whose filter text matches ``pattern`` hold a different kind of value in ``column``.

    E.g. the "SDQ average score" breakdown carries a mean score in ``children_count``.
    ``skip=True`` drops that measure for those rows (e.g. its percentage is always ``z``).
    """

    pattern: str
    column: str
    value_type: ValueType = ValueType.MEAN
    unit: str = "score"
    label: str = "average score"
    polarity: Polarity = Polarity.NONE
    decimals: int | None = 1
    skip: bool = False
    key: str = ""


@dataclass(frozen=True, slots=True)
class Family:
    """A kind of EES file: its filters, measures and meaning."""

    name: str
    source_id: str
    prefix: str
    topic: str
    title: str
    description: str
    source_url: str
    filters: tuple[str, ...]
    measures: tuple[Measure, ...]
    signature: tuple[str, ...]
    label_columns: tuple[str, ...] = ()
    period_attributes: tuple[str, ...] = ()
    total_pattern: str | None = None
    denominator_rows: tuple[tuple[str, str], ...] = ()
    polarity_rules: tuple[Rule, ...] = ()
    overrides: tuple[Override, ...] = ()
    abbreviations: dict[str, str] = field(default_factory=dict)
    value_blank: str | None = None
    #: Load every other non-id column as a count (files whose measures grow over time, e.g.
    #: one column per assessment factor).
    auto_counts: bool = False
    #: (column, regex) pairs some row must match: tells apart families with the same header
    #: (e.g. new placements and health outcomes both have characteristic/breakdown columns).
    value_signature: tuple[tuple[str, str], ...] = ()

    def matches(self, header: Iterable[str]) -> bool:
        """Whether a header has this family's signature columns."""
        return set(self.signature) <= set(header)

    def nearly_matches(self, header: Iterable[str]) -> bool:
        """Whether a header has at least half of the signature (a renamed column, say)."""
        have = len(set(self.signature) & set(header))
        return 2 * have >= len(self.signature) and set(EES_ID_COLUMNS[:3]) <= set(header)

    def polarity_for(self, filter_text: str) -> Polarity:
        """Polarity from the first rule matching the filter text (default: none)."""
        for rule in self.polarity_rules:
            if re.search(rule.pattern, filter_text, flags=re.IGNORECASE):
                return rule.polarity
        return Polarity.NONE


def detect_family(
    header: Sequence[str], families: Iterable[Family], raw: RawCsv | None = None
) -> list[Family]:
    """Families whose signature the header has; with ``raw``, also their value signature.

    Returns the candidates, most specific (longest signature) first.
    """
    matches = [f for f in families if f.matches(header)]
    if raw is not None:
        matches = [f for f in matches if _values_match(f, raw)]
    return sorted(matches, key=lambda f: -len(f.signature))


def near_miss(header: Sequence[str], families: Iterable[Family]) -> Family | None:
    """A family the header nearly matches (when it matches none): likely a renamed column."""
    near = [f for f in families if f.nearly_matches(header)]
    return max(near, key=lambda f: len(set(f.signature) & set(header))) if near else None


def _values_match(family: Family, raw: RawCsv) -> bool:
    for column, pattern in family.value_signature:
        values = pd.unique(raw.frame[column].str.strip())
        if not any(re.search(pattern, str(v), flags=re.IGNORECASE) for v in values):
            return False
    return True
