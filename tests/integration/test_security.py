"""Security on the Flask server: headers and CSP, no debug, body limit, rate limit, escaping,
malformed callback requests, and fuzzed callback and API requests (never a 5xx)."""

import json
import platform
import re
import sys
from dataclasses import replace
from pathlib import Path

import dash
import pytest

from app import create_app
from config import Settings
from dash_app import DEV_TOOLS_CONFIG
from server.limits import parse_rate_limit
from server.security import MAX_BODY_BYTES
from tests.store_support import with_planted_text


def app_for(tiny_store, **changes):
    settings = replace(Settings.from_env({}), **changes)
    return create_app(settings, store=tiny_store)


@pytest.fixture
def client(tiny_store, clear_dash_pages):
    return app_for(tiny_store, rate_limit="off").server.test_client()


def test_headers_and_policy(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert re.search(r"script-src 'self'( 'sha256-[^']+')+", csp)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_production_cannot_be_switched_to_debug(tiny_store, clear_dash_pages, monkeypatch):
    monkeypatch.setenv("DASH_DEBUG", "true")
    monkeypatch.setenv("DASH_HOT_RELOAD", "true")
    monkeypatch.setenv("DASH_UI", "true")
    app = app_for(tiny_store, rate_limit="off")
    client = app.server.test_client()
    page = client.get("/").get_data(as_text=True)
    config = json.loads(
        re.search(
            r'<script id="_dash-config" type="application/json">(.*?)</script>', page, re.S
        ).group(1)
    )
    assert config["ui"] is False
    assert "hot_reload" not in config
    assert app.server.debug is False
    reload_hash = client.get("/_reload-hash").get_json()
    assert reload_hash["reloadHash"] is None or reload_hash.get("hard") is None


def test_the_page_config_names_no_versions_and_the_renderer_needs_none(client):
    page = client.get("/").get_data(as_text=True)
    config = json.loads(
        re.search(
            r'<script id="_dash-config" type="application/json">(.*?)</script>', page, re.S
        ).group(1)
    )
    assert not set(DEV_TOOLS_CONFIG) & set(config)
    assert sys.version not in page and platform.python_version() not in page
    # The production renderer reads none of the keys left out (only the dev tools do).
    renderer = Path(dash.__file__).parent / "dash-renderer" / "build" / "dash_renderer.min.js"
    code = renderer.read_text()
    assert [key for key in DEV_TOOLS_CONFIG if key in code] == []
    assert all(key in code for key in ("children_props", "end_id", "csrf_header_name"))


def test_oversized_body_is_413(client):
    response = client.post(
        "/_dash-update-component",
        data=b"x" * (MAX_BODY_BYTES + 10),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.get_json()["error"]["status"] == 413


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[]", b"null", b'{"output": 5}', b'{"output": "a.b"}', b'{"inputs": []}'],
)
def test_malformed_callback_requests_are_400(client, body):
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "not a valid callback request"


def test_rate_limit_answers_429_with_retry_after_and_spares_health(tiny_store, clear_dash_pages):
    client = app_for(tiny_store, rate_limit="5/minute").server.test_client()
    codes = [client.get("/api/v1/indicators").status_code for _ in range(7)]
    assert codes[:5] == [200] * 5
    assert codes[5:] == [429, 429]
    limited = client.get("/api/v1/indicators")
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.get_json()["error"]["status"] == 429
    assert all(client.get("/healthz").status_code == 200 for _ in range(10))


def test_rate_limit_buckets_per_client_behind_a_trusted_proxy(tiny_store, clear_dash_pages):
    client = app_for(tiny_store, rate_limit="2/minute", trusted_proxies=1).server.test_client()
    a = [
        client.get("/api/v1/areas", headers={"X-Forwarded-For": "10.0.0.1"}).status_code
        for _ in range(3)
    ]
    b = [
        client.get("/api/v1/areas", headers={"X-Forwarded-For": "10.0.0.2"}).status_code
        for _ in range(2)
    ]
    assert a == [200, 200, 429]
    assert b == [200, 200]


def test_rate_limit_setting_is_checked():
    assert parse_rate_limit("600/minute") == "600/minute"
    assert parse_rate_limit(" 5 / Second ") == "5/second"
    assert parse_rate_limit("off") is None
    for bad in ("lots", "0/minute", "5/day"):
        with pytest.raises(ValueError, match="600/minute"):
            parse_rate_limit(bad)


def test_markup_in_data_is_escaped(tiny_store, clear_dash_pages):
    store = with_planted_text(
        tiny_store,
        area_code="E06000009",
        area_name="<img src=x onerror=alert(1)>",
        indicator_id="lait_lacstable_2016on",
        source_url="javascript:alert(1)",
        methodology="[x](javascript:alert(1)) <script>alert(2)</script>",
    )
    app = create_app(replace(Settings.from_env({}), rate_limit="off"), store=store)
    client = app.server.test_client()
    assert "<img" not in client.get("/").get_data(as_text=True)
    # data reaches the browser only as JSON props (rendered by React as text), never as HTML
    from callbacks.data_page import metadata_card

    card = metadata_card(store, "lait_lacstable_2016on")
    assert 'href="javascript' not in json.dumps(card.to_plotly_json(), default=str)
    assert "javascript:alert(1)" in str(card)  # shown as text


@pytest.mark.parametrize("path", ["/", "/benchmark", "/improvement", "/value", "/map", "/context"])
def test_markup_in_data_never_reaches_plotly_labels(tiny_store, clear_dash_pages, path):
    """plotly draws <a href>, <span style>... in its labels: every figure sent is plain."""
    from bench.dash_payloads import page_callbacks, pages_body

    link = '<a href="https://evil.example/phish">x</a>'
    store = with_planted_text(
        tiny_store,
        area_code="E06000009",
        area_name=f"{link} Blackpool",
        indicator_id="lait_lacstable_2016on",
        title=f"{link} title",
        short_title=f"{link} short",
    )
    app = create_app(replace(Settings.from_env({}), rate_limit="off"), store=store)
    client = app.server.test_client()
    search = "?la=E06000009&indicator=lait_lacstable_2016on"

    def post(url: str, body: object) -> tuple[int, bytes]:
        answer = client.post(url, json=body)
        return answer.status_code, answer.data

    sent = [client.post("/_dash-update-component", json=pages_body(path, search)).data]
    for callback in page_callbacks(lambda u: client.get(u).get_json(), post, path, search):
        sent.append(client.post("/_dash-update-component", json=callback.body).data)
    text = b"".join(sent).decode()
    assert "evil.example" in text  # the planted text was sent (as text)
    figures = [json.loads(s) for s in sent if s]
    assert not _markup_in_figures(figures), _markup_in_figures(figures)[:5]


def _markup_in_figures(answers: list) -> list[str]:
    found: list[str] = []

    def walk(value: object, in_figure: bool) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in ("meta", "geojson"):
                    walk(item, in_figure or key == "figure")
        elif isinstance(value, list):
            for item in value:
                walk(item, in_figure)
        elif in_figure and isinstance(value, str) and "<a " in value:
            found.append(value)

    walk(answers, False)
    return found
