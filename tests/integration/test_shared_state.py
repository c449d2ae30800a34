"""Two production servers sharing one real Redis (LA_VARIATION_REDIS_URL), each with a store
of its own (as when the store is pushed to every host): the rate limit counts requests to
both, a response computed by one is a hit on the other, a new release is followed by both,
and with Redis killed both keep answering (``/healthz`` says degraded).

Needs Debian's ``redis-server`` (``scripts/test.sh`` installs it); skipped without it.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import time

import httpx
import pytest

from bench.dash_payloads import UPDATE, pages_body
from tests.server_support import (
    ROOT,
    demo_store_dir,
    needs_redis,
    production_server,
    redis_server,
)

pytestmark = needs_redis

LIMIT = 10  # requests per minute per client, counted across both servers


@pytest.fixture(scope="module")
def redis(tmp_path_factory):
    with redis_server(tmp_path_factory.mktemp("redis")) as (url, proc):
        yield url, proc


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    first = demo_store_dir(tmp_path_factory)
    second = first.parent.parent / "second-store"
    shutil.copytree(first, second)
    return first, second


@pytest.fixture(scope="module")
def servers(redis, stores, tmp_path_factory):
    url, _ = redis
    logs = tmp_path_factory.mktemp("logs")
    env = {"LA_VARIATION_REDIS_URL": url, "LA_VARIATION_RATE_LIMIT": f"{LIMIT}/minute"}
    with contextlib.ExitStack() as stack:
        running = [
            stack.enter_context(production_server(store, logs / f"{n}.log", workers=1, env=env))
            for n, store in enumerate(stores)
        ]
        yield running


def health(server) -> dict:
    return httpx.get(server.url + "/healthz").json()


def wait_for(condition, timeout: float = 60.0):
    """Poll ``condition()`` until it is truthy; return its value (fail after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"not within {timeout:.0f} s")


def test_the_limit_counts_requests_to_both_servers(servers):
    first, second = servers
    transport = {"transport": httpx.HTTPTransport(local_address="127.0.0.2")}
    with httpx.Client(**transport) as client:
        codes = [client.get(s.url + "/api/v1/areas").status_code for s in servers * (LIMIT // 2)]
        assert codes == [200] * LIMIT
        refused = client.get(first.url + "/api/v1/areas")
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert client.get(second.url + "/api/v1/areas").status_code == 429
    assert health(first)["status"] == "ok" and health(first)["shared_state"] == "redis"


def test_a_response_computed_by_one_server_is_a_hit_on_the_other(servers):
    first, second = servers
    body = pages_body("/benchmark")
    computed = httpx.post(first.url + UPDATE, json=body)
    shared = httpx.post(second.url + UPDATE, json=body)
    assert computed.status_code == shared.status_code == 200
    assert (computed.headers["x-memo"], shared.headers["x-memo"]) == ("miss", "shared")
    assert shared.content == computed.content
    api = "/api/v1/indicators?format=csv"
    assert httpx.get(second.url + api).headers["x-memo"] == "miss"
    again = httpx.get(first.url + api)
    assert again.headers["x-memo"] == "shared" and again.headers["content-type"].startswith(
        "text/csv"
    )


def test_a_new_release_is_followed_by_both_servers(servers, stores):
    first, second = servers
    first_store, second_store = stores
    old = health(first)["release"]
    assert health(second)["release"] == old
    # An ingest into the first host's store (another seed: another release, built later).
    subprocess.run(
        [sys.executable, "-m", "app", "demo", "--store-dir", str(first_store), "--seed", "5"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    new = (first_store / "CURRENT").read_text().strip()
    assert new > old
    wait_for(lambda: health(first)["release"] == new)
    # The second host learns of it through Redis, but has not got it yet: not ready.
    readyz = wait_for(lambda: httpx.get(second.url + "/readyz").json()["agreed"] == new and 1)
    assert readyz
    waiting = httpx.get(second.url + "/readyz")
    assert waiting.status_code == 503 and waiting.json()["release"] == old
    assert httpx.get(first.url + "/readyz").status_code == 200
    # The release is pushed to it (its CURRENT left alone): it serves it within seconds.
    pushed = time.monotonic()
    shutil.copytree(first_store / "releases" / new, second_store / "releases" / new)
    wait_for(lambda: health(second)["release"] == new, timeout=30)
    assert time.monotonic() - pushed < 30
    assert httpx.get(second.url + "/readyz").status_code == 200


def test_with_redis_killed_both_servers_keep_answering_and_say_degraded(servers, redis):
    _, proc = redis
    release = health(servers[0])["release"]
    proc.kill()
    proc.wait(10)
    for server in servers:
        for _ in range(3):  # the first call finds Redis gone; later ones skip it
            page = httpx.get(server.url + "/")
            callback = httpx.post(server.url + UPDATE, json=pages_body("/value"))
            api = httpx.get(server.url + "/api/v1/areas?status=current")
            assert (page.status_code, callback.status_code, api.status_code) == (200, 200, 200)
        state = httpx.get(server.url + "/healthz")
        assert state.status_code == 200
        assert state.json()["status"] == "degraded" and state.json()["problems"]
        assert state.json()["release"] == release  # no host moved back to an older copy
        assert httpx.get(server.url + "/readyz").status_code == 200
        assert "Traceback" not in server.log.read_text()
