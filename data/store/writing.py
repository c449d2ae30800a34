"""Writing a release atomically and making it live; old releases and abandoned builds removed.

``write_store`` writes a new release into ``.building-<uuid>``, validates it, fsyncs it, moves it
under ``releases/`` and only then replaces ``CURRENT`` with ``os.replace`` (atomic on POSIX).
A failed or killed ingest therefore leaves the previous release untouched and live.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from data.benchmark import benchmark_arrow, check_benchmark, write_benchmark
from data.errors import StoreError
from data.schema import SCHEMA_VERSION, TABLE_SCHEMAS
from data.store.release_folders import CURRENT_FILE, MANIFEST_FILE, RELEASES_DIR

log = logging.getLogger(__name__)

#: A hook computing further indicators from the loaded ones (``indicators.derive_indicators``),
#: injected by the app so that ``data`` never imports ``indicators``.
Deriver = Callable[[pd.DataFrame, pd.DataFrame], tuple[pd.DataFrame, pd.DataFrame]]
#: A hook computing the benchmark table from the finished tables
#: (``indicators.benchmark_table.benchmark_frames``), injected for the same reason.
Benchmarker = Callable[[Mapping[str, pd.DataFrame]], Mapping[str, pd.DataFrame]]

#: How many earlier releases to keep beside the live one (rollback and in-flight readers).
KEEP_RELEASES = 3


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every filesystem lets a directory be opened
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _column(series: pd.Series, field: pa.Field) -> pa.Array:
    """One Arrow column of ``field``'s type; categoricals go through their codes (no copies)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        cats = pa.array(series.cat.categories.astype(str).to_numpy(dtype=object), pa.string())
        array = pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32(), mask=codes < 0), cats)
        return array if pa.types.is_dictionary(field.type) else array.cast(field.type)
    if pa.types.is_dictionary(field.type):
        return pa.array(series.astype(object), pa.string()).dictionary_encode()
    if pa.types.is_string(field.type):
        return pa.array(series.astype(object).where(series.notna(), None), pa.string())
    return pa.array(series, field.type, from_pandas=True)


