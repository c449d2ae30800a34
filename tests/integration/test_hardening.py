"""Hostile requests against the real production server (``python -m app serve``): a clear 4xx,
never a 5xx, never a logged traceback, and no versions published in the page."""

import json
import platform
import re
import sys

import httpx
import pytest

from bench.dash_payloads import UPDATE, pages_body
from tests.server_support import demo_store_dir, production_server

MB = 1_000_000
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    store = demo_store_dir(tmp_path_factory)
    log = tmp_path_factory.mktemp("log") / "server.log"
    with production_server(store, log) as running:
        yield running


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/dash/nope.js",
        "/_dash-component-suites/nope/x.js",
        "/_dash-component-suites/dash/deps/react@0.0.1.min.js",
        "/_dash-component-suites/dash/%2e%2e/%2e%2e/etc/passwd",
        "/_dash-component-suites/plotly/package_data/plotly.min.v9_9_9m1.js.map",
    ],
)
def test_unknown_component_suite_paths_are_404(served, path):
    response = httpx.get(served.url + path)
    assert response.status_code == 404
    assert "Traceback" not in served.log.read_text()


MALFORMED_NUMBERS = ["--5", "-", "+5", "5-", "1_0", "٣", "0x10"]


@pytest.mark.parametrize("value", MALFORMED_NUMBERS)
def test_a_malformed_n_is_400_naming_n(served, value):
    indicators = httpx.get(served.url + "/api/v1/indicators").json()["indicators"]
    chosen = next(i for i in indicators if i["periods"])
    params = {"indicator": chosen["id"], "period": chosen["periods"][-1]["time_period"]}
    response = httpx.get(served.url + "/api/v1/rankings", params={**params, "n": value})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["parameter"] == "n"


@pytest.mark.parametrize("value", MALFORMED_NUMBERS)
def test_a_malformed_draws_is_400_naming_draws(served, value):
    indicators = httpx.get(served.url + "/api/v1/indicators").json()["indicators"]
    chosen = next(i for i in indicators if len(i["periods"]) >= 2)
    periods = [p["time_period"] for p in chosen["periods"]]
    params = {"indicator": chosen["id"], "from": periods[0], "to": periods[-1], "draws": value}
    response = httpx.get(served.url + "/api/v1/improvement", params=params)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["parameter"] == "draws"


def _chunks(total: int, size: int = 64 * 1024):
    sent = 0
    while sent < total:
        chunk = b"x" * min(size, total - sent)
        sent += len(chunk)
        yield chunk


@pytest.mark.parametrize("path", ["/_dash-update-component", "/api/v1/indicators"])
def test_a_chunked_body_over_the_limit_is_413(served, path):
    response = httpx.post(
        served.url + path,
        content=_chunks(2 * MB),
        headers=JSON,
        timeout=30,
    )
    assert response.status_code == 413
    assert response.json()["error"]["status"] == 413


def test_a_declared_body_over_the_limit_is_413(served):
    response = httpx.post(
        served.url + "/_dash-update-component",
        content=b"x" * (2 * MB),
        headers=JSON,
        timeout=30,
    )
    assert response.status_code == 413


def test_a_small_chunked_callback_body_is_read_as_usual(served):
    body = json.dumps(pages_body("/")).encode()
    whole = httpx.post(served.url + UPDATE, content=body, headers=JSON)
    chunked = httpx.post(served.url + UPDATE, content=iter([body[:40], body[40:]]), headers=JSON)
    assert whole.status_code == chunked.status_code == 200
    assert chunked.json() == whole.json()


def test_the_page_publishes_no_python_or_library_versions(served):
    page = httpx.get(served.url + "/").text
    config = json.loads(
        re.search(
            r'<script id="_dash-config" type="application/json">(.*?)</script>', page, re.S
        ).group(1)
    )
    assert not [key for key in config if "version" in key]
    assert sys.version not in page and platform.python_version() not in page
    assert config["end_id"] and "children_props" in config  # what the renderer needs stays
