"""The benchmark table of a release on disk: written once at ingest, memory-mapped to read.

The four frames of ``indicators.benchmark_table`` are stored beside the release's Parquet
tables as uncompressed Arrow IPC files (``benchmark.arrow``...), sorted by indicator, period
and area. Opening them memory-maps the files: nothing is copied into the process, every worker
of a server shares the same pages, and a slice of one indicator is a view, turned into a small
pandas frame only when a page or API answer needs it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data.errors import StoreError
from data.schema import BENCHMARK_SCHEMAS

__all__ = ["BenchmarkStore", "benchmark_arrow", "check_benchmark", "write_benchmark"]

SUFFIX = ".arrow"


def benchmark_arrow(frames: Mapping[str, pd.DataFrame]) -> dict[str, pa.Table]:
    """The benchmark frames as Arrow tables of ``BENCHMARK_SCHEMAS`` (one chunk each).

    Raises:
        StoreError: If a frame is missing or lacks columns.
    """
    out: dict[str, pa.Table] = {}
    for name, schema in BENCHMARK_SCHEMAS.items():
        frame = frames.get(name)
        if frame is None:
            raise StoreError(f"benchmark table {name!r} is missing")
        missing = [c for c in schema.names if c not in frame.columns]
        if missing:
            raise StoreError(f"benchmark table {name!r} lacks columns {missing}")
        arrays = []
        for field in schema:
            column = frame[field.name]
            if pa.types.is_dictionary(field.type):
                if not isinstance(column.dtype, pd.CategoricalDtype):
                    column = column.astype("category")
                codes = column.cat.codes.to_numpy().astype(np.int32)
                dictionary = pa.array(
                    column.cat.categories.astype(str).to_numpy(dtype=object), pa.string()
                )
                arrays.append(
                    pa.DictionaryArray.from_arrays(pa.array(codes, mask=codes < 0), dictionary)
                )
            else:
                arrays.append(pa.array(column, field.type, from_pandas=True))
        out[name] = pa.Table.from_arrays(arrays, schema=schema)
    return out


def check_benchmark(bench: Mapping[str, pa.Table], tables: Mapping[str, pd.DataFrame]) -> None:
    """The benchmark table's invariants, checked before a release is written.

    Raises:
        StoreError: Naming the table and the broken rule: rows not sorted by indicator, a
            repeated key, a ``values`` row without its benchmark row, a rank outside
            1..n_ranked or given to an area that does not compete or has no value, a band
            without a rank, more neighbours with data than the group has, a neighbour
            average without data.
    """

    def fail(name: str, rule: str) -> None:
        raise StoreError(f"benchmark table {name!r}: {rule}")

    rows = bench["benchmark"]
    for name, table in bench.items():
        _Index(table)  # sorted by indicator, or StoreError
        keys = ["indicator_id", "time_period", "area_code"]
        if name == "benchmark_neighbours":
            keys.append("sn_release")
        if name == "benchmark_periods":
            keys.remove("area_code")
        frame = table.select(keys).to_pandas()
        if frame.duplicated().any():
            fail(name, f"repeats the key {keys}")
    frame = rows.select(
        ["value", "value_status", "competes", "rank", "n_ranked", "band"]
    ).to_pandas()
    absent = (frame["value_status"] == "no row").to_numpy()
    if int((~absent).sum()) != len(tables["values"]):
        fail(
            "benchmark",
            f"holds {int((~absent).sum())} values rows, values has {len(tables['values'])}",
        )
    rank = frame["rank"].to_numpy(dtype=float, na_value=np.nan)
    ranked = np.isfinite(rank)
    if (ranked & ~(frame["competes"].to_numpy() & np.isfinite(frame["value"].to_numpy()))).any():
        fail("benchmark", "a rank is given to an area that does not compete or has no value")
    if (ranked & ((rank < 1) | (rank > frame["n_ranked"].to_numpy()))).any():
        fail("benchmark", "a rank lies outside 1..n_ranked")
    if (frame["band"].notna().to_numpy() & ~ranked).any():
        fail("benchmark", "a band is given to an area without a rank")
    nb = bench["benchmark_neighbours"].select(["n_expected", "n_with_data", "mean"]).to_pandas()
    if (nb["n_with_data"] > nb["n_expected"]).any():
        fail("benchmark_neighbours", "more neighbours with data than in the group")
    if (nb["mean"].notna() != (nb["n_with_data"] > 0)).any():
        fail("benchmark_neighbours", "an average without neighbours with data, or none with")


def write_benchmark(tables: Mapping[str, pa.Table], folder: Path) -> None:
    """Write the benchmark tables into a release folder being built (Arrow IPC, no compression)."""
    for name, table in tables.items():
        with (
            pa.OSFile(str(folder / f"{name}{SUFFIX}"), "wb") as sink,
            pa.ipc.new_file(sink, table.schema) as writer,
        ):
            writer.write_table(table)


class BenchmarkStore:
    """Read the benchmark table of one release, by indicator or by area.

    Tables are sorted by ``indicator_id`` (dictionary order), then ``time_period`` and
    ``area_code``, so an indicator's rows are one contiguous slice found by binary search.
    """

    def __init__(self, tables: Mapping[str, pa.Table]) -> None:
        self._tables = {name: table.combine_chunks() for name, table in tables.items()}
        self._index = {name: _Index(table) for name, table in self._tables.items()}
        self._categories = {
            name: {
                field.name: pd.CategoricalDtype(
                    pd.Index(
                        table.column(field.name).chunk(0).dictionary.to_pylist(), dtype=object
                    )
                )
                for field in table.schema
                if pa.types.is_dictionary(field.type)
            }
            for name, table in self._tables.items()
        }

    @classmethod
    def open(cls, folder: Path) -> BenchmarkStore:
        """Memory-map a release's benchmark files.

        Raises:
            StoreError: If a file is missing, unreadable or not of its schema.
        """
        tables: dict[str, pa.Table] = {}
        for name, schema in BENCHMARK_SCHEMAS.items():
            path = folder / f"{name}{SUFFIX}"
            try:
                table = pa.ipc.open_file(pa.memory_map(str(path))).read_all()
            except (OSError, pa.ArrowException) as exc:
                raise StoreError(f"{path}: cannot read the benchmark table ({exc})") from exc
            if not table.schema.equals(schema):
                raise StoreError(f"{path}: not the benchmark schema this code reads")
            tables[name] = table
        return cls(tables)

    @classmethod
    def from_frames(cls, frames: Mapping[str, pd.DataFrame]) -> BenchmarkStore:
        """From in-memory frames (tests and the in-memory ``Store``)."""
        return cls(benchmark_arrow(frames))

    def __len__(self) -> int:
        return int(self._tables["benchmark"].num_rows)

    def rows(
        self, name: str, indicator_id: str, *, time_period: int | None = None
    ) -> pd.DataFrame:
        """One indicator's rows of table ``name`` (one period's when given), as a new frame."""
        table = self._tables[name]
        start, stop = self._index[name].span(indicator_id)
        part = table.slice(start, stop - start)
        if time_period is not None and stop > start:
            periods = part.column("time_period").to_numpy()
            lo, hi = np.searchsorted(periods, [time_period, time_period + 1])
            part = part.slice(int(lo), int(hi - lo))
        return self._frame(name, part)

    def _frame(self, name: str, part: pa.Table) -> pd.DataFrame:
        """A slice as pandas, column by column (far cheaper than ``to_pandas`` on a few rows).

        Dictionary columns become categoricals sharing one dtype per column; integers with
        nulls become nullable integers; floats keep NaN for null.
        """
        categories = self._categories[name]
        data: dict[str, object] = {}
        for field, column in zip(part.schema, part.columns, strict=True):
            array = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
            if field.name in categories:
                codes = pc.fill_null(array.indices, -1).to_numpy(zero_copy_only=False)
                data[field.name] = pd.Categorical.from_codes(
                    codes.astype(np.int32), dtype=categories[field.name]
                )
            elif pa.types.is_integer(field.type) and array.null_count:
                values = pc.fill_null(array, 0).to_numpy(zero_copy_only=False)
                mask = array.is_null().to_numpy(zero_copy_only=False)
                data[field.name] = pd.arrays.IntegerArray(values, mask)
            elif pa.types.is_string(field.type):
                data[field.name] = array.to_numpy(zero_copy_only=False)
            else:
                data[field.name] = array.to_numpy(zero_copy_only=False)
        return pd.DataFrame(data)

    def area_rows(self, name: str, area_code: str) -> pd.DataFrame:
        """Every row of table ``name`` for one area (all indicators and periods)."""
        table = self._tables[name]
        at = self._index[name].area_rows(area_code)
        return self._frame(name, table.take(pa.array(at)))

    def table(self, name: str) -> pa.Table:
        """The whole Arrow table ``name`` (read-only; for bulk work such as bench/)."""
        return self._tables[name]


class _Index:
    """Where each indicator's rows start and end, and each row's area, in one table."""

    def __init__(self, table: pa.Table) -> None:
        column = table.column("indicator_id").combine_chunks()
        self._ids = {str(v): i for i, v in enumerate(column.dictionary.to_pylist())}
        codes = column.indices.to_numpy(zero_copy_only=False)
        if len(codes) and (np.diff(codes) < 0).any():
            raise StoreError("benchmark table rows are not sorted by indicator")
        self._bounds = np.searchsorted(codes, np.arange(len(self._ids) + 1))
        self._areas: dict[str, int] = {}
        self._area_codes = np.array([], dtype=np.int32)
        if "area_code" in table.column_names:
            area = table.column("area_code").combine_chunks()
            self._areas = {str(v): i for i, v in enumerate(area.dictionary.to_pylist())}
            self._area_codes = area.indices.to_numpy(zero_copy_only=False)

    def span(self, indicator_id: str) -> tuple[int, int]:
        at = self._ids.get(indicator_id)
        if at is None:
            return 0, 0
        return int(self._bounds[at]), int(self._bounds[at + 1])

    def area_rows(self, area_code: str) -> np.ndarray:
        at = self._areas.get(area_code)
        if at is None:
            return np.array([], dtype=np.int64)
        return np.flatnonzero(self._area_codes == at)
