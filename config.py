"""Runtime settings: where raw files and the store live, and how the server listens.

Nothing is read at import time. ``Settings.from_env()`` reads the environment when called;
command-line flags (in ``app.py``) override environment variables, which override defaults.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

#: The checkout's root: every default path is relative to it, never to the working directory.
PROJECT_ROOT = Path(__file__).resolve().parent

ENV_DATA_DIR = "LA_VARIATION_DATA_DIR"
ENV_STORE_DIR = "LA_VARIATION_STORE_DIR"
ENV_HOST = "LA_VARIATION_HOST"
ENV_PORT = "LA_VARIATION_PORT"
ENV_RATE_LIMIT = "LA_VARIATION_RATE_LIMIT"
ENV_TRUSTED_PROXIES = "LA_VARIATION_TRUSTED_PROXIES"
ENV_CALLBACK_CACHE_MB = "LA_VARIATION_CALLBACK_CACHE_MB"
ENV_MAX_SHRINK = "LA_VARIATION_MAX_SHRINK"
ENV_REQUEST_TIMEOUT = "LA_VARIATION_REQUEST_TIMEOUT"
ENV_REDIS_URL = "LA_VARIATION_REDIS_URL"

DEFAULT_STORE_DIR = PROJECT_ROOT / "store"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050
DEFAULT_RATE_LIMIT = "600/minute"
DEFAULT_MAX_SHRINK = 0.02
DEFAULT_REQUEST_TIMEOUT = 10.0


def default_data_dir(root: Path = PROJECT_ROOT) -> Path | None:
    """Return ``../shared/data`` beside the checkout when it exists, else ``None``."""
    candidate = (root.parent / "shared" / "data").resolve()
    return candidate if candidate.is_dir() else None


@dataclass(frozen=True, slots=True)
class Settings:
    """Where things live and how the dashboard is served.

    Attributes:
        data_dir: Folder of raw official files (read-only). ``None`` when there are none,
            in which case the demo store is used.
        store_dir: Folder holding the generated Parquet store (git-ignored).
        host: Interface the server binds to; loopback by default.
        port: TCP port of the server.
        rate_limit: Requests per client on the callback and API routes, e.g. ``600/minute``,
            or ``off`` (benchmarks, or a proxy in front that limits).
        trusted_proxies: How many proxies in front may set ``X-Forwarded-For`` (0: none; the
            socket's peer address identifies the client).
        callback_cache_mb: Memory per worker, in MB, for finished callback responses that a
            repeated request is answered from (``server.memo``); 0 turns it off.
        max_shrink: The largest share (0-1) of the live release's indicators or values a new
            ingest may lose before it is refused (``--allow-shrink`` overrides).
            repeated request is answered from (``server.memo``); 0 turns it off.
        request_timeout: Seconds a client may take to send a request's headers, and again its
            body; a slower one gets 408 and is disconnected (``server.worker``).
        redis_url: The Redis every worker and server shares (``redis://host:6379/0``): rate
            limits, the response memo and the agreed store release (``server.shared``);
            ``None`` keeps all of it in each process.
    """

    data_dir: Path | None = None
    store_dir: Path = DEFAULT_STORE_DIR
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    rate_limit: str = DEFAULT_RATE_LIMIT
    trusted_proxies: int = 0
    callback_cache_mb: int = 32
    max_shrink: float = DEFAULT_MAX_SHRINK
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT
    redis_url: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``LA_VARIATION_*`` variables, falling back to defaults.

        An empty ``LA_VARIATION_DATA_DIR`` means "no raw data": the demo store is used.
        """
        env = os.environ if environ is None else environ
        data_dir: Path | None
        if ENV_DATA_DIR in env:
            data_dir = Path(env[ENV_DATA_DIR]).expanduser() if env[ENV_DATA_DIR] else None
        else:
            data_dir = default_data_dir()
        store_dir = Path(env[ENV_STORE_DIR]).expanduser() if env.get(ENV_STORE_DIR) else None
        port_text = env.get(ENV_PORT, "")
        if port_text and not port_text.isdigit():
            raise ValueError(f"{ENV_PORT} must be a port number, got {port_text!r}")
        proxies = env.get(ENV_TRUSTED_PROXIES, "0") or "0"
        if not proxies.isdigit():
            raise ValueError(f"{ENV_TRUSTED_PROXIES} must be a whole number, got {proxies!r}")
        cache_mb = env.get(ENV_CALLBACK_CACHE_MB, "32") or "32"
        if not cache_mb.isdigit():
            raise ValueError(f"{ENV_CALLBACK_CACHE_MB} must be a whole number, got {cache_mb!r}")
        shrink_text = env.get(ENV_MAX_SHRINK, "") or str(DEFAULT_MAX_SHRINK)
        try:
            max_shrink = float(shrink_text)
        except ValueError:
            max_shrink = -1.0
        if not 0.0 <= max_shrink <= 1.0:
            raise ValueError(f"{ENV_MAX_SHRINK} must be a share from 0 to 1, got {shrink_text!r}")
        timeout_text = env.get(ENV_REQUEST_TIMEOUT, "") or str(DEFAULT_REQUEST_TIMEOUT)
        try:
            request_timeout = float(timeout_text)
        except ValueError:
            request_timeout = -1.0
        if not 0 < request_timeout <= 3600:
            raise ValueError(
                f"{ENV_REQUEST_TIMEOUT} must be a number of seconds above 0 and at most 3600, "
                f"got {timeout_text!r}"
            )
        redis_url = env.get(ENV_REDIS_URL, "").strip() or None
        if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError(f"{ENV_REDIS_URL} must be a redis://, rediss:// or unix:// URL")
        return cls(
            data_dir=data_dir,
            store_dir=store_dir or DEFAULT_STORE_DIR,
            host=env.get(ENV_HOST) or DEFAULT_HOST,
            port=int(port_text) if port_text else DEFAULT_PORT,
            rate_limit=env.get(ENV_RATE_LIMIT) or DEFAULT_RATE_LIMIT,
            trusted_proxies=int(proxies),
            callback_cache_mb=int(cache_mb),
            max_shrink=max_shrink,
            request_timeout=request_timeout,
            redis_url=redis_url,
        )

    def with_overrides(self, **changes: Any) -> Settings:
        """Return a copy with the given non-``None`` fields replaced (CLI flags win)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})
