import json

import numpy as np
import pandas as pd
import pytest

from data.errors import DataFormatError, StoreError
from data.schema import SCHEMA_VERSION
from data.store import CURRENT_FILE, Store, live_release_dir, write_store
from data.validate import validate_tables


def small_tables(demo_tables, n=500):
    values = demo_tables["values"]
    keep = values["indicator_id"].isin(["lait_lacstable_2016on", "cla_at_31_march_rate"])
    ids = {"lait_lacstable_2016on", "cla_at_31_march_rate"}
    return {
        "values": values[keep].head(n).reset_index(drop=True),
        "indicators": demo_tables["indicators"][
            demo_tables["indicators"]["indicator_id"].isin(ids)
        ],
        "areas": demo_tables["areas"],
        "statistical_neighbours": demo_tables["statistical_neighbours"],
    }


def test_write_then_open_round_trip(tmp_path, demo_tables):
    tables = small_tables(demo_tables)
    release = write_store(
        tables,
        {"synthetic": True},
        tmp_path,
        validate=validate_tables,
        extra_files={"boundaries.geojson": b'{"type":"FeatureCollection","features":[]}'},
    )
    store = Store.open(tmp_path)
    assert store.release == release.name
    assert store.synthetic
    assert store.manifest["schema_version"] == SCHEMA_VERSION
    assert len(store.values) == len(tables["values"])
    assert store.boundaries == {"type": "FeatureCollection", "features": []}
    got = store.indicator_values("lait_lacstable_2016on")
    want = tables["values"][tables["values"]["indicator_id"] == "lait_lacstable_2016on"]
    assert np.allclose(got["value"].to_numpy(), want["value"].to_numpy(), equal_nan=True)
    assert got["indicator_id"].dtype == "str"
    assert store.indicator_meta("lait_lacstable_2016on").polarity == "low"


def test_failed_validation_leaves_the_live_release_untouched(tmp_path, demo_tables):
    tables = small_tables(demo_tables)
    first = write_store(tables, {"synthetic": True}, tmp_path, validate=validate_tables)
    broken = dict(tables)
    broken["values"] = tables["values"].assign(value=np.nan, value_status=None)
    with pytest.raises(DataFormatError, match="without a status"):
        write_store(broken, {"synthetic": True}, tmp_path, validate=validate_tables)
    assert live_release_dir(tmp_path) == first
    assert not list(tmp_path.glob(".building-*"))
    assert len(Store.open(tmp_path).values) == len(tables["values"])


def test_crash_during_write_leaves_the_live_release_untouched(tmp_path, demo_tables, monkeypatch):
    tables = small_tables(demo_tables)
    first = write_store(tables, {"synthetic": True}, tmp_path)
    import data.store.writing as store_module

    calls = {"n": 0}
    real = store_module.pq.write_table

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(store_module.pq, "write_table", flaky)
    with pytest.raises(OSError, match="disk full"):
        write_store(tables, {"synthetic": True}, tmp_path)
    assert live_release_dir(tmp_path) == first
    assert not list(tmp_path.glob(".building-*"))


def test_open_explains_what_is_wrong(tmp_path, demo_tables):
    with pytest.raises(StoreError, match="no store"):
        Store.open(tmp_path)
    release = write_store(small_tables(demo_tables), {"synthetic": True}, tmp_path)
    manifest = json.loads((release / "manifest.json").read_text())
    (release / "manifest.json").write_text(json.dumps({**manifest, "schema_version": 0}))
    with pytest.raises(StoreError, match="schema version 0"):
        Store.open(tmp_path)
    (release / "manifest.json").write_text(json.dumps(manifest))
    (release / "values.parquet").write_bytes(b"PAR1 truncated")
    with pytest.raises(StoreError, match="cannot read table"):
        Store.open(tmp_path)
    (release / "manifest.json").unlink()
    with pytest.raises(StoreError, match="manifest"):
        Store.open(tmp_path)
    (tmp_path / CURRENT_FILE).write_text("no-such-release\n")
    with pytest.raises(StoreError, match="missing"):
        Store.open(tmp_path)


def test_old_releases_are_pruned_but_some_kept(tmp_path, demo_tables):
    tables = small_tables(demo_tables)
    for n in range(6):
        write_store(
            {**tables, "values": tables["values"].head(100 + n)}, {"synthetic": True}, tmp_path
        )
    assert 2 <= len(list((tmp_path / "releases").iterdir())) <= 4


def test_catalogue_lists_pickers(tiny_store):
    cat = tiny_store.catalogue
    assert ("E06000009", "Blackpool") in cat.las
    assert any(i == "lait_lacstable_2016on" for i, _, _ in cat.indicators)
    assert cat.periods["lait_lacstable_2016on"][-1] == (202425, "2025")
    assert cat.synthetic
    assert not pd.isna(cat.release)
