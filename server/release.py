"""One store release for every server: the agreed release, and which one this host serves.

A store folder names its live release in ``CURRENT`` (``data.store``). One host, or hosts
sharing one store folder, need nothing more. Hosts with a store each (pushed to every host)
agree through Redis (``LA_VARIATION_REDIS_URL``) on one release id, ``la-variation:release``:

* a host that sees its ``CURRENT`` change while it runs (an ingest, a push, a rollback) makes
  that release the agreed one, so the change reaches every host;
* a host starting up makes its ``CURRENT`` the agreed release only if there is none yet or its
  own is newer (release ids sort by build time): a host restarted with an old copy cannot pull
  the others back;
* every host serves the agreed release when its store holds it, and otherwise keeps serving its
  own ``CURRENT`` and is not ready (``/readyz`` answers 503) until the release arrives.

Each worker checks at most every ``data.store.LiveStore`` check interval (2 s), so the hosts
move within a few seconds of each other (plus the time to load the release). Redis down: each
host keeps the release last agreed (``server.shared``); a host that never reached Redis serves
its own ``CURRENT``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, Response

from server.shared import PREFIX, SharedState

log = logging.getLogger(__name__)

KEY = PREFIX + "release"
_DOWN: Any = object()  # what a Redis call gives when Redis does not answer
CURRENT_FILE = "CURRENT"
RELEASES_DIR = "releases"

#: Set ``KEY`` to ARGV[1] unless it holds a release that sorts after it (atomic in Redis).
_SET_IF_NEWER = """
local held = redis.call('GET', KEYS[1])
if not held or held < ARGV[1] then redis.call('SET', KEYS[1], ARGV[1]) return ARGV[1] end
return held
"""


class Releases:
    """The agreed release of a deployment and the one this host should serve."""

    def __init__(self, store_dir: Path, shared: SharedState) -> None:
        self.store_dir = Path(store_dir)
        self.shared = shared
        self._seen: str | None = None  # this host's CURRENT when last compared with Redis
        self._agreed = ""  # the agreed release last read from Redis

    def local(self) -> str:
        """This host's ``CURRENT`` ('' when there is none)."""
        try:
            return (self.store_dir / CURRENT_FILE).read_text().strip()
        except OSError:
            return ""

    def has(self, release: str) -> bool:
        """Whether this host's store holds ``release``."""
        folder = self.store_dir / RELEASES_DIR / release
        return bool(release) and "/" not in release and folder.is_dir()

    def agreed(self) -> str:
        """The release every host should serve.

        Without Redis, this host's ``CURRENT``; with Redis down, the release last agreed (so an
        outage moves no host back to an older copy), else this host's ``CURRENT``.
        """
        local = self.local()
        if not self.shared.configured or not local:
            return local
        if self._seen is None:  # starting: ours, unless another host's is newer
            held = self.shared.call(lambda r: r.eval(_SET_IF_NEWER, 1, KEY, local), _DOWN)
        elif self._seen != local:  # made current here while running: everyone follows
            log.info("store release %s made current here: announcing it", local)
            held = self.shared.call(lambda r: r.set(KEY, local) and local, _DOWN)
        else:
            held = self.shared.call(lambda r: r.get(KEY), _DOWN)
            if held is None:  # Redis lost its data: announce ours, as when starting
                self._seen = None
                return self.agreed()
        if held is _DOWN:
            return self._agreed or local
        self._seen = local
        self._agreed = held.decode() if isinstance(held, bytes) else str(held)
        return self._agreed

    def to_serve(self) -> str:
        """The release this host serves: the agreed one if it has it, else its ``CURRENT``."""
        agreed = self.agreed()
        return agreed if self.has(agreed) else self.local()


def install_readiness(server: Flask, releases: Releases, serving: Callable[[], str]) -> None:
    """``GET /readyz``: 200 while this host serves the agreed release, 503 otherwise.

    ``serving``: the release the current request is answered from. A load balancer sends
    traffic only to ready hosts, so no two of them answer from different releases for longer
    than it takes a host to notice and load a new one.
    """

    @server.get("/readyz")
    def readyz() -> Response:
        agreed, served = releases.agreed(), serving()
        ready = bool(agreed) and served == agreed
        body = {"ready": ready, "release": served, "agreed": agreed}
        response = Response(
            to_json(body), status=200 if ready else 503, mimetype="application/json"
        )
        response.headers["Cache-Control"] = "no-store"
        return response


def to_json(payload: dict[str, object]) -> str:
    """Compact JSON, keys sorted."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"))
