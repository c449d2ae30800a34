"""The one memo of the views: each view built once per release and set of ids.

A view is a pure function of (release, validated ids), so its result can be kept and handed to
every caller that asks the same question: the figure, its table and its CSV of one chart, the
page and the API. Results are kept per ``Store`` (one release): a new release starts with an
empty memo and the old one goes when its last request lets go of the old ``Store``. Within a
release, a bounded LRU holds the most recent results; identical concurrent requests build the
view once (single flight). View models are frozen: callers must not mutate them.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from data.store import Store

__all__ = ["MAX_ENTRIES", "forget_answers", "memoised", "release_store", "remember"]

P = ParamSpec("P")
T = TypeVar("T")

#: Results kept per release (least recently used dropped first). A period view and what is
#: built on it holds frames of every LA: 2,048 entries grew a worker's private memory by
#: about 120 MB over 200 indicators' rankings and neighbours, 256 by about 50 MB; repeated
#: requests are answered from the response memo (``server.memo``) before any view is asked.
MAX_ENTRIES = 256


class _Memo:
    """A bounded, thread-safe LRU with single flight per key."""

    def __init__(self, max_entries: int) -> None:
        self._max = max_entries
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._building: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()

    def forget_answers(self) -> None:
        """Drop every answer to a question with ids; keep what belongs to the release.

        What belongs to the release: views called with the store alone, such as each
        indicator's latest period.
        """
        with self._lock:
            for key in [k for k in self._entries if not _release_level(k)]:
                del self._entries[key]

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        while True:
            with self._lock:
                if key in self._entries:
                    self._entries.move_to_end(key)
                    return self._entries[key]  # type: ignore[no-any-return]
                event = self._building.get(key)
                if event is None:
                    event = self._building[key] = threading.Event()
                    break
            event.wait()  # another thread is building it; then look again
        try:
            value = build()
            with self._lock:
                self._entries[key] = value
                while len(self._entries) > self._max:
                    self._entries.popitem(last=False)
            return value
        finally:
            with self._lock:
                del self._building[key]
            event.set()


def _release_level(key: Hashable) -> bool:
    return isinstance(key, tuple) and len(key) == 3 and key[2] == ()


_MEMOS: weakref.WeakKeyDictionary[Store, _Memo] = weakref.WeakKeyDictionary()
_MEMOS_LOCK = threading.Lock()


def release_store(store: Any) -> Store:
    """The concrete release a request uses (a ``LiveStore`` pins one per request)."""
    current = getattr(store, "current", None)
    return current() if callable(current) else store  # type: ignore[no-any-return]


def _memo_of(store: Store) -> _Memo:
    with _MEMOS_LOCK:
        memo = _MEMOS.get(store)
        if memo is None:
            memo = _MEMOS[store] = _Memo(MAX_ENTRIES)
        return memo


def memoised(view: Callable[..., T]) -> Callable[..., T]:
    """Keep ``view(store, *ids)``'s result per release and ids (hashable ids only).

    The wrapped function receives the concrete release ``Store`` (never a ``LiveStore``), so
    everything it reads comes from one release.
    """

    @wraps(view)
    def wrapper(store: Any, *ids: Hashable) -> T:
        release = release_store(store)
        key = (view.__module__, view.__qualname__, ids)
        return _memo_of(release).get(key, lambda: view(release, *ids))

    return wrapper


def forget_answers() -> None:
    """Empty every release's memo of its answers (benchmarks of cold requests; tests)."""
    with _MEMOS_LOCK:
        memos = list(_MEMOS.values())
    for one in memos:
        one.forget_answers()


def remember(store: Any, key: Hashable, build: Callable[[], T]) -> T:
    """``build()``'s result kept in the memo of ``store``'s release under ``key``.

    For answers assembled outside a ``@memoised`` view (e.g. an API resource's body): the
    key must name the resource and every id it depends on.
    """
    return _memo_of(release_store(store)).get(("remember", key), build)
