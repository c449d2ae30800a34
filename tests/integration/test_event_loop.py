"""Load tests run their asyncio clients through ``bench.event_loop.run``, which must work even
when the calling thread already has a running event loop (as Playwright's synchronous API
leaves one in the test session once a browser test has run)."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bench import event_loop


async def _answer(value: int) -> tuple[int, int]:
    await asyncio.sleep(0)
    return value * 2, threading.get_ident()


async def _fail() -> None:
    await asyncio.sleep(0)
    raise ValueError("from the coroutine")


def test_runs_a_coroutine_and_returns_its_result():
    assert event_loop.run(_answer(21))[0] == 42


def test_works_inside_a_running_event_loop_where_asyncio_run_refuses():
    async def caller() -> tuple[int, int, int]:
        refused = _answer(1)
        with pytest.raises(RuntimeError, match="running event loop"):
            asyncio.run(refused)
        refused.close()
        value, thread = event_loop.run(_answer(5))
        return value, thread, threading.get_ident()  # both threads alive: distinct idents

    # The caller gets a running loop of its own on another thread: the session's thread may
    # already have one (Playwright's, once a browser test has run), where asyncio.run refuses.
    value, thread, caller_thread = event_loop.run(caller())
    assert value == 10
    assert thread != caller_thread


def test_the_coroutine_s_exception_reaches_the_caller():
    with pytest.raises(ValueError, match="from the coroutine"):
        event_loop.run(_fail())
