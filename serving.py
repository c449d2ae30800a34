"""Production serving: gunicorn running ``create_app()`` in several worker processes.

* The store is opened and the app built once, in the master, before the workers fork
  (``preload_app``): workers share the read-only frames copy-on-write and answer at once; a
  worker recycled after ``max_requests`` is a fresh fork, not a fresh load.
* Before forking, unused memory is handed back to the OS and the heap is frozen out of the
  garbage collector (``gc.freeze``), so a collection in a worker does not touch, and thereby
  copy, the pages it shares with the master.
* Responses are gzip-compressed (``install_http_tuning``) and versioned static files are
  cacheable for a year; the rest revalidates with ETags.

Workers keep no state of their own beyond per-process caches of immutable results, so any
worker (or host) can answer any request; see docs/deploy.md for scaling out.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import gzip
import logging
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from gunicorn.app.base import BaseApplication

from config import Settings

log = logging.getLogger(__name__)

#: Bodies smaller than this are sent as they are (gzip would gain little or nothing).
MIN_COMPRESS_BYTES = 500
COMPRESS_LEVEL = 6
COMPRESSIBLE = frozenset(
    {
        "application/json",
        "application/javascript",
        "text/javascript",
        "text/css",
        "text/csv",
        "text/html",
        "text/plain",
        "image/svg+xml",
        "application/geo+json",
    }
)
#: Compressed static files kept per worker (Dash's JavaScript bundles, assets/).
STATIC_CACHE_ENTRIES = 64
STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/")
YEAR = 31_536_000
DAY = 86_400


def default_workers() -> int:
    """One worker per core, at least 2 (so one slow request never blocks everyone)."""
    return max(2, os.cpu_count() or 1)


def gunicorn_options(settings: Settings, *, workers: int | None = None) -> dict[str, Any]:
    """The gunicorn settings used in production (see docs/deploy.md for each choice)."""
    return {
        "bind": f"{settings.host}:{settings.port}",
        "workers": max(1, default_workers() if workers is None else workers),
        # Threads overlap network waits (slow clients, keep-alive); the callbacks themselves
        # are CPU-bound, so processes, not threads, give the parallelism.
        "worker_class": "gthread",
        "threads": 4,
        "preload_app": True,
        # A callback taking anywhere near this long is a bug; the proxy sees a 502, not a hang.
        "timeout": 30,
        "graceful_timeout": 20,
        "keepalive": 5,
        # Recycle a worker now and then to bound slow memory growth (jitter: not all at once).
        # High, because recycling empties the worker's caches: at a few thousand requests a
        # second, 5,000 would replace each worker every couple of seconds.
        "max_requests": 100_000,
        "max_requests_jitter": 10_000,
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "limit_request_field_size": 8190,
        # The heartbeat file on tmpfs: a slow disk never makes a healthy worker look dead.
        "worker_tmp_dir": "/dev/shm" if Path("/dev/shm").is_dir() else None,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "la-variation",
    }


# ---------------------------------------------------------------------------------------------
# Process memory
# ---------------------------------------------------------------------------------------------
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None


def prepare_process() -> None:
    """Memory settings to apply before the store is loaded (serving only).

    Arrow's default allocator (mimalloc) keeps freed memory for reuse, so the transient
    copies made while the Parquet tables are converted stay resident; the system allocator
    gives them back. glibc's per-thread arenas are capped at 2 so gthread workers do not
    fragment memory across many arenas.
    """
    with contextlib.suppress(ImportError, NotImplementedError, AttributeError):
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())
    libc = _libc()
    if libc is not None and hasattr(libc, "mallopt"):
        m_arena_max = -8
        libc.mallopt(m_arena_max, 2)


def release_memory() -> None:
    """Return freed memory to the OS and freeze the heap before forking workers."""
    gc.collect()
    with contextlib.suppress(ImportError, AttributeError):
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)
    gc.freeze()


# ---------------------------------------------------------------------------------------------
# HTTP: compression and cache headers
# ---------------------------------------------------------------------------------------------
class _StaticCache:
    """A small thread-safe LRU of gzipped static bodies, keyed by path and version."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: tuple[str, str], value: bytes) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)


