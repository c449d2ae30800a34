"""The sweep: every page drawn for every indicator on the real store, as a user opens it.

Issue 10's defects (a TypeError that left the previous indicator's numbers on screen, empty
strips) were each found by a user. This sweep finds the next one first: for every indicator
in its latest period, each page with an indicator control is opened from a link (and
/compare with this indicator across and another, rotating through them all, up) (its charts
are drawn into the layout the server sends, by the same handlers as its callbacks). For one
block of LAs in every CALLBACK_EVERY, the page's chart callbacks are then also sent as the
browser sends them when the indicator changes (this checks the wiring: inputs, states and
outputs as the browser posts them, each callback's answer feeding the next as in the
browser; posting them for every indicator repeats the same handlers and took most of the
sweep's time). The rate limit is off: the sweep is one client asking very fast. The work is
shared by one process per CPU (tests/sweep_support.py). It fails on
any server error logged, any HTTP error, any chart callback that answers "no update" (the
previous selection's output would stay on screen), and any chart or table block left without
a caption sentence. LAs rotate
through a spread that exercises the rules (a unitary, a London borough, a 2023 unitary, the
two smallest LAs, an abolished county).
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

import pytest

from tests.sweep_support import PAGES, n_parts, sweep

pytestmark = [pytest.mark.real_data, pytest.mark.slow]


def test_every_page_draws_every_indicator_with_sentences_and_no_errors(real_store_dir):
    parts = n_parts()
    spawn = multiprocessing.get_context("spawn")  # a fresh interpreter: no test state forked
    with ProcessPoolExecutor(parts, mp_context=spawn) as pool:
        results = list(
            pool.map(sweep, [str(real_store_dir)] * parts, range(parts), [parts] * parts)
        )
    problems = [p for part_problems, _, _ in results for p in part_problems]
    swept: Counter[str] = Counter()
    for _, counts, _ in results:
        swept.update(counts)
    n_indicators = sum(n for _, _, n in results)
    summary = f"swept {dict(swept)} (page, indicator, LA) combinations in {parts} processes"
    assert not problems, f"{summary}; {len(problems)} problems: " + "\n".join(problems[:30])
    assert n_indicators > 1000  # every indicator of the real store (1,303 today)
    assert sum(swept.values()) == len(PAGES) * n_indicators
