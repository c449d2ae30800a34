"""Answer a repeated callback or API request from memory instead of recomputing it.

Every server callback of this app is a pure function of its request body (the inputs, states
and which of them changed) and of the store release it reads, and every API answer a pure
function of its path and query string and the release, and the shell's layout a function of
the release and the page it is asked from (its ``Referer``: ``layouts.first_page`` draws
that page into it): nothing looks at the time, the client, cookies or anything else. So a
finished ``200`` response to ``POST /_dash-update-component``, ``GET /_dash-layout`` or
``GET /api/v1/...`` can be kept, keyed by the release and the request, and sent again to
anyone who asks the same: a room of people opening one shared link, a page reopened, the back
button, a script polling the API. A hit costs a hash and a copy of bytes; nothing is rebuilt,
re-serialised or re-compressed.

* Keys: SHA-256 of the release name, whether the client takes gzip, the method, path and
  query string (less ``PAGE_LOAD_PARAMS``, Dash's per-page-load token), and the raw body
  (for the layout: the path and query string of its Referer).
  The release comes from the request's pinned store release (``LiveStore``), so a re-ingest
  starts a fresh set of keys and a response of an old release is never sent for a new one.
* Only 200 responses are kept (never errors, 204 "no update", 304, or a rate-limit answer).
  What is kept is the body as finally sent (gzip when compression ran), with the headers that
  describe it (``KEPT_HEADERS``); a kept API answer still gets 304 for a matching
  ``If-None-Match``.
* In this process: bounded by bytes (``max_bytes``, least recently used dropped first); one
  response larger than an eighth of the budget is not kept. Single flight: while one thread
  computes a response, identical requests in the same process wait for it (up to
  ``wait_seconds``) instead of computing it again.
* Shared (``LA_VARIATION_REDIS_URL``): a response not in this process's memory is looked up
  in Redis before it is computed, and one computed here is stored there (for ``SHARED_TTL_S``),
  so a response computed by one worker or server is a hit on every other. Redis down: this
  process's memory only (``server.shared``).
* ``X-Memo`` says where an answer came from: ``hit`` (this process), ``shared`` (Redis) or
  ``miss`` (computed).
* Runs after the rate limit and ``server.security``'s checks (size limit and malformed bodies
  are refused before any lookup), and its answers still get the security headers.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from flask import Flask, Response, g, request
from werkzeug.wrappers import Response as WerkzeugResponse

from server.limits import CALLBACK_PATH, LAYOUT_PATH
from server.shared import PREFIX, SharedState

#: Default budget per worker process, in bytes (responses are mostly gzip, 2-60 kB each).
DEFAULT_MAX_BYTES = 32 * 1024 * 1024
API_PREFIX = "/api/v1/"
#: The headers kept with a body (everything else is added afresh to every answer).
KEPT_HEADERS = ("Content-Type", "Content-Encoding", "Content-Disposition", "Cache-Control", "ETag")
#: Query parameters that say nothing about the answer, left out of its key: Dash's renderer
#: adds ``endId`` to every callback request, a token signed afresh for each page load (it
#: binds background-callback handles to their page; this app has none). Kept in the key, it
#: made every page load a miss: only a page's own repeats were ever answered from memory.
PAGE_LOAD_PARAMS = frozenset({"endId"})
#: How long a response stays in Redis (a release's answers never change; this bounds space).
SHARED_TTL_S = 24 * 3600


@dataclass(frozen=True)
class Entry:
    """A finished response: its body and the headers that describe it."""

    body: bytes
    headers: tuple[tuple[str, str], ...]

    def encode(self) -> bytes:
        """The entry as bytes for Redis: one JSON line of headers, then the body."""
        return json.dumps(self.headers).encode() + b"\n" + self.body

    @classmethod
    def decode(cls, data: bytes) -> Entry:
        """The entry ``encode`` wrote."""
        head, _, body = data.partition(b"\n")
        return cls(body, tuple((str(k), str(v)) for k, v in json.loads(head)))

    def response(self) -> Response:
        """A new response carrying the entry."""
        response = Response(self.body)
        for name, value in self.headers:
            response.headers[name] = value
        if "Content-Encoding" in response.headers:
            response.vary.add("Accept-Encoding")
        return response


class ResponseMemo:
    """A thread-safe LRU of responses bounded by their total size in bytes."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = 0
        self.misses = 0
        self.shared_hits = 0
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


