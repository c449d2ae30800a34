"""The Dash class the app is built on: what each page publishes about the server and its files.

* The page's ``_dash-config`` leaves out what only Dash's development tools read (the Python
  and library versions; ``DEV_TOOLS_CONFIG``): the production renderer never reads them and
  a visitor has no use for them.
* Script and stylesheet URLs carry a digest of the file's content instead of its modification
  time. Dash writes ``/_dash-component-suites/dash/dcc/x.v4_4_1m<mtime>.js`` and
  ``/assets/style.css?m=<mtime>``, so two installs of the same code (two hosts behind one load
  balancer) name the same file differently, and a browser caches it twice; with a digest every
  install names it alike, and a URL changes exactly when its file does. Dash still serves the
  URL (it ignores the part between ``.v`` and the extension, and the query string).
* A page that draws charts preloads plotly.js (``plotly_script``): ``dcc.Graph`` would fetch
  it only once the page's first graph mounts, after the layout and the page's own request have
  come back, and then evaluate it. Preloaded, it is fetched beside the other scripts, and
  ``assets/app.js`` runs it once Dash has asked for the page's content, so that evaluating it
  overlaps the server's work (``dcc.Graph`` uses an existing ``window.Plotly``). A script tag
  with ``defer`` would be simpler but delays Dash's first request by the evaluation.
"""

from __future__ import annotations

import hashlib
import html
import re
import sys
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any

import dash
from dash.fingerprint import build_fingerprint, check_fingerprint

#: Keys of ``_dash-config`` that only Dash's development tools read (``dash_renderer.min.js``
#: never does): versions a visitor has no use for.
DEV_TOOLS_CONFIG = (
    "dash_version",
    "dash_version_url",
    "ddk_version",
    "disable_version_check",
    "plotly_cloud_installed",
    "plotly_version",
    "python_version",
)
SUITES = "/_dash-component-suites/"
_SUITE_URL = re.compile(r"/_dash-component-suites/(?P<namespace>[\w.-]+)/(?P<path>[^\"'\s?]+)")
_ASSET_URL = re.compile(r"/assets/(?P<path>[^\"'\s?]+)\?m=[0-9.]+")
_VERSION = re.compile(r"^v(?P<version>[\w-]+)m[0-9a-fA-F]+$")
#: Where ``dcc.Graph`` fetches plotly.js when a page first draws a graph (below the app's path
#: prefix; Dash fixes this URL, with no version in it). ``server.serve_plotly_bundle`` answers
#: it with ``PLOTLY_BUNDLE``.
PLOTLY_URL = "_dash-component-suites/plotly/package_data/plotly.min.js"
#: The partial plotly.js (core and scatter, bar, box, choropleth: every trace type the figures
#: draw), built by ``scripts/build_plotly.sh`` from ``frontend/plotly``'s locked packages.
PLOTLY_BUNDLE = Path(__file__).with_name("frontend") / "plotly" / "dist" / "plotly.min.js"


def content_digest(path: Path) -> str | None:
    """The first 16 hex digits of the file's SHA-256 (None when it cannot be read)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _digest(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _digest(path: str, mtime_ns: int, size: int) -> str | None:
    del mtime_ns, size  # part of the cache key only: a changed file is read again
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except OSError:
        return None


def suite_url(namespace: str, path: str) -> str | None:
    """A component-suite URL's path with a content digest for its mtime; None to keep it."""
    original, fingerprinted = check_fingerprint(path)
    module = sys.modules.get(namespace)
    if not fingerprinted or module is None or module.__file__ is None:
        return None
    version = _VERSION.match(path.rsplit("/", 1)[-1].split(".")[1])
    digest = content_digest(Path(module.__file__).parent / original)
    if version is None or digest is None:
        return None
    return build_fingerprint(original, version.group("version"), digest)


def with_content_urls(html: str, assets_folder: Path) -> str:
    """``html`` with every script and stylesheet URL versioned by its file's content."""

    def suite(match: re.Match[str]) -> str:
        namespace = match.group("namespace")
        path = suite_url(namespace, match.group("path"))
        return match.group(0) if path is None else f"{SUITES}{namespace}/{path}"

    def asset(match: re.Match[str]) -> str:
        digest = content_digest(assets_folder / match.group("path"))
        return match.group(0) if digest is None else f"/assets/{match.group('path')}?m={digest}"

    return _ASSET_URL.sub(asset, _SUITE_URL.sub(suite, html))


#: The path of the page whose HTML is being written (``PublicDash.index``), e.g. "/map".
_PAGE_PATH: ContextVar[str] = ContextVar("page_path", default="/")


class PublicDash(dash.Dash):
    """``dash.Dash`` with the page config and URLs described in the module's notes.

    ``plotly_script``: the plotly.js URL to preload with a page, and the paths of the pages
    that draw charts (relative to the app's path prefix, e.g. ``"/map"``); None loads it only
    when a graph mounts, as Dash does.
    """

    plotly_script: tuple[str, frozenset[str]] | None = None

    def index(self, *args: Any, **kwargs: Any) -> Any:
        """Dash's page for every path, knowing which path it is written for."""
        token = _PAGE_PATH.set("/" + str(kwargs.get("path") or "").strip("/"))
        try:
            return super().index(*args, **kwargs)
        finally:
            _PAGE_PATH.reset(token)

    def _preloads(self) -> str:
        """What only some pages preload: plotly.js on the pages that draw charts."""
        if self.plotly_script is None:
            return ""
        url, chart_paths = self.plotly_script
        if _PAGE_PATH.get() not in chart_paths:
            return ""
        return f'<link rel="preload" as="script" href="{html.escape(url)}" data-plotly-bundle>'

    def _config(self) -> dict[str, Any]:
        config: dict[str, Any] = super()._config()
        for key in DEV_TOOLS_CONFIG:
            config.pop(key, None)
        return config

    def interpolate_index(
        self,
        metas: str = "",
        title: str = "",
        css: str = "",
        config: str = "",
        scripts: str = "",
        app_entry: str = "",
        favicon: str = "",
        renderer: str = "",
    ) -> str:
        """Dash's page, with content-based URLs for its scripts and stylesheets."""
        assets = Path(self.config.assets_folder)
        page = super().interpolate_index(
            metas=metas,
            title=title,
            css=with_content_urls(css, assets) + self._preloads(),
            config=config,
            scripts=with_content_urls(scripts, assets),
            app_entry=app_entry,
            favicon=favicon,
            renderer=renderer,
        )
        return str(page)
