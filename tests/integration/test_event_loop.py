"""Load tests run their asyncio clients through ``bench.event_loop.run``, which must work even
when the calling thread already has a running event loop (as Playwright's synchronous API
leaves one in the test session once a browser test has run)."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bench import event_loop


async def _answer(value: int) -> tuple[int, str]:
    await asyncio.sleep(0)
    return value * 2, threading.current_thread().name


async def _fail() -> None:
    await asyncio.sleep(0)
    raise ValueError("from the coroutine")


def test_runs_a_coroutine_and_returns_its_result():
    assert event_loop.run(_answer(21))[0] == 42


def test_works_inside_a_running_event_loop_where_asyncio_run_refuses():
    async def caller() -> tuple[int, str]:
        refused = _answer(1)
        with pytest.raises(RuntimeError, match="running event loop"):
            asyncio.run(refused)
        refused.close()
        return event_loop.run(_answer(5))

    value, thread = asyncio.run(caller())
    assert value == 10
    assert thread != threading.current_thread().name


def test_the_coroutine_s_exception_reaches_the_caller():
    with pytest.raises(ValueError, match="from the coroutine"):
        event_loop.run(_fail())
