"""The app answers a repeated callback request from memory: same bytes, same headers."""

import gzip
import json

from app import create_app
from bench.dash_payloads import UPDATE, discover


def test_every_page_load_callback_repeats_from_memory(tiny_store, clear_dash_pages):
    server = create_app(store=tiny_store).server  # as production serves it (gzip)
    memo = server.extensions["la_variation_memo"]
    client = server.test_client()
    headers = {"Accept-Encoding": "gzip"}

    def get(path):
        return client.get(path).get_json()

    def post(path, body):
        response = client.post(path, json=body)
        return response.status_code, response.get_data()

    callbacks = [cb for cb in discover(get, post) if cb.status == 200]
    assert len(callbacks) >= 15  # every page's charts, tables and captions
    for cb in callbacks:
        first = client.post(UPDATE, json=cb.body, headers=headers)
        hits = memo.hits
        again = client.post(UPDATE, json=cb.body, headers=headers)
        assert memo.hits == hits + 1, cb.name
        assert again.status_code == 200
        assert again.get_data() == first.get_data(), cb.name
        assert again.headers.get("Content-Encoding") == first.headers.get("Content-Encoding")
        assert "Content-Security-Policy" in again.headers  # security headers on a hit too
        raw = again.get_data()
        if again.headers.get("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        assert "response" in json.loads(raw)
    # A client without gzip gets plain JSON, computed for it and not a gzip body.
    plain = client.post(UPDATE, json=callbacks[0].body)
    assert "Content-Encoding" not in plain.headers
    assert "response" in plain.get_json()


def test_refused_requests_never_reach_the_memo(tiny_store, clear_dash_pages):
    app = create_app(store=tiny_store)
    memo = app.server.extensions["la_variation_memo"]
    client = app.server.test_client()
    for _ in range(2):
        assert client.post(UPDATE, json={"not": "dash"}).status_code == 400
    assert len(memo) == 0 and memo.hits == 0


def test_the_memo_can_be_turned_off(tiny_store, clear_dash_pages):
    from config import Settings

    settings = Settings.from_env({}).with_overrides(callback_cache_mb=0)
    app = create_app(settings, store=tiny_store)
    assert "la_variation_memo" not in app.server.extensions
