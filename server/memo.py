"""Answer a repeated Dash callback request from memory instead of recomputing it.

Every server callback of this app is a pure function of its request body (the inputs, states
and which of them changed) and of the store release it reads: no callback looks at the time,
the client, cookies or anything else. So the finished response to ``POST
/_dash-update-component`` can be kept, keyed by the release and the exact body, and sent again
to anyone who asks the same: a room of people opening one shared link, a page reopened, the
back button. A hit costs a hash of the body and a copy of bytes; the figure is not rebuilt,
re-serialised or re-compressed.

* Keys: SHA-256 of the release name, whether the client takes gzip, and the raw body. The
  release comes from the request's pinned store release (``LiveStore``), so a re-ingest starts
  a fresh set of keys and a response of an old release is never sent for a new one.
* Only 200 responses are kept (never errors, 204 "no update", or a rate-limit answer: those are
  produced before or beside the callback). What is kept is the body as finally sent (gzip
  when production's compression ran), with its ``Content-Type`` and ``Content-Encoding``.
* Bounded by bytes (``max_bytes``, least recently used dropped first); one response larger
  than an eighth of the budget is not kept.
* Single flight: while one thread computes a response, identical requests arriving in the same
  process wait for it (up to ``wait_seconds``) instead of computing it again, so a room
  opening one new link costs one computation, not one per person.
* Runs after the rate limit and ``server.security``'s checks (size limit and malformed bodies
  are refused before any lookup), and its answers still get the security headers.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, Response, g, request

#: Default budget per worker process, in bytes (responses are mostly gzip, 2-60 kB each).
DEFAULT_MAX_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Entry:
    """A finished callback response."""

    body: bytes
    mimetype: str
    content_encoding: str | None


class ResponseMemo:
    """A thread-safe LRU of responses bounded by their total size in bytes."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[bytes, Entry] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: bytes) -> Entry | None:
        """The entry for ``key`` (now the most recently used), or None."""
        with self._lock:
            entry = self._items.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: bytes, entry: Entry) -> bool:
        """Keep ``entry`` unless it is too large; drop the oldest to stay in budget."""
        if len(entry.body) > self.max_bytes // 8:
            return False
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self._items[key] = entry
            self.size += len(entry.body)
            while self.size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self.size -= len(dropped.body)
        return True


def install_memo(
    server: Flask,
    release: Callable[[], str],
    *,
    path: str = "/_dash-update-component",
    max_bytes: int = DEFAULT_MAX_BYTES,
    wait_seconds: float = 30.0,
) -> ResponseMemo:
    """Serve repeated callback requests on ``server`` from memory; return the memo.

    ``release``: the store release this request reads (called once per callback request).
    Install after ``install_security`` so that its checks run first.
    """
    memo = ResponseMemo(max_bytes)
    server.extensions["la_variation_callback_cache"] = memo
    inflight: dict[bytes, threading.Event] = {}
    inflight_lock = threading.Lock()

    def claim(key: bytes) -> Entry | None:
        """The entry once another thread has computed it; None when this thread must."""
        while True:
            entry = memo.get(key)
            if entry is not None:
                return entry
            with inflight_lock:
                event = inflight.get(key)
                if event is None:
                    inflight[key] = threading.Event()
                    g.la_variation_callback_key = key
                    return None
            if not event.wait(wait_seconds):
                g.la_variation_callback_key = None  # compute it here, without claiming
                return None
            if memo.get(key) is None:  # the other computation failed or was not kept
                return None

    def finish(key: bytes) -> None:
        with inflight_lock:
            event = inflight.pop(key, None)
        if event is not None:
            event.set()

    @server.before_request
    def _lookup() -> Response | None:
        if request.method != "POST" or request.path != path:
            return None
        gzip_ok = request.accept_encodings["gzip"] > 0
        digest = hashlib.sha256()
        digest.update(str(release()).encode())
        digest.update(b"\0gzip\0" if gzip_ok else b"\0identity\0")
        digest.update(request.get_data(cache=True))
        entry = claim(digest.digest())
        if entry is None:
            return None
        response = Response(entry.body, mimetype=entry.mimetype)
        if entry.content_encoding:
            response.headers["Content-Encoding"] = entry.content_encoding
            response.vary.add("Accept-Encoding")
        return response

    @server.after_request
    def _keep(response: Response) -> Response:
        key = g.get("la_variation_callback_key")
        if key is None or response.status_code != 200 or response.is_streamed:
            return response
        entry = Entry(
            body=response.get_data(),
            mimetype=response.mimetype or "application/json",
            content_encoding=response.headers.get("Content-Encoding"),
        )
        memo.put(key, entry)
        return response

    @server.teardown_request
    def _release(_: BaseException | None) -> None:
        # Always, even when the callback failed: waiting threads then compute it themselves.
        key = g.pop("la_variation_callback_key", None)
        if key is not None:
            finish(key)

    return memo
