"""Soak (modest numbers): mixed page loads, callbacks and API calls against gunicorn.

``bench/soak.py`` runs the full version (50 clients for 60 s on the real store); this runs the
same code on the demo store with fewer clients for less time, so it fits in CI.
"""

import sys

import pytest

from bench.server import start
from bench.soak import report, soak
from data.store import write_store
from indicators.benchmark_table import benchmark_frames

pytestmark = [pytest.mark.soak, pytest.mark.slow]


def test_mixed_load_has_no_errors_and_memory_holds(tmp_path, demo_tables, capsys):
    write_store(demo_tables, {"synthetic": True}, tmp_path, benchmark=benchmark_frames)
    server = start(tmp_path, workers=2)
    try:
        result = soak(
            server.url, server.process.pid, clients=12, seconds=15, warmup=5, tool="httpx"
        )
    finally:
        server.stop()
    text = report(result, clients=12, seconds=15)
    with capsys.disabled():  # the figures belong in the CI log
        sys.stdout.write(f"\nsoak (CI numbers):\n{text}\n")
    assert result.stats.requests > 100, text
    assert min(result.mix.values()) > 0, text  # pages, callbacks and API calls all sent
    assert result.stats.errors == 0, text
    assert not result.replaced, text
    assert len(result.growth) == 2, text
    assert all(abs(g) <= 0.10 for g in result.growth.values()), text
