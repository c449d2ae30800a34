"""Script and stylesheet URLs name their file's content, not its modification time, so two
installs of the same code serve the same URLs (dash_app.PublicDash)."""

import hashlib
import os
import re
import sys
from pathlib import Path

import pytest

from app import create_app
from dash_app import PLOTLY_BUNDLE, PLOTLY_URL, suite_url, with_content_urls

SUITE = re.compile(r"/_dash-component-suites/(?P<ns>[\w.-]+)/(?P<path>[^\"?]+)")


@pytest.fixture
def client(tiny_store, clear_dash_pages):
    return create_app(store=tiny_store).server.test_client()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def page_urls(client) -> list[str]:
    html = client.get("/").get_data(as_text=True)
    return [u.replace("&amp;", "&") for u in re.findall(r'(?:src|href)="(/[^"]+)"', html)]


def test_every_script_and_stylesheet_url_carries_its_files_digest(client):
    urls = page_urls(client)
    # The partial plotly.js that chart pages preload: its fixed URL with the bundle's digest.
    plotly = [u for u in urls if u.startswith(f"/{PLOTLY_URL}?")]
    assert plotly == [f"/{PLOTLY_URL}?v={digest(PLOTLY_BUNDLE)}"]
    suites = [u for u in urls if u.startswith("/_dash-component-suites/") and u not in plotly]
    assets = [u for u in urls if u.startswith("/assets/")]
    assert len(suites) >= 8 and len(assets) >= 2
    for url in suites:
        match = SUITE.fullmatch(url)
        name = match.group("path").rsplit("/", 1)[-1]
        fingerprint = name.split(".")[1]  # v<version>m<digest>
        original = match.group("path").replace("." + fingerprint, "", 1)
        file = Path(sys.modules[match.group("ns")].__file__).parent / original
        assert fingerprint.endswith("m" + digest(file)), url
    root = Path(__file__).resolve().parents[2] / "assets"
    for url in assets:
        path, _, query = url.partition("?")
        assert query == "m=" + digest(root / path.removeprefix("/assets/")), url
    for url in urls:  # and Dash serves them, versioned ones to be kept a year
        response = client.get(url)
        assert response.status_code == 200, url
        if url.startswith(("/_dash-component-suites/", "/assets/")):
            assert "max-age=31536000" in response.headers["Cache-Control"], url


def test_a_file_touched_keeps_its_url_and_a_file_changed_gets_a_new_one(tmp_path):
    asset = tmp_path / "style.css"
    asset.write_text("body { color: black; }")
    html = '<link href="/assets/style.css?m=1796595381.66">'
    before = with_content_urls(html, tmp_path)
    os.utime(asset, (1_000_000_000, 1_000_000_000))  # another install: another mtime
    assert with_content_urls(html.replace("1796595381.66", "1000000000.0"), tmp_path) == before
    asset.write_text("body { color: navy; }")
    assert with_content_urls(html, tmp_path) != before


def test_the_same_file_under_two_mtimes_gets_one_url():
    first = suite_url("dash", "dcc/dash_core_components.v4_4_1m1733000000.js")
    second = suite_url("dash", "dcc/dash_core_components.v4_4_1m1796595281.js")
    assert first == second and first is not None
    assert first.startswith("dcc/dash_core_components.v4_4_1m") and first.endswith(".js")
    assert suite_url("dash", "dcc/dash_core_components.js") is None  # no fingerprint: kept
    assert suite_url("nope", "x.v1m1.js") is None