def request_key(release: str) -> bytes | None:
    """The key of this request's answer, or None when answers to it are not kept."""
    if request.method == "POST" and request.path == CALLBACK_PATH:
        body = request.get_data(cache=True)
    elif request.method == "GET" and request.path.startswith(API_PREFIX):
        body = b""
    elif request.method == "GET" and request.path == LAYOUT_PATH:
        page = urlsplit(request.referrer or "")
        body = f"{page.path}?{page.query}".encode()
    else:
        return None
    query = [(k, v) for k, v in request.args.items(multi=True) if k not in PAGE_LOAD_PARAMS]
    digest = hashlib.sha256()
    for part in (
        str(release).encode(),
        b"gzip" if request.accept_encodings["gzip"] > 0 else b"identity",
        request.method.encode(),
        f"{request.path}?{urlencode(query)}".encode(),
        body,
    ):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.digest()


def install_memo(
    server: Flask,
    release: Callable[[], str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    wait_seconds: float = 30.0,
    shared: SharedState | None = None,
) -> ResponseMemo:
    """Serve repeated callback and API requests on ``server`` from memory; return the memo.

    ``release``: the store release this request reads (called once per kept route's request).
    ``shared``: the deployment's Redis, if any. Install after ``install_security`` so that its
    checks run first.
    """
    memo = ResponseMemo(max_bytes)
    server.extensions["la_variation_memo"] = memo
    inflight: dict[bytes, threading.Event] = {}
    inflight_lock = threading.Lock()
    shared = shared or SharedState(None)

    def from_shared(key: bytes) -> Entry | None:
        data = shared.call(lambda r: r.get(PREFIX + "memo:" + key.hex()), None)
        if not isinstance(data, bytes):
            return None
        try:
            entry = Entry.decode(data)
        except (ValueError, TypeError):
            return None
        memo.put(key, entry)
        memo.shared_hits += 1
        return entry

    def claim(key: bytes) -> tuple[Entry | None, str]:
        """The entry and where it came from; (None, "miss") when this thread must compute."""
        entry = memo.get(key)
        if entry is not None:
            return entry, "hit"
        while True:
            entry = from_shared(key)
            if entry is not None:
                return entry, "shared"
            with inflight_lock:
                event = inflight.get(key)
                if event is None:
                    inflight[key] = threading.Event()
                    g.la_variation_memo_key = key
                    return None, "miss"
            if not event.wait(wait_seconds):
                g.la_variation_memo_key = None  # compute it here, without claiming
                return None, "miss"
            entry = memo.get(key)
            if entry is not None:
                return entry, "hit"
            # the other computation failed or was not kept: look again, then compute

    def finish(key: bytes) -> None:
        with inflight_lock:
            event = inflight.pop(key, None)
        if event is not None:
            event.set()

    @server.before_request
    def _lookup() -> WerkzeugResponse | None:
        key = request_key(release()) if request.method in ("GET", "POST") else None
        if key is None:
            return None
        g.la_variation_memo_seen = "miss"
        entry, source = claim(key)
        if entry is None:
            return None
        # Typed as werkzeug's Response, which make_conditional returns (this same object).
        response: WerkzeugResponse = entry.response()
        response.headers["X-Memo"] = source
        if request.method == "GET":
            response = response.make_conditional(request)
        return response

    @server.after_request
    def _keep(response: Response) -> Response:
        if g.get("la_variation_memo_seen") == "miss" and "X-Memo" not in response.headers:
            response.headers["X-Memo"] = "miss"
        key = g.get("la_variation_memo_key")
        if key is None or response.status_code != 200 or response.is_streamed:
            return response
        headers = tuple(
            (name, response.headers[name]) for name in KEPT_HEADERS if name in response.headers
        )
        entry = Entry(body=response.get_data(), headers=headers)
        if memo.put(key, entry):
            shared.call(
                lambda r: r.set(PREFIX + "memo:" + key.hex(), entry.encode(), ex=SHARED_TTL_S),
                None,
            )
        return response

    @server.teardown_request
    def _release(_: BaseException | None) -> None:
        # Always, even when the computation failed: waiting threads then compute it themselves.
        key = g.pop("la_variation_memo_key", None)
        if key is not None:
            finish(key)

    return memo
