"""Ingest: discover raw files -> load -> tidy -> check -> derive -> validate -> write atomically.

Files are recognised by their content (header row, or GeoJSON structure), not by their names
(``data.discovery``): every CSV, workbook, Parquet and GeoJSON file under the data folder is
offered to the loaders, and files no loader recognises are listed in the manifest as skipped.
The declared source families (``data.sources.SOURCE_FAMILIES``) say which files must be there
and load (a required one missing, unreadable or not recognised stops the ingest) and which are
ignored on purpose.

Before a release goes live: keys must be unique across files, values must keep to the range
rules of their type (``data.ranges``; rejected values are recorded in the release's
``rejections.parquet``), and the release must not lose more than a share of the live release's
indicators or values (``data.guards``).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from data.areas import AreaResolver
from data.checks import cross_source_checks
from data.discovery import Discovered, discover
from data.guards import DEFAULT_MAX_SHRINK, compare_releases, source_check
from data.loaders.common import (
    ORIGIN_COLUMNS,
    LoadResult,
    SourceReport,
    check_keys_across_files,
    indicator_rows,
    values_frame,
)
from data.loaders.ees import load_ees
from data.loaders.ees_specs import ees_families
from data.loaders.geography import load_boundaries
from data.loaders.kinds import EXTRA_LOADERS
from data.loaders.lait import BDS_FILE, DICTIONARY_FILE, load_lait
from data.loaders.s251 import load_s251
from data.loaders.statistical_neighbours import load_neighbours
from data.need_rates import derive_need_rates
from data.ranges import check_ranges, load_exceptions
from data.rates import derive_rates
from data.rejections import REJECTIONS_FILE, parquet_bytes, rejections_table
from data.same_measure import find_same_measures
from data.schema import TABLE_SCHEMAS, VALUES_COLUMNS
from data.sources import SOURCE_FAMILIES, SourceFamily
from data.store import Benchmarker, Deriver, write_store
from data.summary import Progress, summary_table
from data.topics import merge_topics
from data.validate import validate_tables

log = logging.getLogger(__name__)

__all__ = ["build_tables", "ingest", "summary_table"]


_TEXT_COLUMNS = (
    "indicator_id",
    "area_code",
    "geographic_level",
    "time_identifier",
    "value_status",
    "period_label",
    "source_id",
)


def _as_str_categorical(series: pd.Series) -> pd.Categorical:
    cat = (
        series.array
        if isinstance(series.dtype, pd.CategoricalDtype)
        else pd.Categorical(series.astype(object))
    )
    if cat.categories.dtype != "str":
        cat = cat.rename_categories(pd.Index(cat.categories.astype(str), dtype="str"))
    return cat


def _concat_values(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate values frames, keeping every text column categorical (cheap to combine).

    When any frame carries origin columns (``with_origin``), the result keeps them (frames
    without, e.g. derived values, get their source id as file and row 0).
    """
    frames = [f for f in frames if len(f)]
    if not frames:
        return values_frame()
    columns = list(VALUES_COLUMNS)
    if any(ORIGIN_COLUMNS[0] in f for f in frames):
        columns += ORIGIN_COLUMNS
        frames = [f if ORIGIN_COLUMNS[0] in f else _unknown_origin(f) for f in frames]
    out: dict[str, Any] = {}
    for col in columns:
        parts = [f[col] for f in frames]
        if col in _TEXT_COLUMNS or col in ("origin_file", "origin_column"):
            out[col] = union_categoricals(
                [_as_str_categorical(p) for p in parts], ignore_order=True
            )
        else:
            out[col] = np.concatenate([p.to_numpy() for p in parts])
    return pd.DataFrame(out)


