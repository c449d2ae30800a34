"""Slow clients: do normal requests still get answered while many connections trickle?

    python bench/slow_clients.py [--store-dir STORE] [--slow 100] [--seconds 20]
                                 [--workers 2] [--url http://127.0.0.1:PORT]

Starts the production server (``python -m app serve``, exactly the default command) on a free
127.0.0.1 port, unless ``--url`` names one already running (for example nginx in front of
it). Then, for ``--seconds``:

* ``--slow`` connections each send a request line and then one header byte every 0.5 s,
  never finishing their headers (a "slowloris"); a connection the server closes is opened
  again at once, so the pressure stays constant;
* one normal client sends a fresh-connection ``GET`` every 0.2 s, cycling through the page
  HTML, ``/_dash-layout``, an API call and ``/healthz``, each with a 1 s deadline.

Prints how many normal requests were answered (any 2xx) within 1 s out of those sent, their
p50/max latency, and how many slow connections the server closed. Target: every normal
request answered within 1 s. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench import event_loop  # noqa: E402
from bench.server import load_average, start  # noqa: E402

OUT = ROOT / "bench" / "out"
DEADLINE_S = 1.0
NORMAL_INTERVAL_S = 0.2
TRICKLE_INTERVAL_S = 0.5
NORMAL_PATHS = ("/", "/_dash-layout", "/api/v1/indicators", "/healthz")


@dataclass
class Result:
    """What one run saw."""

    slow: int
    seconds: float
    deadline: float = DEADLINE_S
    sent: int = 0
    answered: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    slow_closed_by_server: int = 0

    def summary(self) -> str:
        """One line: how many normal requests were answered in time, and how fast."""
        lat = sorted(self.latencies_ms)
        p50 = statistics.median(lat) if lat else float("nan")
        worst = lat[-1] if lat else float("nan")
        return (
            f"{self.slow} slow connections for {self.seconds:.0f} s: {self.answered} of "
            f"{self.sent} normal requests answered within {self.deadline:g} s "
            f"(p50 {p50:.0f} ms, max {worst:.0f} ms; failures {self.failures or 'none'}); "
            f"the server closed {self.slow_closed_by_server} slow connections"
        )


async def slow_connection(host: str, port: int, stop: asyncio.Event, result: Result) -> None:
    """Keep one connection trickling header bytes until ``stop``; reopen it when closed."""
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        try:
            writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            await writer.drain()
            while not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    data = await asyncio.wait_for(reader.read(1024), TRICKLE_INTERVAL_S)
                    if not data:  # the server gave up on us: come back
                        result.slow_closed_by_server += 1
                        break
                    continue  # an error answer: keep reading until it closes
                writer.write(b"a")
                await writer.drain()
        except OSError:
            result.slow_closed_by_server += 1
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def normal_requests(url: str, stop: asyncio.Event, result: Result) -> None:
    """A fresh-connection GET every ``NORMAL_INTERVAL_S``, each with ``result.deadline``."""
    import httpx

    deadline = result.deadline

    async def one(path: str) -> None:
        began = time.perf_counter()
        try:
            async with httpx.AsyncClient(timeout=deadline) as client:
                response = await asyncio.wait_for(client.get(url + path), deadline)
        except (TimeoutError, httpx.HTTPError) as exc:
            name = type(exc).__name__
            result.failures[name] = result.failures.get(name, 0) + 1
            return
        elapsed = time.perf_counter() - began
        if 200 <= response.status_code < 300 and elapsed <= deadline:
            result.answered += 1
            result.latencies_ms.append(elapsed * 1000)
        else:
            name = f"status {response.status_code}"
            result.failures[name] = result.failures.get(name, 0) + 1

    tasks = []
    turn = 0
    while not stop.is_set():
        tasks.append(asyncio.create_task(one(NORMAL_PATHS[turn % len(NORMAL_PATHS)])))
        result.sent += 1
        turn += 1
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), NORMAL_INTERVAL_S)
    await asyncio.gather(*tasks)


async def run(url: str, *, slow: int, seconds: float, deadline: float = DEADLINE_S) -> Result:
    """Hold ``slow`` trickling connections open while normal requests are timed."""
    parts = urlparse(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loopback targets only")
    result = Result(slow=slow, seconds=seconds, deadline=deadline)
    stop = asyncio.Event()
    slow_tasks = [
        asyncio.create_task(slow_connection(host, port, stop, result)) for _ in range(slow)
    ]
    await asyncio.sleep(1.0)  # let the slow connections take their places first
    normal = asyncio.create_task(normal_requests(url, stop, result))
    await asyncio.sleep(seconds)
    stop.set()
    await normal
    await asyncio.gather(*slow_tasks, return_exceptions=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store-dir", type=Path, help="store to serve (default: store/)")
    parser.add_argument("--url", help="an already running server (loopback only)")
    parser.add_argument("--slow", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args(argv)
    print(f"load average before: {load_average()}")
    if args.url:
        result = event_loop.run(run(args.url, slow=args.slow, seconds=args.seconds))
    else:
        from config import Settings

        store_dir = args.store_dir or Settings.from_env().store_dir
        with start(store_dir, workers=args.workers) as server:
            result = event_loop.run(run(server.url, slow=args.slow, seconds=args.seconds))
    print(result.summary())
    if args.json:
        OUT.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(asdict(result), indent=2))
    return 0 if result.answered == result.sent else 1


if __name__ == "__main__":
    sys.exit(main())
