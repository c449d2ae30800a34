"""Ingest: discover raw files -> load -> tidy -> derive -> validate -> write the store atomically.

Files are recognised by their content (header row, or GeoJSON structure), not by their names:
every CSV, workbook, Parquet and GeoJSON file under the data folder is offered to the loaders,
and files no loader recognises are listed in the manifest as skipped.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from data.areas import AreaResolver
from data.checks import cross_source_checks
from data.csvio import read_header, sha256_of
from data.errors import DataFormatError
from data.loaders.common import LoadResult, indicator_rows, values_frame
from data.loaders.ees import detect_family, load_ees, near_miss
from data.loaders.ees_specs import FAMILIES
from data.loaders.geography import load_boundaries
from data.loaders.kinds import EXTRA_LOADERS, classify
from data.loaders.lait import BDS_FILE, DICTIONARY_FILE, load_lait
from data.loaders.s251 import is_lait_finance, is_line_level, load_s251
from data.loaders.statistical_neighbours import load_neighbours
from data.need_rates import derive_need_rates
from data.rates import derive_rates
from data.schema import TABLE_SCHEMAS, VALUES_COLUMNS
from data.store import Benchmarker, Deriver, write_store
from data.validate import validate_tables
from data.workbooks import is_workbook

log = logging.getLogger(__name__)


@dataclass
class Discovered:
    """Files found under the data folder, by loader."""

    lait: bool = False
    ees: list[Path] = field(default_factory=list)
    s251: list[Path] = field(default_factory=list)
    neighbours: list[Path] = field(default_factory=list)
    boundaries: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: Files of the newer sources by kind (``data.loaders.kinds``): deprivation, ro3, ...
    extra: dict[str, list[Path]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """How many files will be loaded."""
        return (
            2 * self.lait
            + len(self.ees)
            + len(self.s251)
            + len(self.neighbours)
            + len(self.boundaries)
            + sum(len(paths) for paths in self.extra.values())
        )


def discover(data_dir: Path) -> Discovered:
    """Sort every file under ``data_dir`` to the loader that recognises it."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataFormatError(str(data_dir), "data folder does not exist")
    found = Discovered()
    lait_files = {data_dir / BDS_FILE, data_dir / DICTIONARY_FILE}
    found.lait = all(p.is_file() for p in lait_files)
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        rel = str(path.relative_to(data_dir))
        if path in lait_files and found.lait:
            continue
        suffix = path.suffix.casefold()
        kind = classify(path)
        if kind == "s251":
            found.s251.append(path)
        elif kind == "neighbours_long":
            found.neighbours.append(path)
        elif kind is not None:
            found.extra.setdefault(kind, []).append(path)
        elif suffix == ".csv":
            header = read_header(path)
            _check_delimiter(path, header)
            if detect_family(header, FAMILIES) or near_miss(header, FAMILIES):
                found.ees.append(path)  # a near miss fails in the loader, naming the column
            elif is_lait_finance(header) or is_line_level(header):
                found.s251.append(path)
            elif (
                header
                and header[0].strip() in ("LA num", "old_la_code")
                and any(h.strip() in ("SN1", "SN_1") for h in header)
            ):
                found.neighbours.append(path)
            else:
                found.skipped.append((rel, "header not recognised"))
        elif suffix == ".xlsx" and path.stem.casefold().startswith("sn"):
            found.neighbours.append(path)
        elif suffix == ".geojson":
            found.boundaries.append(path)
        else:
            why = f"{suffix or 'no extension'} files are not read"
            if is_workbook(path) or suffix == ".parquet":
                why = "no sheet or column set of a known source"
            found.skipped.append((rel, why))
    if not found.count:
        raise DataFormatError(
            str(data_dir),
            "no source files recognised (expected the layout of ../shared/data: lait/, s251/, "
            "ees_cla/, ees_cin/, cla_outcomes/, population/, statistical_neighbours/, geography/)",
        )
    return found


def _check_delimiter(path: Path, header: tuple[str, ...]) -> None:
    """A one-field header holding ``;``- or tab-separated names is a mis-saved CSV (BI-32)."""
    if len(header) == 1:
        for sep, name in ((";", "semicolons"), ("\t", "tabs")):
            names = header[0].split(sep)
            if len(names) > 2 and ("time_period" in names or "LA" in names):
                raise DataFormatError(
                    str(path),
                    f"fields are separated by {name}, not commas (save it as 'CSV UTF-8')",
                    row=1,
                    column=header[0][:40],
                    rule="BI-32",
                )


