"""One spelling per topic: topics that differ only in case, spacing or punctuation are merged.

LAIT and the EES files name the same topic in different styles ("Children Looked After",
"Children looked after"); the pickers must list it once. ``merge_topics`` is applied at ingest
to the combined indicator metadata (``data.ingest.build_tables``, ``data.synthetic``) and the
merged spellings are recorded in the manifest (``topics_merged``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

__all__ = ["EES_SOURCE_PREFIXES", "merge_topics", "topic_key", "topic_spellings"]

#: Source ids of EES-published files (``ees_cla``, ``ees_cin``, ...) and the other DfE
#: statistics files that use EES's sentence case (``cla_outcomes``).
EES_SOURCE_PREFIXES = ("ees", "cla_outcomes")

_NOT_WORD = re.compile(r"[\W_]+")


def topic_key(topic: str) -> str:
    """The form two spellings of one topic share: casefolded, punctuation and spacing as one space.

    >>> topic_key("Children  Looked-After ") == topic_key("children looked after")
    True
    """
    return _NOT_WORD.sub(" ", topic.casefold()).strip()


def _capitals(text: str) -> int:
    return sum(ch.isupper() for ch in text)


def topic_spellings(topics: Iterable[tuple[str, bool]]) -> dict[str, str]:
    """The spelling each topic takes: ``{spelling: chosen spelling}`` for every spelling given.

    Spellings equal under ``topic_key`` become one, spelled as the form with the fewest
    capital letters; a tie goes to a spelling EES uses, then to the alphabetically first.

    Args:
        topics: ``(spelling, used_by_ees)`` pairs; a spelling may appear more than once (it is
            an EES spelling if any of its pairs says so).

    Returns:
        Every spelling mapped to its group's chosen spelling (unchanged spellings map to
        themselves).

    >>> topic_spellings([("Child Protection", False), ("Child protection", True)])
    {'Child Protection': 'Child protection', 'Child protection': 'Child protection'}
    """
    ees: dict[str, bool] = {}
    for spelling, used_by_ees in topics:
        ees[spelling] = ees.get(spelling, False) or bool(used_by_ees)
    groups: dict[str, list[str]] = {}
    for spelling in ees:
        groups.setdefault(topic_key(spelling), []).append(spelling)
    chosen: dict[str, str] = {}
    for members in groups.values():
        best = min(members, key=lambda s: (_capitals(s), not ees[s], s))
        chosen.update(dict.fromkeys(members, best))
    return chosen


def merge_topics(indicators: pd.DataFrame) -> tuple[pd.DataFrame, list[dict[str, object]]]:
    """Give every topic one spelling (``topic_spellings``); return the table and what merged.

    The input is not changed. A row's spelling counts as EES's when its ``source_id`` starts
    with one of ``EES_SOURCE_PREFIXES``.

    Returns:
        The indicators with ``topic`` rewritten, and one record per merged group:
        ``{"topic": chosen spelling, "merged": [other spellings], "indicators": rows renamed}``,
        sorted by topic.

    >>> frame = pd.DataFrame({"topic": ["Children in Need", "Children in need"],
    ...                       "source_id": ["lait", "ees_cin"]})
    >>> merged, records = merge_topics(frame)
    >>> list(merged["topic"]), records[0]["merged"]
    (['Children in need', 'Children in need'], ['Children in Need'])
    """
    if indicators.empty:
        return indicators, []
    topic = indicators["topic"].astype(str)
    source = indicators["source_id"].astype(str)
    is_ees = source.str.startswith(EES_SOURCE_PREFIXES)
    chosen = topic_spellings(zip(topic, is_ees, strict=True))
    renames = {old: new for old, new in chosen.items() if old != new}
    if not renames:
        return indicators, []
    groups: dict[str, list[str]] = {}
    for old, new in sorted(renames.items()):
        groups.setdefault(new, []).append(old)
    records: list[dict[str, object]] = [
        {"topic": new, "merged": olds, "indicators": int(topic.isin(olds).sum())}
        for new, olds in sorted(groups.items())
    ]
    out = indicators.copy()
    out["topic"] = topic.replace(renames)
    return out, records