def _table(name: str, frame: pd.DataFrame) -> pa.Table:
    schema = TABLE_SCHEMAS[name]
    missing = [c for c in schema.names if c not in frame.columns]
    if missing:
        raise StoreError(f"table {name!r} lacks columns {missing}")
    if name != "values":
        return pa.Table.from_pandas(frame[list(schema.names)], schema=schema, preserve_index=False)
    arrays = [_column(frame[f.name], f) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


def release_id(folder: Path, built_at: datetime) -> str:
    """A short, sortable id for a release: build time plus a hash of its table files."""
    digest = hashlib.sha256()
    for name in sorted(TABLE_SCHEMAS):
        digest.update((folder / f"{name}.parquet").read_bytes())
    return f"{built_at:%Y%m%dT%H%M%S}-{digest.hexdigest()[:10]}"


def write_store(
    tables: Mapping[str, pd.DataFrame],
    manifest: Mapping[str, Any],
    store_dir: Path,
    *,
    validate: Any = None,
    extra_files: Mapping[str, bytes] | None = None,
    benchmark: Benchmarker | None = None,
) -> Path:
    """Write a new release atomically and make it live; return the release folder.

    Args:
        tables: ``values``, ``indicators``, ``areas`` and ``statistical_neighbours`` frames with
            the columns of ``data.schema``.
        manifest: Build facts (sources, row counts, ``synthetic``); ``schema_version``,
            ``release`` and ``built_at`` are added here.
        store_dir: The store root (created if needed).
        validate: Optional callable run on the tables before anything is written; it must
            raise to stop the build (``data.validate.validate_tables``).
        extra_files: Further files of the release by name (e.g. ``boundaries.geojson``).
        benchmark: Optional callable computing the benchmark table from the validated tables
            (``indicators.benchmark_table.benchmark_frames``); its frames are checked and
            written beside the tables (``data.benchmark``). Without it the release has none
            and cannot be opened for serving.

    Raises:
        StoreError: If a table lacks columns or cannot be written. The live store is unchanged.
    """
    store_dir = Path(store_dir)
    store_dir.mkdir(parents=True, exist_ok=True)
    with _writer_lock(store_dir):
        _remove_abandoned_builds(store_dir)
        release = _write_release(tables, manifest, store_dir, validate, extra_files, benchmark)
        _prune(store_dir, keep=release)
    log.info("store release %s is live in %s", release, store_dir)
    return store_dir / RELEASES_DIR / release


def _write_release(
    tables: Mapping[str, pd.DataFrame],
    manifest: Mapping[str, Any],
    store_dir: Path,
    validate: Any,
    extra_files: Mapping[str, bytes] | None,
    benchmark: Benchmarker | None = None,
) -> str:
    if validate is not None:
        validate(tables)  # before any byte is written: a bad release is never built
    bench = None
    if benchmark is not None:
        started = time.perf_counter()
        bench = benchmark_arrow(benchmark(tables))
        check_benchmark(bench, tables)
        log.info("benchmark table built in %.1f s", time.perf_counter() - started)
    built_at = datetime.now(UTC).replace(microsecond=0)
    building = store_dir / f".building-{uuid.uuid4().hex}"
    building.mkdir()
    try:
        for name in TABLE_SCHEMAS:
            pq.write_table(_table(name, tables[name]), building / f"{name}.parquet")
        if bench is not None:
            write_benchmark(bench, building)
        release = release_id(building, built_at)
        full_manifest = {
            **manifest,
            "schema_version": SCHEMA_VERSION,
            "release": release,
            "built_at": built_at.isoformat(),
            "benchmark": bench is not None,
            "tables": {
                **{name: len(tables[name]) for name in TABLE_SCHEMAS},
                **{name: table.num_rows for name, table in (bench or {}).items()},
            },
        }
        for name, payload in (extra_files or {}).items():
            if "/" in name or name.startswith("."):
                raise StoreError(f"bad extra file name {name!r}")
            (building / name).write_bytes(payload)
        (building / MANIFEST_FILE).write_text(json.dumps(full_manifest, indent=2, default=str))
        for path in building.iterdir():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
        _fsync_dir(building)
        releases = store_dir / RELEASES_DIR
        releases.mkdir(exist_ok=True)
        final = releases / release
        if final.exists():  # same content rebuilt within the same second
            shutil.rmtree(final)
        building.replace(final)
        _fsync_dir(releases)
        pointer_tmp = store_dir / f".{CURRENT_FILE}.{uuid.uuid4().hex}"
        pointer_tmp.write_text(release + "\n")
        with pointer_tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        pointer_tmp.replace(store_dir / CURRENT_FILE)
        _fsync_dir(store_dir)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return release


@contextlib.contextmanager
def _writer_lock(store_dir: Path) -> Any:
    """One writer at a time per store folder (an advisory lock on ``store/.lock``)."""
    import fcntl

    with (store_dir / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_abandoned_builds(store_dir: Path) -> None:
    """Delete build folders and pointer temp files left by a killed ingest.

    Called with the writer lock held, so no other writer can be using them.
    """
    for path in store_dir.glob(".building-*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in store_dir.glob(f".{CURRENT_FILE}.*"):
        path.unlink(missing_ok=True)


def _prune(store_dir: Path, *, keep: str) -> None:
    """Drop all but the newest ``KEEP_RELEASES`` old releases, and stale build folders."""
    releases = sorted(
        (p for p in (store_dir / RELEASES_DIR).iterdir() if p.is_dir() and p.name != keep),
        key=lambda p: p.name,
    )
    for old in releases[:-KEEP_RELEASES] if KEEP_RELEASES else releases:
        shutil.rmtree(old, ignore_errors=True)
