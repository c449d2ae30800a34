"""Private: remember facts derived from a reference table between calls.

The store's ``areas`` and ``statistical_neighbours`` tables are the same objects in every call
the dashboard makes, yet each call used to re-derive the same things from them (lifetimes
parsed to dates, the LAs current at a period end, a neighbour release's rows grouped by LA).
``FrameMemo`` keeps such derived values, keyed by the identity of the frame, and re-derives
them whenever the frame may have changed, so a function that uses it stays pure in effect: its
result depends only on the content of its arguments.

How an entry is validated:

* the frame must be the very object the entry was built from (held by a weak reference, so an
  entry never keeps a frame alive and a new frame that reuses a freed ``id`` never matches);
* each column the derivation read must hold the same content as when it was built: a
  snapshot is kept and compared (object columns element by element, by identity; numpy
  columns byte for byte; Arrow-backed columns with Arrow's own equality, which is cheap since
  their buffers are immutable). A column replaced or edited in place therefore rebuilds the
  entry.

Derived values are returned as built: callers must treat them as read-only (builders freeze
numpy arrays with ``writeable=False`` and use tuples and frozensets), and a result handed to
a caller never shares memory with them.
"""

from __future__ import annotations

import operator
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

import numpy as np
import pandas as pd

T = TypeVar("T")

#: Entries kept per memo (least recently used dropped first). The app holds one areas table
#: and one neighbours table, each asked a handful of questions.
MAX_ENTRIES = 64


def _snapshot(column: pd.Series) -> Any:
    """A private copy of a column's content, cheap to compare with ``_unchanged``."""
    array = column.array
    if isinstance(array, pd.arrays.NumpyExtensionArray):
        # to_numpy() is the column's own buffer; the copy is shallow for object arrays (the
        # same element objects) and a byte copy otherwise.
        return column.to_numpy().copy()
    # Arrow-backed arrays copy in O(1) (immutable buffers); other extension arrays deeply.
    return array.copy()


def _unchanged(column: pd.Series, saved: Any) -> bool:
    """Whether ``column`` still holds what ``saved`` (from ``_snapshot``) recorded."""
    if isinstance(saved, np.ndarray):
        if not isinstance(column.array, pd.arrays.NumpyExtensionArray):
            return False
        now = column.to_numpy()
        if now.dtype != saved.dtype or now.shape != saved.shape:
            return False
        if now.dtype == object:
            return all(map(operator.is_, now, saved))
        return now.tobytes() == saved.tobytes()
    array = column.array
    return type(array) is type(saved) and len(array) == len(saved) and bool(array.equals(saved))


class FrameMemo:
    """Values derived from some columns of a frame, rebuilt whenever those columns change.

    >>> memo = FrameMemo()
    >>> areas = pd.DataFrame({"area_code": ["B", "A"]})
    >>> calls = []
    >>> def build():
    ...     calls.append(1)
    ...     return tuple(sorted(areas["area_code"]))
    >>> memo.get(areas, ("area_code",), "sorted", build), len(calls)
    (('A', 'B'), 1)
    >>> memo.get(areas, ("area_code",), "sorted", build), len(calls)
    (('A', 'B'), 1)
    >>> areas.loc[0, "area_code"] = "C"
    >>> memo.get(areas, ("area_code",), "sorted", build), len(calls)
    (('A', 'C'), 2)
    """

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._max = max_entries
        self._entries: OrderedDict[tuple[Any, ...], tuple[Any, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()

    def get(
        self,
        frame: pd.DataFrame,
        columns: Sequence[str],
        key: Hashable,
        build: Callable[[], T],
    ) -> T:
        """``build()``'s value for ``frame``, reusing it while ``columns`` are unchanged.

        ``build`` must read nothing from ``frame`` but ``columns`` (and ``key`` must name
        everything else it depends on); the caller checks that the columns exist.
        """
        columns = tuple(columns)
        entry_key = (id(frame), columns, key)
        with self._lock:
            entry = self._entries.get(entry_key)
            if entry is not None:
                self._entries.move_to_end(entry_key)
        if entry is not None:
            ref, saved, value = entry
            if ref() is frame and all(
                _unchanged(frame[c], s) for c, s in zip(columns, saved, strict=True)
            ):
                return value  # type: ignore[no-any-return]
        saved = tuple(_snapshot(frame[c]) for c in columns)
        value = build()
        with self._lock:
            self._entries[entry_key] = (weakref.ref(frame), saved, value)
            self._entries.move_to_end(entry_key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return value


def frozen(array: np.ndarray) -> np.ndarray:
    """``array`` made read-only (for values kept in a memo), returned for chaining."""
    array.setflags(write=False)
    return array
