"""The Parquet store: atomic writes, and a read-only view for the app and the indicators.

On disk::

    store/
      CURRENT                      one line: the live release's folder name
      releases/<release>/          values, indicators, areas, statistical_neighbours (.parquet)
                                   + manifest.json
      .building-<uuid>/            a release being written (removed on failure)

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
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from data.benchmark import BenchmarkStore, benchmark_arrow, check_benchmark, write_benchmark
from data.errors import StoreError, StoreMissing
from data.same_measure import SAME_MEASURE, SameMeasure
from data.schema import (
    AREAS_COLUMNS,
    INDICATORS_COLUMNS,
    NEIGHBOURS_COLUMNS,
    SCHEMA_VERSION,
    TABLE_SCHEMAS,
    VALUES_COLUMNS,
    GeographicLevel,
    IndicatorMeta,
)

log = logging.getLogger(__name__)

CURRENT_FILE = "CURRENT"
RELEASES_DIR = "releases"
MANIFEST_FILE = "manifest.json"
#: A hook computing further indicators from the loaded ones (``indicators.derive_indicators``),
#: injected by the app so that ``data`` never imports ``indicators``.
Deriver = Callable[[pd.DataFrame, pd.DataFrame], tuple[pd.DataFrame, pd.DataFrame]]
#: A hook computing the benchmark table from the finished tables
#: (``indicators.benchmark_table.benchmark_frames``), injected for the same reason.
Benchmarker = Callable[[Mapping[str, pd.DataFrame]], Mapping[str, pd.DataFrame]]

#: How many earlier releases to keep beside the live one (rollback and in-flight readers).
KEEP_RELEASES = 3


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
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


def live_release_dir(store_dir: Path) -> Path:
    """Return the folder of the live release, or raise ``StoreError`` saying what is wrong."""
    store_dir = Path(store_dir)
    pointer = store_dir / CURRENT_FILE
    if not pointer.is_file():
        raise StoreMissing(
            f"no store in {store_dir}: run `python -m app ingest` (real data) "
            "or `python -m app demo` (synthetic demo data)"
        )
    release = pointer.read_text().strip()
    folder = store_dir / RELEASES_DIR / release
    if not release or not folder.is_dir():
        raise StoreError(f"{pointer} names release {release!r}, which is missing")
    return folder


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Catalogue:
    """What the store holds, as options for pickers (no DataFrames; cheap to pass to layouts).

    Attributes:
        indicators: ``(indicator_id, title, topic)`` tuples, sorted by topic then title.
        periods: indicator_id -> ``(time_period, period_label)`` tuples, oldest first.
        las: ``(area_code, area_name)`` of single LAs, current ones first, each alphabetical.
        release: The live release id; ``synthetic`` says whether it is demo data.
    """

    indicators: tuple[tuple[str, str, str], ...]
    periods: Mapping[str, tuple[tuple[int, str], ...]]
    las: tuple[tuple[str, str], ...]
    release: str
    synthetic: bool
    topics: tuple[str, ...] = field(default=())
    built_at: str = ""
    sources: tuple[tuple[str, int, int, int], ...] = field(default=())
    """(file name, rows read, rows loaded, rows rejected) of each raw file."""
    sn_releases: tuple[str, ...] = field(default=())
    """Statistical-neighbour releases in the store, newest first (e.g. ("2025", "2021"))."""
    checks: tuple[tuple[str, int, int, int], ...] = field(default=())
    """(check name, rows compared, rows agreeing, differences listed) of each cross-source
    check made at ingest (``Store.checks`` has the full records)."""
    same_measures: tuple[SameMeasure, ...] = field(default=())
    """Indicators of two sources found to be the same measure (``data.same_measure``)."""


class Store:
    """A read-only view of one release. Frames are shared: callers must not mutate them.

    Accessors return new frames (filtered copies), so callbacks can work on them freely.
    """

    def __init__(
        self,
        *,
        values: pd.DataFrame,
        indicators: pd.DataFrame,
        areas: pd.DataFrame,
        neighbours: pd.DataFrame,
        manifest: Mapping[str, Any],
        boundaries: Mapping[str, Any] | None = None,
        benchmark: BenchmarkStore | None = None,
    ) -> None:
        self.values = values
        self.benchmark = benchmark
        self.boundaries = boundaries
        self.indicators = indicators
        self.areas = areas
        self.neighbours = neighbours
        self.manifest: Mapping[str, Any] = manifest
        self._meta_by_id = {
            rec["indicator_id"]: {str(column): value for column, value in rec.items()}
            for rec in indicators.to_dict(orient="records")
        }
        ids = values["indicator_id"].astype(str).to_numpy()
        self._rows_by_indicator: Mapping[Hashable, Any] = (
            pd.Series(range(len(values))).groupby(ids).indices if len(values) else {}
        )

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def open(cls, store_dir: Path, release: str | None = None) -> Store:
        """Open the live release of ``store_dir`` (or the one named ``release``).

        Raises:
            StoreError: No store, no such release, a missing/corrupt table, a missing
                manifest, or another schema version; the message says what to do.
        """
        if release is None:
            folder = live_release_dir(store_dir)
        else:
            folder = Path(store_dir) / RELEASES_DIR / release
            if not release or "/" in release or not folder.is_dir():
                raise StoreError(f"{store_dir} holds no release {release!r}")
        manifest_path = folder / MANIFEST_FILE
        try:
            manifest = json.loads(manifest_path.read_text())
        except (OSError, ValueError) as exc:
            raise StoreError(f"{manifest_path}: manifest missing or unreadable ({exc})") from exc
        version = manifest.get("schema_version")
        if version != SCHEMA_VERSION:
            raise StoreError(
                f"{folder} has schema version {version}, this code reads version "
                f"{SCHEMA_VERSION}: rebuild it with `python -m app ingest` or `python -m app demo`"
            )
        tables: dict[str, pd.DataFrame] = {}
        for name in TABLE_SCHEMAS:
            path = folder / f"{name}.parquet"
            try:
                tables[name] = pq.read_table(path).to_pandas()
            except (OSError, pa.ArrowException) as exc:
                raise StoreError(f"{path}: cannot read table ({exc})") from exc
        boundaries = None
        geo = folder / "boundaries.geojson"
        if geo.is_file():
            try:
                boundaries = json.loads(geo.read_text())
            except (OSError, ValueError) as exc:
                raise StoreError(f"{geo}: cannot read boundaries ({exc})") from exc
        store = cls.from_tables(tables, manifest, boundaries=boundaries)
        if manifest.get("benchmark"):
            store.benchmark = BenchmarkStore.open(folder)
        return store

    @classmethod
    def from_tables(
        cls,
        tables: Mapping[str, pd.DataFrame],
        manifest: Mapping[str, Any] | None = None,
        *,
        boundaries: Mapping[str, Any] | None = None,
        benchmark: Mapping[str, pd.DataFrame] | None = None,
    ) -> Store:
        """Build a store from in-memory frames (tests, and ``open``).

        ``benchmark``: the benchmark table's frames (``benchmark_frames`` of the tables), if any.
        """
        return cls(
            benchmark=None if benchmark is None else BenchmarkStore.from_frames(benchmark),
            boundaries=boundaries,
            values=tables["values"][list(VALUES_COLUMNS)],
            indicators=tables["indicators"][list(INDICATORS_COLUMNS)],
            areas=tables["areas"][list(AREAS_COLUMNS)],
            neighbours=tables["statistical_neighbours"][list(NEIGHBOURS_COLUMNS)],
            manifest=dict(manifest or {"release": "in-memory", "synthetic": True}),
        )

    # -- facts ----------------------------------------------------------------------------
    @property
    def release(self) -> str:
        """The live release id (build time and content hash)."""
        return str(self.manifest.get("release", "unknown"))

    @property
    def checks(self) -> list[dict[str, Any]]:
        """The cross-source checks made at ingest (``data.checks``).

        Each: name, sources, tolerance, compared and agreeing rows, and every difference
        (area, period, both values).
        """
        return [dict(c) for c in self.manifest.get("cross_source_checks", [])]

    @property
    def synthetic(self) -> bool:
        """Whether this release holds the generated demo data rather than official data."""
        return bool(self.manifest.get("synthetic", False))

    @property
    def degraded_reasons(self) -> list[str]:
        """Why this release is degraded (smaller than its predecessor, a check overridden)."""
        from data.guards import degraded_reasons

        return degraded_reasons(self.manifest)

    def has_indicator(self, indicator_id: str) -> bool:
        """Whether ``indicator_id`` is in the store."""
        return indicator_id in self._meta_by_id

    def indicator_meta(self, indicator_id: str) -> IndicatorMeta:
        """Metadata of one indicator; ``KeyError`` if unknown."""
        return IndicatorMeta.from_record(self._meta_by_id[indicator_id])

    def indicator_values(
        self,
        indicator_id: str,
        *,
        time_period: int | None = None,
        levels: Iterable[GeographicLevel | str] | None = None,
    ) -> pd.DataFrame:
        """Rows of one indicator (optionally one period and some levels), as a new frame.

        Text columns come back as plain strings (missing ``value_status`` as null).
        """
        idx = self._rows_by_indicator.get(indicator_id)
        if idx is None:
            idx = np.array([], dtype=np.int64)
        columns = self._columns
        if time_period is not None:
            idx = idx[columns["time_period"][1][idx] == time_period]
        if levels is not None:
            kind, codes, cats = columns["geographic_level"]
            wanted = [i for i, c in enumerate(cats) if c in {str(level) for level in levels}]
            idx = idx[np.isin(codes[idx], wanted)]
        out: dict[str, Any] = {}
        for name, (kind, data, cats) in columns.items():
            if kind == "cat":
                codes = data[idx]
                taken = cats[codes]
                out[name] = np.where(codes < 0, None, taken) if (codes < 0).any() else taken
            else:
                out[name] = data[idx]
        return pd.DataFrame(out, columns=list(VALUES_COLUMNS))

    @cached_property
    def _columns(self) -> dict[str, tuple[str, np.ndarray, Any]]:
        """Each values column as numpy arrays, built once so per-indicator frames are cheap.

        Text columns are ``("cat", codes, categories)``, numbers ``("arr", values, None)``.
        """
        columns: dict[str, tuple[str, np.ndarray, Any]] = {}
        for name in VALUES_COLUMNS:
            col = self.values[name]
            if not isinstance(col.dtype, pd.CategoricalDtype) and col.dtype.kind not in "fiu":
                col = col.astype("category")
            if isinstance(col.dtype, pd.CategoricalDtype):
                columns[name] = (
                    "cat",
                    col.cat.codes.to_numpy(),
                    col.cat.categories.to_numpy(dtype=object),
                )
            else:
                columns[name] = ("arr", col.to_numpy(), None)
        return columns

    def periods(self, indicator_id: str) -> pd.DataFrame:
        """Distinct periods of one indicator: time_period, time_identifier, year_end, label."""
        rows = self.indicator_values(indicator_id)
        cols = ["time_period", "time_identifier", "year_end", "period_label"]
        return (
            rows[cols]
            .drop_duplicates("time_period")
            .sort_values("time_period")
            .reset_index(drop=True)
        )

    def area_name(self, area_code: str) -> str:
        """Display name of an area code (the code itself when unknown)."""
        return self._area_names.get(area_code, area_code)

    @cached_property
    def la_codes(self) -> frozenset[str]:
        """Codes of single LAs (current and abolished; not joint rows, not regions)."""
        las = self.areas[self.areas["area_type"] == "Local authority"]
        return frozenset(las["area_code"])

    @cached_property
    def area_names(self) -> dict[str, str]:
        """area_code -> display name, for every area."""
        return dict(self._area_names)

    @cached_property
    def _area_names(self) -> dict[str, str]:
        return dict(zip(self.areas["area_code"], self.areas["area_name"], strict=True))

    @cached_property
    def catalogue(self) -> Catalogue:
        """Picker options; computed once per store."""
        meta = self.indicators.sort_values(["topic", "title"])
        periods: dict[str, tuple[tuple[int, str], ...]] = {}
        if len(self.values):
            pairs = (
                self.values[["indicator_id", "time_period", "period_label"]]
                .astype({"indicator_id": "str"})
                .drop_duplicates(["indicator_id", "time_period"])
                .sort_values(["indicator_id", "time_period"])
            )
            for ind, grp in pairs.groupby("indicator_id", sort=False):
                periods[str(ind)] = tuple(
                    zip(grp["time_period"].astype(int), grp["period_label"], strict=True)
                )
        las = self.areas[self.areas["area_type"] == "Local authority"]
        las = las.assign(_current=las["valid_to"].isna()).sort_values(
            ["_current", "area_name"], ascending=[False, True]
        )
        return Catalogue(
            indicators=tuple(zip(meta["indicator_id"], meta["title"], meta["topic"], strict=True)),
            periods=periods,
            las=tuple(zip(las["area_code"], las["area_name"], strict=True)),
            release=self.release,
            synthetic=self.synthetic,
            topics=tuple(sorted(meta["topic"].unique())),
            built_at=str(self.manifest.get("built_at", "")),
            sn_releases=tuple(
                sorted({str(r) for r in self.neighbours["sn_release"]}, reverse=True)
            ),
            checks=tuple(
                (
                    str(c.get("name", "")),
                    int(c.get("compared", 0)),
                    int(c.get("agreeing", 0)),
                    len(c.get("differences", [])),
                )
                for c in self.manifest.get("cross_source_checks", [])
            ),
            same_measures=tuple(
                SameMeasure.from_record(c)
                for c in self.manifest.get("cross_source_checks", [])
                if c.get("kind") == SAME_MEASURE
            ),
            sources=tuple(
                (
                    Path(str(src.get("file", ""))).name,
                    int(src.get("rows_read", 0)),
                    int(src.get("rows_loaded", 0)),
                    int(src.get("rows_rejected", 0)),
                )
                for src in self.manifest.get("sources", [])
            ),
        )


# ---------------------------------------------------------------------------------------------
# The live store of a running server
# ---------------------------------------------------------------------------------------------
def _reset_after_fork(ref: weakref.ReferenceType[LiveStore]) -> None:
    live = ref()
    if live is not None:
        live._after_fork()


class LiveStore:
    """The live release of a store folder, following ``CURRENT`` when a new ingest swaps it.

    It answers like a ``Store`` (attribute access is delegated). Each request sees exactly one
    release: the first access inside a request pins the current release in the request's
    ``scope`` (a mapping given by the web layer, e.g. ``flask.g``), so a swap in the middle
    of a request never mixes two releases. At most every ``check_seconds`` the pointer file is
    read (a few bytes); when it names another release, that release is opened in a
    background thread and becomes current once it has loaded, while requests keep being
    answered from the previous one. ``pointer``, when given, names the release to serve
    instead of the pointer file (the web layer's release agreed between servers).
    """

    def __init__(
        self,
        store_dir: Path,
        *,
        scope: Any = None,
        check_seconds: float = 2.0,
        store: Store | None = None,
        pointer: Callable[[], str] | None = None,
    ) -> None:
        self._dir = Path(store_dir)
        self._named = pointer
        self._scope = scope or (lambda: None)
        self._check_seconds = check_seconds
        self._current = store or Store.open(self._dir)
        self._checked = time.monotonic()
        self._lock = threading.Lock()
        self._loading = False
        self.last_error: str | None = None
        # A server opens the store in its master and forks workers; a switch being loaded
        # at that moment happens in a thread the children do not have, so they start afresh.
        own = weakref.ref(self)
        os.register_at_fork(after_in_child=lambda: _reset_after_fork(own))

    def _after_fork(self) -> None:
        self._lock = threading.Lock()
        self._loading = False
        self._checked = 0.0

    def _pointer(self) -> str:
        if self._named is not None:
            return self._named()
        try:
            return (self._dir / CURRENT_FILE).read_text().strip()
        except OSError:
            return ""

    def _maybe_switch(self) -> None:
        now = time.monotonic()
        if now - self._checked < self._check_seconds or self._loading:
            return
        self._checked = now
        release = self._pointer()
        if not release or release == self._current.release:
            return
        with self._lock:
            if self._loading:
                return
            self._loading = True
        threading.Thread(target=self._load, args=(release,), daemon=True).start()

    def _load(self, release: str) -> None:
        try:
            store = Store.open(self._dir, release)
            if store.release != self._current.release:
                self._current = store
            self.last_error = None
            log.info("now serving store release %s", store.release)
        except StoreError as exc:  # keep serving the previous release
            self.last_error = str(exc)
            log.error("cannot switch to release %s: %s", release, exc)
        finally:
            self._loading = False

    def current(self) -> Store:
        """The release this request uses (pinned on first use within a request)."""
        pins = self._scope()
        if pins is not None:
            pinned = getattr(pins, "la_variation_store", None)
            if pinned is not None:
                return pinned
        self._maybe_switch()
        store = self._current
        if pins is not None:
            pins.la_variation_store = store
        return store

    def wait_for(self, release: str, timeout: float = 30.0) -> bool:
        """Block until ``release`` is being served (tests and re-ingest tooling)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._checked = 0.0
            self._maybe_switch()
            if self._current.release == release:
                return True
            time.sleep(0.05)
        return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.current(), name)
