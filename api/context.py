"""What every API request shares: the store and lookups built once per release.

Finished answers are kept in the views' memo (``views.memo``: one memo for pages and API,
per release, bounded). Keys are only ever built from values ``api.params`` has checked
against the store, so the key space is bounded by the store's own size and invalid requests
never reach the memo.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

import pandas as pd

from data.store import Store
from views.memo import remember

T = TypeVar("T")


class ApiContext:
    """One store release plus lookups for the API (see ``ContextByRelease``)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        areas = store.areas
        self._area_types = dict(
            zip(areas["area_code"].astype(str), areas["area_type"].astype(str), strict=True)
        )
        self._old_codes = _old_code_lookup(areas)

    # -- lookups ----------------------------------------------------------------------------
    def period_codes(self, indicator_id: str) -> tuple[int, ...]:
        """The indicator's ``time_period`` codes, oldest first."""
        return tuple(int(tp) for tp, _ in self.store.catalogue.periods.get(indicator_id, ()))

    def period_label(self, indicator_id: str, time_period: int) -> str:
        """The publisher's label of one period (e.g. ``2023-24``)."""
        return dict(self.store.catalogue.periods.get(indicator_id, ())).get(
            time_period, str(time_period)
        )

    def resolve_area(self, value: str) -> str | None:
        """The GSS code for a GSS code or a 3-digit DfE LA number; None when unknown."""
        if value in self._area_types:
            return value
        upper = value.upper()
        if upper in self._area_types:
            return upper
        return self._old_codes.get(value)

    def area_type(self, code: str) -> str:
        """``Local authority``, ``Region``, ``Country``... of a known code."""
        return self._area_types[code]

    def has_neighbours(self, area_code: str, sn_release: str) -> bool:
        """Whether ``area_code`` has a neighbour group in release ``sn_release``."""
        return (sn_release, area_code) in self._groups

    @cached_property
    def _groups(self) -> frozenset[tuple[str, str]]:
        sn = self.store.neighbours
        return frozenset(
            zip(sn["sn_release"].astype(str), sn["area_code"].astype(str), strict=True)
        )

    @cached_property
    def sn_releases(self) -> tuple[str, ...]:
        """Statistical-neighbour releases in the store, newest first."""
        releases = self.store.neighbours["sn_release"].astype(str).unique().tolist()
        return tuple(sorted(releases, reverse=True))

    # -- the memo ---------------------------------------------------------------------------
    def cached(self, name: str, build: Callable[..., T], *key: Any) -> T:
        """``build(self, *key)``, kept in the views' memo of this release (``views.memo``)."""
        return remember(self.store, ("api", name, key), lambda: build(self, *key))


def _old_code_lookup(areas: pd.DataFrame) -> dict[str, str]:
    """3-digit DfE LA number -> GSS code (the current LA when a number was reused)."""
    las = areas[areas["old_la_code"].notna()]
    las = las.assign(_current=las["valid_to"].isna()).sort_values("_current")
    return dict(zip(las["old_la_code"].astype(str), las["area_code"].astype(str), strict=True))


class ContextByRelease:
    """The ``ApiContext`` of the release a request sees, so no cache outlives its release.

    ``store`` is a ``Store`` (one release for the app's life) or a ``data.store.LiveStore``
    (which pins one release per request and follows re-ingests). Only the newest release's
    context is kept, so an old release's tables and caches are freed once its last request
    ends; a request still pinned to an older release during a switch (release names sort by
    build time) gets a throwaway context of its own release.
    """

    def __init__(self, store: Any) -> None:
        self._store = store
        self._kept: ApiContext | None = None
        self._lock = threading.Lock()

    def release_store(self) -> Store:
        """The concrete release this request uses."""
        current = getattr(self._store, "current", None)
        return current() if callable(current) else self._store

    def __call__(self) -> ApiContext:
        """The context of this request's release (built on first use)."""
        store = self.release_store()
        kept = self._kept
        if kept is not None and kept.store is store:
            return kept
        with self._lock:
            kept = self._kept
            if kept is not None and kept.store is store:
                return kept
            ctx = ApiContext(store)
            if kept is None or str(store.release) >= str(kept.store.release):
                self._kept = ctx
        return ctx
