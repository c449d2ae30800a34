"""Shared test configuration: paths, the demo store, and headless Chromium for browser tests.

Browser tests drive Debian's ``/usr/bin/chromium`` (apt package ``chromium``) through
Playwright; nothing ever downloads a browser (never run ``playwright install``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED_DATA = ROOT.parent / "shared" / "data"

CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
# Chromium as root in a closed network: no sandbox, no GPU, no background connections.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
]


def pytest_configure(config: pytest.Config) -> None:
    """Warnings that name a file of ours rather than a module are errors too (see pyproject).

    A compile-time warning (an invalid escape sequence, say) is attributed to the file's path
    without ``.py``, not to a module name: make it an error for files in this checkout, but
    not for the packages installed under its ``.venv*`` folders.
    """
    ours = re.escape(str(ROOT)) + r"/(?!\.venv)"
    config.addinivalue_line("filterwarnings", f"error:::{ours}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by folder: tests/browser -> browser."""
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


# ---- pytest-playwright ----
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's Chromium with the closed-network flags."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """Every page in a 1280 x 900 window."""
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def dash_page(clear_dash_pages, page):
    """A ``DashPage``: ``start(app)`` serves the app on 127.0.0.1 and opens it in ``page``.

    At the end: callbacks in flight finish, the page closes, every server started stops (after
    answering what it was answering; Dash's page registry is cleared only after that), and a
    console error or page error anywhere in the test fails it, checked or not by the test.
    """
    from tests.browser_support import DashPage

    dash = DashPage(page)
    yield dash
    dash.close()
    assert dash.console.entries == [], "\n".join(dash.console.entries)


# ---- data ----
@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The official raw files beside the checkout; skips the test when absent."""
    if not (SHARED_DATA / "lait").is_dir():
        pytest.skip("../shared/data is not available")
    return SHARED_DATA


@pytest.fixture(scope="session")
def real_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built from ../shared/data by the CLI, benchmark table included (once per
    session); skips the test when the data is absent."""
    import subprocess
    import sys

    if not (SHARED_DATA / "lait" / "lait_bds_long.parquet").is_file():
        pytest.skip("../shared/data is not available")
    store_dir = tmp_path_factory.mktemp("real-store")
    command = [sys.executable, "-m", "app", "ingest", "--data-dir", str(SHARED_DATA)]
    command += ["--store-dir", str(store_dir), "--quiet"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"ingest failed:\n{done.stdout}\n{done.stderr}"
    return store_dir


@pytest.fixture(scope="session")
def real_store(real_store_dir: Path):
    """The store of ``real_store_dir``, opened once per session."""
    from data.store import Store

    return Store.open(real_store_dir)


@pytest.fixture(scope="session")
def demo_tables() -> dict[str, pd.DataFrame]:
    """The synthetic demo store's tables (seed 7), derived indicators included (built once):
    the tables the OpenAPI examples are generated from."""
    from app import demo_tables

    return demo_tables(seed=7)


@pytest.fixture(scope="session")
def tiny_store(demo_tables: dict[str, pd.DataFrame]):
    """An in-memory ``Store`` over the demo tables (no disk)."""
    from data.store import Store
    from indicators.benchmark_table import benchmark_frames

    return Store.from_tables(
        demo_tables,
        {"release": "test-release", "synthetic": True},
        benchmark=benchmark_frames(demo_tables),
    )


@pytest.fixture
def clear_dash_pages():
    """Reset Dash's global page registry around a test (as Dash's own tests do)."""
    import dash

    dash.page_registry.clear()
    yield
    dash.page_registry.clear()


def build_raw_dir(target: Path) -> Path:
    """Copy the hand-made raw fixtures to ``target`` in the layout the ingest expects.

    The workbook fixtures (Table A1, IoD, RO3) are written by ``tests.raw_workbooks``.

    The LAIT BDS table is kept as a small CSV in the repository and written here as the
    Parquet file LAIT publishes (text columns, ``LA Number`` as a float, as in LAIT).
    """
    import shutil

    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    shutil.copytree(FIXTURES / "raw", target)
    from tests.raw_workbooks import write_raw_workbooks

    write_raw_workbooks(target)  # workbooks are written here rather than kept as binaries
    lait = target / "lait"
    bds = pacsv.read_csv(
        lait / "lait_bds_sample.csv",
        convert_options=pacsv.ConvertOptions(
            column_types={"LA Number": pa.float64()},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
        read_options=pacsv.ReadOptions(),
    )
    bds = bds.cast(
        pa.schema(
            [
                pa.field(n, pa.float64() if n == "LA Number" else pa.string())
                for n in bds.column_names
            ]
        )
    )
    pq.write_table(bds, lait / "lait_bds_long.parquet")
    (lait / "lait_bds_sample.csv").unlink()
    (lait / "lait_dictionary_sample.csv").rename(lait / "lait_data_dictionary.csv")
    return target


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    """A fresh copy of the raw fixtures (safe to modify)."""
    return build_raw_dir(tmp_path / "raw")