def _unknown_origin(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(
        origin_file=frame["source_id"],
        origin_row=np.zeros(len(frame), dtype=np.int64),
        origin_column=pd.Categorical(np.full(len(frame), "value", dtype=object)),
    )


def build_tables(
    data_dir: Path,
    *,
    derive: Deriver | None = None,
    progress: bool = True,
    stream: TextIO | None = None,
    families: Sequence[SourceFamily] = SOURCE_FAMILIES,
    require: bool = True,
) -> tuple[dict[str, pd.DataFrame], dict[str, Any], dict[str, bytes]]:
    """Load every recognised file into store tables; return tables, manifest facts, extras.

    Args:
        data_dir: The raw files.
        derive: Computes further indicators from the loaded ones.
        progress: Show a progress bar.
        stream: Where the progress bar goes (standard error by default).
        families: The declared source families (``data.sources.SOURCE_FAMILIES``).
        require: Stop when a required family is not loaded (``False``: list it only).

    Raises:
        DataFormatError: Bad input, naming file, row and column; or a required source not
            loaded (rule BI-36).
    """
    data_dir = Path(data_dir)
    found = discover(data_dir, families, require=require)
    resolver = AreaResolver()
    bar = Progress(found.count, stream, enabled=progress)
    result = LoadResult()

    def run(labels: Sequence[str] | str, fn: Callable[[], LoadResult]) -> None:
        labels = [labels] if isinstance(labels, str) else list(labels)
        start = time.perf_counter()
        part = fn()
        seconds = time.perf_counter() - start
        result.extend(part)
        for label in labels:
            bar.step(label, seconds / len(labels))

    if found.lait:
        run([DICTIONARY_FILE, BDS_FILE], lambda: load_lait(data_dir, resolver))
    if found.s251:  # together: files that overlap are settled and compared (settle_overlaps)
        run(
            [str(p.relative_to(data_dir)) for p in found.s251],
            lambda: load_s251(found.s251, resolver),
        )
    for kind, paths in sorted(found.extra.items()):
        run(
            [str(p.relative_to(data_dir)) for p in paths],
            partial(EXTRA_LOADERS[kind], paths, resolver),
        )
    for path in found.ees:
        run(str(path.relative_to(data_dir)), partial(load_ees, [path], ees_families(), resolver))
    if found.neighbours:
        run(
            [str(p.relative_to(data_dir)) for p in found.neighbours],
            lambda: load_neighbours(found.neighbours, resolver),
        )
    for path in found.boundaries[:1]:
        run(str(path.relative_to(data_dir)), partial(load_boundaries, path, resolver))
    for path in found.boundaries[1:]:
        found.skipped.append((str(path.relative_to(data_dir)), "only one boundary file is used"))
    sources = _check_sources(data_dir, found, result)

    check_keys_across_files(result.value_frames)
    values = _concat_values(result.value_frames)
    result.value_frames.clear()  # the per-file frames are copied into ``values``: free them
    indicators = (
        pd.concat(result.indicator_frames, ignore_index=True)
        if result.indicator_frames
        else indicator_rows([])
    )
    indicators = _merge_line_level(indicators)
    values, exceptions_used = _apply_ranges(values, indicators, result.reports)
    same_measures = find_same_measures(values, indicators)  # published values only
    derived_notes = []
    rate_values, rate_meta = derive_rates(values, indicators)  # names a count's origin
    values = values[list(VALUES_COLUMNS)]  # origins are recorded where needed: drop them
    if len(rate_meta):
        values = _concat_values([values, rate_values])
        indicators = pd.concat([indicators, rate_meta], ignore_index=True)
        derived_notes.append(f"{len(rate_meta)} rates per 10,000 computed from counts")
    need_values, need_meta = derive_need_rates(values, indicators)
    if len(need_meta):
        values = _concat_values([values, need_values])
        indicators = pd.concat([indicators, need_meta], ignore_index=True)
        derived_notes.append(f"{len(need_meta)} need rates computed (data.need_rates)")
    if derive is not None:
        extra_values, extra_meta = derive(values, indicators)
        if len(extra_meta):
            values = _concat_values([values, extra_values])
            indicators = pd.concat([indicators, extra_meta], ignore_index=True)
            derived_notes.append(f"{len(extra_meta)} derived indicators")
    neighbours = (
        pd.concat(result.neighbour_frames, ignore_index=True)
        if result.neighbour_frames
        else pd.DataFrame(columns=list(TABLE_SCHEMAS["statistical_neighbours"].names))
    )
    indicators, topics_merged = merge_topics(indicators.reset_index(drop=True))
    tables = {
        "values": values,
        "indicators": indicators,
        "areas": resolver.frame(),
        "statistical_neighbours": neighbours,
    }
    manifest = {
        "synthetic": False,
        "data_dir": str(data_dir.resolve()),
        "sources": [r.as_manifest() for r in result.reports],
        "skipped_files": sources.pop("skipped_files"),
        "checks": {"sources": sources},
        "range_exceptions": exceptions_used,
        "derived": derived_notes,
        "extra_files": sorted([*result.extra_files, REJECTIONS_FILE]),
        "cross_source_checks": [
            *result.checks,
            *cross_source_checks(values, resolver),
            *same_measures,
        ],
        "topics_merged": topics_merged,
    }
    extras = {
        **result.extra_files,
        REJECTIONS_FILE: parquet_bytes(rejections_table(result.reports)),
    }
    return tables, manifest, extras


def _check_sources(data_dir: Path, found: Discovered, result: LoadResult) -> dict[str, Any]:
    """Every file seen is loaded, or listed with why not; required families must all load."""

    def rel(file: str) -> str:
        path = Path(file)
        return str(path.relative_to(data_dir)) if path.is_relative_to(data_dir) else file

    loaded = {rel(r.file) for r in result.reports}
    not_loaded = [*found.skipped, *((rel(f), why) for f, why in result.skipped)]
    accounted = loaded | {f for f, _ in not_loaded}
    not_loaded += [
        (f, "offered to a loader, not loaded")
        for f in found.offered(data_dir)
        if f not in accounted
    ]
    return source_check(
        data_dir, found.families, loaded=loaded, not_loaded=not_loaded, require=found.require
    )


def _apply_ranges(
    values: pd.DataFrame, indicators: pd.DataFrame, reports: list[SourceReport]
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Drop values that break a range rule, recording each in its file's report."""
    exceptions = load_exceptions()
    check = check_ranges(values, indicators, exceptions)
    by_file = {r.file: r for r in reports}
    for file, block in check.blocks:
        report = by_file.get(file)
        if report is None:  # a loader that gives no origin: file is its source id
            report = by_file[file] = SourceReport(file=file, source_id=file, sha256="")
            reports.append(report)
        report.set_aside(block)
    used = [
        {
            "indicator_id": e.indicator_id,
            "rule": e.rule,
            "areas": "|".join(e.areas),
            "periods": "|".join(e.periods),
            "action": e.action,
            "values": check.matched.get(e, 0),
        }
        for e in exceptions
    ]
    return (values if check.keep.all() else values[check.keep]), used


def _merge_line_level(indicators: pd.DataFrame) -> pd.DataFrame:
    """One metadata row per id (line-level s251 files of several years share ids)."""
    return indicators.drop_duplicates("indicator_id", keep="last")


@dataclass(frozen=True)
class IngestSummary:
    """What an ingest produced (for the CLI's summary table)."""

    release_dir: Path
    manifest: dict[str, Any]
    seconds: float


def ingest(
    data_dir: Path,
    store_dir: Path,
    *,
    derive: Deriver | None = None,
    benchmark: Benchmarker | None = None,
    progress: bool = True,
    stream: TextIO | None = None,
    families: Sequence[SourceFamily] = SOURCE_FAMILIES,
    require_sources: bool = True,
    max_shrink: float = DEFAULT_MAX_SHRINK,
    allow_shrink: bool = False,
) -> IngestSummary:
    """Build a new release from ``data_dir`` and make it live in ``store_dir``.

    Args:
        data_dir: The raw files.
        store_dir: The store folder.
        derive: Computes further indicators from the loaded ones.
        benchmark: Computes the benchmark table from the finished tables (``data.store``).
        progress: Show a progress bar.
        stream: Where the progress bar goes.
        families: The declared source families (``data.sources.SOURCE_FAMILIES``).
        require_sources: Stop when a required source family is not loaded (``--partial``
            turns this off; recorded in the manifest).
        max_shrink: The largest share of the live release's indicators or values the new
            release may lose.
        allow_shrink: Make the release live even if it loses more (recorded in the manifest).

    Raises:
        DataFormatError: Bad input (file, row, column named). The live store is unchanged.
        IngestRefused: The release would lose too much. The live store is unchanged.
    """
    start = time.perf_counter()
    tables, manifest, extras = build_tables(
        data_dir,
        derive=derive,
        progress=progress,
        stream=stream,
        families=families,
        require=require_sources,
    )
    manifest["checks"]["shrink"] = compare_releases(
        store_dir,
        tables["values"],
        tables["indicators"],
        limit=max_shrink,
        allow=allow_shrink,
    )
    release = write_store(
        tables,
        manifest,
        store_dir,
        validate=validate_tables,
        extra_files=extras,
        benchmark=benchmark,
    )
    final_manifest = json.loads((release / "manifest.json").read_text())
    return IngestSummary(release, final_manifest, time.perf_counter() - start)
