"""server.release against a real Redis: the release the hosts agree on, and which one each
host serves (hosts are ``Releases`` over store folders of their own)."""

from pathlib import Path

import pytest
import redis

from server.release import KEY, Releases
from server.shared import SharedState
from tests.server_support import needs_redis, redis_server

pytestmark = needs_redis


def make_store(folder: Path, current: str, *held: str) -> Path:
    """A store folder with empty release folders ``held`` and ``CURRENT`` naming ``current``."""
    for release in {current, *held}:
        (folder / "releases" / release).mkdir(parents=True, exist_ok=True)
    (folder / "CURRENT").write_text(current + "\n")
    return folder


@pytest.fixture
def redis_url(tmp_path):
    with redis_server(tmp_path) as (url, proc):
        yield url, proc


def host(folder: Path, url: str) -> Releases:
    return Releases(folder, SharedState(url, retry=0.0))


def test_without_redis_a_host_serves_its_own_current(tmp_path):
    store = make_store(tmp_path / "a", "20260101T000000-aaaa", "20250101T000000-old")
    releases = Releases(store, SharedState(None))
    assert releases.agreed() == releases.to_serve() == "20260101T000000-aaaa"


def test_hosts_starting_agree_on_the_newest_release(tmp_path, redis_url):
    url, _ = redis_url
    old, new = "20260101T000000-aaaa", "20260201T000000-bbbb"
    lagging = host(make_store(tmp_path / "a", old), url)
    ahead = host(make_store(tmp_path / "b", new, old), url)
    assert lagging.agreed() == old  # first up: its own
    assert ahead.agreed() == new  # newer: it wins
    assert lagging.agreed() == new  # the lagging host learns it...
    assert lagging.to_serve() == old  # ...but serves what it has until the release arrives
    assert ahead.to_serve() == new
    # a host restarted with an old copy does not pull the others back
    assert host(make_store(tmp_path / "c", old), url).agreed() == new
    assert redis.Redis.from_url(url).get(KEY) == new.encode()


def test_a_release_made_current_on_one_host_is_followed_by_the_others(tmp_path, redis_url):
    url, _ = redis_url
    old, new = "20260101T000000-aaaa", "20260201T000000-bbbb"
    first = host(make_store(tmp_path / "a", old), url)
    second = host(make_store(tmp_path / "b", old, new), url)  # holds both
    assert first.agreed() == second.agreed() == old
    make_store(tmp_path / "a", new)  # an ingest on the first host
    assert first.agreed() == new
    assert second.agreed() == new and second.to_serve() == new
    # a rollback made current on a host is followed too (older, and still it wins)
    make_store(tmp_path / "a", old)
    assert first.agreed() == old
    assert second.agreed() == old and second.to_serve() == old


def test_redis_down_keeps_the_release_last_agreed(tmp_path, redis_url):
    url, proc = redis_url
    old, new = "20260101T000000-aaaa", "20260201T000000-bbbb"
    ahead = host(make_store(tmp_path / "a", new, old), url)
    behind = host(make_store(tmp_path / "b", old, new), url)  # has it, CURRENT still old
    assert ahead.agreed() == new
    assert behind.to_serve() == new
    proc.kill()
    proc.wait(10)
    assert behind.agreed() == new and behind.to_serve() == new  # not back to its CURRENT
    assert host(make_store(tmp_path / "c", old), url).to_serve() == old  # never reached it