def _cache_headers(response: Response) -> Response:
    """Cache lifetimes for static files, and 304s for any conditional GET that matches.

    Dash links versioned assets as ``/assets/x.css?m=<mtime>``: those keep for a year.
    Dash's unversioned files (``plotly.min.js`` loaded by the graph component) carry an ETag
    but no lifetime; Dash compares ETags as strong only, which a compressed (weak) ETag never
    matches, so revalidation is answered here, with the weak comparison HTTP specifies.
    """
    if response.status_code != 200 or request.method not in ("GET", "HEAD"):
        return response
    path = request.path
    if path.startswith("/assets/") and "m" in request.args:
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.no_cache = None
    elif path == "/_favicon.ico":
        response.cache_control.public = True
        response.cache_control.max_age = DAY
    elif path.startswith(STATIC_PREFIXES) and response.cache_control.max_age is None:
        response.cache_control.no_cache = True  # revalidate (a 304 costs no body)
    if response.get_etag()[0] and request.if_none_match:
        response.make_conditional(request)  # in place
    return response


def _take_body(response: Response, *, read: bool) -> bytes:
    """The body's bytes (empty when not ``read``); a file being streamed is read and closed."""
    if not response.direct_passthrough:
        return response.get_data() if read else b""
    iterable = response.response
    try:
        return b"".join(iterable) if read else b""  # type: ignore[arg-type]
    finally:
        close = getattr(iterable, "close", None)
        if close is not None:
            close()
        response.direct_passthrough = False


def _compress(response: Response, cache: _StaticCache) -> Response:
    if (
        response.status_code != 200
        or "Content-Encoding" in response.headers
        or response.mimetype not in COMPRESSIBLE
        or request.accept_encodings["gzip"] <= 0
        or (response.is_streamed and not response.direct_passthrough)
    ):
        return response
    static = request.path.startswith(STATIC_PREFIXES)
    key = (request.path, response.get_etag()[0] or request.query_string.decode("latin-1"))
    body = cache.get(key) if static else None
    data = _take_body(response, read=body is None)
    if body is None:
        if len(data) < MIN_COMPRESS_BYTES:
            response.set_data(data)
            return response
        body = gzip.compress(data, compresslevel=COMPRESS_LEVEL, mtime=0)
        if static:
            cache.put(key, body)
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    tag, weak = response.get_etag()
    if tag and not weak:  # another encoding of the same resource: a weak validator
        response.set_etag(tag, weak=True)
    return response


def install_http_tuning(server: Flask) -> Flask:
    """Add gzip compression and cache headers for static files to ``server``; return it."""
    cache = _StaticCache(STATIC_CACHE_ENTRIES)

    @server.after_request
    def _tune(response: Response) -> Response:
        return _compress(_cache_headers(response), cache)

    return server


# ---------------------------------------------------------------------------------------------
# gunicorn
# ---------------------------------------------------------------------------------------------
class _Gunicorn(BaseApplication):
    def __init__(self, settings: Settings, options: dict[str, Any], store: Any = None) -> None:
        self.settings = settings
        self.options = options
        self.store = store
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if value is not None:
                self.cfg.set(key, value)

    def load(self) -> Any:
        server = production_server(self.settings, store=self.store)
        self.store = None  # the app holds it now
        return server


def warm_up(server: Flask) -> dict[str, int]:
    """Answer a few requests in the master before the workers fork; return their statuses.

    Dash finishes setting itself up on its first request (it registers the script paths it
    will serve and the page router's callback), and marks that done *before* doing it: in a
    fresh worker, a second thread arriving during that first request finds no registered
    paths and answers 500 ("dash is not a registered library"), so a page opened just after
    a (re)start could fail to load. Done once here, the work is inherited by every worker,
    which also saves each of them the time.
    """
    client = server.test_client()
    return {
        path: client.get(path).status_code
        for path in ("/", "/_dash-layout", "/_dash-dependencies", "/healthz")
    }


def production_server(settings: Settings, *, store: Any = None) -> Flask:
    """The app's Flask server as production serves it, set up and ready to fork.

    Compression and cache headers installed, Dash's first-request setup done (``warm_up``),
    freed memory returned and the heap frozen (``release_memory``).
    """
    from app import create_app

    server = install_http_tuning(create_app(settings, store=store).server)
    statuses = warm_up(server)
    failed = {path: code for path, code in statuses.items() if code != 200}
    if failed:
        log.warning("warm-up requests failed: %s", failed)
    release_memory()
    return server


def run_gunicorn(settings: Settings, *, workers: int | None = None, store: Any = None) -> int:
    """Serve until interrupted; returns gunicorn's exit status.

    ``store``: an already opened ``data.store.Store`` (so the CLI need not open it twice).
    """
    _Gunicorn(settings, gunicorn_options(settings, workers=workers), store).run()
    return 0
