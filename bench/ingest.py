"""Benchmark: time to ingest all raw files vs the floor of merely reading them.

    python bench/ingest.py [--data-dir ../shared/data] [--repeat 3]

The floor reads every file the ingest reads, with the fastest plain reader for its type
(pyarrow for CSV and Parquet, openpyxl for the neighbour workbooks, zip decompression alone for
the s251/IoD/RO3 workbooks, json for GeoJSON), keeping all cells as text the way the ingest
must. The ingest is the CLI's (``python -m app ingest``): derived indicators and the
benchmark table included; the table's own time is printed beside it. Both are timed in this
process (interpreter start-up and imports excluded); the best of ``--repeat`` runs is
reported. Target: ingest < 30 s and < 3x the floor.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from config import default_data_dir
from data.discovery import discover
from data.ingest import ingest
from indicators import derive_indicators
from indicators.benchmark_table import benchmark_frames


def read_floor(data_dir: Path) -> float:
    """Seconds to read every file the ingest uses, with no parsing beyond the reader's."""
    found = discover(data_dir)
    start = time.perf_counter()
    if found.lait:
        pq.read_table(data_dir / "lait/lait_bds_long.parquet")
        pacsv.read_csv(data_dir / "lait/lait_data_dictionary.csv")
    extra = [p for paths in found.extra.values() for p in paths]
    for path in [*found.ees, *found.s251, *extra]:
        suffix = path.suffix.casefold()
        if suffix in (".xlsx", ".xlsm", ".ods"):
            with zipfile.ZipFile(path) as book:  # the XML of a workbook, decompressed
                for name in book.namelist():
                    book.read(name)
        elif suffix == ".parquet":
            pq.read_table(path)
        elif path.open("rb").read(16).removeprefix(b"\xef\xbb\xbf").startswith(b"Stat-X"):
            list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))  # title block
        else:
            pacsv.read_csv(path)
    for path in found.neighbours:
        if path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            for _ in book.active.iter_rows(values_only=True):
                pass
            book.close()
        else:
            pacsv.read_csv(
                path, parse_options=pacsv.ParseOptions(invalid_row_handler=lambda r: "skip")
            )
    for path in found.boundaries[:1]:
        json.loads(path.read_text())
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=default_data_dir())
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.data_dir is None or not args.data_dir.is_dir():
        print("no data folder: pass --data-dir (e.g. ../shared/data)")
        return 1
    floors, ingests, tables_s = [], [], []

    def timed_benchmark(tables: Any) -> Any:
        start = time.perf_counter()
        frames = benchmark_frames(tables)
        tables_s.append(time.perf_counter() - start)
        return frames

    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            floors.append(read_floor(args.data_dir))
            start = time.perf_counter()
            summary = ingest(
                args.data_dir,
                Path(tmp) / "store",
                derive=derive_indicators,
                benchmark=timed_benchmark,
                progress=False,
            )
            ingests.append(time.perf_counter() - start)
    floor, best = min(floors), min(ingests)
    tables = summary.manifest["tables"]
    print(f"command: python bench/ingest.py --data-dir {args.data_dir} --repeat {args.repeat}")
    print(f"files ingested       : {len(summary.manifest['sources'])}")
    print(f"rows stored          : {tables['values']:,} values, {tables['indicators']} indicators")
    print(f"floor (read only)    : {floor:6.2f} s  (best of {args.repeat})")
    runs = ", ".join(f"{t:.2f}" for t in ingests)
    print(f"ingest (full)        : {best:6.2f} s  (best of {args.repeat}; all runs {runs})")
    table = tables_s[ingests.index(best)]
    print(f"  benchmark table    : {table:6.2f} s  (of the ingest; computing it, not checking it)")
    print(f"ratio ingest / floor : {best / floor:6.2f} x   (target < 3x; absolute target < 30 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
