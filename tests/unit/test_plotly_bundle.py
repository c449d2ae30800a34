"""The partial plotly.js bundle: plotly.py's version, every trace type the figures draw, served.

``frontend/plotly/dist/plotly.min.js`` is built by ``scripts/build_plotly.sh`` (whose
``--check``, run by the test command, rebuilds it from the locked npm packages and compares
bytes); these tests check what it holds against the Python side.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
from dash import dcc
from plotly.basedatatypes import BaseTraceType
from plotly.offline import get_plotlyjs_version

from dash_app import PLOTLY_BUNDLE, PLOTLY_URL
from server import serve_plotly_bundle

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend" / "plotly"
#: Python packages whose code builds plotly figures for the browser.
FIGURE_PACKAGES = ("figures", "callbacks", "layouts", "views")


def _bundle_text() -> str:
    return PLOTLY_BUNDLE.read_text(encoding="utf-8")


def _registered_traces(text: str) -> set[str]:
    """Trace modules compiled into a plotly.js bundle (each declares its type and name)."""
    return set(re.findall(r'moduleType:"trace",name:"(\w+)"', text))


def _trace_types_built() -> dict[str, set[str]]:
    """Trace type -> files that build one (``go.<Trace>(...)`` calls), over FIGURE_PACKAGES."""
    built: dict[str, set[str]] = {}
    for package in FIGURE_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                func = node.func if isinstance(node, ast.Call) else None
                if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
                    continue
                cls = getattr(go, func.attr, None) if func.value.id == "go" else None
                if isinstance(cls, type) and issubclass(cls, BaseTraceType):
                    built.setdefault(cls().type, set()).add(str(path.relative_to(ROOT)))
    return built


def test_the_bundle_is_the_plotly_js_version_plotly_py_expects():
    banner = _bundle_text().splitlines()[0]
    assert banner.startswith(f"/*! plotly.js v{get_plotlyjs_version()} partial bundle"), banner
    # The version inside the code too (Plotly.version), and the npm pins agree.
    assert re.search(rf'\.version="{re.escape(get_plotlyjs_version())}"', _bundle_text())
    package = json.loads((FRONTEND / "package.json").read_text())
    assert package["dependencies"]["plotly.js"] == get_plotlyjs_version()
    lock = json.loads((FRONTEND / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/plotly.js"]["version"] == get_plotlyjs_version()
    assert lock["packages"]["node_modules/plotly.js"]["integrity"].startswith("sha512-")


def test_every_trace_type_the_figures_build_is_in_the_bundle():
    built = _trace_types_built()
    registered = _registered_traces(_bundle_text())
    # The scan finds the figures' traces (it would pass vacuously if it found none).
    assert {"scatter", "bar", "box", "choropleth"} <= set(built), built
    missing = {trace: files for trace, files in built.items() if trace not in registered}
    assert not missing, f"trace types drawn but not in the partial plotly.js: {missing}"
    # The banner says what the bundle holds, and the entry file registers exactly that.
    banner_traces = re.search(r"traces ([\w,]+)\.", _bundle_text().splitlines()[0])
    assert banner_traces is not None
    assert set(banner_traces.group(1).split(",")) == registered
    entry = (FRONTEND / "index.js").read_text()
    assert set(re.findall(r"plotly\.js/lib/(\w+)", entry)) - {"core"} == registered - {"scatter"}


def test_the_bundle_is_far_smaller_than_plotly_py_s():
    full = Path(go.__file__).parents[1] / "package_data" / "plotly.min.js"
    assert len(_registered_traces(full.read_text(encoding="utf-8"))) > 30
    assert PLOTLY_BUNDLE.stat().st_size < 0.4 * full.stat().st_size


def test_dcc_graph_s_plotly_url_answers_with_the_bundle(tiny_store, clear_dash_pages):
    from app import create_app

    client = create_app(store=tiny_store).server.test_client()
    response = client.get("/" + PLOTLY_URL)
    assert response.status_code == 200
    assert response.data == PLOTLY_BUNDLE.read_bytes()
    assert response.mimetype == "text/javascript"
    etag = response.headers["ETag"]
    again = client.get("/" + PLOTLY_URL, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_without_the_bundle_dash_s_full_plotly_js_is_served(tmp_path: Path):
    import dash

    app = dash.Dash(__name__)
    assert serve_plotly_bundle(app.server, "/" + PLOTLY_URL, tmp_path / "missing.js") is None
    app.layout = dash.html.Div()
    client = app.server.test_client()
    client.get("/")  # collects and registers the component resources
    response = client.get("/" + PLOTLY_URL)
    assert response.status_code == 200
    assert len(_registered_traces(response.get_data(as_text=True))) > 30


def _graphs(component: Any) -> int:
    """How many ``dcc.Graph`` a layout holds."""
    return sum(isinstance(c, dcc.Graph) for c in component._traverse())


def test_pages_that_draw_charts_preload_plotly_js(tiny_store, clear_dash_pages):
    import layouts
    from app import create_app

    client = create_app(store=tiny_store).server.test_client()
    for page in layouts.PAGES:
        # The flag says what the layout holds (a new page with charts gets it by default).
        assert page.charts == (_graphs(page.layout(tiny_store.catalogue)) > 0), page.path
        html = client.get(page.path).get_data(as_text=True)
        preloads = re.findall(
            r'<link rel="preload" as="script" href="([^"]*)" data-plotly-bundle>', html
        )
        assert preloads == ([f"/{PLOTLY_URL}?v={_digest()}"] if page.charts else []), page.path
    versioned = client.get(f"/{PLOTLY_URL}?v={_digest()}")
    assert versioned.data == PLOTLY_BUNDLE.read_bytes()
    assert versioned.cache_control.max_age == 31_536_000 and versioned.cache_control.public
    other = client.get(f"/{PLOTLY_URL}?v=0123456789abcdef")
    assert other.cache_control.max_age is None and other.cache_control.no_cache


def _digest() -> str:
    return hashlib.sha256(PLOTLY_BUNDLE.read_bytes()).hexdigest()[:16]
