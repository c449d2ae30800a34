"""Run a coroutine to completion from synchronous code, whatever the calling thread holds.

``asyncio.run`` refuses to start when the calling thread already has a running event loop.
Playwright's synchronous API keeps one running in the test session's main thread once a
browser test has started, so a load test that called ``asyncio.run`` directly failed with
"asyncio.run() cannot be called from a running event loop" whenever it ran after the
browser tests (and the never-awaited coroutine then surfaced as an unraisable warning in a
later test). :func:`run` gives the coroutine a fresh event loop in its own thread instead.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` in a new event loop on a new thread.

    Returns its result, or raises its exception in the calling thread; blocks until the
    coroutine has finished.
    """
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the caller's thread below
            outcome["error"] = error

    thread = threading.Thread(target=target, name="bench-event-loop", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
