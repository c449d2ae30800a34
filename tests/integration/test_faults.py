"""Faults: an ingest killed at any moment, a corrupt store, re-ingest while serving."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from data.store import Store, live_release_dir

ROOT = Path(__file__).resolve().parents[2]


def start(*args, capture=False):
    env = {**os.environ, "LA_VARIATION_DATA_DIR": ""}
    return subprocess.Popen(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if capture else subprocess.DEVNULL,
        text=True,
    )


def test_kill_minus_nine_at_any_moment_keeps_the_previous_store(tmp_path):
    store = tmp_path / "store"
    assert start("demo", "--store-dir", str(store), "--seed", "1").wait(120) == 0
    first = live_release_dir(store)
    n_values = len(Store.open(store).values)
    rng = random.Random(7)
    for attempt in range(6):
        proc = start("demo", "--store-dir", str(store), "--seed", str(100 + attempt))
        time.sleep(rng.uniform(0.3, 4.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        # Whatever the moment, the store opens and is complete: the old release or a new one.
        live = Store.open(store)
        assert len(live.values) > 0
        assert live.manifest["synthetic"] is True
        if live_release_dir(store) == first:
            assert len(live.values) == n_values
    # The next ingest succeeds and cleans up what the killed ones left.
    assert start("demo", "--store-dir", str(store), "--seed", "999").wait(120) == 0
    assert Store.open(store).manifest["seed"] == 999
    assert not list(store.glob(".building-*"))
    assert not list(store.glob(".CURRENT.*"))


@pytest.mark.parametrize(
    "damage", ["truncate_values", "drop_manifest", "old_schema", "dangling_pointer"]
)
def test_a_damaged_store_refuses_to_serve_with_one_line(tmp_path, damage):
    import json

    store = tmp_path / "store"
    assert start("demo", "--store-dir", str(store), "--seed", "1").wait(120) == 0
    release = live_release_dir(store)
    if damage == "truncate_values":
        data = (release / "values.parquet").read_bytes()
        (release / "values.parquet").write_bytes(data[: len(data) // 3])
    elif damage == "drop_manifest":
        (release / "manifest.json").unlink()
    elif damage == "old_schema":
        manifest = json.loads((release / "manifest.json").read_text())
        (release / "manifest.json").write_text(json.dumps({**manifest, "schema_version": 0}))
    else:
        (store / "CURRENT").write_text("20000101T000000-gone\n")
    proc = start("serve", "--store-dir", str(store), "--port", "0", capture=True)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    lines = [line for line in err.strip().splitlines() if line.startswith("error:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    # the damaged store was not replaced by demo data behind the user's back
    assert (store / "CURRENT").read_text().strip() in (release.name, "20000101T000000-gone")
