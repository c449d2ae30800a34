"""Reading a release: ``Store``, a read-only view of its tables, and its ``Catalogue``."""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from data.benchmark import BenchmarkStore
from data.errors import StoreError
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
from data.store.release_folders import MANIFEST_FILE, RELEASES_DIR, live_release_dir


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
