"""On the official data: a source lost on the way fails the ingest, naming it (exit 2).

Each test builds a mirror of ../shared/data out of symbolic links and damages one entry the way
it was found damaged, then runs ``python -m app ingest`` on it: the ingest stops while
discovering the files, before loading anything, and the store is never written.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.unit.data.test_sources import damage

pytestmark = pytest.mark.real_data
ROOT = Path(__file__).resolve().parents[2]


def mirror(shared: Path, target: Path) -> Path:
    for path in shared.rglob("*"):
        if path.is_file():
            link = target / path.relative_to(shared)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(path)
    return target


@pytest.mark.parametrize(
    ("rel", "how", "words"),
    [
        (
            "lait/lait_bds_long.parquet",
            "broken symlink",
            "lait_bds (lait/lait_bds_long.parquet: broken",
        ),
        ("ees_cin/b1_children_in_need_2013_to_2025.csv", "directory", "a directory, not a file"),
        ("ees_cla/la_cla_placement_stability.csv", "fifo", "a FIFO"),
        ("population/ons_mid-year_population_estimates_2012_to_2024.csv", "deleted", "population"),
        ("statistical_neighbours/sn_may_2025.xlsx", "broken symlink", "sn_workbooks"),
    ],
)
def test_a_lost_official_source_stops_the_ingest(shared_data, tmp_path, rel, how, words):
    data = mirror(shared_data, tmp_path / "data")
    damage(data, rel, how)
    store = tmp_path / "store"
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "ingest",
            "--data-dir",
            str(data),
            "--store-dir",
            str(store),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert words in done.stderr and "[rule BI-36]" in done.stderr
    assert time.perf_counter() - start < 60
    assert not (store / "CURRENT").exists()
