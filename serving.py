"""Production serving: gunicorn running ``create_app()`` in several worker processes.

The app (and its store) is built once in the master before forking (``preload_app``), so
workers share the read-only frames copy-on-write and start answering at once.
"""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from config import Settings


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from app import create_app

        return create_app(self.settings).server


def gunicorn_options(settings: Settings, *, workers: int) -> dict[str, Any]:
    """The gunicorn settings used in production (see docs/deploy.md)."""
    return {
        "bind": f"{settings.host}:{settings.port}",
        "workers": max(1, workers),
        "worker_class": "gthread",
        "threads": 4,
        "preload_app": True,
        "timeout": 30,
        "graceful_timeout": 20,
        "keepalive": 5,
        "max_requests": 5000,
        "max_requests_jitter": 500,
        "limit_request_line": 8190,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
    }


def run_gunicorn(settings: Settings, *, workers: int = 2) -> int:
    """Serve until interrupted; returns gunicorn's exit status."""
    _Gunicorn(settings, gunicorn_options(settings, workers=workers)).run()
    return 0
