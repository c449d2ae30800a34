"""The shipped reverse-proxy configuration (deploy/nginx.conf), run by the real nginx in front
of the production server: proxying, headers, the client address through X-Forwarded-For (with
``LA_VARIATION_TRUSTED_PROXIES=1``), body limits and slow clients.

Needs Debian's ``nginx`` (``scripts/test.sh`` installs it); skipped without it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from bench import event_loop, slow_clients
from bench.dash_payloads import UPDATE, pages_body
from bench.server import free_port
from tests.server_support import (
    ROOT,
    demo_store_dir,
    production_server,
    stop,
    wait_until_answering,
)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
LIMIT = 20  # requests per minute per client on the callback and API routes

pytestmark = pytest.mark.skipif(
    not Path(NGINX).is_file(), reason="needs Debian's nginx (scripts/test.sh installs it)"
)


def site_config(app_port: int, port: int) -> str:
    """deploy/nginx.conf with only its two addresses changed."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    for old, new in (
        ("    listen 80;", f"    listen 127.0.0.1:{port};"),
        ("    server 127.0.0.1:8050 ", f"    server 127.0.0.1:{app_port} "),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def main_config(folder: Path) -> str:
    """The parts of nginx.conf a distribution provides, pointed at a private folder."""
    user = "user root root;\n" if os.geteuid() == 0 else ""
    temp = " ".join(
        f"{kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    return (
        f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\nevents {{ worker_connections 1024; }}\n"
        f"http {{\n  access_log off;\n  {temp}\n  uwsgi_temp_path {folder / 'uwsgi'};\n"
        f"  scgi_temp_path {folder / 'scgi'};\n  include {folder / 'site.conf'};\n}}\n"
    )


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    store = demo_store_dir(tmp_path_factory)
    log = tmp_path_factory.mktemp("log") / "server.log"
    env = {"LA_VARIATION_TRUSTED_PROXIES": "1", "LA_VARIATION_RATE_LIMIT": f"{LIMIT}/minute"}
    with production_server(store, log, env=env) as running:
        yield running


@pytest.fixture(scope="module")
def proxy(app_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("nginx")
    port = free_port()
    (folder / "site.conf").write_text(site_config(app_server.port, port))
    (folder / "nginx.conf").write_text(main_config(folder))
    command = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    log = folder / "nginx.out"
    with log.open("w") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(url + "/healthz", proc, log, timeout=30)
        yield url
    finally:
        stop(proc)


def test_pages_api_and_callbacks_pass_through_with_the_apps_headers(proxy):
    page = httpx.get(proxy + "/", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200 and '<html lang="en">' in page.text
    assert page.headers["server"] == "nginx"  # no version (server_tokens off)
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    api = httpx.get(proxy + "/api/v1/indicators", headers={"Accept-Encoding": "gzip"})
    assert api.status_code == 200 and api.headers["content-encoding"] == "gzip"
    assert api.json()["count"] > 0
    callback = httpx.post(proxy + UPDATE, json=pages_body("/"))
    assert callback.status_code == 200 and "response" in callback.json()


def _client(proxy: str, source: str) -> httpx.Client:
    return httpx.Client(base_url=proxy, transport=httpx.HTTPTransport(local_address=source))


def test_the_limit_counts_each_client_address_and_ignores_a_forged_forwarded_for(proxy):
    # Loopback has many addresses: two "clients" connect from 127.0.0.2 and 127.0.0.3.
    with _client(proxy, "127.0.0.2") as first, _client(proxy, "127.0.0.3") as second:
        codes = [
            first.get("/api/v1/areas", headers={"X-Forwarded-For": f"10.0.0.{i}"}).status_code
            for i in range(LIMIT + 1)
        ]
        assert codes[:LIMIT] == [200] * LIMIT
        assert codes[LIMIT] == 429  # forging a different address each time did not help
        limited = first.get("/api/v1/areas")
        assert int(limited.headers["retry-after"]) >= 1
        assert second.get("/api/v1/areas").status_code == 200  # another client is unaffected


def test_a_body_over_the_limit_is_refused_at_the_proxy(proxy):
    response = httpx.post(proxy + UPDATE, content=b"x" * 2_000_000, timeout=30)
    assert response.status_code == 413


def test_normal_requests_are_answered_while_100_connections_trickle(proxy):
    result = event_loop.run(slow_clients.run(proxy, slow=100, seconds=6, deadline=5.0))
    assert result.sent >= 20
    assert result.answered == result.sent, result.summary()
