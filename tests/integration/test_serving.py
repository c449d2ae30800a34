"""Production serving: gunicorn settings, the serve command, compression and cache headers,
and the real production server started on a free loopback port over a demo store."""

import gzip
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

import app as app_module
import server as serving
from config import Settings
from data.store import LiveStore, Store
from server.process import gunicorn_options
from tests.server_support import ROOT, demo_store_dir, production_server


# ---- settings ---------------------------------------------------------------------------
def test_gunicorn_options_are_production_settings():
    options = gunicorn_options(Settings(host="127.0.0.1", port=8123), workers=3)
    assert options["bind"] == "127.0.0.1:8123"
    assert options["workers"] == 3
    assert options["preload_app"] is True
    assert options["worker_class"] == "server.worker.Worker" and options["threads"] >= 2
    assert 0 < options["timeout"] <= 60 and options["graceful_timeout"] <= options["timeout"]
    assert options["max_requests"] > 0 and options["max_requests_jitter"] > 0
    assert options["accesslog"] is None and options["loglevel"] == "warning"


def test_default_workers_is_one_per_core_and_at_least_two(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert gunicorn_options(Settings())["workers"] == 2
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert gunicorn_options(Settings())["workers"] == 8
    assert gunicorn_options(Settings(), workers=0)["workers"] == 1


def test_serve_defaults_to_loopback_8050():
    args = app_module._parser().parse_args(["serve"])
    settings = app_module._settings(args).with_overrides(host=None, port=None)
    assert (Settings().host, Settings().port) == ("127.0.0.1", 8050)
    assert args.workers is None and args.dev is False
    assert settings.host == Settings.from_env({}).host


def test_serve_opens_the_store_once_and_hands_gunicorn_the_live_release(
    monkeypatch, tmp_path, tiny_store
):
    opened, served, built = [], {}, {}

    def fake_open(store_dir):
        opened.append(store_dir)
        return tiny_store

    def fake_create_app(settings, *, store, deployment=None):
        built.update(settings=settings, store=store, deployment=deployment)
        return type("App", (), {"server": "the flask server"})

    def fake_run(settings, build, *, workers, ready_message):
        served.update(settings=settings, workers=workers, server=build(), ready=ready_message)
        return 0

    monkeypatch.setattr(app_module.Store, "open", staticmethod(fake_open))
    monkeypatch.setattr(app_module, "create_app", fake_create_app)
    monkeypatch.setattr(serving, "run_gunicorn", fake_run)
    monkeypatch.setattr(serving, "prepare_process", lambda: None)
    monkeypatch.setenv("LA_VARIATION_DATA_DIR", "")
    code = app_module.main(
        ["serve", "--store-dir", str(tmp_path), "--port", "8125", "--workers", "3"]
    )
    assert code == 0
    assert opened == [tmp_path]
    assert served["server"] == "the flask server"  # built by the factory app.py hands in
    live = built["store"]
    assert isinstance(live, LiveStore)  # follows a re-ingest without a restart
    assert live._current is tiny_store and served["workers"] == 3
    assert served["settings"].port == 8125 and served["settings"].host == "127.0.0.1"
    assert served["ready"] == (
        f"la-variation is serving http://127.0.0.1:8125 (synthetic demo data, release "
        f"{tiny_store.release})"
    )


def test_the_ready_line_names_real_data_and_its_release(tiny_store):
    real = type("Store", (), {"synthetic": False, "release": "20261206T221922-71338e62b8"})
    line = app_module.ready_message(Settings(host="0.0.0.0", port=80), real)
    assert line == (
        "la-variation is serving http://0.0.0.0:80 (real data, release 20261206T221922-71338e62b8)"
    )


def test_serve_refuses_zero_workers(capsys):
    assert app_module.main(["serve", "--workers", "0"]) == 2
    assert "--workers" in capsys.readouterr().err


# ---- compression and cache headers --------------------------------------------------------
@pytest.fixture
def tuned(tiny_store, clear_dash_pages):
    from app import create_app

    return create_app(store=tiny_store).server.test_client()


def test_large_json_is_gzipped_when_the_client_accepts_it(tuned):
    url = "/api/v1/indicators"
    plain = tuned.get(url)
    assert "Content-Encoding" not in plain.headers
    zipped = tuned.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data
    assert len(zipped.data) < len(plain.data) / 3
    tag = zipped.headers["ETag"]
    assert tag.endswith(':gzip"')  # another encoding of the resource: another validator
    again = tuned.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": tag})
    assert again.status_code == 304 and not again.data


def test_small_bodies_and_errors_are_sent_as_they_are(tuned):
    for url in ("/healthz", "/api/v1/rankings?indicator=nope&period=1"):
        response = tuned.get(url, headers={"Accept-Encoding": "gzip"})
        assert "Content-Encoding" not in response.headers, url


def test_dash_bundles_are_gzipped_once_and_cached_for_a_year(tuned):
    index = tuned.get("/").get_data(as_text=True)
    start = index.index("/_dash-component-suites/")
    url = index[start : index.index('"', start)]
    first = tuned.get(url, headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "gzip"
    assert "max-age=31536000" in first.headers["Cache-Control"]
    second = tuned.get(url, headers={"Accept-Encoding": "gzip"})
    assert second.data == first.data


def test_versioned_assets_are_cacheable(tuned):
    index = tuned.get("/").get_data(as_text=True)
    start = index.index("/assets/")
    url = index[start : index.index('"', start)].replace("&amp;", "&")
    assert "?m=" in url
    response = tuned.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "public" in response.headers["Cache-Control"]


# ---- the real production server ------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    return demo_store_dir(tmp_path_factory)


@pytest.fixture
def production_url(demo_store, tmp_path):
    with production_server(demo_store, tmp_path / "server.log") as running:
        yield running.url, running.proc
        lines = [line for line in running.log.read_text().splitlines() if line.strip()]
        ready = [line for line in lines if line.startswith("la-variation is serving")]
        # Once, however many workers, and nothing printed after it while serving.
        assert ready == [
            f"la-variation is serving {running.url} (synthetic demo data, release "
            f"{Store.open(demo_store).release})"
        ]
        assert lines[-1] == ready[0]


def test_gunicorn_wsgi_server_answers_its_first_requests(demo_store, tmp_path):
    # Dash sets itself up on its first request but marks that done first: concurrent first
    # requests in a fresh worker answered 500. wsgi.py warms the app up before serving.
    html = subprocess.run(
        [sys.executable, "-c", "import wsgi; print(wsgi.server.test_client().get('/').text)"],
        cwd=ROOT,
        env={**os.environ, "LA_VARIATION_STORE_DIR": str(demo_store)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    scripts = re.findall(r'src="(/_dash-component-suites/[^"]+)"', html)
    assert len(scripts) >= 5
    command = [sys.executable, "-m", "gunicorn", "wsgi:server", "--bind", "127.0.0.1:{port}"]
    command += ["--workers", "2", "--worker-class", "gthread", "--threads", "8"]
    with production_server(demo_store, tmp_path / "wsgi.log", command=command) as running:
        paths = [*scripts, "/", "/_dash-layout", "/_dash-dependencies"] * 4
        with ThreadPoolExecutor(len(paths)) as pool:
            codes = list(pool.map(lambda path: httpx.get(running.url + path).status_code, paths))
    assert set(codes) == {200}


def test_production_server_answers_health_pages_and_api(production_url):
    import psutil

    url, proc = production_url
    health = httpx.get(url + "/healthz").json()
    assert health["status"] == "ok" and health["synthetic"] is True
    page = httpx.get(url + "/", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    assert "server" not in page.headers  # no software or version named
    api = httpx.get(url + "/api/v1/indicators", headers={"Accept-Encoding": "gzip"})
    assert api.status_code == 200 and api.headers["content-encoding"] == "gzip"
    assert api.json()["count"] > 0
    assert httpx.get(url + "/api/v1/areas?status=x").status_code == 400
    deadline = time.monotonic() + 10
    workers = []
    while time.monotonic() < deadline and len(workers) < 2:
        workers = psutil.Process(proc.pid).children()
        time.sleep(0.1)
    assert len(workers) == 2


def test_unversioned_dash_files_revalidate_with_a_304(tuned):
    # dcc.Graph loads plotly.min.js without a version in its URL: no lifetime, but an ETag.
    url = "/_dash-component-suites/plotly/package_data/plotly.min.js"
    first = tuned.get(url, headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "gzip"
    assert "no-cache" in first.headers["Cache-Control"]
    tag = first.headers["ETag"]
    assert tag.endswith(':gzip"')
    again = tuned.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": tag})
    assert again.status_code == 304 and not again.data


def test_the_load_benchmark_finds_every_pages_callbacks(tiny_store, clear_dash_pages):
    # bench/load.py builds its requests from the app itself; check that on the demo store
    # every page opens and every callback it fires answers (200, or 204 for "no update").
    from app import create_app
    from bench.dash_payloads import discover

    client = create_app(store=tiny_store).server.test_client()

    def get(path):
        return client.get(path).get_json()

    def post(path, body):
        response = client.post(path, json=body)
        return response.status_code, response.data

    callbacks = discover(get, post)
    pages = {cb.page for cb in callbacks}
    assert "/" in pages and len(pages) >= 2
    assert all(cb.status in (200, 204) for cb in callbacks), [
        (cb.name, cb.status) for cb in callbacks if cb.status not in (200, 204)
    ]
    assert any(cb.draws_chart and cb.figure_bytes for cb in callbacks)


def test_warm_up_sets_dash_up_before_workers_fork(tiny_store, clear_dash_pages):
    # Dash marks its first-request setup done before doing it; a worker's first requests, if
    # concurrent, then find no registered scripts (500). warm_up does it once, pre-fork.
    from concurrent.futures import ThreadPoolExecutor

    from app import create_app

    server = create_app(store=tiny_store).server
    assert set(serving.warm_up(server).values()) == {200}
    index = server.test_client().get("/").get_data(as_text=True)
    start = index.index("/_dash-component-suites/")
    url = index[start : index.index('"', start)]

    def fetch(_):
        return server.test_client().get(url).status_code

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(fetch, range(16))) == {200}
