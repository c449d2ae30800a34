"""gzip responses (Flask-Compress) and cache lifetimes for static files.

* Responses of 500 bytes or more with a text, JSON, JavaScript, CSS or SVG type are gzipped
  (level 6) when the client accepts gzip; the compressed response's ETag names the encoding
  (``"<tag>:gzip"``) and a matching ``If-None-Match`` gets ``304``.
* Static files (Dash's JavaScript bundles, ``assets/``) are compressed once per worker and the
  result kept (``StaticGzipCache``): gzipping the scripts of one cold page load costs about
  0.3-0.6 s of CPU (plotly.min.js alone, 4.8 MB, most of it), which a cache hit does not.
* ``/assets/x?m=...`` (versioned by Dash) may be kept a year; the favicon a day; other static
  files (Dash's unversioned ``plotly.min.js``) revalidate with their ETag.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Flask, Request, Response, request
from flask_compress import Compress

#: Bodies smaller than this are sent as they are (gzip would gain little or nothing).
MIN_COMPRESS_BYTES = 500
COMPRESS_LEVEL = 6
COMPRESSIBLE = (
    "application/json",
    "application/javascript",
    "text/javascript",
    "text/css",
    "text/csv",
    "text/html",
    "text/plain",
    "image/svg+xml",
    "application/geo+json",
)
#: Compressed static files kept per worker (Dash's JavaScript bundles, assets/).
STATIC_CACHE_ENTRIES = 64
STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/")
YEAR = 31_536_000
DAY = 86_400


class StaticGzipCache:
    """Flask-Compress's cache backend: a small thread-safe LRU that keeps static files only.

    Flask-Compress asks its cache for every response it compresses; ``static_cache_key``
    gives every other response the empty key, which is never stored.
    """

    def __init__(self, entries: int = STATIC_CACHE_ENTRIES) -> None:
        self.entries = entries
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: str) -> bytes | None:
        """The compressed body kept under ``key``, if any."""
        if key.endswith(";"):
            return None
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def set(self, key: str, value: bytes) -> None:
        """Keep ``value`` unless ``key`` is the empty (not static) key."""
        if key.endswith(";"):
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)


def static_cache_key(req: Request) -> str:
    """The key of a static file's compressed body: path, version and ETag; '' otherwise."""
    if not req.path.startswith(STATIC_PREFIXES):
        return ""
    return f"{req.path}?{req.query_string.decode('latin-1')}"


def _cache_lifetimes(response: Response) -> Response:
    """Cache lifetimes for static files (versioned ones for a year)."""
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
    if path.startswith(STATIC_PREFIXES) and response.direct_passthrough:
        # A file sent by the WSGI server (assets/): read it, so that it is compressed whole,
        # once, and kept, like Dash's bundles.
        file = response.response
        try:
            response.set_data(b"".join(file))  # type: ignore[arg-type]
        finally:
            close = getattr(file, "close", None)
            if close is not None:
                close()
        response.direct_passthrough = False
    return response


def install_compression(server: Flask) -> StaticGzipCache:
    """Add gzip compression and cache lifetimes to ``server``; return the static cache.

    Install last, so that the compression runs first among the after-request steps (a memo
    keeps the compressed body).
    """
    cache = StaticGzipCache()
    server.config.update(
        COMPRESS_ALGORITHM="gzip",
        COMPRESS_ALGORITHM_STREAMING="gzip",
        COMPRESS_LEVEL=COMPRESS_LEVEL,
        COMPRESS_MIN_SIZE=MIN_COMPRESS_BYTES,
        COMPRESS_MIMETYPES=list(COMPRESSIBLE),
        COMPRESS_CACHE_BACKEND=lambda: cache,
        COMPRESS_CACHE_KEY=static_cache_key,
        COMPRESS_REGISTER=False,
    )
    compress = Compress(server)

    @server.after_request
    def _compress(response: Response) -> Response:
        return compress.after_request(_cache_lifetimes(response))

    server.extensions["la_variation_static_gzip"] = cache
    return cache
