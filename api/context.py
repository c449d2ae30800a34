"""What every API request shares: the store, lookups built once, and bounded caches.

The store is read-only, so anything computed from checked ids is cached per process with an
LRU bound (``functools.lru_cache`` keyed by ``indicator_id``, ``time_period``...). Keys are
only ever built from values ``api.params`` has checked against the store, so the key space is
bounded by the store's own size and invalid requests never reach a cache. Workers share
nothing: each process fills its own caches, which is what makes any worker able to answer any
request (see docs/deploy.md).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, TypeVar

import numpy as np
import pandas as pd

import indicators as ind
from api.serialise import records
from data.schema import IndicatorMeta
from data.store import Store

#: Distinct (indicator, period) selections kept per process (a few hundred KB each).
PERIOD_CACHE_SIZE = 256
#: Finished responses kept per process, per endpoint.
RESULT_CACHE_SIZE = 512

T = TypeVar("T")


@dataclass(frozen=True)
class PeriodView:
    """One indicator in one period, with everything the rankings and neighbours share.

    Attributes:
        meta: The indicator's metadata.
        time_period, label, year_end, time_identifier: The period.
        values: Every row of the period (all geographic levels), one per area.
        ranked: ``rank_areas`` over the LAs that compete (``eligible_values`` with the
            366-day grace for newly created LAs that already published), with ``band``
            (LAIT quartile band A-D or None), ``lower``/``upper`` (95% interval where the
            counts allow) and ``vs_england``.
        bands: The ``QuartileBands`` result (breaks and reason).
        england: England's comparator value.
    """

    meta: IndicatorMeta
    time_period: int
    label: str
    year_end: int
    time_identifier: str
    values: pd.DataFrame
    ranked: pd.DataFrame
    bands: ind.QuartileBands
    england: ind.Comparator

    @cached_property
    def by_area(self) -> dict[str, dict[str, Any]]:
        """``ranked`` rows by area code (for looking up one LA's rank and band)."""
        rows = records(self.ranked, list(self.ranked.columns))
        return {str(rec["area_code"]): rec for rec in rows}


class ApiContext:
    """One store release plus lookups and caches for the API (see ``ContextByRelease``)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        areas = store.areas
        self._area_types = dict(
            zip(areas["area_code"].astype(str), areas["area_type"].astype(str), strict=True)
        )
        self._old_codes = _old_code_lookup(areas)
        self._lock = threading.Lock()
        self.period_view = lru_cache(maxsize=PERIOD_CACHE_SIZE)(self._period_view)
        self._result_caches: dict[str, Callable[..., Any]] = {}

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

    # -- caches -----------------------------------------------------------------------------
    def cached(self, name: str, build: Callable[..., T], *key: Any) -> T:
        """``build(self, *key)``, memoised per ``name`` in a bounded LRU cache."""
        cache = self._result_caches.get(name)
        if cache is None:
            with self._lock:
                cache = self._result_caches.get(name)
                if cache is None:
                    cache = lru_cache(maxsize=RESULT_CACHE_SIZE)(lambda *k: build(self, *k))
                    self._result_caches[name] = cache
        return cache(*key)  # type: ignore[no-any-return]

    def _period_view(self, indicator_id: str, time_period: int) -> PeriodView:
        store = self.store
        meta = store.indicator_meta(indicator_id)
        values = store.indicator_values(indicator_id, time_period=time_period)
        first = values.iloc[0]
        eligible = ind.eligible_values(values, store.areas, published_grace_days=366)
        ranked = ind.rank_areas(eligible, polarity=meta.polarity)
        bands = ind.quartile_bands(ranked, polarity=meta.polarity, no_quartile=meta.no_quartile)
        england = ind.england_value(
            values, store.areas, value_type=meta.value_type, multiplier=meta.multiplier
        )
        ranked = ranked.assign(band=bands.bands["band"].to_numpy())
        ranked = _with_intervals(ranked, meta, england.value)
        return PeriodView(
            meta=meta,
            time_period=time_period,
            label=self.period_label(indicator_id, time_period),
            year_end=int(first["year_end"]),
            time_identifier=str(first["time_identifier"]),
            values=values,
            ranked=ranked,
            bands=bands,
            england=england,
        )


def _with_intervals(
    frame: pd.DataFrame, meta: IndicatorMeta, england: float | None
) -> pd.DataFrame:
    """``frame`` plus 95% ``lower``/``upper``, ``ci_method`` and ``vs_england``."""
    if meta.value_type in ("proportion", "rate") and meta.multiplier:
        out = ind.confidence_intervals(
            frame, value_type=meta.value_type, multiplier=meta.multiplier
        )
    else:
        nan = np.full(len(frame), np.nan)
        out = frame.assign(lower=nan, upper=nan, ci_method=None, ci_reason="no counts")
    compared = ind.compare_to_benchmark(
        out[["lower", "upper"]], polarity=meta.polarity, benchmark=england
    )
    return out.assign(vs_england=compared["comparison"].to_numpy())


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
        return current() if callable(current) else self._store  # type: ignore[no-any-return]

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
