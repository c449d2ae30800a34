"""``python -m app ingest`` on fixtures: exit codes, messages naming file/row/column, and the
previous store surviving every kind of bad input."""

import subprocess
import sys
from pathlib import Path

import pytest

from data.store import Store, live_release_dir

ROOT = Path(__file__).resolve().parents[2]


def run_app(*args, env_extra=None):
    import os

    env = {**os.environ, "LA_VARIATION_DATA_DIR": ""}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def built_store(tmp_path_factory):
    from tests.conftest import build_raw_dir

    raw = build_raw_dir(tmp_path_factory.mktemp("cli") / "raw")
    store = raw.parent / "store"
    # --partial: the fixture folder holds only some of the official source families
    result = run_app("ingest", "--data-dir", str(raw), "--store-dir", str(store), "--partial")
    assert result.returncode == 0, result.stderr
    assert "lait_bds_long.parquet" in result.stdout  # the summary table
    return store


@pytest.fixture
def good_store(built_store, tmp_path):
    """A private copy of a store built from the fixtures (the CURRENT pointer is relative)."""
    import shutil

    return Path(shutil.copytree(built_store, tmp_path / "store"))


def test_ingest_prints_a_summary_and_a_valid_store(good_store):
    store = Store.open(good_store)
    assert not store.synthetic
    sources = store.manifest["sources"]
    assert all(s["rows_read"] == s["rows_loaded"] + s["rows_rejected"] for s in sources)
    assert all(len(s["sha256"]) == 64 for s in sources)
    assert store.has_indicator("cin_at_31_march_rate")  # computed from counts + population
    assert store.indicator_meta("cin_at_31_march_rate").derivation.startswith("computed")
    rate = store.indicator_values("cin_at_31_march_rate", time_period=2024)
    nyorks = rate[rate["area_code"] == "E06000065"].iloc[0]
    assert nyorks["value"] == pytest.approx(2900 / 120000 * 10000)


def corrupt(raw_dir, relpath, old, new, *, encoding="utf-8"):
    path = raw_dir / relpath
    text = path.read_bytes().decode("utf-8-sig")
    assert old in text
    path.write_bytes(text.replace(old, new, 1).encode(encoding))
    return path


BAD_CASES = [
    # (file, old text, new text, expected row, expected column, words in the message)
    (
        "ees_cin/b1_children_in_need.csv",
        "3500,3300",
        "DNS,3300",
        6,
        "Anypoint_episodes",
        "unknown token 'DNS'",
    ),
    (
        "ees_cin/b1_children_in_need.csv",
        "3500,3300",
        "NA,3300",
        6,
        "Anypoint_episodes",
        "unknown token 'NA'",
    ),
    (
        "ees_cin/b1_children_in_need.csv",
        "At31_episodes",
        "At31_eps",
        1,
        "At31_episodes",
        "lacks column",
    ),
    (
        "ees_cin/b1_children_in_need.csv",
        "3500,3300",
        "3500,3300,99",
        6,
        "#20 (beyond the header)",
        "fields",
    ),
    (
        "population/population_0_17.csv",
        "28000",
        "28000\u00a3",
        6,
        "population_estimate",
        "not UTF-8",
    ),
    (
        "ees_cla/placement_stability_sample.csv",
        "890,Blackpool,E06000009",
        "890,Blackpool,E06000010",
        6,
        "new_la_code",
        "does not belong",
    ),
    (
        "ees_cla/placement_stability_sample.csv",
        "2024,Reporting year,National",
        "2024/25,Reporting year,National",
        2,
        "time_period",
        "time_period",
    ),
    (
        "s251/lait_s251_finance.csv",
        "85000000,85000000.0",
        "85000000,8500000.0",
        3,
        "value_num",
        "disagree",
    ),
    (
        "statistical_neighbours/sn_groups_sample_2025.csv",
        "Extremely Close",
        "Quite close",
        2,
        "SNP",
        "unknown closeness",
    ),
]


@pytest.mark.parametrize(("relpath", "old", "new", "row", "column", "words"), BAD_CASES)
def test_bad_input_names_file_row_column_and_keeps_the_old_store(
    good_store, raw_dir, relpath, old, new, row, column, words
):
    before = live_release_dir(good_store)
    encoding = "cp1252" if "\u00a3" in new else "utf-8"
    path = corrupt(raw_dir, relpath, old, new, encoding=encoding)
    result = run_app(
        "ingest",
        "--data-dir",
        str(raw_dir),
        "--store-dir",
        str(good_store),
        "--quiet",
        "--partial",
    )
    assert result.returncode == 2, result.stderr
    message = result.stderr
    assert str(path) in message
    assert f"row {row}" in message
    assert f"column {column!r}" in message
    assert words in message
    assert live_release_dir(good_store) == before
    assert len(Store.open(good_store).values) > 0
    assert not list(good_store.glob(".building-*"))


def test_the_summary_lists_rejections_by_file_and_rule(built_store, tmp_path):
    from tests.conftest import build_raw_dir

    raw = build_raw_dir(tmp_path / "raw")
    path = raw / "ees_cin/b1_children_in_need.csv"
    path.write_text(path.read_text().replace("3500,3300", "-3500,3300", 1))
    result = run_app(
        "ingest", "--data-dir", str(raw), "--store-dir", str(tmp_path / "s"), "--partial"
    )
    assert result.returncode == 0, result.stderr
    lines = [line.split() for line in result.stdout.splitlines()]
    assert ["b1_children_in_need.csv", "BI-39", "value", "rejected", "1", "6"] in [
        line[:6] for line in lines
    ]
    assert any(
        "required-source check overridden (--partial)" in line
        for line in result.stdout.splitlines()
    )


def test_a_shrinking_ingest_is_refused_unless_allowed(good_store, raw_dir):
    import shutil

    before = live_release_dir(good_store)
    shutil.rmtree(raw_dir / "lait")
    args = ("ingest", "--data-dir", str(raw_dir), "--store-dir", str(good_store), "--partial")
    refused = run_app(*args, "--quiet")
    assert refused.returncode == 2, refused.stderr
    assert "lait: " in refused.stderr and "--allow-shrink" in refused.stderr
    assert "the previous store is unchanged" in refused.stderr
    assert live_release_dir(good_store) == before
    allowed = run_app(*args, "--allow-shrink")
    assert allowed.returncode == 0, allowed.stderr
    assert "warning: shrink check overridden (--allow-shrink)" in allowed.stdout
    assert Store.open(good_store).manifest["checks"]["shrink"]["overridden"] is True


def test_max_shrink_must_be_a_share(tmp_path):
    result = run_app("ingest", "--store-dir", str(tmp_path / "s"), "--max-shrink", "5")
    assert result.returncode == 2
    assert "must be a share from 0 to 1" in result.stderr


def test_no_data_dir_is_bad_input(tmp_path):
    result = run_app(
        "ingest", "--data-dir", str(tmp_path / "nope"), "--store-dir", str(tmp_path / "s")
    )
    assert result.returncode == 2
    assert "does not exist" in result.stderr


def test_demo_command_writes_a_labelled_store(tmp_path):
    result = run_app("demo", "--store-dir", str(tmp_path / "demo"), "--seed", "3")
    assert result.returncode == 0, result.stderr
    assert Store.open(tmp_path / "demo").synthetic
