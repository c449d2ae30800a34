"""The live store of a running server: it follows ``CURRENT`` when a new ingest swaps it."""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from data.errors import StoreError
from data.store.reading import Store
from data.store.release_folders import CURRENT_FILE

log = logging.getLogger(__name__)


def _reset_after_fork(ref: weakref.ReferenceType[LiveStore]) -> None:
    live = ref()
    if live is not None:
        live._after_fork()


class LiveStore:
    """The live release of a store folder, following ``CURRENT`` when a new ingest swaps it.

    It answers like a ``Store`` (attribute access is delegated). Each request sees exactly one
    release: the first access inside a request pins the current release in the request's
    ``scope`` (a mapping given by the web layer, e.g. ``flask.g``), so a swap in the middle
    of a request never mixes two releases. At most every ``check_seconds`` the pointer file is
    read (a few bytes); when it names another release, that release is opened in a
    background thread and becomes current once it has loaded, while requests keep being
    answered from the previous one. ``pointer``, when given, names the release to serve
    instead of the pointer file (the web layer's release agreed between servers).
    """

    def __init__(
        self,
        store_dir: Path,
        *,
        scope: Any = None,
        check_seconds: float = 2.0,
        store: Store | None = None,
        pointer: Callable[[], str] | None = None,
    ) -> None:
        self._dir = Path(store_dir)
        self._named = pointer
        self._scope = scope or (lambda: None)
        self._check_seconds = check_seconds
        self._current = store or Store.open(self._dir)
        self._checked = time.monotonic()
        self._lock = threading.Lock()
        self._loading = False
        self.last_error: str | None = None
        # A server opens the store in its master and forks workers; a switch being loaded
        # at that moment happens in a thread the children do not have, so they start afresh.
        own = weakref.ref(self)
        os.register_at_fork(after_in_child=lambda: _reset_after_fork(own))

    def _after_fork(self) -> None:
        self._lock = threading.Lock()
        self._loading = False
        self._checked = 0.0

    def _pointer(self) -> str:
        if self._named is not None:
            return self._named()
        try:
            return (self._dir / CURRENT_FILE).read_text().strip()
        except OSError:
            return ""

    def _maybe_switch(self) -> None:
        now = time.monotonic()
        if now - self._checked < self._check_seconds or self._loading:
            return
        self._checked = now
        release = self._pointer()
        if not release or release == self._current.release:
            return
        with self._lock:
            if self._loading:
                return
            self._loading = True
        threading.Thread(target=self._load, args=(release,), daemon=True).start()

    def _load(self, release: str) -> None:
        try:
            store = Store.open(self._dir, release)
            if store.release != self._current.release:
                self._current = store
            self.last_error = None
            log.info("now serving store release %s", store.release)
        except StoreError as exc:  # keep serving the previous release
            self.last_error = str(exc)
            log.error("cannot switch to release %s: %s", release, exc)
        finally:
            self._loading = False

    def current(self) -> Store:
        """The release this request uses (pinned on first use within a request)."""
        pins = self._scope()
        if pins is not None:
            pinned = getattr(pins, "la_variation_store", None)
            if pinned is not None:
                return pinned
        self._maybe_switch()
        store = self._current
        if pins is not None:
            pins.la_variation_store = store
        return store

    def wait_for(self, release: str, timeout: float = 30.0) -> bool:
        """Block until ``release`` is being served (tests and re-ingest tooling)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._checked = 0.0
            self._maybe_switch()
            if self._current.release == release:
                return True
            time.sleep(0.05)
        return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.current(), name)
