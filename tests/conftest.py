"""Shared test configuration: paths, the demo store, and headless Chromium for browser tests.

Browser tests use Debian's ``/usr/bin/chromium`` and ``/usr/bin/chromedriver`` (apt packages
``chromium`` and ``chromium-driver``); nothing ever downloads a browser.
"""

from __future__ import annotations

import contextlib
import os
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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by folder: tests/browser -> browser."""
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


# ---- dash[testing]: dash_duo (selenium + chromedriver) ----
def pytest_setup_options():
    """Dash's hook: the ChromeOptions used by ``dash_duo``."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = CHROMIUM
    options.add_argument("--headless=new")
    options.add_argument("--window-size=1280,900")
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    return options


# ---- pytest-playwright ----
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's Chromium with the closed-network flags."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


# ---- data ----
@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The official raw files beside the checkout; skips the test when absent."""
    if not (SHARED_DATA / "lait").is_dir():
        pytest.skip("../shared/data is not available")
    return SHARED_DATA


@pytest.fixture(scope="session")
def demo_tables() -> dict[str, pd.DataFrame]:
    """The synthetic demo store's tables, derived indicators included (built once)."""
    from data.synthetic import build_demo_tables
    from indicators import derive_indicators

    tables, _ = build_demo_tables(seed=7)
    extra_values, extra_meta = derive_indicators(tables["values"], tables["indicators"])
    tables["values"] = pd.concat([tables["values"], extra_values], ignore_index=True)
    tables["indicators"] = pd.concat([tables["indicators"], extra_meta], ignore_index=True)
    return tables


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


@pytest.fixture(autouse=True)
def _settle_browser_before_server_stops(request: pytest.FixtureRequest):
    """Browser tests: let in-flight callbacks finish before ``dash_duo`` stops its server.

    Stopping the threaded test server mid-request raises in its request threads, which pytest
    reports as an error of the test. ``dash_duo`` is requested here (so it is torn down after
    this fixture), only by tests that use it.
    """
    if "dash_duo" not in request.fixturenames:
        yield
        return
    dash_duo = request.getfixturevalue("dash_duo")
    yield
    from tests.browser_support import settle

    # A page that never settles fails in its own asserts; this only avoids a mid-request stop.
    with contextlib.suppress(Exception):
        settle(dash_duo, timeout=30)
