"""LiveStore: a running server follows a new release, one release per request."""

from types import SimpleNamespace

import pytest

from data.errors import StoreError, StoreMissing
from data.store import LiveStore, Store, write_store


@pytest.fixture
def store_dir(tmp_path, demo_tables):
    small = {**demo_tables, "values": demo_tables["values"].head(1000)}
    write_store(small, {"synthetic": True, "n": 1}, tmp_path)
    return tmp_path


def test_follows_a_new_release_and_pins_one_per_request(store_dir, demo_tables):
    live = LiveStore(store_dir, check_seconds=0.0)
    first = live.release
    request = SimpleNamespace()
    live._scope = lambda: request  # a request begins
    assert live.current().release == first
    new = write_store(
        {**demo_tables, "values": demo_tables["values"].head(500)}, {"synthetic": True}, store_dir
    )
    assert live.wait_for(new.name)  # loads in the background
    # the request that started before the swap still sees its release
    assert live.current().release == first
    assert len(live.values) == 1000
    live._scope = lambda: None  # a new request (no pin)
    assert live.wait_for(new.name, timeout=10)
    assert live.release == new.name
    assert len(live.values) == 500


def test_a_broken_new_release_keeps_the_old_one_serving(store_dir):
    live = LiveStore(store_dir, check_seconds=0.0)
    first = live.release
    (store_dir / "CURRENT").write_text("20990101T000000-broken\n")
    assert not live.wait_for("20990101T000000-broken", timeout=1)
    assert live.release == first
    assert "no release '20990101T000000-broken'" in (live.last_error or "")


def test_missing_and_broken_stores_are_told_apart(tmp_path, store_dir):
    with pytest.raises(StoreMissing):
        Store.open(tmp_path / "empty")
    (store_dir / "CURRENT").write_text("nope\n")
    with pytest.raises(StoreError) as err:
        Store.open(store_dir)
    assert not isinstance(err.value, StoreMissing)


def test_a_forked_worker_is_not_stuck_behind_the_masters_load(store_dir):
    # A switch in progress in the master (its loading thread is not copied by fork) must not
    # leave every worker believing a load is still running, so never switching again.
    import os

    live = LiveStore(store_dir, check_seconds=0.0)
    live._loading = True
    pid = os.fork()
    if pid == 0:  # the worker
        os._exit(0 if live._loading is False and live._checked == 0.0 else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert live._loading is True  # the master is untouched
