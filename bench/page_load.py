"""Benchmark 2: page load in headless Chromium, until the controls and charts in view are drawn.

    python bench/page_load.py [--store-dir STORE] [--repeat 3] [--workers 2] [--port P] [--url URL]

Starts the production server, then for each page linked from the navigation opens it in
Debian's Chromium (``/usr/bin/chromium`` through Playwright, with the closed-network flags of
``tests/conftest.py``; no browser is ever downloaded) and times it from navigation start until
the page is settled: no Dash request in flight, no component loading, every ``dcc.Graph`` drawn
but those put off until they are scrolled to (``assets/app.js`` draws the page's first chart
and those within 300 px of the window with the page, the others as they come near the window),
and nothing changed for 150 ms (the time reported is when it last changed). "put off" is how
many charts were left for later; "rest s", after the warm load, is the time to draw them all at
once (``window.la_variation_charts.drawAll()``, as before printing). "cold" is a new browser
context (empty cache, as a first visit); "warm" opens the page again in the same context
(scripts cached, as when moving between pages). "KB" is what came over the network (bodies as
sent, gzipped where the server compresses them, plus headers), summed over every request of the
load; "raw KB" is the same bodies decoded (uncompressed); "plotly KB" is the plotly.js script
alone, as transferred (0 on a page without charts: only the pages that draw charts preload it).
"usable" is the first moment the page was settled but for the quiet time: its controls and
content are there, no request is in flight and the charts drawn with the page are drawn (what a
reader can use; the 150 ms of quiet and plotly's own refit of a drawn chart 100 ms after
drawing it come after). Target: usable under 1.0 s, cold, per page. "tables s" is, after the
warm load, the time from clicking every "Table of the numbers" on the page until every one of
them is drawn (the server builds the rows, the browser draws them).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.dash_payloads import http_client, page_paths  # noqa: E402
from bench.server import load_average, start  # noqa: E402

OUT = ROOT / "bench" / "out"
#: The script dcc.Graph loads when the first graph mounts.
PLOTLY_SCRIPT = "/_dash-component-suites/plotly/package_data/plotly.min.js"
TARGET_SECONDS = 1.0
QUIET_MS = 150

# Counts Dash's requests in flight (the layout, which carries the page, and callbacks) and notes
# when the page last changed; readyAt is set while nothing is pending, nothing is loading and
# every graph has drawn its plot (but those put off until scrolled to).
_WATCH = """
(() => {
  window.__pending = 0; window.__updates = 0; window.__readyAt = 0; window.__usableAt = 0;
  const fetch0 = window.fetch;
  window.fetch = function (...args) {
    const url = String((args[0] && args[0].url) || args[0]);
    const mine = url.includes('_dash-update-component') || url.includes('_dash-layout');
    if (mine) { window.__pending++; window.__updates++; window.__readyAt = 0; }
    const done = () => { if (mine) { window.__pending--; } };
    return fetch0.apply(this, args).then(
      (r) => r.clone().text().then(() => { done(); return r; }, () => { done(); return r; }),
      (e) => { done(); throw e; });
  };
  const settled = () => {
    if (!document.getElementById('_pages_content')) return false;
    if (window.__pending > 0 || window.__updates === 0) return false;
    if (document.querySelector('[data-dash-is-loading="true"]')) return false;
    for (const g of document.querySelectorAll('.dash-graph')) {
      if (!g.querySelector('.main-svg') && !g.querySelector('[data-chart-waiting]')) return false;
    }
    return true;
  };
  const tick = () => {
    if (settled()) {
      if (!window.__readyAt) window.__readyAt = performance.now();
      if (!window.__usableAt) window.__usableAt = window.__readyAt;
    }
    else { window.__readyAt = 0; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  new MutationObserver(() => { if (window.__readyAt) window.__readyAt = 0; })
    .observe(document, {subtree: true, childList: true, attributes: true});
})();
"""
_READY = f"() => window.__readyAt > 0 && performance.now() - window.__readyAt > {QUIET_MS}"

# Opens every table disclosure; returns how many, and notes when.
_OPEN_TABLES = """
() => {
  const summaries = Array.from(document.querySelectorAll("summary[id$='-summary']"));
  window.__tablesWanted = summaries.length;
  window.__tablesAt = performance.now();
  summaries.forEach((s) => s.click());
  return summaries.length;
}
"""
_TABLES_DRAWN = """
() => document.querySelectorAll(
  "details[open] .table-wrap[data-rows] > table, details[open] .table-wrap[data-rows] > p"
).length >= window.__tablesWanted
"""

_PUT_OFF = "() => document.querySelectorAll('.dash-graph [data-chart-waiting]').length"
_ALL_DRAWN = """
() => !document.querySelector('[data-chart-put-off], [data-chart-asked], [data-chart-waiting]')
  && Array.from(document.querySelectorAll('.dash-graph')).every(
  (g) => g.querySelector('.main-svg') && !g.querySelector('.dash-graph--pending'))
"""


@dataclass
class Load:
    """One page load's figures."""

    seconds: float  # from navigation start until settled
    usable_seconds: float  # from navigation start until first usable (may change after)
    wire_bytes: int  # as transferred: compressed bodies and headers
    raw_bytes: int  # the same bodies decoded
    plotly_bytes: int  # the plotly.js script, as transferred
    requests: int
    console_errors: int
    tables_seconds: float | None  # to draw every table once opened (None: not asked or none)
    put_off: int  # charts left to be drawn when scrolled to
    rest_seconds: float | None  # to draw those (None: not asked or none)


class _Traffic:
    """Chromium's own count of each request's bytes (DevTools ``Network`` events).

    ``encodedDataLength`` of a finished load is what came over the network, headers included;
    ``dataLength`` of its data chunks is the decoded body. A response served from the
    browser's cache counts nothing.
    """

    def __init__(self) -> None:
        self.url: dict[str, str] = {}
        self.raw: dict[str, int] = {}
        self.wire: dict[str, int] = {}

    def attach(self, cdp: Any) -> None:
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)

    def _sent(self, event: dict[str, Any]) -> None:
        self.url[event["requestId"]] = event["request"]["url"]

    def _data(self, event: dict[str, Any]) -> None:
        rid = event["requestId"]
        self.raw[rid] = self.raw.get(rid, 0) + int(event["dataLength"])

    def _finished(self, event: dict[str, Any]) -> None:
        self.wire[event["requestId"]] = int(event["encodedDataLength"])

    def plotly_bytes(self) -> int:
        return sum(
            n
            for rid, n in self.wire.items()
            if self.url.get(rid, "").split("?")[0].endswith(PLOTLY_SCRIPT)
        )


def _load(context: Any, url: str, *, open_tables: bool = False) -> Load:
    """Open ``url``; return its load figures and, if asked, the tables' drawing time."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    traffic = _Traffic()
    traffic.attach(cdp)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url, wait_until="commit")
    page.wait_for_function(_READY, polling=20, timeout=60_000)
    seconds = page.evaluate("window.__readyAt") / 1000
    usable = page.evaluate("window.__usableAt") / 1000
    put_off = page.evaluate(_PUT_OFF)
    rest = None
    if open_tables and put_off:
        start = page.evaluate("performance.now()")
        page.evaluate("window.la_variation_charts.drawAll()")
        page.wait_for_function(_ALL_DRAWN, polling=10, timeout=60_000)
        rest = (page.evaluate("performance.now()") - start) / 1000
    tables = None
    if open_tables and page.evaluate(_OPEN_TABLES):
        page.wait_for_function(_TABLES_DRAWN, polling=10, timeout=60_000)
        tables = (page.evaluate("performance.now()") - page.evaluate("window.__tablesAt")) / 1000
    cdp.detach()
    page.close()
    finished = traffic.wire.keys()
    return Load(
        seconds=seconds,
        usable_seconds=usable,
        wire_bytes=sum(traffic.wire.values()),
        raw_bytes=sum(traffic.raw.get(rid, 0) for rid in finished),
        plotly_bytes=traffic.plotly_bytes(),
        requests=len(finished),
        console_errors=len(errors),
        tables_seconds=tables,
        put_off=put_off,
        rest_seconds=rest,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store-dir", type=Path, default=None)
    parser.add_argument("--url", help="an already running server on 127.0.0.1")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, help="port of the server started (default: any free)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=OUT / "page_load.json")
    args = parser.parse_args(argv)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("playwright is not installed (pip install playwright; never `playwright install`)")
        return 1
    from tests.conftest import CHROMIUM, CHROMIUM_FLAGS

    if not Path(CHROMIUM).exists():
        print(f"no Chromium at {CHROMIUM}: apt-get install -y chromium")
        return 1
    if args.store_dir is None:
        from config import Settings

        args.store_dir = Settings.from_env().store_dir
    command = " ".join(["python bench/page_load.py", *(argv or sys.argv[1:])])
    print(f"command: {command}")
    print(f"load average at start: {load_average()}")
    server = None if args.url else start(args.store_dir, workers=args.workers, port=args.port)
    url = args.url or server.url  # type: ignore[union-attr]
    rows = []
    try:
        get, _, client = http_client(url)
        paths = page_paths(get("/_dash-layout"))
        client.close()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            for path in paths:
                cold, warm = [], []
                for _ in range(args.repeat):
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    context.add_init_script(_WATCH)
                    cold.append(_load(context, url + path))
                    warm.append(_load(context, url + path, open_tables=True))
                    context.close()
                tables = [w.tables_seconds for w in warm if w.tables_seconds is not None]
                rest = [w.rest_seconds for w in warm if w.rest_seconds is not None]
                rows.append(
                    {
                        "page": path,
                        "cold_s": statistics.median(c.seconds for c in cold),
                        "usable_s": statistics.median(c.usable_seconds for c in cold),
                        "warm_s": statistics.median(w.seconds for w in warm),
                        "cold_bytes": int(statistics.median(c.wire_bytes for c in cold)),
                        "cold_raw_bytes": int(statistics.median(c.raw_bytes for c in cold)),
                        "cold_plotly_bytes": int(statistics.median(c.plotly_bytes for c in cold)),
                        "warm_bytes": int(statistics.median(w.wire_bytes for w in warm)),
                        "requests": cold[0].requests,
                        "console_errors": max(c.console_errors for c in cold + warm),
                        "tables_s": statistics.median(tables) if tables else None,
                        "put_off": max(c.put_off for c in cold),
                        "rest_s": statistics.median(rest) if rest else None,
                    }
                )
            browser.close()
    finally:
        if server is not None:
            server.stop()
    print(f"load average at end: {load_average()}")
    print(
        f"median of {args.repeat}; seconds from navigation start until usable (cold) and "
        "until settled (cold, warm)\n"
    )
    head = f"{'page':<16} {'usable':>6} {'cold s':>7} {'warm s':>7} {'cold KB':>8} {'raw KB':>8} "
    head += f"{'plotly KB':>9} {'warm KB':>8} {'requests':>8} {'errors':>6} {'tables s':>8}"
    head += f" {'put off':>7} {'rest s':>6}"
    head += f"  target < {TARGET_SECONDS} s"
    print(head)
    print("-" * len(head))
    for r in rows:
        ok = "met" if r["usable_s"] < TARGET_SECONDS else "MISSED"
        tables = "-" if r["tables_s"] is None else f"{r['tables_s']:.2f}"
        rest = "-" if r["rest_s"] is None else f"{r['rest_s']:.2f}"
        print(
            f"{r['page']:<16} {r['usable_s']:6.2f} {r['cold_s']:7.2f} {r['warm_s']:7.2f} "
            f"{r['cold_bytes'] / 1024:8.0f} {r['cold_raw_bytes'] / 1024:8.0f} "
            f"{r['cold_plotly_bytes'] / 1024:9.0f} {r['warm_bytes'] / 1024:8.0f} "
            f"{r['requests']:8d} {r['console_errors']:6d} {tables:>8} {r['put_off']:7d} {rest:>6}"
            f"  {ok}"
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"command": command, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
