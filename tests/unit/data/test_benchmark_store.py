"""The benchmark table on disk: written with a release, memory-mapped, sliced, checked."""

from __future__ import annotations

import pyarrow as pa
import pytest

from data.benchmark import BenchmarkStore, benchmark_arrow, check_benchmark
from data.errors import StoreError
from data.store import Store, write_store
from indicators.benchmark_table import benchmark_frames


@pytest.fixture(scope="module")
def frames(demo_tables):
    return benchmark_frames(demo_tables)


def test_a_release_written_with_its_benchmark_reads_it_back(tmp_path, demo_tables):
    write_store(demo_tables, {"synthetic": True}, tmp_path, benchmark=benchmark_frames)
    store = Store.open(tmp_path)
    assert store.manifest["benchmark"] is True
    rows = store.benchmark.rows("benchmark", "lait_lacstable_2016on")
    assert len(rows) and set(rows["indicator_id"].astype(str)) == {"lait_lacstable_2016on"}
    assert rows["time_period"].is_monotonic_increasing
    assert str(rows["rank"].dtype) == "Int16"  # integers stay integers, with nulls
    period = int(rows["time_period"].iloc[-1])
    one = store.benchmark.rows("benchmark", "lait_lacstable_2016on", time_period=period)
    assert set(one["time_period"]) == {period} and len(one) < len(rows)
    assert store.benchmark.rows("benchmark", "no_such_indicator").empty


def test_area_rows_hold_every_indicator_of_one_area(frames):
    bench = BenchmarkStore.from_frames(frames)
    rows = bench.area_rows("benchmark", "E06000009")
    assert set(rows["area_code"].astype(str)) == {"E06000009"}
    assert rows["indicator_id"].nunique() > 10
    assert bench.area_rows("benchmark", "E99999999").empty


def test_a_release_without_a_benchmark_opens_without_one(tmp_path, demo_tables):
    write_store(demo_tables, {"synthetic": True}, tmp_path)
    assert Store.open(tmp_path).benchmark is None


def test_a_damaged_benchmark_file_is_a_store_error(tmp_path, demo_tables):
    release = write_store(demo_tables, {"synthetic": True}, tmp_path, benchmark=benchmark_frames)
    (release / "benchmark.arrow").write_bytes(b"not arrow")
    with pytest.raises(StoreError, match=r"benchmark\.arrow"):
        Store.open(tmp_path)


def test_check_benchmark_refuses_a_rank_without_a_value(frames, demo_tables):
    tables = benchmark_arrow(frames)
    check_benchmark(tables, demo_tables)  # the real thing passes
    bench = tables["benchmark"]
    value = bench.column("value").to_numpy(zero_copy_only=False).copy()
    rank = bench.column("rank").to_numpy(zero_copy_only=False)
    first_ranked = int((rank == rank).nonzero()[0][0])
    value[first_ranked] = float("nan")
    broken = bench.set_column(
        bench.schema.get_field_index("value"), "value", pa.array(value, pa.float64())
    )
    with pytest.raises(StoreError, match="rank is given"):
        check_benchmark({**tables, "benchmark": broken}, demo_tables)


def test_check_benchmark_refuses_a_lost_values_row(frames, demo_tables):
    tables = benchmark_arrow(frames)
    shorter = tables["benchmark"].slice(0, tables["benchmark"].num_rows - 1)
    with pytest.raises(StoreError, match="values rows"):
        check_benchmark({**tables, "benchmark": shorter}, demo_tables)
