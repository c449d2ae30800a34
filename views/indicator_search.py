"""Indicator search over the release's catalogue: the index built once per release.

``views.search`` ranks indicators by words (``docs/methods.md`` section 19); this module keeps
its index in the views' memo, so every picker on every page and ``/api/v1/indicators?q=``
share one index per release.
"""

from __future__ import annotations

from data.store import Store
from views.frame_values import records
from views.memo import memoised
from views.search import IndicatorIndex, SearchHit, build_index

__all__ = ["MAX_QUERY", "find_indicators", "indicator_index", "matching_ids"]

#: Longest query read (characters); longer text is cut.
MAX_QUERY = 200


@memoised
def indicator_index(store: Store) -> IndicatorIndex:
    """The search index of the release's indicators (built once per release)."""
    columns = ["indicator_id", "title", "short_title", "topic", "description", "source_code"]
    return build_index(records(store.indicators[columns]))


def find_indicators(
    store: Store, query: str, *, limit: int | None = None
) -> tuple[SearchHit, ...]:
    """Indicators matching ``query``, best first (empty for an empty query)."""
    return indicator_index(store).search(query[:MAX_QUERY], limit=limit)


def matching_ids(store: Store, query: str | None) -> frozenset[str] | None:
    """The indicators holding every word of ``query`` (None when there are no words)."""
    if not query or not query.strip():
        return None
    return frozenset(h.indicator_id for h in find_indicators(store, query) if h.all_words)
