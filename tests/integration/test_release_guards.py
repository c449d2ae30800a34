"""A release that loses sources never goes live unless allowed; /healthz says when it did.

Stores are built from the raw fixtures (``tests/conftest.build_raw_dir``), declared family by
family as in ``tests/unit/data/test_sources.py``.
"""

from __future__ import annotations

import shutil

import pytest
from flask import Flask

import api
from data.errors import IngestRefused
from data.ingest import ingest
from data.store import Store, live_release_dir
from tests.unit.data.test_sources import FIXTURE_FAMILIES


@pytest.fixture
def guarded():
    """The ingest, declaring the fixture folder's source families."""

    def run(raw, store, **kwargs):
        return ingest(raw, store, progress=False, families=FIXTURE_FAMILIES, **kwargs)

    return run


def health(store_dir):
    server = Flask(__name__)
    api.register(server, Store.open(store_dir))
    response = server.test_client().get("/healthz")
    assert response.status_code == 200
    return response.get_json()


def test_an_unchanged_release_is_compared_and_healthy(guarded, raw_dir, tmp_path):
    store = tmp_path / "store"
    first = guarded(raw_dir, store)
    assert first.manifest["checks"]["shrink"] is None  # nothing live before
    second = guarded(raw_dir, store)
    shrink = second.manifest["checks"]["shrink"]
    assert shrink["previous_release"] == first.manifest["release"]
    assert (shrink["indicators_lost"], shrink["values_lost"], shrink["smaller"]) == (0, 0, False)
    assert health(store)["status"] == "ok" and health(store)["reasons"] == []


def test_losing_a_source_is_refused_naming_what_would_be_lost(guarded, raw_dir, tmp_path):
    store = tmp_path / "store"
    guarded(raw_dir, store)
    before = live_release_dir(store)
    n_lait = int(Store.open(store).indicators["source_id"].eq("lait").sum())
    shutil.rmtree(raw_dir / "lait")
    with pytest.raises(IngestRefused) as err:
        guarded(raw_dir, store, require_sources=False)
    message = str(err.value)
    assert f"lait: {n_lait} indicators" in message
    assert "--allow-shrink" in message and "[rule BI-37]" in message
    assert live_release_dir(store) == before  # the live release is untouched
    assert not list(store.glob(".building-*"))
    assert health(store)["status"] == "ok"


def test_allow_shrink_goes_live_recorded_and_degraded(guarded, raw_dir, tmp_path):
    store = tmp_path / "store"
    guarded(raw_dir, store)
    shutil.rmtree(raw_dir / "lait")
    summary = guarded(raw_dir, store, require_sources=False, allow_shrink=True)
    shrink = summary.manifest["checks"]["shrink"]
    assert shrink["overridden"] and shrink["over_limit"]
    assert shrink["lost_by_source"]["lait"]["indicators_lost"] > 0
    body = health(store)
    assert body["status"] == "degraded"
    assert any("--allow-shrink" in r for r in body["reasons"])
    assert any("--partial" in r for r in body["reasons"])


def test_a_small_loss_within_the_limit_goes_live_but_is_reported(guarded, raw_dir, tmp_path):
    store = tmp_path / "store"
    guarded(raw_dir, store)
    (raw_dir / "ees_workforce/csww_indicators.csv").unlink()
    summary = guarded(raw_dir, store, require_sources=False, max_shrink=0.9)
    shrink = summary.manifest["checks"]["shrink"]
    assert not shrink["over_limit"] and not shrink["overridden"] and shrink["smaller"]
    body = health(store)
    assert body["status"] == "degraded"
    assert any("smaller than its predecessor" in r for r in body["reasons"])
