"""Production serving: gunicorn running the app in several worker processes.

* Each worker is an asyncio server (uvicorn, ``server.worker``) that reads every request in
  full, within deadlines, before one of its few threads runs the app on it
  (``server.asgi``): slow or stalled clients cost a coroutine, never a thread.
* The store is opened and the app built once, in the master, before the workers fork
  (``preload_app``): workers share the read-only frames copy-on-write and answer at once; a
  worker recycled after ``max_requests`` is a fresh fork, not a fresh load.
* Before forking, unused memory is handed back to the OS and the heap is frozen out of the
  garbage collector (``gc.freeze``), so a collection in a worker does not touch, and thereby
  copy, the pages it shares with the master.
* The app is built by a factory handed in by ``app.py`` (this package never imports the app).

Workers keep no state of their own beyond per-process caches of immutable results, so any
worker (or host) can answer any request; see docs/deploy.md for scaling out.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import logging
import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from config import Settings
from server.asgi import asgi_app

log = logging.getLogger(__name__)

#: Builds the app's Flask server (``app.py`` hands in ``create_app(...).server``).
ServerFactory = Callable[[], Flask]


def default_workers() -> int:
    """One worker per core, at least 2 (so one slow request never blocks everyone)."""
    return max(2, os.cpu_count() or 1)


def gunicorn_options(settings: Settings, *, workers: int | None = None) -> dict[str, Any]:
    """The gunicorn settings used in production (see docs/deploy.md for each choice)."""
    return {
        "bind": f"{settings.host}:{settings.port}",
        "workers": max(1, default_workers() if workers is None else workers),
        # An event loop per worker reads requests and writes answers (any number of slow
        # clients); the app runs in `threads` threads per worker once a request is complete.
        # The callbacks are CPU-bound, so processes, not threads, give the parallelism.
        "worker_class": "server.worker.Worker",
        "threads": 4,
        "preload_app": True,
        # A worker whose event loop stops answering this long is restarted.
        "timeout": 30,
        "graceful_timeout": 20,
        "keepalive": 5,
        # Recycle a worker now and then to bound slow memory growth (jitter: not all at once).
        # High, because recycling empties the worker's caches: at a few thousand requests a
        # second, 5,000 would replace each worker every couple of seconds.
        "max_requests": 100_000,
        "max_requests_jitter": 10_000,
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
    gives them back. glibc's per-thread arenas are capped at 2 so a worker's threads do not
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
# gunicorn
# ---------------------------------------------------------------------------------------------
class _Gunicorn(BaseApplication):
    def __init__(self, options: dict[str, Any], build: ServerFactory, settings: Settings) -> None:
        self.options = options
        self.build: ServerFactory | None = build
        self.request_timeout = settings.request_timeout
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if value is not None:
                self.cfg.set(key, value)

    def load(self) -> Any:
        assert self.build is not None, "the app is built once, in the master"
        server = production_server(self.build)
        self.build = None  # the app holds what the factory held (the store)
        return asgi_app(server, threads=self.cfg.threads, request_timeout=self.request_timeout)


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


def warmed(server: Flask) -> Flask:
    """``server`` after ``warm_up`` (a failed warm-up request is logged); ready to serve.

    For any WSGI server too (``wsgi.py``): without it, ``gunicorn wsgi:server`` answered 500
    to some of the first requests after a start.
    """
    statuses = warm_up(server)
    failed = {path: code for path, code in statuses.items() if code != 200}
    if failed:
        log.warning("warm-up requests failed: %s", failed)
    return server


def production_server(build: ServerFactory) -> Flask:
    """The app's Flask server as production serves it, set up and ready to fork.

    Built by ``build``, Dash's first-request setup done (``warmed``), freed memory returned
    and the heap frozen (``release_memory``).
    """
    server = warmed(build())
    release_memory()
    return server


def announce_once(message: str) -> Callable[[Any], None]:
    """A gunicorn ``post_worker_init`` hook printing ``message`` when the first worker is up.

    The listening socket is open before any worker starts (a request sent then waits in its
    queue), and a worker that has loaded the app is about to accept: the message means the
    server answers. Printed once, whichever worker is first (a flag in memory shared by the
    master and the workers it forks), and never again when a worker is replaced.
    """
    announced = multiprocessing.Value("b", 0)

    def post_worker_init(worker: Any) -> None:
        del worker
        with announced.get_lock():
            if announced.value:
                return
            announced.value = 1
        print(message, flush=True)  # noqa: T201 (the start-up line, on stdout)

    return post_worker_init


def run_gunicorn(
    settings: Settings,
    build: ServerFactory,
    *,
    workers: int | None = None,
    ready_message: str | None = None,
) -> int:
    """Serve the server ``build`` makes until interrupted; returns gunicorn's exit status.

    ``build`` is called once, in the master, before the workers fork. ``ready_message`` is
    printed once the server answers (``announce_once``).
    """
    options = gunicorn_options(settings, workers=workers)
    if ready_message:
        options["post_worker_init"] = announce_once(ready_message)
    _Gunicorn(options, build, settings).run()
    return 0
