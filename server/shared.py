"""State shared by every worker and server: one Redis (``LA_VARIATION_REDIS_URL``), or none.

Without a URL everything stays in each process, as it always did (the README's commands need
no Redis). With one, the rate limits (``server.limits``), the response memo (``server.memo``)
and the agreed store release (``server.release``) live in it.

Redis is a help, never a dependency of an answer: every call is short (``TIMEOUT_S``), and
when one fails the caller goes on without Redis (its in-process fallback) and Redis is left
alone for ``RETRY_S`` before the next try, so a dead Redis costs no request more than one
timeout per worker every few seconds. The change of state is logged once each way, and
``health()`` says ``degraded`` while Redis is unreachable (``/healthz``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Seconds any one Redis call may take (connect or answer) before it counts as a failure.
TIMEOUT_S = 0.25
#: Seconds Redis is left alone after a failure.
RETRY_S = 5.0
#: Prefix of every key this app writes.
PREFIX = "la-variation:"


class SharedState:
    """The shared Redis of a deployment, or none (``url`` is None): see the module's notes."""

    def __init__(self, url: str | None, *, timeout: float = TIMEOUT_S, retry: float = RETRY_S):
        self.url = url
        self.timeout = timeout
        self.retry = retry
        self._client: redis.Redis | None = None
        self._down_since: float | None = None
        self._next_try = 0.0
        self._lock = threading.Lock()

    @property
    def configured(self) -> bool:
        """Whether a Redis URL was given."""
        return bool(self.url)

    @property
    def available(self) -> bool:
        """Configured, and not known to be down (or due for another try)."""
        return self.configured and (self._down_since is None or time.monotonic() >= self._next_try)

    def client(self) -> redis.Redis:
        """This process's client (connections are made per process, after any fork)."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = redis.Redis.from_url(
                        str(self.url),
                        socket_timeout=self.timeout,
                        socket_connect_timeout=self.timeout,
                        health_check_interval=30,
                    )
        return self._client

    def call(self, action: Callable[[redis.Redis], T], default: T) -> T:
        """``action(client)``, or ``default`` when there is no Redis or it fails."""
        if not self.available:
            return default
        try:
            result = action(self.client())
        except (redis.RedisError, OSError) as exc:
            self._failed(exc)
            return default
        self._succeeded()
        return result

    def _failed(self, exc: BaseException) -> None:
        now = time.monotonic()
        self._next_try = now + self.retry
        if self._down_since is None:
            self._down_since = now
            log.warning(
                "shared state (Redis) unreachable, answering from this process only: %s", exc
            )

    def _succeeded(self) -> None:
        if self._down_since is not None:
            self._down_since = None
            log.warning("shared state (Redis) reachable again")

    def health(self) -> dict[str, Any]:
        """``{"shared_state": ...}`` for ``/healthz``; ``problem`` set while Redis is down."""
        if not self.configured:
            return {"shared_state": "in-process"}
        if self._down_since is not None or not self.call(lambda r: bool(r.ping()), False):
            return {"shared_state": "redis", "problem": "Redis unreachable: in-process fallback"}
        return {"shared_state": "redis"}