class Progress:
    """A one-line progress bar on a terminal, one line per file otherwise."""

    def __init__(self, total: int, stream: TextIO | None = None, *, enabled: bool = True) -> None:
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = self.stream.isatty()

    def step(self, label: str, seconds: float) -> None:
        """Record one finished file."""
        self.done += 1
        if not self.enabled:
            return
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        bar = "#" * filled + "-" * (width - filled)
        line = f"[{bar}] {self.done}/{self.total} {label} ({seconds:.2f}s)"
        if self.tty:
            self.stream.write("\r\x1b[2K" + line + ("\n" if self.done == self.total else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


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
    """Concatenate values frames, keeping every text column categorical (cheap to combine)."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return values_frame()
    out: dict[str, Any] = {}
    for col in VALUES_COLUMNS:
        parts = [f[col] for f in frames]
        if col in _TEXT_COLUMNS:
            out[col] = union_categoricals(
                [_as_str_categorical(p) for p in parts], ignore_order=True
            )
        else:
            out[col] = np.concatenate([p.to_numpy() for p in parts])
    return pd.DataFrame(out)


def build_tables(
    data_dir: Path,
    *,
    derive: Deriver | None = None,
    progress: bool = True,
    stream: TextIO | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, Any], dict[str, bytes]]:
    """Load every recognised file into store tables; return tables, manifest facts, extras."""
    data_dir = Path(data_dir)
    found = discover(data_dir)
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
            lambda k=kind, ps=paths: EXTRA_LOADERS[k](ps, resolver),
        )
    for path in found.ees:
        run(str(path.relative_to(data_dir)), lambda p=path: load_ees([p], FAMILIES, resolver))
    if found.neighbours:
        run(
            [str(p.relative_to(data_dir)) for p in found.neighbours],
            lambda: load_neighbours(found.neighbours, resolver),
        )
    for path in found.boundaries[:1]:
        run(str(path.relative_to(data_dir)), lambda p=path: load_boundaries(p, resolver))
    for path in found.boundaries[1:]:
        found.skipped.append((str(path.relative_to(data_dir)), "only one boundary file is used"))

    values = _concat_values(result.value_frames)
    indicators = (
        pd.concat(result.indicator_frames, ignore_index=True)
        if result.indicator_frames
        else indicator_rows([])
    )
    indicators = _merge_line_level(indicators)
    derived_notes = []
    rate_values, rate_meta = derive_rates(values, indicators)
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
    tables = {
        "values": values,
        "indicators": indicators.reset_index(drop=True),
        "areas": resolver.frame(),
        "statistical_neighbours": neighbours,
    }
    manifest = {
        "synthetic": False,
        "data_dir": str(data_dir.resolve()),
        "sources": [r.as_manifest() for r in result.reports],
        "skipped_files": [{"file": f, "reason": why} for f, why in found.skipped],
        "derived": derived_notes,
        "extra_files": sorted(result.extra_files),
        "checks": result.checks + cross_source_checks(values, resolver),
    }
    return tables, manifest, result.extra_files


def store_is_current(manifest: dict[str, Any] | Any, data_dir: Path) -> bool:
    """Whether a store was built from exactly the files now under ``data_dir``."""
    if manifest.get("synthetic", True):
        return False
    try:
        found = discover(data_dir)
    except DataFormatError:
        return False
    paths = [*found.ees, *found.s251, *found.neighbours, *found.boundaries[:1]]
    paths += [p for extra in found.extra.values() for p in extra]
    if found.lait:
        paths += [Path(data_dir) / DICTIONARY_FILE, Path(data_dir) / BDS_FILE]
    built = {Path(src["file"]).resolve(): src["sha256"] for src in manifest.get("sources", [])}
    current = {p.resolve(): sha256_of(p) for p in paths}
    return built == current


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
) -> IngestSummary:
    """Build a new release from ``data_dir`` and make it live in ``store_dir``.

    Raises:
        DataFormatError: Bad input (file, row, column named). The live store is unchanged.
    """
    start = time.perf_counter()
    tables, manifest, extras = build_tables(
        data_dir, derive=derive, progress=progress, stream=stream
    )
    release = write_store(
        tables,
        manifest,
        store_dir,
        validate=validate_tables,
        extra_files=extras,
        benchmark=benchmark,
    )
    import json

    final_manifest = json.loads((release / "manifest.json").read_text())
    return IngestSummary(release, final_manifest, time.perf_counter() - start)


def summary_table(manifest: dict[str, Any]) -> str:
    """A plain-text table of per-file accounting for the CLI."""
    rows = [("file", "read", "loaded", "rejected", "values", "indicators")]
    for src in manifest.get("sources", []):
        rows.append(
            (
                Path(src["file"]).name,
                str(src["rows_read"]),
                str(src["rows_loaded"]),
                str(src["rows_rejected"]),
                str(src["values_written"]),
                str(src["indicators"]),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    tables = manifest.get("tables", {})
    lines.append("")
    lines.append(
        "store: "
        + ", ".join(f"{name} {count}" for name, count in tables.items())
        + f"; release {manifest.get('release')}"
    )
    for item in manifest.get("skipped_files", []):
        lines.append(f"skipped {item['file']}: {item['reason']}")
    return "\n".join(lines)
